"""The Word reader, on .docx files made here with python-docx from the city-2025 HTML sample:
merged cells (gridSpan, vMerge), automatic numbering, and a .doc round trip through
LibreOffice where it is installed."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys

import pytest

import gongkai
from gongkai.errors import InputError, NotAReportError
from gongkai.model import Severity

from conftest import FIXTURES

docx = pytest.importorskip("docx", reason="the docx extra (python-docx) is not installed")

from word_documents import build_docx, html_tables  # noqa: E402

from gongkai.plugins import word_reader  # noqa: E402

CITY = FIXTURES / "samples" / "city-2025.html"


def cells(report):
    return [(c.table, c.row, c.column, c.value, c.status) for c in report.cells()]


@pytest.fixture(scope="module")
def city():
    html = CITY.read_bytes()
    return html_tables(html), gongkai.convert_bytes(html, filename="city-2025.html")


@pytest.mark.parametrize("wrap", [False, True])
def test_a_docx_with_the_official_merged_cells_converts(city, wrap):
    parts, html = city
    report = gongkai.convert_bytes(build_docx(parts, wrap_labels=wrap), filename="city.docx")
    assert report.metadata.reader == "word"
    assert cells(report) == cells(html)
    assert len(cells(report)) == 200
    assert not [d for d in report.diagnostics if d.severity is not Severity.INFO]
    assert all(c.line > 0 for c in report.cells())


def test_a_docx_is_chosen_by_content_too(city):
    parts, _ = city
    assert gongkai.convert_bytes(build_docx(parts)).metadata.reader == "word"


def test_merged_cells_become_the_html_grid():
    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(1, 0)).text = "分组"  # vMerge over two rows
    table.cell(0, 1).merge(table.cell(0, 2)).text = "两列"  # gridSpan 2
    table.cell(1, 1).text, table.cell(1, 2).text = "1", "2"
    table.cell(2, 0).text, table.cell(2, 2).text = "行", "3"
    out = io.BytesIO()
    document.save(out)
    source = word_reader.read(out.getvalue(), gongkai.engine.plugin_types.ReadOptions())
    assert source.text.splitlines() == ["分组 | 两列 ||", "1 | 2 ||", "行 |  | 3 |"]


def test_automatic_numbering_is_written_as_word_shows_it():
    numbering = word_reader._Numbering.__new__(word_reader._Numbering)
    numbering.levels = {("1", "0"): (1, "chineseCounting", "%1、"),
                        ("1", "1"): (1, "chineseCounting", "（%2）"),
                        ("2", "0"): (1, "decimal", "%1.")}
    numbering.counters = {}
    labels = [numbering.label(n, lvl) for n, lvl in
              [("1", "0"), ("1", "1"), ("1", "1"), ("1", "0"), ("1", "1"), ("2", "0")]]
    assert labels == ["一、", "（一）", "（二）", "二、", "（一）", "1."]
    assert [word_reader.chinese_number(n) for n in (1, 10, 11, 20, 35)] == \
        ["一", "十", "十一", "二十", "三十五"]


def test_numbered_headings_of_a_real_numbering_part():
    document = docx.Document()
    for text in ("总体情况", "主动公开政府信息情况"):
        document.add_paragraph(text, style="List Number")
    out = io.BytesIO()
    document.save(out)
    text = word_reader.read(out.getvalue(), gongkai.engine.plugin_types.ReadOptions()).text
    assert text.splitlines() == ["1.总体情况", "2.主动公开政府信息情况"]


def test_a_damaged_docx_is_refused():
    with pytest.raises(InputError, match="cannot read the Word file"):
        gongkai.convert_bytes(b"PK\x03\x04" + b"\0" * 100, filename="broken.docx")


def test_without_the_extra_the_message_names_it(monkeypatch, city):
    data = build_docx(city[0])
    monkeypatch.setitem(sys.modules, "docx", None)
    with pytest.raises(InputError, match=r"pip install 'gongkai\[docx\]'"):
        gongkai.convert_bytes(data, filename="city.docx")


def test_a_doc_without_libreoffice_says_what_to_install(monkeypatch):
    monkeypatch.setattr(word_reader, "soffice", lambda: None)
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600
    with pytest.raises(InputError, match=r"\.doc files needs LibreOffice.*apt-get install "
                                         r"libreoffice-writer-nogui"):
        gongkai.convert_bytes(ole, filename="report.doc")
    with pytest.raises(InputError, match=r"\.wps files needs LibreOffice"):
        gongkai.convert_bytes(ole, filename="report.wps")


def test_a_spreadsheet_is_refused_with_what_to_do():
    with pytest.raises(NotAReportError, match="Excel"):
        gongkai.convert_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
                              filename="data.xls")


@pytest.mark.skipif(shutil.which("soffice") is None,
                    reason="LibreOffice (soffice) is not installed: the .doc round trip "
                           "needs it (apt-get install libreoffice-writer-nogui)")
@pytest.mark.parametrize("fmt,name", [("doc", "city.doc"), ("rtf", "city.doc")])
def test_a_doc_round_trip_through_libreoffice(tmp_path, city, fmt, name):
    # An RTF file named .doc, as sites serve them, is read through LibreOffice too.
    parts, html = city
    (tmp_path / "city.docx").write_bytes(build_docx(parts))
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--headless", "--convert-to", fmt, "--outdir", str(tmp_path),
                    str(tmp_path / "city.docx")], check=True, capture_output=True, timeout=180)
    doc = tmp_path / name
    (tmp_path / f"city.{fmt}").rename(doc)
    before = doc.read_bytes()
    report = gongkai.convert(doc)
    assert report.metadata.reader == "word"
    assert cells(report) == cells(html)
    assert doc.read_bytes() == before  # the input is never changed


def fake_soffice(tmp_path, script: str) -> str:
    program = tmp_path / "soffice"
    program.write_text("#!/bin/sh\n" + script + "\n")
    program.chmod(0o755)
    return str(program)


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600


def test_a_conversion_past_the_time_limit_is_stopped(tmp_path, monkeypatch):
    program = fake_soffice(tmp_path, f"echo $$ > {tmp_path}/pid; exec sleep 30")
    monkeypatch.setattr(word_reader, "soffice", lambda: program)
    monkeypatch.setattr(word_reader, "CONVERT_SECONDS", 0.5)
    with pytest.raises(InputError, match=r"LibreOffice took more than 0.5 s"):
        gongkai.convert_bytes(OLE, filename="slow.doc")
    pid = int((tmp_path / "pid").read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # killed, not left running


def test_a_failed_conversion_says_what_libreoffice_said(tmp_path, monkeypatch):
    program = fake_soffice(tmp_path, "echo 'Error: source file could not be loaded' >&2; exit 1")
    monkeypatch.setattr(word_reader, "soffice", lambda: program)
    with pytest.raises(InputError, match=r"could not convert the file to \.docx: Error: source"):
        gongkai.convert_bytes(OLE, filename="bad.doc")


def test_grid_before_skips_positions():
    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    for c, text in enumerate(("甲", "乙", "丙")):
        table.cell(0, c).text = text
    table.cell(1, 1).text, table.cell(1, 2).text = "1", "2"
    row = table.rows[1]._tr
    row.remove(row.tc_lst[0])  # the row starts one position in: <w:gridBefore w:val="1"/>
    before = row.get_or_add_trPr()
    before.append(before.makeelement(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}gridBefore",
        {"{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val": "1"}))
    out = io.BytesIO()
    document.save(out)
    source = word_reader.read(out.getvalue(), gongkai.engine.plugin_types.ReadOptions())
    assert source.text.splitlines() == ["甲 | 乙 | 丙 |", " | 1 | 2 |"]
