"""Packaging: the layout maps core/ -> gongkai, plugins/ -> gongkai.plugins, grammars/ ->
gongkai.grammars, with the grammar and data files inside the wheel and no bare top-level
``core`` or ``plugins`` package."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    # .ci/regular-install points this at the wheel it built from the sdist, so the same checks
    # prove that the sdist alone builds a complete wheel.
    given = os.environ.get("GONGKAI_TEST_WHEEL")
    if given:
        return zipfile.ZipFile(given)
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
    assert "gongkai = gongkai.cli.main:main" in text
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


# The source folders and where their files land in the wheel (the package-dir mapping).
SOURCE_ROOTS = {"core": "gongkai", "plugins": "gongkai/plugins", "grammars": "gongkai/grammars"}


def _source_files() -> dict[str, Path]:
    """Every file a regular install must hold, by its path inside the wheel."""
    files = {}
    for src, dst in SOURCE_ROOTS.items():
        for path in (ROOT / src).rglob("*"):
            rel = path.relative_to(ROOT / src)
            if path.is_dir() or "__pycache__" in rel.parts or path.suffix in (".pyc", ".pyo"):
                continue
            files[f"{dst}/{rel.as_posix()}"] = path
    return files


def test_wheel_holds_every_file_of_the_source_tree(wheel):
    # A subpackage or data file left out of pyproject.toml works in an editable install (it is
    # found on disk) and breaks a regular one: compare the wheel with the tree itself.
    missing = sorted(set(_source_files()) - set(wheel.namelist()))
    assert not missing, f"pyproject.toml leaves these out of the wheel: {missing}"


def test_every_source_folder_is_a_listed_package():
    from gongkai.layouts.tomlcompat import tomllib

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
                 ["tool"]["setuptools"]["packages"])
    folders = set()
    for src, dst in SOURCE_ROOTS.items():
        for path in [ROOT / src, *(ROOT / src).rglob("*")]:
            rel = path.relative_to(ROOT / src)
            if path.is_dir() and "__pycache__" not in rel.parts:
                folders.add(".".join([*dst.split("/"), *rel.parts]))
    assert folders == listed


def test_version_is_the_distribution_version():
    import gongkai
    from gongkai.layouts.tomlcompat import tomllib

    declared = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]
    assert gongkai.__version__ == metadata.version("gongkai") == declared
    out = subprocess.run([sys.executable, "-m", "gongkai", "--version"],
                         capture_output=True, text=True, check=True)
    assert out.stdout.strip() == f"gongkai {declared}"
