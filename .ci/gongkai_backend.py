"""gongkai's PEP 517 build backend: setuptools where it can build this project, else the wheel
made here from the same pyproject.toml.

pyproject.toml names its licence by an SPDX expression, which setuptools reads from version 77
on (and which builds its wheels without the ``wheel`` package from 70.1). With build isolation
pip installs that setuptools first, and everything is setuptools' work. Without it (``pip wheel
--no-build-isolation .``, as distributions and offline builds do) the setuptools at hand may be
older — Python 3.11's venv and many systems ship 65.5 — and cannot read the file at all: then
this module builds the pure-Python wheel itself (packages by ``[tool.setuptools]``'s
package-dir, packages and package-data; the metadata, scripts and entry points of
``[project]``). tests/test_build_backend.py checks that both wheels hold the same files and
declare the same things. Editable installs and sdists need setuptools >= 77.
"""

from __future__ import annotations

import base64
import fnmatch
import hashlib
import os
import sys
import zipfile
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

#: The setuptools that reads this project's pyproject.toml (SPDX licence expressions).
SETUPTOOLS_NEEDED = (77,)


def _setuptools() -> Any | None:
    """setuptools' backend when the installed setuptools can build the project, else None."""
    try:
        import setuptools
        from setuptools import build_meta
    except ImportError:
        return None
    version = tuple(int(p) for p in setuptools.__version__.split(".")[:1] if p.isdigit())
    return build_meta if version >= SETUPTOOLS_NEEDED else None


def _needs_setuptools(what: str) -> Any:
    backend = _setuptools()
    if backend is None:
        raise RuntimeError(f"{what} needs setuptools >= 77: pip install 'setuptools>=77'")
    return backend


# -- the PEP 517 hooks -------------------------------------------------------------------------


def get_requires_for_build_wheel(config_settings: dict | None = None) -> list[str]:
    backend = _setuptools()
    return backend.get_requires_for_build_wheel(config_settings) if backend else []


def prepare_metadata_for_build_wheel(metadata_directory: str,
                                     config_settings: dict | None = None) -> str:
    backend = _setuptools()
    if backend:
        return backend.prepare_metadata_for_build_wheel(metadata_directory, config_settings)
    project = _Project(os.getcwd())
    target = os.path.join(metadata_directory, project.dist_info)
    os.makedirs(target, exist_ok=True)
    for name, data in project.metadata_files().items():
        with open(os.path.join(target, name), "wb") as f:
            f.write(data)
    return project.dist_info


def build_wheel(wheel_directory: str, config_settings: dict | None = None,
                metadata_directory: str | None = None) -> str:
    backend = _setuptools()
    if backend:
        return backend.build_wheel(wheel_directory, config_settings, metadata_directory)
    return _Project(os.getcwd()).build_wheel(wheel_directory)


def get_requires_for_build_sdist(config_settings: dict | None = None) -> list[str]:
    return _needs_setuptools("an sdist").get_requires_for_build_sdist(config_settings)


def build_sdist(sdist_directory: str, config_settings: dict | None = None) -> str:
    return _needs_setuptools("an sdist").build_sdist(sdist_directory, config_settings)


def get_requires_for_build_editable(config_settings: dict | None = None) -> list[str]:
    return _needs_setuptools("an editable install").get_requires_for_build_editable(
        config_settings)


def prepare_metadata_for_build_editable(metadata_directory: str,
                                        config_settings: dict | None = None) -> str:
    return _needs_setuptools("an editable install").prepare_metadata_for_build_editable(
        metadata_directory, config_settings)


def build_editable(wheel_directory: str, config_settings: dict | None = None,
                   metadata_directory: str | None = None) -> str:
    return _needs_setuptools("an editable install").build_editable(
        wheel_directory, config_settings, metadata_directory)


# -- the wheel made here -----------------------------------------------------------------------


