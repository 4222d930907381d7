"""The pytest helpers gongkai ships for plugin authors (gongkai.testing), used as they would."""

from __future__ import annotations

import types

import pytest
from plugin_dists import GOOD_WRITER, fake_site

from gongkai import PluginError, hookimpl
from gongkai.engine.manager import PluginWarning
from gongkai.testing import check_golden, make_engine

from conftest import seed_path


@pytest.fixture
def dists(tmp_path, monkeypatch):
    yield from fake_site(tmp_path, monkeypatch)


def test_the_factory_gives_builtins_and_only_the_plugins_named(dists, gongkai_engine_factory):
    dists.install("gongkai-other", "1.0", {"gk_other": GOOD_WRITER.format(name="other")},
                  {"other": "gk_other"})
    engine = gongkai_engine_factory()
    assert engine.registry.get("writers", "csv") is not None
    assert engine.registry.get("writers", "other") is None  # installed, but not named
    assert gongkai_engine_factory(plugins=["other"]).registry.get("writers", "other")
    assert gongkai_engine_factory(only=False).registry.get("writers", "other")


def test_the_factory_is_strict(gongkai_engine_factory):
    broken = types.SimpleNamespace(__name__="broken", gongkai_add_writers=hookimpl(
        lambda register: register("not a writer")))
    with pytest.raises(PluginError, match="plugin 'broken'"):
        gongkai_engine_factory(plugins=[broken])
    with pytest.warns(PluginWarning, match="'broken' skipped"):
        assert gongkai_engine_factory(plugins=[broken], strict=False).skipped


def test_convert_takes_a_path_or_text_and_plugins(gongkai_convert):
    report = gongkai_convert(seed_path("000"))
    assert report.table("proactive") is not None
    text = seed_path("000").read_text("utf-8")
    assert list(gongkai_convert(text).cells()) != []
    engine = make_engine()
    assert gongkai_convert(seed_path("000"), engine=engine).metadata.report_id == \
        report.metadata.report_id


def test_cli_runs_the_command_in_process(gongkai_cli):
    ok = gongkai_cli("formats")
    assert ok.exit_code == 0 and "csv" in ok.stdout and ok.stderr == ""
    bad = gongkai_cli("convert", "no-such-report.txt")
    assert bad.exit_code == 2 and bad.stderr == "no-such-report.txt: no such file\n"


def test_assert_golden_fails_with_a_diff_and_says_how_to_regenerate(assert_golden, tmp_path,
                                                                    monkeypatch):
    monkeypatch.delenv("GONGKAI_UPDATE_GOLDEN", raising=False)
    golden = tmp_path / "expected.txt"
    with pytest.raises(AssertionError, match="does not exist; run with GONGKAI_UPDATE_GOLDEN"):
        assert_golden("a\n", golden)
    monkeypatch.setenv("GONGKAI_UPDATE_GOLDEN", "1")
    assert_golden("a\nb\n", golden)
    monkeypatch.delenv("GONGKAI_UPDATE_GOLDEN")
    assert_golden("a\nb\n", golden)
    with pytest.raises(AssertionError, match=r"(?s)regenerate.*-b\n\+c"):
        check_golden("a\nc\n", golden)
