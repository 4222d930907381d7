"""The plugin manager and the registry of what plugins contributed.

An :class:`Engine` loads plugins (the ``gongkai`` entry point group, plus any given by name or
as variant files), checks them against the hook specifications, calls their ``gongkai_add_*``
hooks once and keeps every contribution with the name of the plugin that supplied it. It is what
the pipeline and the CLI run on; :func:`default_engine` is the shared one ``gongkai.convert``
uses.

A plugin that cannot be imported, implements a hook wrongly or registers something invalid is
skipped as a whole, with a :class:`PluginWarning` naming it (``strict=True`` raises
:class:`~gongkai.errors.PluginError` instead). See docs/plugins.md.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
import warnings
from collections.abc import Callable, Iterable, Sequence
from functools import cache, lru_cache
from importlib import metadata
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

import attrs
import pluggy

from gongkai.engine import hookspecs
from gongkai.engine.guard import is_plugin_failure
from gongkai.engine.plugin_types import CorpusRule, Normalizer, Reader, Rule, Writer
from gongkai.errors import ConfigError, PluginError
from gongkai.layouts.codes import load_codes
from gongkai.layouts.layout import Layout
from gongkai.layouts.variant_plugin import VariantPlugin

T = TypeVar("T")

ENTRY_POINT_GROUP = "gongkai"
#: The distribution whose entry points are gongkai's own (built-in) plugins.
BUILTIN_DISTRIBUTION = "gongkai"
#: Set to 1 to load no entry-point plugins at all, built-ins included (only -p / plugins=).
ENV_NO_AUTOLOAD = "GONGKAI_DISABLE_PLUGIN_AUTOLOAD"
#: Comma-separated names of the third-party entry-point plugins to load (built-ins always load).
ENV_ALLOW = "GONGKAI_PLUGINS"

#: What each ``gongkai_add_*`` hook contributes, and the attribute that names it.
KINDS: dict[str, tuple[str, type, str]] = {
    "readers": ("gongkai_add_readers", Reader, "name"),
    "normalizers": ("gongkai_add_normalizers", Normalizer, "name"),
    "layouts": ("gongkai_add_layouts", Layout, "name"),
    "rules": ("gongkai_add_rules", Rule, "id"),
    "corpus_rules": ("gongkai_add_corpus_rules", CorpusRule, "id"),
    "writers": ("gongkai_add_writers", Writer, "name"),
}

#: Kinds that share one name space: a rule id is configured in one ``[rules]`` section.
_SAME_NAMES = {"rules": ("rules", "corpus_rules"), "corpus_rules": ("rules", "corpus_rules")}


class PluginWarning(UserWarning):
    """A plugin was skipped (failed to import, implemented a hook wrongly)."""


@attrs.frozen
class Contribution:
    kind: str
    name: str
    item: Any
    plugin: str


@attrs.frozen
class PluginInfo:
    """A loaded plugin: where it came from and which hooks it implements."""

    name: str
    #: The module (or ``module:object``) it was loaded from; a variant's file path.
    module: str
    distribution: str = ""
    version: str = ""
    hooks: tuple[str, ...] = ()
    #: How it was loaded: ``entry-point``, ``option`` (-p / plugins=) or ``variant``.
    source: str = "entry-point"
    #: One of gongkai's own plugins.
    builtin: bool = False


class Registry:
    """Contributions by kind and name, each remembering its plugin."""

    def __init__(self) -> None:
        self._items: dict[str, dict[str, Contribution]] = {kind: {} for kind in KINDS}

    @staticmethod
    def check(kind: str, item: Any, plugin: str) -> None:
        """Raise PluginError unless ``item`` is a valid one of the ``kind``."""
        expected = KINDS[kind][1]
        if not isinstance(item, expected):
            raise PluginError(
                f"plugin {plugin!r} registered {type(item).__name__} as one of the {kind}; "
                f"expected {expected.__name__}",
                plugin=plugin,
            )
        if kind == "layouts":
            try:
                item.validate(load_codes())
            except ConfigError as exc:
                raise PluginError(f"plugin {plugin!r}: {exc.message}", plugin=plugin) from exc

    def add(self, kind: str, item: Any, plugin: str) -> None:
        self.check(kind, item, plugin)
        name = getattr(item, KINDS[kind][2])
        existing = next((self._items[k][name] for k in _SAME_NAMES.get(kind, (kind,))
                         if name in self._items[k]), None)
        if existing is not None:
            raise PluginError(
                f"plugin {plugin!r} registered {kind[:-1]} {name!r}, already registered by "
                f"plugin {existing.plugin!r}",
                plugin=plugin,
            )
        self._items[kind][name] = Contribution(kind, name, item, plugin)

    def remove_plugin(self, plugin: str) -> None:
        """Forget everything ``plugin`` registered (it is being skipped)."""
        for items in self._items.values():
            for name in [n for n, c in items.items() if c.plugin == plugin]:
                del items[name]

    def get(self, kind: str, name: str) -> Contribution | None:
        return self._items[kind].get(name)

    def all(self, kind: str) -> list[Contribution]:
        return list(self._items[kind].values())

    def by_plugin(self, plugin: str) -> list[Contribution]:
        return [c for kind in KINDS for c in self._items[kind].values() if c.plugin == plugin]


def _entry_points() -> list[metadata.EntryPoint]:
    return sorted(metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name)


def _dist_of(ep: metadata.EntryPoint) -> tuple[str, str]:
    """The name and version of the distribution declaring ``ep`` ("" when unknown)."""
    return _dist_name_version(ep.dist) if ep.dist is not None else ("", "")


# Each Distribution.name or .version parses the distribution's whole METADATA file again (an
# email-header parse): once per distribution is enough, and that was a tenth of a start-up.
# Distributions compare by identity; the cache holds the few of one listing.
@lru_cache(maxsize=32)
def _dist_name_version(dist: metadata.Distribution) -> tuple[str, str]:
    meta = dist.metadata
    return meta["Name"] or "", meta["Version"] or ""


def _wrong_arguments(plugin: object) -> str:
    """What pluggy refused in a hook implementation, in one line: ``gongkai_add_writers``
    takes ``register``, not ``reg``. Empty when that is not what is wrong."""
    import inspect

    specs = {name: getattr(hookspecs, name) for name in hookspecs.hook_names()}
    for attr, spec in specs.items():
        impl = getattr(plugin, attr, None)
        if not callable(impl):
            continue
        try:
            have = list(inspect.signature(impl).parameters)
        except (TypeError, ValueError):
            continue
        want = list(inspect.signature(spec).parameters)
        extra = [a for a in have if a not in want]
        if extra:
            return (f"{attr}({', '.join(have)}): the hook's arguments are "
                    f"({', '.join(want)}); {', '.join(map(repr, extra))} is none of them")
    return ""


def _is_builtin(ep: metadata.EntryPoint) -> bool:
    return _dist_of(ep)[0] == BUILTIN_DISTRIBUTION


def builtin_plugin_names() -> tuple[str, ...]:
    """Entry-point names of gongkai's own plugins (``text_reader``, ``csv_writer``...)."""
    return tuple(ep.name for ep in _entry_points() if _is_builtin(ep))


