"""The plugin manager and the registry of what plugins contributed.

An :class:`Engine` loads plugins (the ``gongkai`` entry point group, plus any given by name),
checks them against the hook specifications, calls their ``gongkai_add_*`` hooks once and keeps
every contribution with the name of the plugin that supplied it. It is what the pipeline and
the CLI run on; :func:`default_engine` is the shared one ``gongkai.convert`` uses.
"""

from __future__ import annotations

import importlib
import os
import warnings
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from importlib import metadata
from types import ModuleType
from typing import Any

import attrs
import pluggy

from . import hookspecs
from .codes import load_codes
from .errors import ConfigError, PluginError
from .layout import Layout
from .plugin_types import Normalizer, Reader, Rule, Writer

ENTRY_POINT_GROUP = "gongkai"
#: Set to 1 to load no entry-point plugins (only those named with -p / plugins=).
ENV_NO_AUTOLOAD = "GONGKAI_DISABLE_PLUGIN_AUTOLOAD"

#: What each ``gongkai_add_*`` hook contributes, and the attribute that names it.
KINDS: dict[str, tuple[str, type, str]] = {
    "readers": ("gongkai_add_readers", Reader, "name"),
    "normalizers": ("gongkai_add_normalizers", Normalizer, "name"),
    "layouts": ("gongkai_add_layouts", Layout, "name"),
    "rules": ("gongkai_add_rules", Rule, "id"),
    "writers": ("gongkai_add_writers", Writer, "name"),
}


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
    name: str
    module: str
    distribution: str = ""
    version: str = ""
    hooks: tuple[str, ...] = ()


class Registry:
    """Contributions by kind and name, each remembering its plugin."""

    def __init__(self) -> None:
        self._items: dict[str, dict[str, Contribution]] = {kind: {} for kind in KINDS}

    def add(self, kind: str, item: Any, plugin: str) -> None:
        _, expected, attr = KINDS[kind]
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
        name = getattr(item, attr)
        existing = self._items[kind].get(name)
        if existing is not None:
            raise PluginError(
                f"plugin {plugin!r} registered {kind[:-1]} {name!r}, already registered by "
                f"plugin {existing.plugin!r}",
                plugin=plugin,
            )
        self._items[kind][name] = Contribution(kind, name, item, plugin)

    def get(self, kind: str, name: str) -> Contribution | None:
        return self._items[kind].get(name)

    def all(self, kind: str) -> list[Contribution]:
        return list(self._items[kind].values())

    def by_plugin(self, plugin: str) -> list[Contribution]:
        return [c for kind in KINDS for c in self._items[kind].values() if c.plugin == plugin]


