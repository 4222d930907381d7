"""The build backend's own wheel (.ci/gongkai_backend.py, for an older setuptools without
build isolation) is setuptools' wheel: the same files with the same bytes, the same entry
points and requirements. And the sdist carries the backend, so it builds alone."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import tarfile
import zipfile
from email.parser import Parser

import pytest
from test_packaging import ROOT, wheel  # noqa: F401 - the setuptools wheel fixture

_spec = importlib.util.spec_from_file_location("gongkai_backend", ROOT / ".ci" /
                                               "gongkai_backend.py")
backend = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(backend)


@pytest.fixture(scope="module")
def ours(tmp_path_factory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("ours")
    name = backend._Project(str(ROOT)).build_wheel(str(out))
    return zipfile.ZipFile(out / name)


def _meta(whl: zipfile.ZipFile, name: str) -> str:
    (path,) = [n for n in whl.namelist() if n.endswith(f".dist-info/{name}")]
    return whl.read(path).decode("utf-8")


def _entry_points(text: str) -> dict[str, dict[str, str]]:
    groups: dict[str, dict[str, str]] = {}
    group = ""
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("["):
            group = line.strip("[]")
            groups[group] = {}
        elif "=" in line:
            key, _, value = line.partition("=")
            groups[group][key.strip()] = value.strip()
    return groups


def _requirements(text: str) -> set[str]:
    from packaging.requirements import Requirement  # (specifiers and markers normalized)

    return {str(Requirement(r)) for r in Parser().parsestr(text).get_all("Requires-Dist")}


def test_our_wheel_holds_setuptools_files(ours, wheel):  # noqa: F811
    def package_files(whl):
        return {n: whl.read(n) for n in whl.namelist() if ".dist-info/" not in n}

    assert package_files(ours) == package_files(wheel)


def test_our_wheel_declares_what_setuptools_declares(ours, wheel):  # noqa: F811
    assert _entry_points(_meta(ours, "entry_points.txt")) == _entry_points(
        _meta(wheel, "entry_points.txt"))
    mine, theirs = Parser().parsestr(_meta(ours, "METADATA")), Parser().parsestr(
        _meta(wheel, "METADATA"))
    for field in ("Name", "Version", "Summary", "Requires-Python"):
        assert mine[field] == theirs[field]
    assert set(mine.get_all("Provides-Extra")) == set(theirs.get_all("Provides-Extra"))
    assert _requirements(_meta(ours, "METADATA")) == _requirements(_meta(wheel, "METADATA"))
    assert mine.get_payload() == theirs.get_payload()  # the README


def test_our_wheel_records_every_file(ours):
    record = _meta(ours, "RECORD").splitlines()
    assert {line.split(",")[0] for line in record} == set(ours.namelist())


def test_the_sdist_carries_the_backend(tmp_path):
    subprocess.run([sys.executable, "-c", "import gongkai_backend as b, sys; "
                    "b.build_sdist(sys.argv[1])", str(tmp_path)],
                   cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT / ".ci")},
                   check=True, capture_output=True)
    (name,) = tmp_path.glob("gongkai-*.tar.gz")
    with tarfile.open(name) as sdist:
        assert any(n.endswith(".ci/gongkai_backend.py") for n in sdist.getnames())
