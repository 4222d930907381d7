"""The plugin API: ``gongkai.plugin`` is all a plugin imports, gongkai's own plugins included."""

from __future__ import annotations

import re
import shutil
import sys
import types
from pathlib import Path

import pytest
from source_imports import gongkai_imports

import gongkai
import gongkai.plugin
from gongkai.engine import hookspecs
from gongkai.engine.manager import Engine

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
#: What a plugin may import from gongkai: the package, the plugin API and, in its tests, the
#: pytest helpers.
ALLOWED = {"gongkai", "gongkai.plugin"}
ALLOWED_IN_TESTS = ALLOWED | {"gongkai.testing"}
#: The guides for plugin authors: their examples import as plugins must.
PLUGIN_DOCS = ("plugins.md", "hooks.md", "rules.md", "variants.md", "writing-a-writer.md")


def disallowed(path: Path, source: str, allowed: set[str]) -> list[str]:
    own = f"gongkai.plugins.{path.stem}"
    return [f"{path.name}:{line}: imports {module}" for line, module in gongkai_imports(source)
            # A plugin's own private helper module (gongkai.plugins._pdf_layout) is its own.
            if module not in allowed and not (module.startswith("gongkai.plugins._")
                                              and module != own)]


def test_the_api_names_resolve_and_are_listed_once():
    names = gongkai.plugin.__all__
    assert len(names) == len(set(names))
    assert [n for n in names if not hasattr(gongkai.plugin, n)] == []
    # Nothing imported into the module is left out of __all__ by mistake.
    public = {n for n, v in vars(gongkai.plugin).items()
              if not n.startswith("_") and getattr(v, "__module__", "").startswith("gongkai.")}
    assert public - set(names) == set()


def test_builtin_plugins_import_only_the_plugin_api():
    found = []
    for path in sorted((ROOT / "plugins").glob("*.py")):
        found += disallowed(path, path.read_text(encoding="utf-8"), ALLOWED)
    assert found == []


def test_the_example_plugin_package_imports_only_the_plugin_api():
    package = ROOT / "examples" / "gongkai-hubei"
    found = []
    for path in sorted(package.rglob("*.py")):
        allowed = ALLOWED_IN_TESTS if "tests" in path.parts else ALLOWED
        found += disallowed(path, path.read_text(encoding="utf-8"), allowed)
    assert found == []


def test_the_guides_examples_import_only_the_plugin_api():
    found = []
    for name in PLUGIN_DOCS:
        text = (ROOT / "docs" / name).read_text(encoding="utf-8")
        for block in re.findall(r"```python\n(.*?)```", text, flags=re.S):
            try:
                imports = gongkai_imports(block)
            except SyntaxError:  # a fragment, not a program
                imports = [(0, m) for m in re.findall(r"^\s*from (gongkai[\w.]*) import", block,
                                                       flags=re.M)]
            found += [f"docs/{name}: imports {m}" for _, m in imports if m not in ALLOWED_IN_TESTS]
    assert found == []


def test_the_hookspec_example_is_a_working_variant_plugin(tmp_path, monkeypatch):
    """The example at the top of hookspecs.py, run as written in a package of its own."""
    example = hookspecs.__doc__.split("::\n", 1)[1].split("\n(", 1)[0]
    code = "\n".join(line[4:] for line in example.splitlines())
    package = tmp_path / "hubei_example"
    package.mkdir()
    (package / "__init__.py").write_text(code, encoding="utf-8")
    shutil.copy(FIXTURES / "variants" / "hubei-variant.toml", package / "hubei.toml")
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        engine = Engine(["hubei_example"], strict=True)
    finally:
        sys.modules.pop("hubei_example", None)
    hooks = set(engine.info["hubei_example"].hooks)
    assert hooks == {"gongkai_add_layouts", "gongkai_add_normalizers", "gongkai_add_rules"}
    assert any(c.plugin == "hubei_example" for c in engine.layouts())


@pytest.mark.parametrize("name", ["hookimpl", "Report", "Status", "Severity", "Cell"])
def test_names_shared_with_the_package_are_the_same_objects(name):
    assert getattr(gongkai.plugin, name) is getattr(gongkai, name)


# -- hooks are called through pluggy -------------------------------------------------------------


def _writers(name: str, calls: list[str], **opts) -> types.ModuleType:
    """A plugin (a module named ``name``) writing one format, noting when its hook ran."""

    def gongkai_add_writers(register):
        calls.append(name)
        register(gongkai.plugin.Writer(
            name=name, description="d", extension=".txt", media_type="text/plain",
            write=lambda report, stream, options: stream.write(name)))

    module = types.ModuleType(name)
    module.gongkai_add_writers = gongkai.hookimpl(**opts)(gongkai_add_writers)
    return module


def test_pluggy_orders_the_calls_and_the_registry_keeps_load_order():
    calls: list[str] = []
    first, last = _writers("zz-first", calls, tryfirst=True), _writers("aa-last", calls)
    engine = Engine([last, first], autoload=False)
    assert calls == ["zz-first", "aa-last"]  # tryfirst honoured, though loaded second
    # Listed in load order, each attributed to its plugin.
    assert [(c.name, c.plugin) for c in engine.writers()] == [("aa-last", "aa-last"),
                                                              ("zz-first", "zz-first")]


def test_a_hook_wrapper_runs_around_the_contributions():
    seen: list[str] = []

    class Wrapper:
        @gongkai.hookimpl(wrapper=True)
        def gongkai_add_writers(self, register):
            seen.append("before")
            result = yield
            seen.append("after")
            return result

    calls: list[str] = []
    writers = _writers("mine", calls)
    engine = Engine([writers, Wrapper()], autoload=False, strict=True)
    assert seen == ["before", "after"] and calls == ["mine"]
    assert [c.name for c in engine.writers()] == ["mine"]


def test_a_hook_wrapper_cannot_register():
    class Wrapper:
        @gongkai.hookimpl(wrapper=True)
        def gongkai_add_writers(self, register):
            register(object())
            return (yield)

    with pytest.raises(gongkai.PluginError, match="hook wrapper cannot register"):
        Engine([Wrapper()], autoload=False, strict=True)


def test_a_failing_plugin_does_not_stop_the_others_hooks():
    calls: list[str] = []

    class Broken:
        @gongkai.hookimpl(tryfirst=True)
        def gongkai_add_writers(self, register):
            raise RuntimeError("boom")

    with pytest.warns(gongkai.engine.manager.PluginWarning, match="raised RuntimeError: boom"):
        engine = Engine([Broken(), _writers("fine", calls)], autoload=False)
    assert [c.name for c in engine.writers()] == ["fine"]
    assert "Broken" not in engine.info


def test_a_layouts_wrapper_sees_the_second_call_made_for_variant_files():
    calls: list[int] = []

    class Wrapper:
        @gongkai.hookimpl(wrapper=True)
        def gongkai_add_layouts(self, register):
            calls.append(1)
            return (yield)

    engine = Engine([Wrapper()], variants=[FIXTURES / "variants" / "hubei-variant.toml"],
                    strict=True)
    assert len(calls) == 2
    assert any(c.plugin == "hubei-test" for c in engine.layouts())
    assert len(Engine([Wrapper()], strict=True).layouts()) and len(calls) == 3
