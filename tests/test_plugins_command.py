"""`gongkai plugins`: every loaded plugin with distribution, version, hooks and contributions."""

from __future__ import annotations

import json
import textwrap

import pytest
from plugin_dists import GOOD_WRITER, fake_site

from gongkai.cli.commands.plugins import listing
from gongkai.cli.main import main
from gongkai.engine.manager import KINDS, Engine

from conftest import FIXTURES

HUBEI = FIXTURES / "variants" / "hubei-variant.toml"


@pytest.fixture
def dists(tmp_path, monkeypatch):
    yield from fake_site(tmp_path, monkeypatch)


def plugins_json(capsys, *argv: str) -> dict:
    assert main(["plugins", "--json", *argv]) == 0
    return json.loads(capsys.readouterr().out)


def test_every_loaded_plugin_is_listed_with_what_it_registered(capsys):
    engine = Engine(allow=())
    data = listing(engine)
    assert [p["name"] for p in data["plugins"]] == sorted(engine.info)
    listed = {(kind, item["name"], p["name"]) for p in data["plugins"]
              for kind, items in p["contributes"].items() for item in items}
    registered = {(c.kind, c.name, c.plugin) for kind in KINDS for c in engine.registry.all(kind)}
    assert listed == registered
    by_name = {p["name"]: p for p in data["plugins"]}
    csv = by_name["csv_writer"]
    assert (csv["distribution"], csv["builtin"], csv["source"]) == ("gongkai", True,
                                                                     "entry-point")
    assert csv["version"] and csv["hooks"] == ["gongkai_add_writers"]
    assert csv["contributes"]["writers"][0]["extension"] == ".csv"
    layouts = {d["name"]: d for d in by_name["template_2019"]["contributes"]["layouts"]}
    assert layouts["proactive-2019"]["table"] == "proactive"
    assert layouts["proactive-2019"]["template"] == "2019"


def test_a_third_party_plugin_is_listed_with_its_distribution(dists, capsys):
    dists.install("gongkai-shout", "2.0.1", {"gk_shout2": GOOD_WRITER.format(name="shout")},
                  {"shout": "gk_shout2"})
    data = plugins_json(capsys, "--plugins", "shout")
    (entry,) = [p for p in data["plugins"] if p["name"] == "shout"]
    assert entry == {
        "name": "shout",
        "module": "gk_shout2",
        "distribution": "gongkai-shout",
        "version": "2.0.1",
        "builtin": False,
        "source": "entry-point",
        "hooks": ["gongkai_add_writers"],
        "contributes": {"writers": [{"name": "shout", "description": "report id only",
                                     "extension": ".txt", "media_type": "text/plain",
                                     "options": []}]},
    }
    assert main(["plugins", "--plugins", "shout"]) == 0
    out = capsys.readouterr().out
    assert "shout  (gongkai-shout 2.0.1)  gk_shout2\n    hooks: gongkai_add_writers\n" \
           "    writers: shout\n" in out


def test_local_plugins_variants_and_skipped_plugins_are_listed(tmp_path, capsys):
    local = tmp_path / "local_writer.py"
    local.write_text(textwrap.dedent(GOOD_WRITER.format(name="local")), "utf-8")
    data = plugins_json(capsys, "-p", str(local), "-p", "no_such_gk_module",
                        "--variant", str(HUBEI))
    by_name = {p["name"]: p for p in data["plugins"]}
    assert by_name[str(local)]["source"] == "option"
    assert by_name[str(local)]["distribution"] == ""
    variant = by_name["hubei-test"]
    assert variant["source"] == "variant" and variant["module"] == str(HUBEI)
    assert [s["name"] for s in data["skipped"]] == ["no_such_gk_module"]
    assert "ModuleNotFoundError" in data["skipped"][0]["reason"]
    # The plain listing says the same for people.
    assert main(["plugins", "-p", "no_such_gk_module", "--variant", str(HUBEI)]) == 0
    out = capsys.readouterr().out
    assert f"hubei-test  (variant file)  {HUBEI}\n" in out
    assert "    layouts: proactive-2019.hubei-test (proactive, 2019; extra rows " \
           "other_documents)\n" in out
    assert "skipped no_such_gk_module: failed to import" in out


def test_with_no_plugins_loaded(capsys):
    assert main(["plugins", "--no-plugin-autoload"]) == 0
    assert capsys.readouterr().out == "no plugins are loaded\n"
    assert plugins_json(capsys, "--no-plugin-autoload") == {"plugins": [], "skipped": []}
