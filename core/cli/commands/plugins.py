"""``gongkai plugins``: every loaded plugin, its distribution, hooks and contributions.

The plain listing is for people; ``--json`` gives the same facts for machines (the shape is
documented in docs/cli.md). Plugins that were skipped are listed with the reason.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from gongkai.cli.commands.common import add_plugin_options, engine_for
from gongkai.engine.manager import KINDS, Contribution, Engine


def add_parser(sub) -> None:
    p = sub.add_parser("plugins", help="list the loaded plugins and what they contribute",
                       description="List every loaded plugin: its distribution and version, "
                       "the hooks it implements and what it registered.")
    p.add_argument("--json", action="store_true", help="print JSON for machines")
    add_plugin_options(p)
    p.set_defaults(run=run)


def _details(c: Contribution) -> dict[str, Any]:
    """What a contribution is, in a few plain fields per kind."""
    item = c.item
    out: dict[str, Any] = {"name": c.name, "description": getattr(item, "description", "")}
    if c.kind == "layouts":
        out.update(table=item.table, template=item.template,
                   extra_rows=[r.code for r in item.extra_rows])
    elif c.kind == "readers":
        out.update(extensions=list(item.extensions))
    elif c.kind == "writers":
        out.update(extension=item.extension, media_type=item.media_type,
                   options=[o.name for o in item.options])
    elif c.kind in ("rules", "corpus_rules"):
        out.update(severity=str(item.severity))
    elif c.kind == "normalizers":
        out.update(order=item.order)
    return out


def listing(engine: Engine) -> dict[str, Any]:
    """The loaded plugins (by name) and the skipped ones, as plain data."""
    plugins = []
    for name, info in sorted(engine.info.items()):
        contributes: dict[str, list[dict[str, Any]]] = {kind: [] for kind in KINDS}
        for c in engine.registry.by_plugin(name):
            contributes[c.kind].append(_details(c))
        plugins.append({
            "name": name,
            "module": info.module,
            "distribution": info.distribution,
            "version": info.version,
            "builtin": info.builtin,
            "source": info.source,
            "hooks": list(info.hooks),
            "contributes": {k: v for k, v in contributes.items() if v},
        })
    skipped = [{"name": n, "reason": r} for n, r in engine.skipped]
    return {"plugins": plugins, "skipped": skipped}


def _describe_item(kind: str, d: dict[str, Any]) -> str:
    if kind == "layouts":
        extra = f"; extra rows {', '.join(d['extra_rows'])}" if d["extra_rows"] else ""
        return f"{d['name']} ({d['table']}, {d['template']}{extra})"
    return d["name"]


def run(args: argparse.Namespace) -> int:
    data = listing(engine_for(args))
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    for p in data["plugins"]:
        origin = f"{p['distribution']} {p['version']}".strip()
        if p["source"] == "variant":
            origin = "variant file"
        elif not origin:
            origin = "not installed"
        tag = ", built-in" if p["builtin"] else ""
        print(f"{p['name']}  ({origin}{tag})  {p['module']}")
        print(f"    hooks: {', '.join(p['hooks'])}")
        for kind, items in p["contributes"].items():
            print(f"    {kind}: {', '.join(_describe_item(kind, d) for d in items)}")
    if not data["plugins"]:
        print("no plugins are loaded")
    for s in data["skipped"]:
        print(f"skipped {s['name']}: {s['reason']}")
    return 0
