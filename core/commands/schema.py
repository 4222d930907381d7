"""``gongkai schema``: the JSON Schema of the JSON output (or the CSVW metadata of the CSV)."""

from __future__ import annotations

import argparse
import json
import sys

from ..output import atomic_writer


def add_parser(sub) -> None:
    p = sub.add_parser(
        "schema", help="print the JSON Schema of the JSON output",
        description="Print the JSON Schema (draft 2020-12) that every `--to json` document "
                    "validates against, generated from the model. With --csvw, print instead "
                    "the CSVW metadata describing the tidy CSV.")
    p.add_argument("--csvw", action="store_true",
                   help="print the CSVW metadata (csv-metadata.json) of the tidy CSV")
    p.add_argument("--url", default="cells.csv", metavar="NAME",
                   help="with --csvw: the CSV file the metadata describes, relative to the "
                        "metadata file (default: cells.csv)")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="write here (atomically) instead of to standard output")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..schema import dumps_schema  # only here: keeps `gongkai` start-up light
    from ..tidy import csvw_metadata

    if args.csvw:
        text = json.dumps(csvw_metadata(args.url), ensure_ascii=False, indent=2) + "\n"
    else:
        text = dumps_schema()
    if args.output:
        with atomic_writer(args.output) as stream:
            stream.write(text)
    else:
        sys.stdout.write(text)
    return 0
