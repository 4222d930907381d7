"""Options and helpers several subcommands share."""

from __future__ import annotations

import argparse

from ..engine import Engine, default_engine
from ..errors import UsageError


def add_plugin_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-p", "--plugin", dest="plugins", action="append", default=[], metavar="MODULE",
        help="also load this plugin module (repeatable)",
    )


def engine_for(args: argparse.Namespace) -> Engine:
    if getattr(args, "plugins", None):
        return Engine(plugins=args.plugins)
    return default_engine()


def parse_options(pairs: list[str]) -> dict[str, str]:
    """``-O key=value`` pairs as a dict."""
    options = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"writer options are key=value, not {pair!r}")
        options[key.strip()] = value
    return options
