"""Plugin discovery and control: entry points, -p, allow-lists, autoload off, broken plugins."""

from __future__ import annotations

import json
import sys
import textwrap
import types

import pytest
from plugin_dists import GOOD_WRITER, fake_site

import gongkai
from gongkai import PluginError, hookimpl
from gongkai.cli.main import main
from gongkai.engine.manager import Engine, PluginWarning, builtin_plugin_names
from gongkai.engine.plugin_types import Writer

from conftest import seed_path


@pytest.fixture
def dists(tmp_path, monkeypatch):
    yield from fake_site(tmp_path, monkeypatch)


BUILTINS = {"text_reader", "template_2019", "template_2021", "json_writer", "csv_writer"}


def writer_module(name: str, writer: str = "") -> str:
    return GOOD_WRITER.format(name=writer or name.replace("_", "-"))


def plugin(**hooks) -> types.SimpleNamespace:
    """A plugin object with the given hook functions (marked as implementations)."""
    return types.SimpleNamespace(**{k: hookimpl(v) for k, v in hooks.items()})


def a_writer(name: str) -> Writer:
    return Writer(name=name, description="d", extension=".txt", media_type="text/plain",
                  write=lambda report, stream, options: stream.write("x"))


# -- entry points -------------------------------------------------------------------------------


def test_entry_point_plugins_are_found_with_distribution_and_version(dists):
    dists.install("gongkai-shout", "1.2.3", {"gk_shout": writer_module("gk_shout", "shout")},
                  {"shout": "gk_shout"})
    engine = Engine()
    info = engine.info["shout"]
    assert (info.distribution, info.version, info.source) == ("gongkai-shout", "1.2.3",
                                                               "entry-point")
    assert info.hooks == ("gongkai_add_writers",) and not info.builtin
    assert engine.registry.get("writers", "shout").plugin == "shout"
    assert set(engine.info) >= BUILTINS
    assert all(engine.info[n].builtin for n in BUILTINS)


def test_a_plugin_that_fails_to_import_is_skipped_with_a_warning_naming_it(dists):
    dists.install("gongkai-broken", "0.1", {"gk_broken": "raise RuntimeError('boom')\n"},
                  {"broken": "gk_broken"})
    with pytest.warns(PluginWarning, match=r"plugin 'broken' skipped: failed to import "
                                           r"gk_broken: RuntimeError: boom"):
        engine = Engine()
    assert "broken" not in engine.info
    assert [n for n, _ in engine.skipped] == ["broken"]
    assert engine.registry.get("writers", "csv") is not None  # the rest still loads


def test_strict_mode_raises_for_a_broken_plugin(dists):
    dists.install("gongkai-broken", "0.1", {"gk_broken2": "import no_such_module_here\n"},
                  {"broken": "gk_broken2"})
    with pytest.raises(PluginError, match=r"plugin 'broken'.*no_such_module_here") as info:
        Engine(strict=True)
    assert info.value.plugin == "broken"


def test_allow_list_loads_only_the_named_third_party_plugins_and_the_builtins(dists,
                                                                             monkeypatch):
    dists.install("gongkai-one", "1.0", {"gk_one": writer_module("gk_one", "one")},
                  {"one": "gk_one"})
    dists.install("gongkai-two", "1.0", {"gk_two": writer_module("gk_two", "two")},
                  {"two": "gk_two"})
    assert {"one", "two"} <= set(Engine().info)
    assert set(Engine(allow=["two"]).info) == BUILTINS_LOADED() | {"two"}
    assert set(Engine(allow=[]).info) == BUILTINS_LOADED()
    monkeypatch.setenv("GONGKAI_PLUGINS", "one, ")
    assert set(Engine().info) == BUILTINS_LOADED() | {"one"}
    monkeypatch.setenv("GONGKAI_PLUGINS", "")
    assert set(Engine().info) == BUILTINS_LOADED()


def BUILTINS_LOADED() -> set[str]:
    return set(builtin_plugin_names())


def test_allow_list_naming_a_plugin_that_is_not_installed_warns(dists):
    with pytest.warns(PluginWarning, match="'hubie'.*no installed distribution provides it"):
        engine = Engine(allow=["hubie"])
    assert set(engine.info) == BUILTINS_LOADED()


def test_autoload_off_loads_no_entry_points_not_even_builtins(dists, monkeypatch):
    dists.install("gongkai-one", "1.0", {"gk_one": writer_module("gk_one", "one")},
                  {"one": "gk_one"})
    assert Engine(autoload=False).info == {}
    monkeypatch.setenv("GONGKAI_DISABLE_PLUGIN_AUTOLOAD", "1")
    assert Engine().info == {}
    # -p takes an installed plugin's entry-point name, so plugins can be picked one by one.
    engine = Engine(["text_reader", "one"])
    assert set(engine.info) == {"text_reader", "one"}
    assert engine.info["one"].distribution == "gongkai-one"
    assert engine.info["one"].source == "option"