def _allow_from_env() -> list[str] | None:
    value = os.environ.get(ENV_ALLOW)
    if value is None:
        return None
    return [n.strip() for n in value.split(",") if n.strip()]


class Engine:
    """Plugins loaded and their contributions registered: what a conversion runs on.

    :param plugins: extra plugins: modules or objects, or strings naming an entry point, an
        importable module (the current directory is searched too) or a ``.py`` file.
    :param autoload: load the ``gongkai`` entry point group (default: unless the
        ``GONGKAI_DISABLE_PLUGIN_AUTOLOAD`` environment variable is set). When false not even
        the built-in plugins are loaded: name the ones you want in ``plugins``.
    :param allow: if given, only these third-party entry-point plugins are loaded; gongkai's
        built-in plugins always are (default: the ``GONGKAI_PLUGINS`` environment variable,
        comma-separated). An empty sequence means built-ins only.
    :param strict: raise PluginError instead of warning and skipping a broken plugin.
    :param variants: variant files (TOML) to load as plugins; a wrong file raises ConfigError.
    """

    def __init__(
        self,
        plugins: Iterable[ModuleType | object | str] = (),
        *,
        autoload: bool | None = None,
        allow: Sequence[str] | None = None,
        strict: bool = False,
        variants: Iterable[str | os.PathLike] = (),
    ):
        self.strict = strict
        self.pm = pluggy.PluginManager(hookspecs.PROJECT)
        self.pm.add_hookspecs(hookspecs)
        self.info: dict[str, PluginInfo] = {}
        self.skipped: list[tuple[str, str]] = []
        if autoload is None:
            autoload = not os.environ.get(ENV_NO_AUTOLOAD)
        if allow is None:
            allow = _allow_from_env()
        if autoload:
            self._load_entry_points(allow)
        for plugin in plugins:
            self._register_named(plugin)
        for path in variants:
            self._register_variant(path)
        self.registry = Registry()
        self._derived: dict[str, Any] = {}
        self._collect()

    # -- loading -------------------------------------------------------------------------------

    def _load_entry_points(self, allow: Sequence[str] | None) -> None:
        eps = _entry_points()
        if allow is not None:
            known = {ep.name for ep in eps}
            for name in allow:
                if name not in known:
                    self._skip(name, f"named in {ENV_ALLOW} / --plugins but no installed "
                                     f"distribution provides it (installed: "
                                     f"{', '.join(sorted(known)) or 'none'})")
        for ep in eps:
            if allow is not None and ep.name not in allow and not _is_builtin(ep):
                continue
            self._load_entry_point(ep)

    def _load_entry_point(self, ep: metadata.EntryPoint, source: str = "entry-point") -> None:
        if self.pm.get_plugin(ep.name) is not None:
            return
        try:
            plugin = ep.load()
        except BaseException as exc:  # SystemExit at import too: the plugin is skipped
            if not is_plugin_failure(exc):
                raise
            self._skip(ep.name, f"failed to import {ep.value}: {_describe(exc)}")
            return
        dist, version = _dist_of(ep)
        self._register(plugin, ep.name, ep.value, dist, version, source=source,
                       builtin=dist == BUILTIN_DISTRIBUTION)

    def _register_named(self, plugin: ModuleType | object | str) -> None:
        if not isinstance(plugin, str):
            name = getattr(plugin, "__name__", None) or type(plugin).__name__
            self._register(plugin, name, name, source="option")
            return
        ep = next((e for e in _entry_points() if e.name == plugin), None)
        if ep is not None:  # -p NAME also takes an installed plugin's entry-point name
            self._load_entry_point(ep, source="option")
            return
        try:
            module = _import_plugin(plugin)
        except BaseException as exc:  # SystemExit at import too: the plugin is skipped
            if not is_plugin_failure(exc):
                raise
            self._skip(plugin, f"failed to import: {_describe(exc)}")
            return
        if self.pm.is_registered(module):  # already loaded from its entry point
            return
        dist, version = _distribution_of(module)
        self._register(module, plugin, plugin, dist, version, source="option")

    def _register_variant(self, path: str | os.PathLike) -> None:
        plugin = VariantPlugin.from_file(path)  # ConfigError propagates: the user named it
        name = plugin.variant.name
        taken = self.info.get(name)
        if taken is not None or self.pm.has_plugin(name):
            # Checked strictly like the rest of the file, not skipped with a warning.
            where = f" (from {taken.module})" if taken is not None else ""
            raise ConfigError(f"the variant's name {name!r} is that of a plugin already "
                              f"loaded{where}: give the variant another name "
                              "([variant] name = ...)", path=os.fspath(path))
        self._register(plugin, name, os.fspath(path), source="variant")

    def _register(self, plugin: object, name: str, module: str, dist: str = "",
                  version: str = "", *, source: str, builtin: bool = False) -> None:
        try:
            self._check_hook_names(plugin, name)
            self.pm.register(plugin, name=name)
            self.pm.check_pending()
            hooks = tuple(sorted(h.name for h in self.pm.get_hookcallers(plugin) or ()))
            self._check_marked(plugin, name, hooks)
            self._attribute(plugin, name)
        except (pluggy.PluginValidationError, ValueError, PluginError) as exc:
            if self.pm.is_registered(plugin):
                self.pm.unregister(plugin)
            reason = exc.message if isinstance(exc, PluginError) else (
                _wrong_arguments(plugin) or " ".join(str(exc).split()))
            self._skip(name, reason)
            return
        self.info[name] = PluginInfo(name, module, dist, version, hooks, source, builtin)

    def _check_hook_names(self, plugin: object, name: str) -> None:
        """A ``gongkai_*`` attribute that is not a hook is a misspelled hook."""
        known = set(hookspecs.hook_names())
        for attr in dir(plugin):
            if attr.startswith("gongkai_") and attr not in known:
                import difflib

                close = difflib.get_close_matches(attr, known, n=1)
                hint = f"did you mean {close[0]!r}?" if close else (
                    f"known hooks: {', '.join(sorted(known))}")
                raise PluginError(
                    f"plugin {name!r} defines {attr!r}, which is not a gongkai hook ({hint})",
                    plugin=name,
                )

    def _check_marked(self, plugin: object, name: str, hooks: tuple[str, ...]) -> None:
        """A hook-named function without ``@gongkai.hookimpl`` would silently never run."""
        for attr in hookspecs.hook_names():
            if attr not in hooks and callable(getattr(plugin, attr, None)):
                raise PluginError(
                    f"plugin {name!r} defines {attr!r} without @gongkai.hookimpl, so it "
                    "would never be called", plugin=name)
        if not hooks:
            raise PluginError(f"plugin {name!r} implements no gongkai hook", plugin=name)

    def _skip(self, name: str, reason: str) -> None:
        if self.strict:
            # No file is at fault: printed as "gongkai: plugin 'x': ...", like the warning.
            raise PluginError(f"plugin {name!r}: {reason}", plugin=name, path="gongkai")
        self.skipped.append((name, reason))
        warnings.warn(f"gongkai plugin {name!r} skipped: {reason}", PluginWarning, stacklevel=4)

    # -- contributions -------------------------------------------------------------------------

    def _collect(self) -> None:
        """Call each ``gongkai_add_*`` hook once, through pluggy.

        pluggy orders the implementations (``tryfirst``/``trylast``) and runs hook wrappers
        around the call. Each implementation gets a ``register`` bound to its own plugin, which
        checks each contribution at once; they are then registered plugin by plugin in load
        order, whatever order the hooks ran in, so that of two plugins registering one name
        the one loaded later is at fault (a third party never displaces a built-in). A plugin
        whose hook raises, returns something or registers something invalid is skipped whole:
        what it registered is taken back and its later hooks are not called. Variant files'
        layouts wait for the others' (``gongkai_add_layouts`` is called a second time for them).
        """
        self._failed: dict[str, str] = {}
        self._pending: dict[str, list[tuple[str, Any]]] = {}
        self._done: set[tuple[str, str]] = set()
        # Variant files extend layouts other plugins register: their layouts are made once
        # every other plugin's are known, in load order (a variant may extend an earlier one's),
        # and registered by a second call of the hook (each implementation runs once).
        self._waiting = [name for name in self.info
                         if isinstance(p := self.pm.get_plugin(name), VariantPlugin) and p.file]
        for kind, (hook_name, _, _) in KINDS.items():
            hook = getattr(self.pm.hook, hook_name)
            hook(register=self._register_callback(kind, ""))
            if kind == "layouts" and self._waiting:
                self._resolve_variants()
                hook(register=self._register_callback(kind, ""))
        for name in list(self.info):
            for kind, item in self._pending.get(name, ()) if name not in self._failed else ():
                try:
                    self.registry.add(kind, item, name)
                except PluginError as exc:
                    self._failed[name] = exc.message
                    break
        for name, message in self._failed.items():
            self.registry.remove_plugin(name)
            self.pm.unregister(name=name)
            del self.info[name]
            self._skip(name, message)
        del self._pending, self._done, self._waiting

    def _resolve_variants(self) -> None:
        """Make the waiting variants' layouts, ``extends`` naming a layout registered so far."""
        known = {item.name: item for name, items in self._pending.items()
                 if name not in self._failed for kind, item in items if kind == "layouts"}
        waiting, self._waiting = self._waiting, []
        for name in waiting:
            plugin = self.pm.get_plugin(name)
            try:
                plugin.resolve(known)
            except ConfigError as exc:
                if self.info[name].source == "variant":
                    raise  # a file the user named (--variant): an error, not a warning
                self._failed[name] = str(exc)
                continue
            known.update((layout.name, layout) for layout in plugin.variant.layouts)

    def _attribute(self, plugin: object, name: str) -> None:
        """Wrap the plugin's ``add_*`` implementations (see :meth:`_collect`)."""
        kinds = {hook_name: kind for kind, (hook_name, _, _) in KINDS.items()}
        for caller in self.pm.get_hookcallers(plugin) or ():
            if caller.name not in kinds:
                continue
            for impl in caller.get_hookimpls():
                if impl.plugin is plugin and not (impl.wrapper or impl.hookwrapper):
                    impl.function = self._guarded(impl.function, name, kinds[caller.name])

    def _guarded(self, function: Callable[..., Any], plugin: str,
                 kind: str) -> Callable[..., None]:
        hook_name = KINDS[kind][0]

        def call(*_args: Any) -> None:
            if (plugin in self._failed or (plugin, kind) in self._done
                    or (kind == "layouts" and plugin in self._waiting)):
                return
            self._done.add((plugin, kind))
            try:
                result = function(self._register_callback(kind, plugin))
            except PluginError as exc:
                self._failed[plugin] = exc.message
                return
            except BaseException as exc:
                if not is_plugin_failure(exc):
                    raise
                self._failed[plugin] = f"{hook_name} raised {_describe(exc)}"
                return
            if result is not None:
                self._failed[plugin] = (f"{hook_name} returned {type(result).__name__}; "
                                        "contributions are made by calling register(item), "
                                        "not returned")

        return call

    def _register_callback(self, kind: str, plugin: str) -> Callable[[Any], None]:
        def register(item: Any) -> None:
            if not plugin:  # the one hook wrappers see: implementations get their own
                raise PluginError(f"a hook wrapper cannot register {kind}", plugin="")
            self.registry.check(kind, item, plugin)
            self._pending.setdefault(plugin, []).append((kind, item))

        register.__doc__ = f"Register one of the {kind} contributed by plugin {plugin!r}."
        return register

    # -- lookups -------------------------------------------------------------------------------

    def derived(self, name: str, build: Callable[[], T]) -> T:
        """What the stages derive from this engine's contributions (the interpreter of its
        layouts...), built on first use and kept with the engine, which never changes."""
        if name not in self._derived:
            self._derived[name] = build()
        return self._derived[name]

    def readers(self) -> list[Contribution]:
        return self.registry.all("readers")

    def writers(self) -> list[Contribution]:
        return self.registry.all("writers")

    def layouts(self) -> list[Contribution]:
        return self.registry.all("layouts")

    def rules(self) -> list[Contribution]:
        return self.registry.all("rules")

    def corpus_rules(self) -> list[Contribution]:
        return self.registry.all("corpus_rules")

    def normalizers(self) -> list[Contribution]:
        return self.registry.all("normalizers")


