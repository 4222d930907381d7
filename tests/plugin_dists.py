"""Installing throw-away plugin distributions for tests, without pip.

A directory on ``sys.path`` holding ``NAME-VERSION.dist-info/`` (METADATA, entry_points.txt,
top_level.txt) and the plugin's module is an installed distribution as far as
``importlib.metadata`` is concerned: entry-point discovery runs exactly as for a real install.
"""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest


class Dists:
    def __init__(self, root: Path, monkeypatch: pytest.MonkeyPatch):
        self.root = root
        self.modules: list[str] = []
        monkeypatch.syspath_prepend(str(root))

    def install(self, dist: str, version: str, modules: dict[str, str],
                entry_points: dict[str, str]) -> None:
        """Write ``modules`` (name -> source) and a dist-info declaring ``entry_points``."""
        for name, source in modules.items():
            (self.root / f"{name}.py").write_text(textwrap.dedent(source), "utf-8")
            self.modules.append(name)
        info = self.root / f"{dist.replace('-', '_')}-{version}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n", "utf-8")
        eps = "".join(f"{k} = {v}\n" for k, v in entry_points.items())
        (info / "entry_points.txt").write_text(f"[gongkai]\n{eps}", "utf-8")
        (info / "top_level.txt").write_text("\n".join(modules) + "\n", "utf-8")

    def forget(self) -> None:
        for name in self.modules:
            sys.modules.pop(name, None)


def fake_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Dists]:
    """For a fixture: ``yield from fake_site(tmp_path, monkeypatch)``. Distributions installed
    in it vanish after the test; the plugin environment variables are unset during it."""
    for var in ("GONGKAI_PLUGINS", "GONGKAI_DISABLE_PLUGIN_AUTOLOAD"):
        monkeypatch.delenv(var, raising=False)
    root = tmp_path / "site"
    root.mkdir()
    d = Dists(root, monkeypatch)
    yield d
    d.forget()


#: A well-behaved plugin module: one writer.
GOOD_WRITER = '''
    from gongkai import hookimpl
    from gongkai.engine.plugin_types import Writer

    def write(report, stream, options):
        stream.write(report.metadata.report_id + "\\n")

    @hookimpl
    def gongkai_add_writers(register):
        register(Writer(name="{name}", description="report id only", extension=".txt",
                        media_type="text/plain", write=write))
'''
