"""Everything a gongkai plugin needs, in one import: ``from gongkai.plugin import ...``.

This is the plugin API: what is named in ``__all__`` here stays, or changes with a deprecation
and a note in the changelog; anything else under ``gongkai.*`` may move between releases.
gongkai's own plugins (``gongkai.plugins``) import only ``gongkai`` and this module, as a third
party's do (tests/test_plugin_api.py checks). The guides are docs/plugins.md (a plugin step by
step), docs/hooks.md (every hook), docs/variants.md (a layout without code) and
docs/writing-a-writer.md.

What is here, by the hook it serves:

* every hook: :data:`hookimpl`, the errors (:class:`InputError`, :class:`UsageError`...) and
  the model (:class:`Report`, :class:`Table`, :class:`Cell`...);
* ``gongkai_add_readers``: :class:`Reader`, :class:`ReadOptions`, :class:`Source`, the text
  decoding gongkai's readers share (:func:`decode`, :func:`looks_binary`) and the pipe-text
  builders (:class:`PipeTextBuilder` for a reader that finds cells itself, :func:`page_lines`
  and :func:`to_pipe_text` for text laid out on a page, :class:`GridCell` and
  :func:`add_table` for a table of merged cells);
* ``gongkai_add_normalizers``: :class:`Normalizer`, :class:`NormalizeContext`;
* ``gongkai_add_layouts``: :class:`Layout`, :func:`layouts_from_package` (a package's TOML
  layouts), the regional variants (:func:`extend_layout`, :class:`AddRow`,
  :func:`builtin_layouts`; :func:`load_variant_resource` and :class:`VariantPlugin` for a
  variant file), the codes (:func:`load_codes`);
* ``gongkai_add_rules`` / ``gongkai_add_corpus_rules``: :class:`Rule`, :class:`CorpusRule`,
  :func:`identity_rule` and :class:`Equation` (a 勾稽 identity as equations), the corpus
  helpers (:func:`series`, :class:`CorpusFinding`...), :func:`narrative_rule`;
* ``gongkai_add_writers``: :class:`Writer`, :class:`WriterOption`, :func:`flag` and
  :func:`choice` (reading ``-O`` options), the tidy cell table (:func:`tidy_csv`, :func:`grid`,
  :func:`label`...) and :func:`report_dict` (the JSON model);
* tests of a plugin: the pytest fixtures of :mod:`gongkai.testing` (kept apart: it imports
  pytest);
* a plugin's own slow derived data: :func:`cached_json` and :func:`digest` (the on-disk cache,
  keyed so that a stale entry is never read).
"""

from __future__ import annotations

from gongkai.engine.cache import cached_json, digest
from gongkai.engine.hookspecs import hookimpl
from gongkai.engine.manager import default_engine
from gongkai.engine.plugin_types import (
    CorpusRule,
    NormalizeContext,
    Normalizer,
    Reader,
    ReadOptions,
    Rule,
    Source,
    Writer,
    WriterOption,
)
from gongkai.errors import (
    ConfigError,
    GongkaiError,
    InputError,
    NotAReportError,
    OutputError,
    PluginError,
    UsageError,
)
from gongkai.grammars import numeral_digits
from gongkai.interpret.agency import agency_key
from gongkai.layouts.codes import Codes, TableCodes, load_codes
from gongkai.layouts.extend import AddRow, extend_layout
from gongkai.layouts.layout import Layout
from gongkai.layouts.layout_toml import builtin_layouts, layouts_from_package
from gongkai.layouts.variant_plugin import VariantPlugin
from gongkai.layouts.variant_toml import load_variant_resource
from gongkai.model import (
    Cell,
    CellRef,
    Diagnostic,
    Metadata,
    Number,
    Report,
    Section,
    Severity,
    Status,
    Table,
    cell_ref,
)
from gongkai.outputs.schema import SCHEMA_ID
from gongkai.outputs.serialize import json_text, report_dict
from gongkai.outputs.tidy import (
    COLUMNS,
    CsvRows,
    Grid,
    blocks,
    csvw_metadata,
    format_number,
    grid,
    label,
    table_label,
    tidy_csv,
    tidy_rows,
)
from gongkai.outputs.writer_options import choice, flag
from gongkai.read.decode import decode, looks_binary
from gongkai.read.grid import GridCell, add_table, grid_lines, join_lines
from gongkai.read.pipetext import PipeTextBuilder, page_lines, protect, text_to_source, to_pipe_text
from gongkai.validate.corpus import CorpusFinding, Place, series, where
from gongkai.validate.narrative import builtin_claims, narrative_rule
from gongkai.validate.suspects import Repair, Suspicion, find_suspects
from gongkai.validate.validator import (
    Equation,
    enabled_equations,
    format_value,
    identity_rule,
    same_number,
)

__all__ = [
    "COLUMNS",
    "SCHEMA_ID",
    "AddRow",
    "Cell",
    "CellRef",
    "Codes",
    "ConfigError",
    "CorpusFinding",
    "CorpusRule",
    "CsvRows",
    "Diagnostic",
    "Equation",
    "GongkaiError",
    "Grid",
    "GridCell",
    "InputError",
    "Layout",
    "Metadata",
    "NormalizeContext",
    "Normalizer",
    "NotAReportError",
    "Number",
    "OutputError",
    "PipeTextBuilder",
    "Place",
    "PluginError",
    "ReadOptions",
    "Reader",
    "Repair",
    "Report",
    "Rule",
    "Section",
    "Severity",
    "Source",
    "Status",
    "Suspicion",
    "Table",
    "TableCodes",
    "UsageError",
    "VariantPlugin",
    "Writer",
    "WriterOption",
    "add_table",
    "agency_key",
    "blocks",
    "builtin_claims",
    "builtin_layouts",
    "cached_json",
    "cell_ref",
    "choice",
    "csvw_metadata",
    "decode",
    "default_engine",
    "digest",
    "enabled_equations",
    "extend_layout",
    "find_suspects",
    "flag",
    "format_number",
    "format_value",
    "grid",
    "grid_lines",
    "hookimpl",
    "identity_rule",
    "join_lines",
    "json_text",
    "label",
    "layouts_from_package",
    "load_codes",
    "load_variant_resource",
    "looks_binary",
    "narrative_rule",
    "numeral_digits",
    "page_lines",
    "protect",
    "report_dict",
    "same_number",
    "series",
    "table_label",
    "text_to_source",
    "tidy_csv",
    "tidy_rows",
    "to_pipe_text",
    "where",
]
