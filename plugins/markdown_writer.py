"""Markdown output: the report re-rendered for reading and checking against the source.

Metadata first, then the sections with their text, each statistical table as GFM tables inside
the section whose lines hold it (rows and columns in template order, labels from
gongkai.layouts.codes, values as the source wrote them), and the diagnostics at the end. See
docs/outputs.md for the marks used in cells (``(空)``, ``(缺)``, ``(推算 …)``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import TextIO

from gongkai.plugin import (
    Cell,
    Diagnostic,
    Grid,
    Report,
    Section,
    Status,
    Table,
    Writer,
    blocks,
    format_number,
    hookimpl,
    label,
    table_label,
)

#: What a cell shows when the source wrote nothing there.
EMPTY = "(空)"  # the source cell is blank
MISSING = "(缺)"  # the source has no cell here at all (a short row)
INFERRED = "(推算 {value})"  # restored from an identity; the source lacks it
RULE = "(规则 {value})"  # written together; a documented rule, not the identities, chose it
AMBIGUOUS = "(不明)"  # the flattening lost whose the row's values are (cells-ambiguous)

#: Characters that Markdown may read as markup inside a line; escaped with a backslash.
_INLINE = re.compile(r"([\\`*_\[\]|~#>])")
_PLAIN_CODE = re.compile(r"[A-Za-z0-9_.\-/]+")
#: What starts a list, a heading or a rule at the start of a paragraph.
_BLOCK_START = re.compile(r"^(\d+)([.)])(?=\s|$)|^([-+=])")


#: What GFM's autolink extension turns into a link: ``scheme://``, ``www.`` and e-mail
#: addresses (``a@b.cn``, with or without ``mailto:``).
_AUTOLINK = re.compile(r"(?<=[A-Za-z0-9])(:)(?=//)|(?i:(?<![A-Za-z0-9])(www)(\.))"
                       r"|(?<=.)(@)")


def _unlinked(m: re.Match) -> str:
    if m.group(1):
        return "\\:"  # http\:// shows http:// and is no link
    if m.group(2):
        return m.group(2) + "\\."
    # An address is found in the text after parsing, so escapes do not hide it: an empty
    # comment (shown as nothing) cuts the text in two before the @.
    return "<!-- -->@"


#: Every character that _INLINE, _AUTOLINK (each of its matches holds a ':', '.' or '@') or
#: the entity replacements act on: a text with none of them is shown as it is. Checking for
#: them first spares the two substitutions, which cost ~10 us on a line of Chinese text.
_SPECIAL = frozenset("\\`*_[]|~#>&<:.@")


def inline(text: str) -> str:
    """Text shown literally inside a paragraph or a table cell (no markup, no raw HTML, no
    link: a URL or an address in the text is shown as text, not made a link)."""
    if _SPECIAL.isdisjoint(text):
        return text
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    return _AUTOLINK.sub(_unlinked, _INLINE.sub(r"\\\1", text))


def paragraph(text: str) -> str:
    """One line of the source as a Markdown paragraph, shown as written."""
    text = inline(text.strip(" \t"))
    if not text or not (text[0].isdigit() or text[0] in "-+="):  # _BLOCK_START cannot match
        return text
    return _BLOCK_START.sub(lambda m: (m.group(1) + "\\" + m.group(2)) if m.group(1)
                            else "\\" + m.group(3), text)


def cell_text(text: str) -> str:
    """Text inside a GFM table cell or a list item: escaped, its line breaks kept as <br>
    (every separator Python splits lines on, which covers those Markdown knows)."""
    return "<br>".join(inline(part.strip()) for part in text.splitlines()) if text else ""


def one_line(text: str) -> str:
    """Text for a heading, which must stay on one line: escaped, line breaks as spaces."""
    return " ".join(inline(part.strip()) for part in text.splitlines() if part.strip())


def code(text: str) -> str:
    """An identifier shown as code when it is a plain one; otherwise escaped text (a code
    span cannot hold a backtick or a line break, and a | in one still splits a GFM cell)."""
    return f"`{text}`" if _PLAIN_CODE.fullmatch(text) else cell_text(text)


def shown(cell: Cell | None) -> str:
    """A table cell as the source wrote it, or a visible mark when it wrote nothing."""
    if cell is None:
        return ""  # the template has no such cell
    if cell.status is Status.RULE and cell.value is not None:
        return RULE.format(value=format_number(cell.value))
    raw = cell.raw.strip()
    if raw:  # digits (most cells) hold nothing to escape nor a line break
        return raw if raw.isdigit() else cell_text(raw)
    if cell.status is Status.MISSING:
        return MISSING
    if cell.status is Status.AMBIGUOUS:
        return AMBIGUOUS
    if cell.status is Status.INFERRED and cell.value is not None:
        return INFERRED.format(value=format_number(cell.value))
    return EMPTY


def _row(values: Iterable[str]) -> str:
    return "| " + " | ".join(values) + " |"


@lru_cache(maxsize=4096)
def _label_text(table: str, kind: str, code: str) -> str:
    """A row or column label as a table cell shows it (the labels are few; every report
    shows them again)."""
    return cell_text(label(table, kind, code))


def grid_lines(table: Table, g: Grid) -> list[str]:
    header = ["项目", *(_label_text(table.code, "column", c) for c in g.columns)]
    lines = [_row(header), _row(["---", *("---:" for _ in g.columns)])]
    for row in g.rows:
        lines.append(_row([_label_text(table.code, "row", row),
                           *(shown(g.cell(row, c)) for c in g.columns)]))
    return lines


def table_lines(table: Table, level: int) -> list[str]:
    title = (f"{'#' * level} 表:{one_line(table_label(table.code))}({code(table.code)},"
             f"{one_line(table.template)} 模板,第 {table.line_start}–{table.line_end} 行)")
    lines = [title, ""]
    for g in blocks(table):  # one GFM table per run of rows sharing their columns
        lines += [*grid_lines(table, g), ""]
    return lines


def _heading(section: Section, level: int) -> str:
    number = section.number
    if number and level > 2:  # a sub-part is numbered (一) in the templates
        number = f"({number})"
    elif number:
        number += "、"
    return f"{'#' * level} {one_line(number + section.title)}".rstrip()


def _place_tables(sections: tuple[Section, ...], tables: Iterable[Table]
                  ) -> tuple[dict[int, list[Table]], list[Table]]:
    """Each table goes in the innermost section whose lines hold its first line."""
    placed: dict[int, list[Table]] = {}
    unplaced: list[Table] = []
    for table in tables:
        home = None
        todo = list(sections)
        while todo:
            s = todo.pop(0)
            if s.line_start <= table.line_start <= s.line_end:
                home, todo = s, list(s.subsections)
        if home is None:
            unplaced.append(table)
        else:
            placed.setdefault(id(home), []).append(table)
    return placed, unplaced


def section_lines(section: Section, level: int, placed: Mapping[int, list[Table]]
                  ) -> list[str]:
    lines: list[str] = []
    if section.number or section.title:
        lines += [_heading(section, level), ""]
    for text in section.text.splitlines():
        if text.strip():
            lines += [paragraph(text), ""]
    for sub in section.subsections:
        lines += section_lines(sub, level + 1, placed)
    for table in placed.get(id(section), []):
        lines += table_lines(table, level + 1)
    return lines


def metadata_lines(report: Report) -> list[str]:
    m = report.metadata
    # Without a title in the source, one is composed (the metadata table shows it was empty).
    title = m.title or "".join(
        (m.agency, f"{m.year}年" if m.year else "", "政府信息公开工作年度报告"))
    templates = ", ".join(f"{k} {v}" for k, v in m.templates.items())
    fields = [
        ("报告编号 report_id", code(m.report_id)),
        ("标题 title", cell_text(m.title)),
        ("机关 agency", cell_text(m.agency)),
        ("年度 year", "" if m.year is None else str(m.year)),
        ("发布 published", cell_text(m.published)),
        ("落款 signed", cell_text(m.signed)),
        ("来源 source", cell_text(m.source_path)),
        ("文字 script", cell_text(m.script)),
        ("编码 encoding", cell_text(m.encoding)),
        ("模板 templates", cell_text(templates)),
        ("数据版本 schema_version", cell_text(report.schema_version)),
    ]
    return [f"# {one_line(title)}", "", _row(["字段", "值"]), _row(["---", "---"]),
            *(_row([k, v]) for k, v in fields), ""]


def diagnostic_line(d: Diagnostic) -> str:
    where = f"第 {d.line} 行" if d.line else ""
    if d.lines:
        where += (", " if where else "") + "另见第 " + ", ".join(map(str, d.lines)) + " 行"
    cells = "; ".join(
        f"{cell_text(label(r.table, 'row', r.row))} / "
        f"{cell_text(label(r.table, 'column', r.column))} ({code(str(r))})" for r in d.cells)
    parts = [f"**{d.severity.value}** {code(d.code)}", where, cell_text(d.message)]
    if cells:
        parts.append("单元格:" + cells)
    return "- " + " — ".join(p for p in parts if p)


def write(report: Report, stream: TextIO, options: Mapping[str, str]) -> None:
    placed, unplaced = _place_tables(report.sections, report.tables)
    lines = metadata_lines(report)
    for section in report.sections:
        lines += section_lines(section, 2, placed)
    if unplaced:
        lines += ["## 表格", ""]
        for table in unplaced:
            lines += table_lines(table, 3)
    lines += ["## 诊断 diagnostics", ""]
    lines += [diagnostic_line(d) for d in report.diagnostics] or ["无。"]
    stream.write("\n".join(lines).rstrip("\n") + "\n")


@hookimpl
def gongkai_add_writers(register):
    register(Writer(
        name="markdown",
        description="the report for reading: metadata, sections, tables as GFM tables in "
                    "template order (values as written), diagnostics",
        extension=".md",
        media_type="text/markdown",
        write=write,
    ))
