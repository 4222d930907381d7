"""The CSV writer: the tidy table (default), the wide grids for spreadsheets (template order,
Chinese labels, numbers as numbers, formulas neutralised) and the CSVW metadata."""

from __future__ import annotations

import csv
import io
import json

import pytest
from csvw import CSVW
from fuzzing import fuzz_settings
from hypothesis import given
from hypothesis import strategies as st

import gongkai
from gongkai.cli.main import main
from gongkai.layouts.codes import load_codes
from gongkai.outputs.tidy import COLUMNS

from conftest import SEEDS, seed_path
from writer_samples import FORMULA, sample_report


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


# -- wide ----------------------------------------------------------------------------------


def test_wide_table_has_template_order_and_chinese_labels(seed_reports):
    report = seed_reports[seed_path("001").stem]
    grid = rows(gongkai.dumps(report, "csv", options={"wide": "true", "table": "requests"}))
    codes = load_codes().table("requests")
    # Header: the code and label columns, then the columns' Chinese labels with the two-level
    # header flattened, in template order.
    assert grid[0] == ["代码", "项目", *(c.zh for c in codes.columns)]
    assert grid[0][3] == "法人或其他组织 / 商业企业"
    # Rows in the 2021 template's order: the three (六) sub-rows, no single "other" row.
    assert [r[0] for r in grid[1:]] == [r.code for r in codes.rows if r.code != "other"]
    assert grid[1][1] == codes.row("new").zh


def test_wide_values_are_the_cells_values(seed_reports):
    report = seed_reports[seed_path("003").stem]
    grid = rows(gongkai.dumps(report, "csv", options={"wide": "true", "table": "proactive"}))
    header = grid[0]
    by_row = {r[0]: dict(zip(header, r, strict=True)) for r in grid[1:]}
    assert by_row["licensing"]["本年增/减"] == "-3"  # a negative number stays a number
    assert by_row["procurement"]["采购总金额"] == "595.88"
    # A cell the template does not have for this row is blank.
    assert by_row["procurement"]["本年新制作数量"] == ""


def test_wide_all_tables_have_a_title_and_a_blank_row_between(seed_reports):
    report = seed_reports[SEEDS[0].stem]
    text = gongkai.dumps(report, "csv", options={"wide": "true"})
    assert text.startswith("\ufeff")  # Excel reads UTF-8 Chinese only with the BOM
    grid = rows(text)
    titles = [i for i, r in enumerate(grid) if len(r) == 1]
    assert len(titles) == 3
    assert all(grid[i - 1] == [] for i in titles[1:])
    assert grid[0][0].startswith(load_codes().table("proactive").zh)


def test_wide_neutralises_formulas_but_not_numbers():
    text = gongkai.dumps(sample_report(), "csv", options={"wide": "true", "table": "requests"})
    grid = rows(text)
    by_row = {r[0]: r for r in grid[1:]}
    header = grid[0]
    total = header.index("总计")
    person = header.index("自然人")
    assert by_row["new"][total] == "'" + FORMULA
    assert by_row["carried_over"][person] == "'-"  # a placeholder is text
    assert by_row["total"][person] == "-3"  # a number is left alone
    assert by_row["regional.extra"][total] == "1.5"
    assert by_row["regional.extra"][1] == "regional.extra"  # unknown code: its own label
    assert by_row["carried_forward"][total] == "5"  # inferred: a number
    assert by_row["carried_over"][total] == ""  # empty stays empty, never 0
    for r in grid:
        for value in r:
            assert not value.startswith(("=", "+", "@", "\t", "\r")), value
            if value.startswith("-"):
                float(value)  # only numbers may start with "-"


def test_tidy_form_keeps_raw_text_exactly_up_to_the_formula_quote():
    from gongkai.outputs.tidy import exact_row

    grid = rows(gongkai.dumps(sample_report(), "csv"))
    assert grid[0] == list(COLUMNS)
    raws = [r[COLUMNS.index("raw")] for r in grid[1:]]
    assert "'" + FORMULA in raws and "a|b\nc" in raws and "-3" in raws and "-" in raws
    assert FORMULA in [exact_row(tuple(r))[COLUMNS.index("raw")] for r in grid[1:]]


def test_table_option_filters_and_rejects_unknown_tables(seed_reports):
    report = seed_reports[SEEDS[0].stem]
    grid = rows(gongkai.dumps(report, "csv", options={"table": "review_litigation"}))
    assert len(grid) == 16 and {r[1] for r in grid[1:]} == {"review_litigation"}
    with pytest.raises(gongkai.UsageError, match="table must be one of"):
        gongkai.dumps(report, "csv", options={"table": "budget"})


@pytest.mark.parametrize("options,message", [
    ({"wide": "maybe"}, "wide must be true or false"),
    ({"wide": "true", "bom": "2"}, "bom must be true or false"),
    ({"colour": "red"}, "has no option 'colour'"),
])
def test_bad_options_are_usage_errors(options, message, seed_reports):
    with pytest.raises(gongkai.UsageError, match=message):
        gongkai.dumps(seed_reports[SEEDS[0].stem], "csv", options=options)


# -- CSVW ----------------------------------------------------------------------------------


