"""CSV output: the tidy cell table of contract.md, one row per cell."""

from __future__ import annotations

import csv

from gongkai import hookimpl
from gongkai.plugin_types import Writer
from gongkai.tidy import COLUMNS, tidy_rows


def write(report, stream, options):
    out = csv.writer(stream, lineterminator="\n")
    out.writerow(COLUMNS)
    out.writerows(tidy_rows(report))


@hookimpl
def gongkai_add_writers(register):
    register(Writer(
        name="csv",
        description="the tidy cell table: report_id,table,row,column,value,unit,raw,status,line",
        extension=".csv",
        media_type="text/csv",
        write=write,
    ))
