"""A variant as a plugin object: what ``--variant FILE`` and a regional plugin register."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping

from gongkai.engine.hookspecs import hookimpl
from gongkai.engine.plugin_types import Normalizer, Rule
from gongkai.layouts.layout import Layout
from gongkai.layouts.variant import Variant
from gongkai.layouts.variant_toml import VariantFile, read_variant_file, read_variant_resource


class VariantPlugin:
    """A variant as a plugin object: register it, or point an entry point at one.

    ``plugin = VariantPlugin.from_resource(__package__, "mine.toml")`` in a module, and the
    entry point ``mine = "my_package.module:plugin"``. Made from a file, its layouts are made
    by the engine (:meth:`resolve`) once the other plugins' layouts are registered, so
    ``extends`` may name any of them.
    """

    def __init__(self, variant: Variant | VariantFile):
        #: The file whose layouts wait for :meth:`resolve`; None for a Variant built in code.
        self.file = variant if isinstance(variant, VariantFile) else None
        #: Until :meth:`resolve`, without the layouts (its normalizer and rule are complete).
        self.variant = variant.variant if isinstance(variant, VariantFile) else variant
        self.__name__ = variant.name

    @classmethod
    def from_file(cls, path: str | os.PathLike) -> VariantPlugin:
        return cls(read_variant_file(path))

    @classmethod
    def from_resource(cls, package: str, resource: str) -> VariantPlugin:
        return cls(read_variant_resource(package, resource))

    def resolve(self, layouts: Mapping[str, Layout]) -> None:
        """Make the file's layouts, ``extends`` naming one of ``layouts`` (the registered)."""
        if self.file is not None:
            self.variant = self.file.resolve(layouts)

    @hookimpl
    def gongkai_add_layouts(self, register: Callable[[Layout], None]) -> None:
        self.variant.register_layouts(register)

    @hookimpl
    def gongkai_add_normalizers(self, register: Callable[[Normalizer], None]) -> None:
        self.variant.register_normalizers(register)

    @hookimpl
    def gongkai_add_rules(self, register: Callable[[Rule], None]) -> None:
        self.variant.register_rules(register)

    def __repr__(self) -> str:
        return f"VariantPlugin({self.variant.name!r})"