# -- -p -----------------------------------------------------------------------------------------


def test_p_loads_a_module_from_the_current_directory(tmp_path, monkeypatch, capsys):
    (tmp_path / "gk_local_writer.py").write_text(
        textwrap.dedent(writer_module("gk_local_writer", "local")), "utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "path", [p for p in sys.path if p not in ("", str(tmp_path))])
    monkeypatch.delitem(sys.modules, "gk_local_writer", raising=False)
    assert main(["convert", str(seed_path("000")), "--to", "local", "-p", "gk_local_writer"]) == 0
    assert capsys.readouterr().out == seed_path("000").name.split(".")[0] + "\n"
    assert str(tmp_path) not in sys.path  # only added for the import
    sys.modules.pop("gk_local_writer", None)


def test_p_loads_a_python_file(tmp_path):
    path = tmp_path / "my-writer.py"
    path.write_text(textwrap.dedent(writer_module("x", "from-file")), "utf-8")
    engine = Engine([str(path)], autoload=False)
    assert engine.registry.get("writers", "from-file").plugin == str(path)
    assert engine.info[str(path)].distribution == ""


def test_p_of_a_plugin_already_loaded_from_its_entry_point_is_not_loaded_twice():
    engine = Engine(["gongkai.plugins.csv_writer", "csv_writer"])
    assert [c.plugin for c in engine.writers() if c.name == "csv"] == ["csv_writer"]
    assert engine.skipped == []


def test_p_of_a_missing_module_warns_and_skips():
    with pytest.warns(PluginWarning, match="'no_such_gk_plugin' skipped: failed to import: "
                                           "ModuleNotFoundError"):
        engine = Engine(["no_such_gk_plugin"])
    assert "no_such_gk_plugin" not in engine.info


# -- hooks implemented wrongly ----------------------------------------------------------------


def test_a_misspelled_hook_name_is_caught_with_a_suggestion():
    def gongkai_add_writer(register):
        register(a_writer("w"))

    with pytest.warns(PluginWarning, match=r"defines 'gongkai_add_writer', which is not a "
                                           r"gongkai hook \(did you mean 'gongkai_add_writers'"):
        engine = Engine([plugin(gongkai_add_writer=gongkai_add_writer)], autoload=False)
    assert engine.info == {}
    with pytest.raises(PluginError, match="not a gongkai hook"):
        Engine([plugin(gongkai_add_writer=gongkai_add_writer)], autoload=False, strict=True)


def test_a_hook_without_hookimpl_is_caught():
    module = types.ModuleType("gk_unmarked")
    module.gongkai_add_writers = lambda register: register(a_writer("w"))
    with pytest.warns(PluginWarning, match="defines 'gongkai_add_writers' without "
                                           "@gongkai.hookimpl"):
        Engine([module], autoload=False)


def test_a_hookimpl_for_no_hook_is_caught():
    def add_writers(register):
        register(a_writer("w"))

    with pytest.warns(PluginWarning, match="(?s)gk_unknown.*add_writers"):
        Engine([types.SimpleNamespace(__name__="gk_unknown", add_writers=hookimpl(add_writers))],
               autoload=False)


def test_a_hook_with_the_wrong_arguments_is_caught():
    def gongkai_add_writers(reg):
        reg(a_writer("w"))

    with pytest.warns(PluginWarning, match=r"gongkai_add_writers\(reg\): the hook's arguments "
                                           r"are \(register\); 'reg' is none of them$"):
        engine = Engine([plugin(gongkai_add_writers=gongkai_add_writers)], autoload=False)
    assert engine.writers() == []
    assert "\n" not in engine.skipped[0][1]  # one line, as `gongkai plugins` lists it


def test_a_module_with_no_hooks_is_caught():
    with pytest.warns(PluginWarning, match="'json' skipped: plugin 'json' implements no "
                                           "gongkai hook"):
        Engine(["json"], autoload=False)


def test_a_hook_that_returns_its_contributions_is_skipped_whole():
    def gongkai_add_writers(register):
        register(a_writer("first"))
        return [a_writer("second")]

    with pytest.warns(PluginWarning, match="returned list; contributions are made by calling "
                                           "register"):
        engine = Engine([plugin(gongkai_add_writers=gongkai_add_writers)], autoload=False)
    assert engine.writers() == [] and engine.info == {}  # "first" was taken back


def test_a_hook_that_raises_is_skipped_whole_and_its_other_contributions_taken_back():
    def gongkai_add_readers(register):
        raise KeyError("oops")

    def gongkai_add_writers(register):
        register(a_writer("kept-not"))

    p = plugin(gongkai_add_readers=gongkai_add_readers, gongkai_add_writers=gongkai_add_writers)
    with pytest.warns(PluginWarning, match=r"gongkai_add_readers raised KeyError: 'oops'"):
        engine = Engine([p, "gongkai.plugins.json_writer"], autoload=False)
    assert [c.name for c in engine.writers()] == ["json"]
    assert not engine.pm.is_registered(p)


def test_a_duplicate_name_names_both_plugins():
    with pytest.warns(PluginWarning, match="registered writer 'csv', already registered by "
                                           "plugin 'csv_writer'"):
        engine = Engine([plugin(gongkai_add_writers=lambda register: register(a_writer("csv")))])
    assert engine.registry.get("writers", "csv").plugin == "csv_writer"


def test_registering_the_wrong_type_is_caught():
    with pytest.warns(PluginWarning, match="registered str as one of the writers; expected "
                                           "Writer"):
        Engine([plugin(gongkai_add_writers=lambda register: register("csv"))], autoload=False)


def test_a_layout_with_unknown_codes_is_caught():
    from gongkai.layouts.layout import Layout, RowLayout

    bad = Layout(name="bad", table="proactive", template="2019",
                 rows=(RowLayout("no_such_row", ("new_made",)),))
    with pytest.warns(PluginWarning, match="unknown row 'no_such_row'"):
        Engine([plugin(gongkai_add_layouts=lambda register: register(bad))], autoload=False)


# -- the CLI options ----------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["before", "after", "both"])
def test_plugin_options_work_before_and_after_any_subcommand(tmp_path, capsys, where):
    one, two = tmp_path / "one.py", tmp_path / "two.py"
    one.write_text(textwrap.dedent(writer_module("one")), "utf-8")
    two.write_text(textwrap.dedent(writer_module("two")), "utf-8")
    first, second = ["-p", str(one)], ["-p", str(two)]
    if where == "before":
        argv = [*first, *second, "formats"]
    elif where == "after":
        argv = ["formats", *first, *second]
    else:
        argv = [*first, "formats", *second]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "\none " in out and "\ntwo " in out


def loaded(capsys, *argv: str) -> set[str]:
    assert main(["plugins", "--json", *argv]) == 0
    return {p["name"] for p in json.loads(capsys.readouterr().out)["plugins"]}


def test_cli_no_plugin_autoload_and_plugins_allow_list(dists, capsys):
    dists.install("gongkai-one", "1.0", {"gk_one": writer_module("gk_one", "one")},
                  {"one": "gk_one"})
    # (any plugin option builds a fresh engine; the default one may predate this test)
    assert "one" in loaded(capsys, "--strict-plugins")
    assert loaded(capsys, "--no-plugin-autoload") == set()
    assert loaded(capsys, "--no-plugin-autoload", "-p", "csv_writer") == {"csv_writer"}
    assert loaded(capsys, "--plugins", "") == BUILTINS_LOADED()
    assert loaded(capsys, "--plugins", "one") == BUILTINS_LOADED() | {"one"}


def test_cli_strict_plugins_turns_the_warning_into_an_error(dists, capsys):
    dists.install("gongkai-broken", "0.1", {"gk_broken3": "raise ImportError('nope')\n"},
                  {"broken": "gk_broken3"})
    # (the options build a fresh engine: the default one was built before this test)
    assert main(["formats", "--plugins", "broken"]) == 0
    err = capsys.readouterr().err
    assert "gongkai: warning: gongkai plugin 'broken' skipped: failed to import" in err
    assert main(["formats", "--plugins", "broken", "--strict-plugins"]) == 2
    err = capsys.readouterr().err
    assert err == "gongkai: plugin 'broken': failed to import gk_broken3: ImportError: nope\n"


def test_the_default_engine_is_what_gongkai_convert_uses():
    from gongkai.engine.manager import default_engine

    assert default_engine() is default_engine()
    report = gongkai.convert(seed_path("000"))
    assert report.table("proactive").plugin in default_engine().info


def test_strict_plugins_before_convert_is_not_undone_by_convert_strict(dists, capsys, tmp_path):
    """``--strict-plugins`` (plugin loading) and ``convert --strict`` (the rules) are two
    options: given before the command the first still counts for convert, and the second does
    not make plugin loading strict."""
    dists.install("gongkai-broken", "0.1", {"gk_broken4": "raise ImportError('nope')\n"},
                  {"broken": "gk_broken4"})
    report = str(seed_path("000"))
    assert main(["--strict-plugins", "--plugins", "broken", "convert", report, "--to", "csv",
                 "-o", str(tmp_path / "a.csv")]) == 2
    assert "plugin 'broken': failed to import" in capsys.readouterr().err
    assert not (tmp_path / "a.csv").exists()
    code = main(["--plugins", "broken", "convert", report, "--strict", "-o",
                 str(tmp_path / "b.json")])
    err = capsys.readouterr().err
    assert "gongkai plugin 'broken' skipped" in err and code in (0, 1)
