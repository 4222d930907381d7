"""``gongkai formats``: the output formats, their file extension, media type, plugin, options."""

from __future__ import annotations

import argparse
import json

from gongkai.cli.commands.common import add_plugin_options, engine_for


def add_parser(sub) -> None:
    p = sub.add_parser(
        "formats", help="list the output formats and their options",
        description="List the output formats (`gongkai convert --to FORMAT`), the plugin that "
                    "supplies each and the options it takes (`-O KEY=VALUE`, or "
                    "[writers.FORMAT] in gongkai.toml).")
    p.add_argument("--json", action="store_true", help="print JSON for machines")
    add_plugin_options(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    engine = engine_for(args)
    writers = sorted(engine.writers(), key=lambda c: c.name)
    if args.json:
        listing = [{
            "name": c.item.name,
            "extension": c.item.extension,
            "extra_extensions": {k: dict(v) for k, v in c.item.extra_extensions.items()},
            "media_type": c.item.media_type,
            "plugin": c.plugin,
            "description": c.item.description,
            "options": [{"name": o.name, "default": o.default, "description": o.description}
                        for o in c.item.options],
        } for c in writers]
        print(json.dumps({"formats": listing}, ensure_ascii=False, indent=2))
        return 0
    rows = [("FORMAT", "EXTENSION", "MEDIA TYPE", "PLUGIN", "DESCRIPTION")]
    for c in writers:
        w = c.item
        rows.append((w.name, w.extension, w.media_type, c.plugin, w.description))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    for i, r in enumerate(rows):
        print("  ".join(r[j].ljust(widths[j]) for j in range(4)) + "  " + r[4])
        if i == 0:
            continue
        options = [(f"-O {o.name}={o.default}", o.description)
                   for o in writers[i - 1].item.options]
        width = max((len(flag) for flag, _ in options), default=0)
        for flag, description in options:  # shown with its default value
            print(f"    {flag.ljust(width)}  {description}")
    return 0