class _Project:
    """The pure-Python wheel of pyproject.toml at ``root``."""

    def __init__(self, root: str):
        self.root = root
        with open(os.path.join(root, "pyproject.toml"), "rb") as f:
            config = tomllib.load(f)
        self.project = config["project"]
        self.setuptools = config.get("tool", {}).get("setuptools", {})
        self.name = self.project["name"]
        self.version = self.project["version"]
        self.dist_info = f"{self.name}-{self.version}.dist-info"

    def _source_dir(self, package: str) -> str:
        """A package's folder by the longest package-dir entry that is a prefix of it."""
        mapping = self.setuptools.get("package-dir", {})
        parts = package.split(".")
        for n in range(len(parts), 0, -1):
            prefix = ".".join(parts[:n])
            if prefix in mapping:
                return os.path.join(self.root, mapping[prefix], *parts[n:])
        return os.path.join(self.root, *parts)

    def files(self) -> dict[str, str]:
        """Path inside the wheel -> path on disk: each package's modules and package data."""
        data = self.setuptools.get("package-data", {})
        out = {}
        for package in self.setuptools["packages"]:
            folder = self._source_dir(package)
            patterns = ["*.py", *data.get(package, ()), *data.get("*", ())]
            for name in sorted(os.listdir(folder)):
                path = os.path.join(folder, name)
                if os.path.isfile(path) and any(fnmatch.fnmatch(name, p) for p in patterns):
                    out["/".join([*package.split("."), name])] = path
        return out

    def metadata_files(self) -> dict[str, bytes]:
        return {"METADATA": self._metadata().encode("utf-8"),
                "WHEEL": (b"Wheel-Version: 1.0\nGenerator: gongkai_backend\n"
                          b"Root-Is-Purelib: true\nTag: py3-none-any\n"),
                "entry_points.txt": self._entry_points().encode("utf-8")}

    def _metadata(self) -> str:
        p = self.project
        lines = ["Metadata-Version: 2.1", f"Name: {self.name}", f"Version: {self.version}"]
        if "description" in p:
            lines.append(f"Summary: {p['description']}")
        if isinstance(p.get("license"), str):
            lines.append(f"License: {p['license']}")
        if "requires-python" in p:
            lines.append(f"Requires-Python: {p['requires-python']}")
        lines += [f"Requires-Dist: {d}" for d in p.get("dependencies", ())]
        for extra, deps in p.get("optional-dependencies", {}).items():
            lines.append(f"Provides-Extra: {extra}")
            lines += [f"Requires-Dist: {_with_extra(d, extra)}" for d in deps]
        readme = p.get("readme")
        body = ""
        if isinstance(readme, str):
            lines.append("Description-Content-Type: text/markdown" if readme.endswith(".md")
                         else "Description-Content-Type: text/plain")
            with open(os.path.join(self.root, readme), encoding="utf-8") as f:
                body = f.read()
        return "\n".join(lines) + "\n\n" + body

    def _entry_points(self) -> str:
        groups = {}
        if self.project.get("scripts"):
            groups["console_scripts"] = self.project["scripts"]
        groups.update(self.project.get("entry-points", {}))
        return "".join(f"[{group}]\n" + "".join(f"{k} = {v}\n" for k, v in items.items()) + "\n"
                       for group, items in groups.items())

    def build_wheel(self, wheel_directory: str) -> str:
        name = f"{self.name}-{self.version}-py3-none-any.whl"
        records = []
        path = os.path.join(wheel_directory, name)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as whl:
            def add(arcname: str, data: bytes) -> None:
                whl.writestr(arcname, data)
                digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
                records.append(f"{arcname},sha256={digest.decode()},{len(data)}")

            for arcname, source in self.files().items():
                with open(source, "rb") as f:
                    add(arcname, f.read())
            for meta, data in self.metadata_files().items():
                add(f"{self.dist_info}/{meta}", data)
            records.append(f"{self.dist_info}/RECORD,,")
            whl.writestr(f"{self.dist_info}/RECORD", "\n".join(records) + "\n")
        return name


def _with_extra(requirement: str, extra: str) -> str:
    """A requirement of an extra, its own environment marker (if any) kept."""
    spec, sep, marker = requirement.partition(";")
    condition = f'extra == "{extra}"'
    if sep:
        condition = f"({marker.strip()}) and {condition}"
    return f"{spec.strip()}; {condition}"
