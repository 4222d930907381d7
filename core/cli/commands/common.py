"""Options and helpers several subcommands share.

The plugin options (``-p``, ``--plugins``, ``--no-plugin-autoload``, ``--strict-plugins``,
``--variant``) are global: ``gongkai -p mine convert r.txt`` and ``gongkai convert r.txt -p mine``
both work, for every subcommand. The CLI adds them to the main parser and to each subparser;
those of the subparser are kept under their own names (``sub_*``) because argparse would
otherwise let the subcommand's empty defaults overwrite what was given before it.
"""

from __future__ import annotations

import argparse
from typing import Any

from gongkai.engine.manager import ENV_ALLOW, ENV_NO_AUTOLOAD, Engine, default_engine
from gongkai.errors import UsageError

_MARK = "_gongkai_plugin_options"


def add_plugin_options(parser: argparse.ArgumentParser, *, main: bool = False) -> None:
    """Add the plugin options to ``parser`` (once; calling it again does nothing)."""
    if getattr(parser, _MARK, False):
        return
    setattr(parser, _MARK, True)
    prefix = "" if main else "sub_"

    def default(value: Any) -> Any:
        return value if main else argparse.SUPPRESS

    group = parser.add_argument_group("plugins")
    group.add_argument(
        "-p", "--plugin", dest=f"{prefix}plugins", action="append", default=default([]),
        metavar="MODULE",
        help="also load this plugin: an installed plugin's name, a module, or a .py file "
        "(repeatable)",
    )
    group.add_argument(
        "--plugins", dest=f"{prefix}allow", default=default(None), metavar="NAMES",
        help=f"load only these installed plugins (comma-separated), besides the built-in ones "
        f"(default: ${ENV_ALLOW}, else all)",
    )
    group.add_argument(
        "--no-plugin-autoload", dest=f"{prefix}no_autoload", action="store_true",
        default=default(False),
        help=f"load no installed plugins, not even the built-in ones (or set "
        f"{ENV_NO_AUTOLOAD}=1); name them with -p",
    )
    group.add_argument(
        "--strict-plugins", dest=f"{prefix}strict_plugins", action="store_true",
        default=default(False),
        help="a plugin that fails to load is an error, not a warning",
    )
    group.add_argument(
        "--variant", dest=f"{prefix}variants", action="append", default=default([]),
        metavar="FILE.toml", help="load a variant file (repeatable; see docs/variants.md)",
    )


def engine_options(args: argparse.Namespace) -> dict[str, Any]:
    """The plugin options given, as keyword arguments for :class:`gongkai.engine.manager.Engine`.

    Plain data, so a command that converts in worker processes can build the same engine in
    each worker: ``Engine(**engine_options(args))``.
    """

    def both(name: str, empty: Any) -> tuple[Any, Any]:
        return getattr(args, name, empty), getattr(args, f"sub_{name}", empty)

    plugins, sub_plugins = both("plugins", [])
    variants, sub_variants = both("variants", [])
    allow, sub_allow = both("allow", None)
    allow = sub_allow if sub_allow is not None else allow
    options: dict[str, Any] = {}
    if plugins or sub_plugins:
        options["plugins"] = [*plugins, *sub_plugins]
    if variants or sub_variants:
        options["variants"] = [*variants, *sub_variants]
    if allow is not None:
        options["allow"] = [n.strip() for n in allow.split(",") if n.strip()]
    if any(both("no_autoload", False)):
        options["autoload"] = False
    if any(both("strict_plugins", False)):
        options["strict"] = True
    return options


def engine_for(args: argparse.Namespace) -> Engine:
    """The engine the plugin options ask for; the shared default one when none is given."""
    options = engine_options(args)
    return Engine(**options) if options else default_engine()


def parse_options(pairs: list[str]) -> dict[str, str]:
    """``-O key=value`` pairs as a dict."""
    options = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"-O: writer options are key=value, not {pair!r}")
        options[key.strip()] = value
    return options


#: ``--log-level`` names, most verbose first.
LOG_LEVELS = ("debug", "info", "warning", "error")


def add_log_options(parser: argparse.ArgumentParser, *, main: bool = False) -> None:
    """``-v``/``--verbose`` and ``--log-level``: global, before or after the command."""
    prefix = "" if main else "sub_"
    group = parser.add_argument_group("logging")
    group.add_argument("-v", "--verbose", dest=f"{prefix}verbose", action="count",
                       default=0 if main else argparse.SUPPRESS,
                       help="say more on standard error: -v what is read and written, -vv "
                       "every step (--log-level info, debug)")
    group.add_argument("--log-level", dest=f"{prefix}log_level", type=str.lower,
                       choices=LOG_LEVELS, default=None if main else argparse.SUPPRESS,
                       help="the least severe log messages shown (default: warning)")


def log_level(args: argparse.Namespace) -> int:
    """The logging level the options ask for (``--log-level`` wins over ``-v``)."""
    import logging

    name = getattr(args, "sub_log_level", None) or getattr(args, "log_level", None)
    if name:
        return getattr(logging, name.upper())
    verbose = getattr(args, "verbose", 0) + getattr(args, "sub_verbose", 0)
    return {0: logging.WARNING, 1: logging.INFO}.get(verbose, logging.DEBUG)


_SIZE_UNITS = {"": 1, "K": 2**10, "M": 2**20, "G": 2**30}


def byte_count(text: str) -> int:
    """A ``--max-bytes`` value: a number of bytes, or with a K, M or G suffix (1024-based)."""
    number = text.strip().upper()
    unit = number[-1:] if number[-1:] in ("K", "M", "G") else ""
    try:
        value = int(number[: len(number) - len(unit)]) * _SIZE_UNITS[unit]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not a size: {text!r} (a number of bytes, or with K, M or G)") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1 byte")
    return value


def add_max_bytes_option(parser) -> None:
    """``--max-bytes``, as convert and check take it."""
    from gongkai.pipeline import DEFAULT_MAX_BYTES

    parser.add_argument("--max-bytes", type=byte_count, default=DEFAULT_MAX_BYTES,
                        metavar="SIZE", help="refuse a report larger than this: bytes, or with "
                        f"K, M or G (default: {DEFAULT_MAX_BYTES // 2**20}M)")


def add_timeout_option(parser) -> None:
    """``--timeout``, as convert and check take it."""
    from gongkai.engine.guard import DEFAULT_TIMEOUT

    parser.add_argument("--timeout", type=seconds, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                        help="stop an input that takes longer than this, naming the plugin "
                        f"that was running; 0: no limit (default: {DEFAULT_TIMEOUT:g})")


def seconds(text: str) -> float:
    """A ``--timeout`` value: seconds, 0 for no limit."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0 <= value < 10**7:  # (nan fails both)
        raise argparse.ArgumentTypeError("must be 0 (no limit) or a positive number of seconds")
    return value
