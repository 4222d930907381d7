"""Packaging: the layout maps core/ -> gongkai, plugins/ -> gongkai.plugins, grammars/ ->
gongkai.grammars, with the grammar and data files inside the wheel and no bare top-level
``core`` or ``plugins`` package."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(out), str(ROOT)],
        check=True, capture_output=True,
    )
    (path,) = out.glob("gongkai-*.whl")
    return zipfile.ZipFile(path)


def test_wheel_ships_grammar_and_data(wheel):
    names = set(wheel.namelist())
    assert "gongkai/grammars/report.lark" in names
    assert "gongkai/data/codes.toml" in names
    assert "gongkai/plugins/layouts/template_2019.toml" in names
    assert "gongkai/plugins/layouts/template_2021.toml" in names
    assert "gongkai/__main__.py" in names and "gongkai/plugins/text_reader.py" in names


def test_wheel_installs_no_bare_core_or_plugins(wheel):
    tops = {n.split("/")[0] for n in wheel.namelist() if not n.split("/")[0].endswith(
        (".dist-info", ".data"))}
    assert tops == {"gongkai"}


def test_wheel_declares_entry_points(wheel):
    (ep,) = [n for n in wheel.namelist() if n.endswith(".dist-info/entry_points.txt")]
    text = wheel.read(ep).decode()
    assert "gongkai = gongkai.cli:main" in text
    assert "[gongkai]" in text and "template_2021 = gongkai.plugins.template_2021" in text


def test_builtin_plugins_come_from_entry_points():
    eps = {ep.name: ep.value for ep in metadata.entry_points(group="gongkai")}
    for name in ("text_reader", "width_folding", "traditional_script", "template_2019",
                 "template_2021", "json_writer", "csv_writer"):
        assert eps[name] == f"gongkai.plugins.{name}"
    # Every built-in plugin module is registered (none is imported by the core behind
    # the plugin manager's back).
    modules = {p.stem for p in (ROOT / "plugins").glob("*.py") if not p.stem.startswith("_")}
    registered = {v.rsplit(".", 1)[1] for v in eps.values() if v.startswith("gongkai.plugins.")}
    assert modules <= registered, modules - registered


def test_grammar_found_as_package_data():
    from importlib import resources

    assert resources.files("gongkai.grammars").joinpath("report.lark").is_file()
