"""docs/plugins.md's step-by-step plugin package works as written.

The page's code blocks that start with ``# file: PATH`` are written out; the package is
"installed" with a dist-info directory declaring the entry points of its pyproject.toml (what
pip would write), then listed, used and its own tests run — as a newcomer would.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from plugin_dists import fake_site

from gongkai.cli.main import main
from gongkai.layouts.tomlcompat import tomllib

from conftest import FIXTURES

ROOT = Path(__file__).resolve().parents[1]
WUHAN = FIXTURES / "variants" / "wuhan-eeb-2020.traditional.excerpt.txt"


@pytest.fixture
def dists(tmp_path, monkeypatch):
    yield from fake_site(tmp_path, monkeypatch)


def files_of(page: str) -> dict[str, str]:
    text = (ROOT / "docs" / page).read_text("utf-8")
    blocks = re.findall(r"```\w*\n# file: (\S+)\n(.*?)```", text, re.S)
    return dict(blocks)


@pytest.fixture
def installed(tmp_path, dists, monkeypatch):
    files = files_of("plugins.md")
    assert {"gongkai-myregion/pyproject.toml", "gongkai-myregion/myregion/__init__.py"} <= set(
        files)
    work = tmp_path / "work"
    for name, text in files.items():
        path = work / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    project = work / "gongkai-myregion"
    meta = tomllib.loads((project / "pyproject.toml").read_text("utf-8"))["project"]
    # What `pip install -e gongkai-myregion` leaves: the package importable, and a dist-info.
    dists.install(meta["name"], meta["version"], {}, meta["entry-points"]["gongkai"])
    monkeypatch.syspath_prepend(str(project))
    yield project
    for name in [m for m in sys.modules if m == "myregion" or m.startswith("myregion.")]:
        del sys.modules[name]


def test_the_walkthrough_plugin_is_listed_with_what_it_registered(installed, capsys):
    assert main(["plugins", "--json", "--plugins", "myregion"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["skipped"] == []
    (mine,) = [p for p in data["plugins"] if p["name"] == "myregion"]
    assert (mine["distribution"], mine["version"]) == ("gongkai-myregion", "0.1.0")
    assert {k: [d["name"] for d in v] for k, v in mine["contributes"].items()} == {
        "layouts": ["proactive-2019.myregion"], "writers": ["summary"]}


def test_the_walkthrough_plugin_converts_as_the_page_shows(installed, capsys):
    assert main(["convert", str(WUHAN), "--to", "summary", "--plugins", "myregion"]) == 0
    out = capsys.readouterr().out
    page = (ROOT / "docs" / "plugins.md").read_text("utf-8")
    assert out.splitlines()[0] in page  # the output shown on the page


def test_the_walkthrough_tests_pass(installed, tmp_path):
    shutil.copy(WUHAN, installed / "tests")
    site = [p for p in sys.path if p.startswith(str(tmp_path))]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([*site, *sys.path])}
    env.pop("GONGKAI_PLUGINS", None)
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                             str(installed / "tests")], capture_output=True, text=True,
                            cwd=installed, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 passed" in result.stdout
