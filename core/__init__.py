"""gongkai (公开): Chinese government information-disclosure annual reports as data.

From a script::

    import gongkai

    report = gongkai.convert("report.txt")        # a path, or the report's text
    report.table("requests").value("new", "total")
    print(gongkai.dumps(report, "csv"))          # any output format: json, csv, ...
    same = gongkai.load("report.json")            # gongkai's JSON back to the report

The pipeline is read → normalize → parse → interpret → validate → write; see docs/.
"""

from gongkai.engine.hookspecs import hookimpl
from gongkai.errors import (
    ConfigError,
    GongkaiError,
    InputError,
    MissingTableError,
    NotAReportError,
    OutputError,
    PluginError,
    ReportSyntaxError,
    UnknownCodeError,
    UsageError,
)
from gongkai.model import (
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
from gongkai.pipeline import convert, convert_bytes, convert_file, convert_text, dumps, write
from gongkai.read.deserialize import load, loads


def to_pandas(reports):
    """The tidy cells of a report or of many as a pandas DataFrame (``gongkai[pandas]``)."""
    from gongkai.outputs.parquet import to_pandas

    return to_pandas(reports)



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
    "MissingTableError",
    "NotAReportError",
    "OutputError",
    "PluginError",
    "Report",
    "ReportSyntaxError",
    "Section",
    "Severity",
    "Status",
    "Table",
    "UnknownCodeError",
    "UsageError",
    "__version__",
    "convert",
    "convert_bytes",
    "convert_file",
    "convert_text",
    "dumps",
    "hookimpl",
    "load",
    "loads",
    "to_pandas",
    "write",
]
