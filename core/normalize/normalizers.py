"""Run the registered normalizers over the pipe text, checking the contract they share.

Every normalizer must keep the text's lines and its "|" separators: line *n* stays line *n*
with the same number of "|". That invariant is what lets each cell keep its source line and
its raw text, so it is checked after every normalizer, and the one that breaks it is named.
"""

from __future__ import annotations

from collections.abc import Sequence

from gongkai.engine import guard
from gongkai.engine.plugin_types import NormalizeContext, Normalizer
from gongkai.errors import PluginError


def shape(text: str) -> list[int]:
    return [line.count("|") for line in text.split("\n")]


def normalize(
    text: str, normalizers: Sequence[tuple[Normalizer, str]]
) -> tuple[str, dict[str, str]]:
    """Apply ``(normalizer, plugin)`` pairs in order; returns the text and the facts noted."""
    context = NormalizeContext()
    original = text
    expected: list[int] | None = None  # per-line "|" counts, computed only if needed
    for normalizer, plugin in sorted(normalizers, key=lambda p: (p[0].order, p[0].name)):
        guard.current = plugin
        try:
            result = normalizer.apply(text, context)
        except BaseException as exc:  # a plugin's bug must name the plugin
            if not guard.is_plugin_failure(exc):
                raise
            raise PluginError(
                f"normalizer {normalizer.name!r} of plugin {plugin!r} failed: {exc!r}",
                plugin=plugin,
            ) from exc
        if not isinstance(result, str):
            raise PluginError(
                f"normalizer {normalizer.name!r} of plugin {plugin!r} returned "
                f"{type(result).__name__}, not str",
                plugin=plugin,
            )
        # An unchanged text needs no check; for a changed one, the totals are the cheap,
        # usual rejection, and only when they agree is every line compared.
        if result is not text and (
            result.count("\n") != text.count("\n") or result.count("|") != text.count("|")
            or shape(result) != (expected := expected or shape(original))
        ):
            raise PluginError(
                f"normalizer {normalizer.name!r} of plugin {plugin!r} changed the lines or "
                "'|' separators of the text",
                plugin=plugin,
            )
        text = result
    guard.current = None
    return text, context.facts