def _describe(exc: BaseException) -> str:
    if isinstance(exc, ConfigError | PluginError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


def _import_plugin(spec: str) -> ModuleType:
    """Import ``spec``: a ``.py`` file path, or a module name (also from the current directory)."""
    if spec.endswith(".py") or os.sep in spec or "/" in spec:
        path = Path(spec)
        if not path.is_file():
            raise FileNotFoundError(f"no such plugin file: {spec}")
        module_name = f"gongkai_local_plugin_{path.stem}"
        module_spec = importlib.util.spec_from_file_location(module_name, path)
        if module_spec is None or module_spec.loader is None:
            raise ImportError(f"cannot load {spec} as a module")
        module = importlib.util.module_from_spec(module_spec)
        sys.modules[module_name] = module
        try:
            module_spec.loader.exec_module(module)
        except BaseException:
            del sys.modules[module_name]
            raise
        return module
    # The console script does not put the current directory on sys.path; `python -m` does.
    added = "" not in sys.path and os.getcwd() not in sys.path
    if added:
        sys.path.append(os.getcwd())
    try:
        return importlib.import_module(spec)
    finally:
        if added:
            sys.path.remove(os.getcwd())


def _distribution_of(module: ModuleType) -> tuple[str, str]:
    """The installed distribution providing ``module``, if any (for `gongkai plugins`)."""
    top = module.__name__.split(".")[0]
    dists = metadata.packages_distributions().get(top, [])
    if not dists:
        return "", ""
    try:
        return dists[0], metadata.version(dists[0])
    except metadata.PackageNotFoundError:
        return dists[0], ""


@cache
def default_engine() -> Engine:
    """The engine with the installed plugins, built once per process."""
    return Engine()
