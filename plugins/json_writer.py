"""JSON output: the whole model, UTF-8 as written (no \\u escapes), schema_version first."""

from __future__ import annotations

import json

from gongkai.plugin import (
    UsageError,
    Writer,
    WriterOption,
    hookimpl,
    report_dict,
)


def write(report, stream, options):
    indent = options.get("indent", "2")
    try:
        indent_value = int(indent) if indent not in ("", "none") else None
    except ValueError:
        raise UsageError(f"json option indent must be a number or 'none', not {indent!r}") from None
    json.dump(report_dict(report), stream, ensure_ascii=False, indent=indent_value)
    stream.write("\n")


@hookimpl
def gongkai_add_writers(register):
    register(Writer(
        name="json",
        description="the whole report model as JSON (see `gongkai schema`)",
        extension=".json",
        media_type="application/json",
        write=write,
        options=(WriterOption("indent", "spaces per indentation level, or 'none'", "2"),),
    ))
