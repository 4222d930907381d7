"""The stage packages import only what docs/pipeline.md allows them to.

Each package of core/ may import the shared top-level modules (the model, the errors, the
configuration...) and the packages listed for it in ``ALLOWED``; an import of anything else
fails here, so a new dependency between stages is a decision made in review (and in
docs/pipeline.md), not an accident. Imports inside functions and under ``TYPE_CHECKING`` count
too: they are dependencies all the same.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from source_imports import gongkai_imports

CORE = Path(__file__).resolve().parents[1] / "core"
#: Top-level modules every stage may use: what all of them share (the grammar too: the patterns
#: code outside the parser takes from it).
SHARED = {"errors", "model", "display", "suggest", "config", "naming", "grammars"}
#: What each stage package may import besides SHARED, in pipeline order.
ALLOWED: dict[str, set[str]] = {
    # The engine knows the contribution types, which are a layout (layouts) and a rule's
    # equations and findings (validate, for type hints only).
    "engine": {"layouts", "validate"},
    # A variant is a plugin (engine) and may bring narrative claims (validate).
    "layouts": {"engine", "validate"},
    # Reading gongkai's own JSON back follows the serializer's field introspection (outputs).
    "read": {"engine", "outputs"},
    "normalize": {"engine"},
    "parse": {"engine"},
    # Placement solves the identities' equations (validate).
    "interpret": {"layouts", "parse", "validate"},
    # Continuity across reports matches agencies (interpret); findings are written as a tidy
    # table (outputs).
    "validate": {"engine", "interpret", "layouts", "outputs"},
    # The RDF dataset and its licence come from the RDF writer plugin (a known exception:
    # the writer should offer a dataset through its contribution instead).
    "outputs": {"engine", "layouts", "plugins"},
    # A batch runs the pipeline (top level) in workers; it warms the parser's cache (parse).
    "batch": {"engine", "outputs", "parse", "pipeline"},
    "cli": {"batch", "engine", "outputs", "pipeline", "plugins", "read", "validate"},
}
PACKAGES = sorted(p.name for p in CORE.iterdir() if (p / "__init__.py").is_file()
                  and p.name != "data")


def imported(path: Path) -> set[str]:
    """The gongkai packages and top-level modules ``path`` imports (gongkai.X -> X)."""
    return {module.split(".")[1] for _, module in gongkai_imports(path.read_text(encoding="utf-8"))
            if "." in module}


def test_every_stage_package_is_listed():
    assert sorted(ALLOWED) == PACKAGES


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_a_stage_imports_only_what_it_may(package):
    wrong = []
    for path in sorted((CORE / package).rglob("*.py")):
        for name in sorted(imported(path) - {package} - SHARED - ALLOWED[package]):
            wrong.append(f"{path.relative_to(CORE)} imports gongkai.{name}")
    assert wrong == [], f"not allowed for core/{package}/ (see docs/pipeline.md): {wrong}"


#: The stages a shared module may use, all lazily or for one lookup: the model's codes and
#: labels (layouts), its pandas frame (outputs); the configuration's TOML reader (layouts); the
#: output names' engine (engine).
SHARED_ALLOWED = {"model": {"layouts", "outputs"}, "config": {"layouts"}, "naming": {"engine"}}


def test_shared_modules_import_only_what_they_may():
    wrong = [f"{name}.py imports gongkai.{other}" for name in sorted(SHARED - {"grammars"})
             for other in sorted(imported(CORE / f"{name}.py") - SHARED
                                 - SHARED_ALLOWED.get(name, set()))]
    assert wrong == []


def test_no_stage_imports_the_plugin_api():
    """gongkai.plugin re-exports the stages for plugins; a stage importing it goes in circles."""
    wrong = [str(p.relative_to(CORE)) for package in ALLOWED
             for p in sorted((CORE / package).rglob("*.py")) if "plugin" in imported(p)]
    assert wrong == []
