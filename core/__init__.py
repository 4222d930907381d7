"""gongkai (公开): Chinese government information-disclosure annual reports as data.

From a script::

    import gongkai

    report = gongkai.convert("report.txt")        # a path, or the report's text
    report.table("requests").value("new", "total")
    print(gongkai.dumps(report, "csv"))          # any output format: json, csv, ...

The pipeline is read → normalize → parse → interpret → validate → write; see docs/.
"""

from .errors import (
    ConfigError,
    GongkaiError,
    InputError,
    NotAReportError,
    OutputError,
    PluginError,
    ReportSyntaxError,
    UsageError,
)
from .hookspecs import hookimpl
from .model import (
    SCHEMA_VERSION,
    Cell,
    CellRef,
    Diagnostic,
    Metadata,
    Report,
    Section,
    Severity,
    Status,
    Table,
)
from .pipeline import convert, convert_bytes, convert_file, convert_text, dumps, write


def __getattr__(name: str) -> str:
    # The version is the installed distribution's (pyproject.toml holds the one number); looked
    # up on first use, so that importing gongkai reads no package metadata.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            value = version("gongkai")
        except PackageNotFoundError:  # run from a source tree that was never installed
            value = "0+unknown"
        globals()["__version__"] = value
        return value
    raise AttributeError(f"module 'gongkai' has no attribute {name!r}")


__all__ = [
    "SCHEMA_VERSION",
    "Cell",
    "CellRef",
    "ConfigError",
    "Diagnostic",
    "GongkaiError",
    "InputError",
    "Metadata",
    "NotAReportError",
    "OutputError",
    "PluginError",
    "Report",
    "ReportSyntaxError",
    "Section",
    "Severity",
    "Status",
    "Table",
    "UsageError",
    "__version__",
    "convert",
    "convert_bytes",
    "convert_file",
    "convert_text",
    "dumps",
    "hookimpl",
    "write",
]
