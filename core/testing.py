"""pytest helpers for gongkai and its plugins (a pytest plugin, loaded automatically).

Fixtures (see docs/plugins.md, "Testing a plugin"):

* ``gongkai_engine`` — a fresh :class:`gongkai.engine.manager.Engine` with the installed plugins;
* ``gongkai_engine_factory`` — ``factory(plugins=[mod], variants=[path])``: an engine with
  gongkai's built-in plugins and only the given ones (other installed plugins cannot interfere),
  strict, so a plugin's mistake fails the test instead of warning;
* ``gongkai_convert`` — ``convert(path_or_text, plugins=[mod])``: a Report converted with such an
  engine;
* ``gongkai_cli`` — ``run("plugins", "--json")``: run the ``gongkai`` command in-process, giving
  its exit status, standard output and standard error;
* ``assert_golden`` — compare text with a checked-in golden file.

Golden files are never rewritten silently: set ``GONGKAI_UPDATE_GOLDEN=1`` to regenerate them,
then review the diff before committing it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from types import ModuleType
from typing import Any

import attrs
import pytest

from gongkai.engine.manager import Engine
from gongkai.model import Report

UPDATE_ENV = "GONGKAI_UPDATE_GOLDEN"


def check_golden(actual: str, path: str | os.PathLike) -> None:
    """Assert ``actual`` equals the golden file; with GONGKAI_UPDATE_GOLDEN=1, rewrite it."""
    path = Path(path)
    if os.environ.get(UPDATE_ENV) == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="")
        return
    if not path.exists():
        raise AssertionError(
            f"golden file {path} does not exist; run with {UPDATE_ENV}=1 to create it"
        )
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        import difflib

        diff = "".join(difflib.unified_diff(
            expected.splitlines(keepends=True), actual.splitlines(keepends=True),
            fromfile=str(path), tofile="actual", n=2,
        ))
        raise AssertionError(
            f"output differs from golden file {path} (regenerate with {UPDATE_ENV}=1 and "
            f"review):\n{diff[:6000]}"
        )


@pytest.fixture
def assert_golden() -> Callable[[str, str | os.PathLike], None]:
    return check_golden


def make_engine(
    plugins: Iterable[ModuleType | object | str] = (),
    *,
    variants: Iterable[str | os.PathLike] = (),
    only: bool = True,
    strict: bool = True,
) -> Engine:
    """An engine for a test: the built-in plugins plus ``plugins`` and ``variants``.

    :param only: load no other installed (third-party) plugin; False: load them all.
    :param strict: a plugin that fails to load raises PluginError instead of warning.
    """
    return Engine(plugins, autoload=True, allow=() if only else None, strict=strict,
                  variants=variants)


def convert_with(
    source: str | os.PathLike,
    *,
    plugins: Iterable[ModuleType | object | str] = (),
    variants: Iterable[str | os.PathLike] = (),
    engine: Engine | None = None,
    **options: Any,
) -> Report:
    """Convert a path or a report's text with :func:`make_engine` (or the engine given)."""
    from gongkai.pipeline import convert

    engine = engine or make_engine(plugins, variants=variants)
    return convert(source, engine=engine, **options)


@attrs.frozen
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def gongkai_engine() -> Engine:
    """A fresh engine with every installed plugin (as the ``gongkai`` command has)."""
    return Engine()


@pytest.fixture
def gongkai_engine_factory() -> Callable[..., Engine]:
    """:func:`make_engine`: ``factory(plugins=[my_plugin], variants=[path])``."""
    return make_engine


@pytest.fixture
def gongkai_convert() -> Callable[..., Report]:
    """:func:`convert_with`: ``convert("report.txt", plugins=[my_plugin])`` → Report."""
    return convert_with


@pytest.fixture
def gongkai_cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., CliResult]:
    """Run the ``gongkai`` command in-process: ``run("plugins", "--json")`` → CliResult."""
    from gongkai.cli.main import main

    def run(*args: str | os.PathLike) -> CliResult:
        capsys.readouterr()  # start from nothing
        code = main([os.fspath(a) for a in args])
        out, err = capsys.readouterr()
        return CliResult(code, out, err)

    return run
