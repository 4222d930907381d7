"""``gongkai formats``: the output formats, their file extension, media type and plugin."""

from __future__ import annotations

import argparse

from .common import add_plugin_options, engine_for


def add_parser(sub) -> None:
    p = sub.add_parser("formats", help="list the output formats")
    add_plugin_options(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    engine = engine_for(args)
    rows = [("FORMAT", "EXTENSION", "MEDIA TYPE", "PLUGIN", "DESCRIPTION")]
    for c in sorted(engine.writers(), key=lambda c: c.name):
        w = c.item
        rows.append((w.name, w.extension, w.media_type, c.plugin, w.description))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    for r in rows:
        print("  ".join(r[i].ljust(widths[i]) for i in range(4)) + "  " + r[4])
    return 0