class Engine:
    """Plugins loaded and their contributions registered: what a conversion runs on.

    :param plugins: extra plugins, as modules, objects or importable module names.
    :param autoload: load the ``gongkai`` entry point group (default: unless the
        ``GONGKAI_DISABLE_PLUGIN_AUTOLOAD`` environment variable is set).
    :param allow: if given, only entry-point plugins with these names are loaded.
    :param strict: raise PluginError instead of warning and skipping a broken plugin.
    """

    def __init__(
        self,
        plugins: Iterable[ModuleType | object | str] = (),
        *,
        autoload: bool | None = None,
        allow: Sequence[str] | None = None,
        strict: bool = False,
    ):
        self.strict = strict
        self.pm = pluggy.PluginManager(hookspecs.PROJECT)
        self.pm.add_hookspecs(hookspecs)
        self.info: dict[str, PluginInfo] = {}
        self.skipped: list[tuple[str, str]] = []
        if autoload is None:
            autoload = not os.environ.get(ENV_NO_AUTOLOAD)
        if autoload:
            self._load_entry_points(allow)
        for plugin in plugins:
            self._register_named(plugin)
        self.registry = Registry()
        self._collect()

    # -- loading -------------------------------------------------------------------------------

    def _load_entry_points(self, allow: Sequence[str] | None) -> None:
        for ep in sorted(metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
            if allow is not None and ep.name not in allow:
                continue
            if self.pm.get_plugin(ep.name) is not None:
                continue
            dist = ep.dist
            try:
                plugin = ep.load()
            except Exception as exc:
                self._skip(ep.name, f"failed to import {ep.value}: {exc!r}")
                continue
            self._register(plugin, ep.name, ep.value, dist.name if dist else "",
                           dist.version if dist else "")

    def _register_named(self, plugin: ModuleType | object | str) -> None:
        if isinstance(plugin, str):
            try:
                module = importlib.import_module(plugin)
            except Exception as exc:
                self._skip(plugin, f"failed to import: {exc!r}")
                return
            self._register(module, plugin, plugin)
        else:
            name = getattr(plugin, "__name__", None) or type(plugin).__name__
            self._register(plugin, name, name)

    def _register(self, plugin: object, name: str, module: str, dist: str = "",
                  version: str = "") -> None:
        try:
            self.pm.register(plugin, name=name)
            self._check_hook_names(plugin, name)
            self.pm.check_pending()
        except (pluggy.PluginValidationError, ValueError, PluginError) as exc:
            if self.pm.is_registered(plugin):
                self.pm.unregister(plugin)
            self._skip(name, str(exc))
            return
        hooks = tuple(
            sorted(h.name for h in self.pm.get_hookcallers(plugin) or ())
        )
        self.info[name] = PluginInfo(name, module, dist, version, hooks)

    def _check_hook_names(self, plugin: object, name: str) -> None:
        known = set(hookspecs.hook_names())
        for attr in dir(plugin):
            if attr.startswith("gongkai_") and attr not in known:
                raise PluginError(
                    f"plugin {name!r} defines {attr!r}, which is not a gongkai hook "
                    f"(known hooks: {', '.join(sorted(known))})",
                    plugin=name,
                )

    def _skip(self, name: str, reason: str) -> None:
        if self.strict:
            raise PluginError(f"plugin {name!r}: {reason}", plugin=name)
        self.skipped.append((name, reason))
        warnings.warn(f"gongkai plugin {name!r} skipped: {reason}", PluginWarning, stacklevel=3)

    # -- contributions -------------------------------------------------------------------------

    def _collect(self) -> None:
        for kind, (hook_name, _, _) in KINDS.items():
            hook = getattr(self.pm.hook, hook_name)
            for impl in hook.get_hookimpls():  # registration order
                plugin = impl.plugin_name
                register = self._register_callback(kind, plugin)
                try:
                    impl.function(register=register)
                except PluginError as exc:
                    self._skip_contributions(plugin, exc.message)
                except Exception as exc:
                    self._skip_contributions(plugin, f"{hook_name} raised {exc!r}")

    def _register_callback(self, kind: str, plugin: str) -> Callable[[Any], None]:
        def register(item: Any) -> None:
            self.registry.add(kind, item, plugin)

        register.__doc__ = f"Register one of the {kind} contributed by plugin {plugin!r}."
        return register

    def _skip_contributions(self, plugin: str, reason: str) -> None:
        if self.strict:
            raise PluginError(f"plugin {plugin!r}: {reason}", plugin=plugin)
        self.skipped.append((plugin, reason))
        warnings.warn(f"gongkai plugin {plugin!r}: {reason}", PluginWarning, stacklevel=3)

    # -- lookups -------------------------------------------------------------------------------

    def readers(self) -> list[Contribution]:
        return self.registry.all("readers")

    def writers(self) -> list[Contribution]:
        return self.registry.all("writers")

    def layouts(self) -> list[Contribution]:
        return self.registry.all("layouts")

    def rules(self) -> list[Contribution]:
        return self.registry.all("rules")

    def normalizers(self) -> list[Contribution]:
        return self.registry.all("normalizers")


@cache
def default_engine() -> Engine:
    """The engine with the installed plugins, built once per process."""
    return Engine()
