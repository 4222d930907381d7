"""The hooks a gongkai plugin can implement.

A plugin is a module (or any object) with functions named like the hooks below and marked with
``@gongkai.hookimpl``. It is found through the ``gongkai`` entry point group, or loaded with
``gongkai -p MODULE``. gongkai's own features (the text reader, the 2019 and 2021 templates,
the traditional-script normalizer, the JSON and CSV writers) are plugins of exactly this kind.

Every hook is named by what the plugin does and has the ``gongkai_`` prefix. The ``add_*`` hooks
contribute things through a ``register`` callback rather than by returning them, so gongkai can
check each contribution (its name is free, its codes exist) when it is made and remember which
plugin supplied it (``gongkai plugins`` shows this). They are called once per plugin manager,
when it is set up, through pluggy: ``tryfirst``/``trylast`` order the calls and hook wrappers
run around them; none is ``firstresult``, every plugin gets its turn. Contributions are
registered plugin by plugin in load order, so of two plugins registering one name the later is
the one skipped.
A hook that returns a value, raises or registers something invalid gets its plugin skipped.

The reference, with every hook's signature and the fields of what it registers, is
docs/hooks.md (a test keeps it in step with this module). Everything a plugin imports is in
``gongkai.plugin``. Example: a regional variant shipped as a TOML file in the plugin's package
(docs/variants.md); a variant may bring layouts, a normalizer (its heading wordings and label
marks) and a rule (its narrative claims), so its plugin implements the three hooks::

    from gongkai.plugin import hookimpl, load_variant_resource

    HUBEI = load_variant_resource(__name__, "hubei.toml")

    @hookimpl
    def gongkai_add_layouts(register):
        HUBEI.register_layouts(register)

    @hookimpl
    def gongkai_add_normalizers(register):
        HUBEI.register_normalizers(register)

    @hookimpl
    def gongkai_add_rules(register):
        HUBEI.register_rules(register)

(``VariantPlugin.from_resource(__name__, "hubei.toml")`` is that plugin as one object, for an
entry point to name.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from gongkai.engine.plugin_types import CorpusRule, Normalizer, Reader, Rule, Writer
    from gongkai.layouts.layout import Layout

PROJECT = "gongkai"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def gongkai_add_readers(register: Callable[[Reader], None]) -> None:
    """Contribute input readers.

    :param register: call it once per :class:`gongkai.engine.plugin_types.Reader`. A reader turns
        the bytes of an input (a text file, an HTML page, a PDF...) into the *pipe text* the grammar
        reads. Names must be unique; a duplicate raises :class:`gongkai.errors.PluginError`.
    :return: nothing (returning a value is an error: call ``register`` instead).

    The reader for an input is the one named with ``--from``, else the one whose ``sniff``
    gives the highest score for the input's first bytes and file name.
    """


@hookspec
def gongkai_add_normalizers(register: Callable[[Normalizer], None]) -> None:
    """Contribute text normalizers, run on the pipe text before it is parsed.

    :param register: call it once per :class:`gongkai.engine.plugin_types.Normalizer`. Normalizers
        run in ascending ``order``; each gets the text the previous one returned.
    :return: nothing.

    A normalizer must keep the text's lines and its ``|`` cell separators exactly as they are
    (line *n* stays line *n*, each line keeps its number of ``|``): that is how every cell keeps
    its source line and its raw text. gongkai checks this after each normalizer and reports a
    :class:`gongkai.errors.PluginError` naming the normalizer that broke it.
    """


@hookspec
def gongkai_add_layouts(register: Callable[[Layout], None]) -> None:
    """Contribute table layouts: a template's version of a table, or a regional variant.

    :param register: call it once per :class:`gongkai.layouts.layout.Layout`. Every row and column
        code it names must exist in the codes (``gongkai.layouts.codes``) or be declared in its
        ``extra_rows``; the layout's name must be unique.
    :return: nothing.

    For each table in a report, the layout whose labels fit that table best interprets it
    (ties: higher ``priority``). :func:`gongkai.layouts.extend.extend_layout` derives a regional
    layout from a built-in one; a variant file (docs/variants.md) does it without code.
    """


@hookspec
def gongkai_add_rules(register: Callable[[Rule], None]) -> None:
    """Contribute validation rules (the 勾稽关系 and data-quality checks).

    :param register: call it once per :class:`gongkai.engine.plugin_types.Rule`. Rule ids are unique
        and dotted (``requests.column-identity``).
    :return: nothing.
    """


@hookspec
def gongkai_add_corpus_rules(register: Callable[[CorpusRule], None]) -> None:
    """Contribute rules across reports (year-to-year continuity of one agency's reports).

    :param register: call it once per :class:`gongkai.engine.plugin_types.CorpusRule`. Ids are
        unique among all rules, one report's and across reports, and dotted
        (``requests.continuity``).
    :return: nothing.

    ``gongkai check`` runs them once on all the reports it checked, after each report's own
    rules; ``gongkai.validate.corpus.check_corpus`` does it from Python. Their ``[rules]`` settings
    (``off``, a severity) work as for the other rules.
    """


@hookspec
def gongkai_add_writers(register: Callable[[Writer], None]) -> None:
    """Contribute output formats.

    :param register: call it once per :class:`gongkai.engine.plugin_types.Writer`. The writer's
        ``name`` is what users pass to ``--to``; names must be unique.
    :return: nothing.

    A writer only reads the model (:class:`gongkai.model.Report`); it never parses text and
    takes every code and label from ``gongkai.layouts.codes``.
    """


def hook_names() -> tuple[str, ...]:
    """Names of all hooks, for checking plugins against misspellings."""
    return tuple(
        name
        for name, obj in globals().items()
        if name.startswith("gongkai_") and callable(obj)
    )
