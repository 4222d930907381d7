"""JSON output: the whole model, UTF-8 as written (no \\u escapes), schema_version first."""

from __future__ import annotations

from gongkai.plugin import (
    UsageError,
    Writer,
    WriterOption,
    hookimpl,
    json_text,
)


def write(report, stream, options):
    indent = options.get("indent", "2")
    try:
        indent_value = int(indent) if indent not in ("", "none") else None
    except ValueError:
        raise UsageError(f"json option indent must be a number or 'none', not {indent!r}") from None
    # The text of json.dump(report_dict(report), ensure_ascii=False, indent=...), in one
    # piece and without the dicts (gongkai.outputs.serialize.json_text).
    stream.write(json_text(report, indent_value) + "\n")


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
