"""``gongkai plugins``: every loaded plugin, its distribution, hooks and contributions."""

from __future__ import annotations

import argparse
import json

from .common import add_plugin_options, engine_for


def add_parser(sub) -> None:
    p = sub.add_parser("plugins", help="list the loaded plugins and what they contribute")
    p.add_argument("--json", action="store_true", help="print JSON for machines")
    add_plugin_options(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    engine = engine_for(args)
    listing = []
    for name, info in sorted(engine.info.items()):
        contributions: dict[str, list[str]] = {}
        for c in engine.registry.by_plugin(name):
            contributions.setdefault(c.kind, []).append(c.name)
        listing.append({
            "name": name,
            "module": info.module,
            "distribution": info.distribution,
            "version": info.version,
            "hooks": list(info.hooks),
            "contributes": contributions,
        })
    skipped = [{"name": n, "reason": r} for n, r in engine.skipped]
    if args.json:
        print(json.dumps({"plugins": listing, "skipped": skipped}, ensure_ascii=False, indent=2))
        return 0
    for p in listing:
        dist = f"{p['distribution']} {p['version']}".strip() or "(not installed)"
        print(f"{p['name']}  [{dist}]  {p['module']}")
        print(f"    hooks: {', '.join(p['hooks']) or '-'}")
        for kind, names in p["contributes"].items():
            print(f"    {kind}: {', '.join(names)}")
    for s in skipped:
        print(f"skipped {s['name']}: {s['reason']}")
    return 0
