"""``gongkai schema``: the JSON Schema of the JSON output (or the CSVW metadata of the CSV)."""

from __future__ import annotations

import argparse
import json
import sys

from gongkai.errors import UsageError
from gongkai.outputs.atomic import atomic_writer


def add_parser(sub) -> None:
    p = sub.add_parser(
        "schema", help="print the JSON Schema of the JSON output",
        description="Print the JSON Schema (draft 2020-12) that every `--to json` document "
                    "validates against, generated from the model. With --csvw, print instead "
                    "the CSVW metadata describing the tidy CSV.")
    p.add_argument("--csvw", action="store_true",
                   help="print the CSVW metadata (csv-metadata.json) of the tidy CSV")
    p.add_argument("--dataset", action="store_true",
                   help="with --csvw: describe a dataset of many reports (--dataset FILE.csv), "
                        "which has the source column too")
    p.add_argument("--url", default="cells.csv", metavar="NAME",
                   help="with --csvw: the CSV file the metadata describes, relative to the "
                        "metadata file (default: cells.csv)")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="write here (atomically) instead of to standard output")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from gongkai.outputs.schema import dumps_schema  # only here: keeps `gongkai` start-up light
    from gongkai.outputs.tidy import csvw_metadata

    if args.dataset and not args.csvw:
        raise UsageError("--dataset describes a dataset's CSV: give it with --csvw")
    if args.csvw:
        text = json.dumps(csvw_metadata(args.url, dataset=args.dataset), ensure_ascii=False,
                          indent=2) + "\n"
    else:
        text = dumps_schema()
    if args.output:
        with atomic_writer(args.output) as stream:
            stream.write(text)
    else:
        sys.stdout.write(text)
    return 0
