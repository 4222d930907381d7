"""Declarative variants: TOML files that extend layouts, ignore annotations, read headings."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

import gongkai
from gongkai import ConfigError, Status
from gongkai.cli.main import main
from gongkai.engine.manager import Engine
from gongkai.layouts.extend import AddRow, extend_layout
from gongkai.layouts.layout_toml import builtin_layouts
from gongkai.layouts.strict_toml import locate
from gongkai.layouts.variant_plugin import VariantPlugin
from gongkai.layouts.variant_toml import load_variant, variant_from_toml

from conftest import FIXTURES, SEEDS

WUHAN = FIXTURES / "variants" / "wuhan-eeb-2020.traditional.excerpt.txt"
HUBEI = FIXTURES / "variants" / "hubei-variant.toml"


def engine(*variants: str | Path) -> Engine:
    return Engine(variants=variants, allow=())


# -- what a variant does ------------------------------------------------------------------------


def test_without_the_variant_the_extra_row_is_not_read():
    report = gongkai.convert(WUHAN, engine=engine())
    unread = [d.code for d in report.diagnostics if "其他主動公開檔案" in d.message]
    assert unread == ["row-unknown"]
    assert "other_documents" not in {c.row for c in report.table("proactive").cells}


def test_the_variant_reads_the_extra_row_with_its_own_code():
    report = gongkai.convert(WUHAN, engine=engine(HUBEI))
    table = report.table("proactive")
    assert table.layout == "proactive-2019.hubei-test" and table.plugin == "hubei-test"
    cells = [c for c in table.cells if c.row == "other_documents"]
    assert [(c.column, c.value, c.raw, c.line, c.status) for c in cells] == [
        ("new_made", 186, "186", 6, Status.OK),
        ("new_published", 86, "86", 6, Status.OK),
        ("total_published", 255, "255", 6, Status.OK),
    ]
    # In template order: right after the row it follows.
    rows = list(dict.fromkeys(c.row for c in table.cells))
    assert rows[:4] == ["regulations", "normative_documents", "other_documents", "licensing"]
    assert not [d for d in report.diagnostics if d.code == "row-unknown"]
    assert table.value("licensing", "decisions") == 93  # the rest as before


def test_the_variant_does_not_take_tables_it_does_not_fit():
    """A loaded variant must not change reports without its quirks (its priority is lower)."""
    plain, with_variant = engine(), engine(HUBEI)
    for seed in SEEDS:
        a = gongkai.convert(seed, engine=plain)
        b = gongkai.convert(seed, engine=with_variant)
        assert [t.layout for t in a.tables] == [t.layout for t in b.tables], seed.name
        assert list(a.cells()) == list(b.cells()), seed.name


def test_annotations_to_ignore_are_removed_from_table_cells_before_matching(tmp_path):
    text = ("二、主动公开政府信息情况\n"
            "信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |\n"
            "规章※注1 | 1 | 2 | 3 |\n"
            "规范性文件※注2 | 4 | 5 | 6 |\n"
            "说明:※注1 为规章。\n")
    assert gongkai.convert_text(text, engine=engine()).table("proactive").value(
        "regulations", "new_made") is None
    variant = tmp_path / "notes.toml"
    variant.write_text('[variant]\nname = "notes"\n[annotations]\npatterns = ["※注\\\\d"]\n',
                       "utf-8")
    report = gongkai.convert_text(text, engine=engine(variant))
    table = report.table("proactive")
    assert table.value("regulations", "new_made") == 1
    assert table.value("normative_documents", "total_published") == 6
    assert table.cell("regulations", "new_made").line == 3
    # Prose is left alone.
    assert "※注1" in report.sections[-1].text


def test_literal_annotations_and_their_raw_text(tmp_path):
    text = ("二、主动公开政府信息情况\n"
            "信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |\n"
            "规章 | 1(见附注) | 2 | 3 |\n")
    variant = tmp_path / "v.toml"
    variant.write_text('[variant]\nname = "v"\n[annotations]\nignore = ["(见附注)"]\n', "utf-8")
    cell = gongkai.convert_text(text, engine=engine(variant)).table("proactive").cell(
        "regulations", "new_made")
    assert (cell.value, cell.raw) == (1, "1(见附注)")  # the raw text is the source's


def test_section_heading_wordings_name_standard_sections(tmp_path):
    text = ("一、总体情况\n本机关认真落实。\n"
            "二、主动公开信息\n"
            "信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |\n"
            "规章 | 1 | 2 | 3 |\n"
            "三、其他事项\n无。\n")
    plain = gongkai.convert_text(text, engine=engine())
    assert [s.key for s in plain.sections] == ["", "overview", "", ""]
    variant = tmp_path / "h.toml"
    variant.write_text('[variant]\nname = "h"\n[sections]\nproactive = ["主动公开信息"]\n'
                       'other_matters = ["其他事项"]\n', "utf-8")
    report = gongkai.convert_text(text, engine=engine(variant))
    assert [s.key for s in report.sections] == ["", "overview", "proactive", "other_matters"]
    assert report.sections[2].number == "二"


def test_a_variant_can_replace_and_remove_rows_and_add_aliases(tmp_path):
    path = tmp_path / "small.toml"
    path.write_text(textwrap.dedent('''
        [variant]
        name = "small"

        [[layout]]
        extends = "proactive-2019"
        name = "proactive-small"
        remove_rows = ["fees", "procurement"]
        priority = 5

        [layout.aliases]
        regulations = ["地方规章"]

        [[layout]]
        name = "proactive-tiny"
        table = "proactive"
        template = "2019"
        columns = ["new_made", "new_published", "total_published"]
        rows = [{ code = "regulations" }, { code = "normative_documents" }]
    '''), "utf-8")
    variant = load_variant(path)
    small, tiny = variant.layouts
    assert "fees" not in small.row_codes and small.priority == 5
    assert ("regulations", ("地方规章",)) in small.aliases
    assert tiny.row_codes == ("regulations", "normative_documents") and tiny.priority == 0
    text = ("二、主动公开政府信息情况\n"
            "信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |\n"
            "地方规章 | 7 | 8 | 9 |\n")
    table = gongkai.convert_text(text, engine=engine(path)).table("proactive")
    assert table.value("regulations", "total_published") == 9


def test_extend_layout_in_python():
    layout = extend_layout(
        builtin_layouts()["proactive-2019"], name="proactive-2019.mine",
        add_rows=[AddRow("other_documents", "其他主动公开文件",
                         columns=["new_made", "new_published", "total_published"],
                         after="normative_documents")])
    assert layout.row_codes[2] == "other_documents" and layout.priority == -1
    assert layout.extra_rows[0].aliases == ("其他主动公开文件",)
    with pytest.raises(ConfigError, match="already a row"):
        extend_layout(layout, name="x", add_rows=[AddRow("licensing", "行政许可", ["change"])])


def test_a_variant_plugin_is_a_plugin_like_any_other():
    plugin = VariantPlugin.from_file(HUBEI)
    engine_ = Engine([plugin], allow=())
    assert engine_.info["hubei-test"].hooks == (
        "gongkai_add_layouts", "gongkai_add_normalizers", "gongkai_add_rules")
    assert [c.name for c in engine_.registry.by_plugin("hubei-test")] == [
        "proactive-2019.hubei-test"]


# -- the command line -------------------------------------------------------------------------


def test_cli_variant_option_converts_with_the_variant(capsys):
    # (--plugins "": no third-party plugin installed here may change the result)
    assert main(["convert", str(WUHAN), "--to", "csv", "--variant", str(HUBEI),
                 "--plugins", ""]) == 0
    out = capsys.readouterr().out
    assert ("wuhan-eeb-2020.traditional.excerpt,proactive,other_documents,total_published,"
            "255,,255,ok,6") in out
    assert main(["--variant", str(HUBEI), "plugins", "--json"]) == 0
    (entry,) = [p for p in json.loads(capsys.readouterr().out)["plugins"]
                if p["name"] == "hubei-test"]
    assert entry["source"] == "variant" and entry["module"] == str(HUBEI)
    assert entry["contributes"]["layouts"][0]["extra_rows"] == ["other_documents"]


def test_cli_a_wrong_variant_is_one_located_error_line(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text('[variant]\nname = "bad"\n\n[[layout]]\nextends = "proactive-2019"\n'
                   'priorty = 3\n', "utf-8")
    assert main(["convert", str(WUHAN), "--variant", str(bad)]) == 2
    assert capsys.readouterr().err == (
        f"{bad}:6: unknown key 'priorty' in [[layout]] (did you mean 'priority'?)\n")


# -- errors name the file, the line and the key ----------------------------------------------

HEAD = '[variant]\nname = "v"\n'


@pytest.mark.parametrize(("body", "line", "message"), [
    # TOML syntax: tomllib's own message and line.
    ('[[layout]]\nextends = "proactive-2019\n', 4, "not valid TOML"),
    # Unknown keys, with a suggestion.
    ('[[layout]]\nextends = "proactive-2019"\n[[layout.extra_row]]\ncode = "x"\n', 5,
     "unknown key 'extra_row' in [[layout]] (did you mean 'extra_rows'?)"),
    ('[annotaions]\nignore = ["x"]\n', 3, "unknown key 'annotaions' (did you mean "
                                          "'annotations'?)"),
    # Values that do not exist.
    ('[[layout]]\nextends = "proactive-2020"\n', 4, "layout[0].extends: unknown layout "
                                                    "'proactive-2020'"),
    ('[[layout]]\nextends = "proactive-2019"\n\n[[layout.extra_rows]]\ncode = "other"\n'
     'zh = "其他"\ncolumns = ["new_made", "made_up"]\n', 9,
     "layout[0].extra_rows[0].columns: unknown column 'made_up' of table 'proactive'"),
    ('[[layout]]\nextends = "proactive-2019"\n[[layout.extra_rows]]\ncode = "licensing"\n'
     'zh = "许可"\ncolumns = ["change"]\n', 3, "already a row of table 'proactive'"),
    ('[[layout]]\nextends = "proactive-2019"\n[[layout.extra_rows]]\nzh = "其他"\n'
     'columns = ["new_made"]\n', 5, "layout[0].extra_rows[0]: missing key 'code'"),
    ('[[layout]]\nextends = "proactive-2019"\n[layout.aliases]\nno_such_code = ["x"]\n', 6,
     "unknown key 'no_such_code' in [layout.aliases]"),
    ('[sections]\nproactiv = ["主动公开"]\n', 4, "unknown key 'proactiv' in [sections] "
                                                "(did you mean 'proactive'?)"),
    ('[annotations]\npatterns = ["ok", "(unclosed"]\n', 4,
     "annotations.patterns[1]: not a regular expression"),
    ('[annotations]\npatterns = [".*"]\n', 4, "must not match '|'"),
    # A layout of its own needs what a layout file needs; rows in an inline array.
    ('[[layout]]\nname = "mine"\ntable = "proactive"\ntemplate = "2019"\nrows = [\n'
     '  { code = "regulations", columns = ["new_made"] },\n'
     '  { code = "fees", columns = ["new_made", "bogus"] },\n]\n', 9,
     "layout[0].rows[1].columns: unknown column 'bogus'"),
    ('[[layout]]\nname = "mine"\ntable = "proactive"\n', 3,
     "layout[0]: missing key 'template'"),
    ('[[layout]]\nextends = "proactive-2019"\npriority = "high"\n', 5,
     "layout[0].priority: must be an integer"),
    ('[[layout]]\nextends = "proactive-2019"\ntable = "requests"\n', 5,
     "layout[0].table: differs from layout 'proactive-2019'"),
])
def test_errors_are_located(body, line, message):
    with pytest.raises(ConfigError) as info:
        variant_from_toml(HEAD + body, source="v.toml")
    error = info.value
    assert message in error.message
    assert (error.path, error.line) == ("v.toml", line), error.format()


@pytest.mark.parametrize(("text", "message", "line"), [
    ('[[layout]]\nextends = "proactive-2019"\n', "missing the [variant] table", 1),
    ('[variant]\ndescription = "no name"\n[sections]\nproactive = ["x"]\n',
     "variant: missing key 'name'", 1),
    ('[variant]\nname = "Hubei Variant"\n[sections]\nproactive = ["x"]\n',
     "variant.name: variant name 'Hubei Variant' must be lower case", 2),
    ('[variant]\nname = "empty"\n', "the variant changes nothing", 1),
])
def test_errors_about_the_variant_table(text, message, line):
    with pytest.raises(ConfigError) as info:
        variant_from_toml(text, source="v.toml")
    assert message in info.value.message and info.value.line == line


def test_a_missing_or_unreadable_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="cannot read variant file") as info:
        load_variant(tmp_path / "nope.toml")
    assert info.value.path == str(tmp_path / "nope.toml")
    latin = tmp_path / "latin.toml"
    latin.write_bytes("[variant]\nname = 'é'\n".encode("latin-1"))
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_variant(latin)


def test_locate_follows_nested_arrays_of_tables():
    text = textwrap.dedent('''\
        [variant]
        name = "v"
        [[layout]]
        extends = "a"
        [[layout.extra_rows]]
        code = "one"
        [[layout]]
        extends = "b"
        [[layout.extra_rows]]
        code = "two"
        [[layout.extra_rows]]
        zh = "three"
        code = "three"
        [layout.aliases]
        x = ["y"]
    ''')
    assert locate(text, ("layout", 0, "extra_rows", 0, "code")) == 6
    assert locate(text, ("layout", 1, "extra_rows", 1, "code")) == 13
    assert locate(text, ("layout", 1, "extra_rows", 1)) == 11
    assert locate(text, ("layout", 1, "aliases", "x")) == 15
    assert locate(text, ("layout", 1, "extends")) == 8
    assert locate(text, ("variant", "name")) == 2


def test_cli_variant_with_check_and_with_many_reports(tmp_path, capsys):
    assert main(["check", str(WUHAN), "--format", "json", "--plugins", ""]) == 1
    assert "row-unknown" in capsys.readouterr().out
    main(["check", str(WUHAN), "--format", "json", "--variant", str(HUBEI), "--plugins", ""])
    assert "row-unknown" not in capsys.readouterr().out
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / WUHAN.name).write_bytes(WUHAN.read_bytes())
    out = tmp_path / "out"
    assert main(["convert", str(inputs), "-o", str(out), "--to", "csv", "-j", "1", "-q",
                 "--variant", str(HUBEI), "--plugins", ""]) == 0
    (written,) = [p for p in out.iterdir() if p.name != ".gongkai-manifest.jsonl"]
    assert "proactive,other_documents,total_published,255" in written.read_text("utf-8")


def test_a_variant_named_like_a_loaded_plugin_is_an_error(tmp_path):
    """A variant is checked strictly: its name taken by a plugin (the hubei example installed
    and docs/variants.md's hubei.toml given) stops with the file named, not a skip."""
    text = (FIXTURES / "variants" / "hubei-variant.toml").read_text("utf-8")
    clash = tmp_path / "clash.toml"
    clash.write_text(text.replace('name = "hubei-test"', 'name = "csv_writer"', 1), "utf-8")
    with pytest.raises(ConfigError, match="'csv_writer' is that of a plugin already loaded"):
        Engine(variants=[clash])
