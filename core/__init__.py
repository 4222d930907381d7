"""gongkai (公开): Chinese government information-disclosure annual reports as data.

From a script::

    import gongkai

    report = gongkai.convert("report.txt")        # a path, or the report's text
    report.table("requests").value("new", "total")
    print(gongkai.dumps(report, "csv"))          # any output format: json, csv, ...
    same = gongkai.load("report.json")            # gongkai's JSON back to the report

The pipeline is read → normalize → parse → interpret → validate → write; see docs/.
"""

from .deserialize import load, loads
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

__version__ = "0.1.0"

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
    "load",
    "loads",
    "write",
]
