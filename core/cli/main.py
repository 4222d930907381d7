"""The ``gongkai`` command line. Each subcommand lives in ``gongkai.cli.commands``.

A user's mistake (a missing file, a file that is not a report, an unknown format) prints one
line, ``file:line: what is wrong``, and exits non-zero; never a traceback.
"""

from __future__ import annotations

import argparse
import logging
import re
import signal
import sys
import threading
import warnings
from collections.abc import Sequence
from typing import NoReturn

from gongkai import __version__
from gongkai.cli.commands import COMMANDS
from gongkai.cli.commands.common import add_log_options, add_plugin_options, log_level
from gongkai.errors import GongkaiError
from gongkai.suggest import did_you_mean


class Parser(argparse.ArgumentParser):
    """argparse, with usage errors in one line that name the option and suggest the nearest
    spelling (``--dataste``: did you mean --dataset?) instead of the whole usage block."""

    #: The arguments being parsed (set by :func:`main`): which command an unknown option was
    #: given to, whose options are then the ones suggested.
    argv: Sequence[str] = ()

    def error(self, message: str) -> NoReturn:
        # Options argparse could not place: the command's, whose options are the candidates.
        command = self._command() if message.startswith("unrecognized arguments") else None
        prog = command.prog if command is not None else self.prog
        self.exit(2, f"{prog}: error: {self._hint(message, command)} (see `{prog} --help`)\n")

    def _command(self) -> Parser | None:
        """The subcommand's parser named in ``argv``, when this is the main parser."""
        for action in self._actions:
            if isinstance(action, argparse._SubParsersAction):
                for word in self.argv:
                    if word in action.choices:
                        return action.choices[word]
        return None

    def _options(self, command: Parser | None = None) -> list[str]:
        found: list[str] = []
        for parser in (self, command) if command is not None else (self,):
            for action in parser._actions:
                found.extend(s for s in action.option_strings if s.startswith("--"))
        return sorted(set(found))

    def _hint(self, message: str, command: Parser | None = None) -> str:
        unknown = re.match(r"unrecognized arguments: (.*)", message)
        if unknown:
            known = self._options(command)
            hints = [f"{word}{did_you_mean(word.split('=')[0], known)}"
                     for word in unknown.group(1).split()]
            return "unrecognized arguments: " + " ".join(hints)
        choice = re.match(r"argument (\S+): invalid choice: '([^']*)' \(choose from (.*)\)",
                          message)
        if choice:
            known = re.findall(r"'([^']*)'", choice.group(3))
            return (f"{choice.group(1)}: invalid choice {choice.group(2)!r}"
                    f"{did_you_mean(choice.group(2), known)}; choose from "
                    f"{', '.join(known)}")
        return message


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="gongkai",
        description="Turn government information-disclosure annual reports into data.",
    )
    parser.add_argument("--version", action="version", version=f"gongkai {__version__}")
    add_plugin_options(parser, main=True)
    add_log_options(parser, main=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for command in COMMANDS:
        command.add_parser(sub)
    # The plugin options are global: every subcommand takes them too (docs/cli.md).
    for subparser in sub.choices.values():
        add_plugin_options(subparser)
        add_log_options(subparser)
    return parser


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    # A warning is a log message of its level: --log-level error hides it.
    if logging.getLogger("gongkai").isEnabledFor(logging.WARNING):
        print(f"gongkai: warning: {message}", file=sys.stderr)


class _Stderr(logging.StreamHandler):
    """A handler writing to whatever ``sys.stderr`` is when a record comes."""

    @property  # type: ignore[override]
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:
        pass


class _Lower(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        record.levelname = record.levelname.lower()
        return super().format(record)


def setup_logging(level: int) -> None:
    """Log records of the ``gongkai`` loggers go to standard error as ``gongkai: level: ...``."""
    logger = logging.getLogger("gongkai")
    logger.setLevel(level)
    if not any(getattr(h, "_gongkai", False) for h in logger.handlers):
        handler = _Stderr()
        handler.setFormatter(_Lower("gongkai: %(levelname)s: %(message)s"))
        handler._gongkai = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
        logger.propagate = False


def main(argv: Sequence[str] | None = None) -> int:
    warnings.showwarning = _show_warning
    parser = build_parser()
    parser.argv = list(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(argv)
    setup_logging(log_level(args))
    previous = _on_terminate()
    try:
        return int(args.run(args) or 0)
    except GongkaiError as exc:
        print(exc.format(), file=sys.stderr)
        return exc.exit_code
    except Terminated:
        print("gongkai: terminated", file=sys.stderr)
        return 128 + signal.SIGTERM
    except KeyboardInterrupt:
        print("gongkai: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `gongkai convert ... | head`
        sys.stderr.close()
        return 0
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


class Terminated(KeyboardInterrupt):
    """SIGTERM, taken like Ctrl-C: a batch lets the inputs in flight finish (every file is
    written whole or not at all), stops its workers and says how far it got."""


def _raise_terminated(signum: int, frame: object) -> NoReturn:
    raise Terminated()


def _on_terminate():
    """SIGTERM raises Terminated while a command runs (the main thread only); the handler
    it replaced, to put back."""
    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGTERM, _raise_terminated)