def test_csvw_metadata_is_written_beside_the_output_and_validates(tmp_path, capsys):
    out = tmp_path / "cells.csv"
    assert main(["convert", str(seed_path("001")), "--to", "csv", "-O", "csvw=true",
                 "-o", str(out)]) == 0
    metadata_path = tmp_path / "csv-metadata.json"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cells.csv", "csv-metadata.json"]
    metadata = json.loads(metadata_path.read_text(encoding="utf-8"))
    assert metadata["url"] == "cells.csv"
    assert metadata["tableSchema"]["primaryKey"] == ["report_id", "table", "row", "column"]
    # A CSVW processor reads the CSV through the metadata: types, formats, required cells.
    table = CSVW(str(metadata_path), validate=True)
    assert table.is_valid
    (described,) = table.tables
    read = list(described.iterdicts(strict=True))
    assert len(read) == len(rows(out.read_text(encoding="utf-8"))) - 1
    assert {r["status"] for r in read} <= {s.value for s in gongkai.Status}
    assert {type(r["line"]) for r in read} == {int}
    assert described.check_primary_key()


def test_csvw_primary_key_catches_duplicate_cells(tmp_path):
    out = tmp_path / "cells.csv"
    assert main(["convert", str(seed_path("000")), "--to", "csv", "-O", "csvw=true",
                 "-o", str(out)]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    out.write_text("\n".join([*lines, lines[1]]) + "\n", encoding="utf-8")
    (described,) = CSVW(str(tmp_path / "csv-metadata.json")).tables
    with pytest.raises(ValueError, match="duplicate primary key"):
        described.check_primary_key()


def test_csvw_metadata_catches_a_broken_csv(tmp_path):
    out = tmp_path / "cells.csv"
    assert main(["convert", str(seed_path("000")), "--to", "csv", "-O", "csvw=true",
                 "-o", str(out)]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(",ok,", ",fine,")  # a status the metadata does not allow
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert not CSVW(str(tmp_path / "csv-metadata.json"), validate=True).is_valid


def test_csvw_to_standard_output_explains_the_rule(capsys):
    assert main(["convert", str(seed_path("000")), "--to", "csv", "-O", "csvw=true"]) == 2
    err = capsys.readouterr().err
    assert "csv-metadata.json beside the output file" in err and "-o FILE" in err
    with pytest.raises(gongkai.UsageError, match="beside the output file"):
        gongkai.dumps(sample_report(), "csv", options={"csvw": "true"})


def test_csvw_with_wide_is_refused(tmp_path):
    assert main(["convert", str(seed_path("000")), "--to", "csv", "-O", "csvw=true",
                 "-O", "wide=true", "-o", str(tmp_path / "w.csv")]) == 2
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("options,bom", [
    ({}, False), ({"wide": "true"}, True), ({"wide": "true", "bom": "false"}, False),
    ({"bom": "true"}, True), ({"bom": "auto"}, False),
])
def test_byte_order_mark_only_where_asked(options, bom):
    text = gongkai.dumps(sample_report(), "csv", options=options)
    assert text.startswith("\ufeff") is bom
    assert text.count("\ufeff") == int(bom)


_FIELD = st.text(alphabet=st.sampled_from(list('a0 ,"\r\n\t|万-')), max_size=6)


def _csv_module_row(row: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(row)
    return buffer.getvalue()[:-2] + "\n"


@fuzz_settings(300)
@given(st.lists(st.lists(_FIELD, min_size=1, max_size=9), max_size=6))
def test_rows_written_as_the_csv_module_writes_them(rows):
    # CsvRows joins plain rows itself (the dataset's hot path): exactly what the csv module
    # writes (with "\r\n" endings, so a carriage return is quoted, then made "\n"), and every
    # row reads back as it was.
    from gongkai.outputs.tidy import CsvRows

    ours = io.StringIO()
    CsvRows(ours).writerows(rows)
    assert ours.getvalue() == "".join(_csv_module_row(row) for row in rows)
    assert list(csv.reader(io.StringIO(ours.getvalue(), newline=""))) == rows


_CELL_VALUE = st.one_of(st.none(), st.integers(-10**6, 10**18),
                        st.floats(allow_nan=False, allow_infinity=False, width=32))


@fuzz_settings(200)
@given(st.lists(st.tuples(_FIELD, _FIELD, _CELL_VALUE, st.integers(0, 9999)), max_size=8),
       _FIELD)
def test_tidy_csv_is_what_the_csv_module_writes(cells, report_id):
    # tidy_csv formats a report's rows straight from its cells and checks the whole text at
    # once (the dataset's hot path): it must equal the tidy rows written by the csv module,
    # whatever the raw texts, units and report id hold.
    import attrs

    from gongkai.model import Cell, Status
    from gongkai.outputs.tidy import csv_row, tidy_csv, tidy_rows

    report = sample_report()
    table = report.tables[0]
    made = tuple(Cell(table.code, "r", "c", value, unit, raw, Status.OK, line)
                 for raw, unit, value, line in cells)
    report = attrs.evolve(report, tables=(attrs.evolve(table, cells=made), *report.tables[1:]),
                          metadata=attrs.evolve(report.metadata, report_id=report_id))
    # (its free texts made formula-safe: csv_row)
    expected = "".join(_csv_module_row(list(csv_row(r))) for r in tidy_rows(report))
    assert tidy_csv(report) == expected
    only = {table.code}
    assert tidy_csv(report, only) == "".join(
        _csv_module_row(list(csv_row(r))) for r in tidy_rows(report) if r[1] in only)
