"""The ``gongkai`` command line. Each subcommand lives in ``gongkai.commands``.

A user's mistake (a missing file, a file that is not a report, an unknown format) prints one
line, ``file:line: what is wrong``, and exits non-zero; never a traceback.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Sequence

from . import __version__
from .commands import COMMANDS
from .commands.common import add_plugin_options
from .errors import GongkaiError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gongkai",
        description="Turn government information-disclosure annual reports into data.",
    )
    parser.add_argument("--version", action="version", version=f"gongkai {__version__}")
    add_plugin_options(parser, main=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for command in COMMANDS:
        command.add_parser(sub)
    # The plugin options are global: every subcommand takes them too (docs/cli.md).
    for subparser in sub.choices.values():
        add_plugin_options(subparser)
    return parser


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    print(f"gongkai: warning: {message}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    warnings.showwarning = _show_warning
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except GongkaiError as exc:
        print(exc.format(), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("gongkai: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `gongkai convert ... | head`
        sys.stderr.close()
        return 0
