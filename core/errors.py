"""One exception family for everything gongkai reports to a user.

Each error knows where it happened (``path`` and ``line`` when there is one) and formats itself
as ``file:line: what is wrong``, the form the CLI prints and editors can jump to.
"""

from __future__ import annotations


class GongkaiError(Exception):
    """Base of all errors gongkai raises on purpose."""

    #: Exit status the CLI uses for this kind of error.
    exit_code = 2

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def located(self, path: str | None = None, line: int | None = None) -> GongkaiError:
        """Fill in a location the raiser did not know; returns self for chaining."""
        if self.path is None:
            self.path = path
        if self.line is None:
            self.line = line
        return self

    def format(self) -> str:
        """``file:line: what is wrong`` on one line (an error of no file, a usage error, which
        names the option itself, is ``gongkai: what is wrong``): a file name or message holding
        a line break, a terminal escape or undecodable bytes is shown escaped
        (gongkai.display)."""
        from gongkai.display import printable

        where = self.path or ("<input>" if self.line else "gongkai")
        if self.line:
            where = f"{where}:{self.line}"
        return printable(f"{where}: {self.message}")

    def __str__(self) -> str:
        return self.format() if self.path or self.line else self.message


class InputError(GongkaiError):
    """The input cannot be read: missing, unreadable, undecodable, larger than the limit."""


class NotAReportError(InputError):
    """The input is not a report at all: empty, binary (an image, an archive), or text with none
    of a report's parts and tables (a news article). A *broken* report is not this: it
    converts, with diagnostics saying what is missing or wrong."""


class ReportSyntaxError(GongkaiError):
    """The text breaks the report grammar (grammars/report.lark) at a located point."""


class PluginError(GongkaiError):
    """A plugin failed to load, registered something invalid, or raised while running."""

    def __init__(self, message: str, *, plugin: str | None = None, **kwargs):
        super().__init__(message, **kwargs)
        self.plugin = plugin


class ConfigError(GongkaiError):
    """A configuration or variant file is wrong (names the file, line and key)."""


class OutputError(GongkaiError):
    """An output cannot be written (unwritable directory, full disk, unsafe path)."""


class UsageError(GongkaiError):
    """The caller asked for something that does not exist (unknown format, reader...)."""


class UnknownCodeError(UsageError, LookupError):
    """A table, row or column code that gongkai does not know (a typo): the message names the
    nearest known code (docs/codes.md lists them)."""


class MissingTableError(GongkaiError, LookupError):
    """The report has no table of that (known) code: the source lacks it or it could not be
    read. ``report.get_table(code)`` returns None instead."""
