"""One strict reader for layout files and variants; ``extends`` resolved against the layouts
the engine registered (docs/variants.md)."""

from __future__ import annotations

import textwrap
import warnings

import pytest

from gongkai import ConfigError, PluginError
from gongkai.engine.manager import Engine, PluginWarning
from gongkai.layouts.layout_toml import layouts_from_package, layouts_from_toml
from gongkai.layouts.variant_plugin import VariantPlugin
from gongkai.plugin import hookimpl

from conftest import FIXTURES

HUBEI = FIXTURES / "variants" / "hubei-variant.toml"

LAYOUT = """\
[[layout]]
name = "proactive-mine"
table = "proactive"
template = "2019"
{extra}
[[layout.rows]]
code = "regulations"
{columns} = ["new_made", "new_published", "total_published"]
"""


def layout_plugin(monkeypatch, tmp_path, package: str, text: str) -> str:
    """A package on sys.path whose plugin module ships ``text`` as its layout file."""
    folder = tmp_path / package
    folder.mkdir()
    (folder / "mine.toml").write_text(text, "utf-8")
    (folder / "__init__.py").write_text(textwrap.dedent("""\
        from gongkai.plugin import hookimpl, layouts_from_package


        @hookimpl
        def gongkai_add_layouts(register):
            for layout in layouts_from_package(__name__, "mine.toml"):
                register(layout)
        """), "utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    return package


# -- typos in a layout file, as a plugin ships it ---------------------------------------------


@pytest.mark.parametrize(("extra", "columns", "line", "message"), [
    ("priorty = 2\n", "columns", 5,
     "unknown key 'priorty' in [[layout]] (did you mean 'priority'?)"),
    ("", "colums", 8, "unknown key 'colums' in [[layout.rows]] (did you mean 'columns'?)"),
    # extends is for variants: a layout file is read before any layout is registered.
    ('extends = "proactive-2019"\n', "columns", 5, "unknown key 'extends' in [[layout]]"),
])
def test_a_typo_in_a_plugins_layout_file_is_located(monkeypatch, tmp_path, extra, columns,
                                                    line, message):
    package = layout_plugin(monkeypatch, tmp_path, f"gk_{tmp_path.name}",
                            LAYOUT.format(extra=extra, columns=columns))
    with pytest.raises(ConfigError) as info:
        layouts_from_package(package, "mine.toml")
    assert (info.value.path, info.value.line) == (f"{package}/mine.toml", line)
    assert info.value.message.startswith(message)
    # Through the engine: the plugin is skipped (strict: an error) with that located line.
    with pytest.raises(PluginError, match=f"{package}/mine.toml:{line}: "
                                          f"{message[:30].replace('[', '.').replace(']', '.')}"):
        Engine([package], autoload=False, strict=True)


def test_the_built_in_layout_files_read_strictly():
    engine = Engine(allow=())
    assert {"proactive-2019", "requests-2021"} <= {c.name for c in engine.layouts()}


def test_a_syntax_error_in_a_layout_file_is_located():
    with pytest.raises(ConfigError) as info:
        layouts_from_toml('[[layout]]\nname = "x\n', source="mine.toml")
    assert info.value.path == "mine.toml" and info.value.line == 2
    assert info.value.message.startswith("not valid TOML")


# -- extends, against the registered layouts ---------------------------------------------------

VARIANT = """\
[variant]
name = "{name}"

[[layout]]
extends = "{base}"

[layout.aliases]
regulations = ["地方性法规规章"]
"""


class OtherPlugin:
    """A third party's plugin with a layout of its own, ``proactive-mine``."""

    __name__ = "other"

    @hookimpl
    def gongkai_add_layouts(self, register):
        register(*layouts_from_toml(LAYOUT.format(extra="", columns="columns"),
                                    source="mine.toml"))


def other_plugin() -> OtherPlugin:
    return OtherPlugin()


def variant_file(tmp_path, base: str, name: str = "v") -> str:
    path = tmp_path / f"{name}.toml"
    path.write_text(VARIANT.format(name=name, base=base), "utf-8")
    return str(path)


def test_extends_names_another_plugins_layout(tmp_path):
    path = variant_file(tmp_path, "proactive-mine")
    engine = Engine([other_plugin()], autoload=False, variants=[path], strict=True)
    made = engine.registry.get("layouts", "proactive-mine.v")
    assert made is not None and made.plugin == "v"
    assert made.item.row_codes == ("regulations",) and made.item.priority == -1


def test_a_variant_plugin_extends_a_plugin_loaded_after_it(tmp_path):
    # Its layouts are made once every other plugin's are registered, whatever the order.
    plugin = VariantPlugin.from_file(variant_file(tmp_path, "proactive-mine"))
    engine = Engine([plugin, other_plugin()], autoload=False, strict=True)
    assert engine.registry.get("layouts", "proactive-mine.v").plugin == "v"


def test_a_variant_extends_an_earlier_variants_layout(tmp_path):
    first = variant_file(tmp_path, "proactive-2019", name="first")
    second = variant_file(tmp_path, "proactive-2019.first", name="second")
    engine = Engine(variants=[first, second], allow=(), strict=True)
    assert engine.registry.get("layouts", "proactive-2019.first.second").plugin == "second"


def test_extends_an_unregistered_layout_is_a_clear_error(tmp_path):
    # Autoload off: the template plugins are not loaded, so proactive-2019 is not registered.
    with pytest.raises(ConfigError) as info:
        Engine(autoload=False, variants=[HUBEI])
    assert str(info.value) == (
        f"{HUBEI}:7: layout[0].extends: unknown layout 'proactive-2019' to extend "
        "(registered layouts: none)")
    with pytest.raises(ConfigError, match=r"unknown layout 'proactive-2019' to extend "
                                          r"\(registered layouts: proactive-mine\)"):
        Engine([other_plugin()], autoload=False, variants=[HUBEI])
    # Loading the template's plugin by name is what makes it extendable.
    Engine(["template_2019"], autoload=False, variants=[HUBEI], strict=True)


def test_a_variant_plugin_extending_an_unregistered_layout_is_skipped(tmp_path):
    plugin = VariantPlugin.from_file(variant_file(tmp_path, "proactive-nowhere"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        engine = Engine([plugin], autoload=False)
    assert "v" not in engine.info
    (warning,) = [w for w in caught if issubclass(w.category, PluginWarning)]
    assert "v.toml:5: layout[0].extends: unknown layout 'proactive-nowhere'" in str(
        warning.message)
