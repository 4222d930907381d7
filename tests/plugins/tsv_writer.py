"""A writer plugin that lives outside gongkai: the tidy cell table as tab-separated values.

The tests load it the two ways a user can without packaging it: ``Engine(plugins=[module])``
from Python and ``gongkai convert REPORT --to tsv -p tsv_writer`` from the command line.
docs/writing-a-writer.md builds the same plugin step by step.
"""

from __future__ import annotations

import gongkai
from gongkai.engine.plugin_types import Writer, WriterOption
from gongkai.outputs.tidy import COLUMNS, tidy_rows
from gongkai.outputs.writer_options import flag


def write(report, stream, options):
    rows = tidy_rows(report)
    if flag(options, "header", writer="tsv", default=True):
        stream.write("\t".join(COLUMNS) + "\n")
    for row in rows:
        # A tab or line break inside a raw cell would break the format: shown as a space.
        stream.write("\t".join(_plain(value) for value in row) + "\n")


def _plain(value: str) -> str:
    return value.replace("\t", " ").replace("\r", " ").replace("\n", " ")


@gongkai.hookimpl
def gongkai_add_writers(register):
    register(Writer(
        name="tsv",
        description="the tidy cell table as tab-separated values",
        extension=".tsv",
        media_type="text/tab-separated-values",
        write=write,
        options=(WriterOption("header", "false: no header line", "true"),),
    ))
