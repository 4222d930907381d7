"""The Variant model: a region's format quirks, as layouts, a normalizer and a rule.

A variant is what a regional format changes and code is not needed for: label aliases, extra
rows with their codes, rows a region leaves out, header annotations to ignore, section-heading
wordings and sentences of the prose stating the tables' numbers. Variant files are read by
gongkai.layouts.variant_toml and loaded as plugins by gongkai.layouts.variant_plugin
(docs/variants.md).
"""

from __future__ import annotations

from collections.abc import Callable

import attrs

from gongkai.engine.plugin_types import Normalizer, Rule
from gongkai.layouts.layout import Layout
from gongkai.layouts.variant_text import NORMALIZER_ORDER, VariantText
from gongkai.validate.narrative import Claim, narrative_rule


@attrs.frozen
class Variant:
    """A regional format: layouts plus the text a report of that format writes differently."""

    name: str
    description: str = ""
    layouts: tuple[Layout, ...] = ()
    #: Literal annotations removed from table cells before their labels are matched.
    ignore: tuple[str, ...] = ()
    #: Regular expressions removed from table cells the same way.
    ignore_patterns: tuple[str, ...] = ()
    #: ``((section code, (wording, ...)), ...)``: headings that name a standard section.
    sections: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: The file it was read from, for messages.
    source: str = ""
    #: Sentences of its reports' prose that state numbers of the tables
    #: (gongkai.validate.narrative).
    narrative: tuple[Claim, ...] = ()

    def normalizer(self) -> Normalizer | None:
        """The normalizer for the annotations and headings, or None when there are none."""
        if not (self.ignore or self.ignore_patterns or self.sections):
            return None
        return Normalizer(
            name=f"variant.{self.name}",
            description=f"variant {self.name!r}: ignores its annotations, reads its headings",
            apply=VariantText(self.ignore, self.ignore_patterns, self.sections).apply,
            order=NORMALIZER_ORDER,
        )

    def register_layouts(self, register: Callable[[Layout], None]) -> None:
        for layout in self.layouts:
            register(layout)

    def register_normalizers(self, register: Callable[[Normalizer], None]) -> None:
        normalizer = self.normalizer()
        if normalizer is not None:
            register(normalizer)

    def rule(self) -> Rule | None:
        """The rule checking its narrative claims, ``narrative.<name>``; None without any."""
        if not self.narrative:
            return None
        return narrative_rule(f"narrative.{self.name}", self.narrative,
                              f"variant {self.name!r}: numbers its reports' prose states "
                              "agree with the tables")

    def register_rules(self, register: Callable[[Rule], None]) -> None:
        rule = self.rule()
        if rule is not None:
            register(rule)
