"""Reader for Word files: ``.docx`` natively, ``.doc`` and ``.wps`` through LibreOffice.

Why python-docx: the most used library for Word files in Python, MIT-licensed, maintained,
pure Python over lxml (which gongkai already uses). It opens the package; the body is walked
as its XML, in document order, because what a report needs is below python-docx's API:

* a paragraph is a line, its automatic numbering (``一、``, ``（一）``, ``1.`` from the
  document's numbering definitions) written in front of it as Word shows it;
* a table is a grid: ``gridSpan`` spans columns, ``vMerge`` rows (``gridBefore`` skips
  positions), written as the HTML reader writes a ``<table>`` (gongkai.read.grid); a
  cell's paragraphs are joined (Chinese without a space).

A cell's ``line`` is the number of its block in the document: paragraphs and table rows
counted from 1 in order (empty paragraphs too), so ``line 40`` is the 40th.

``.doc`` and ``.wps`` files (the binary formats of Word and WPS Office), and RTF, are converted to
``.docx`` by ``soffice --headless --convert-to docx`` in a temporary directory, with a time
limit, when LibreOffice is installed; otherwise the error says what to install.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import signal
import subprocess
import tempfile
import zipfile

from gongkai.plugin import (
    GridCell,
    InputError,
    PipeTextBuilder,
    Reader,
    ReadOptions,
    Source,
    add_table,
    hookimpl,
    join_lines,
    protect,
)

DOCX = (".docx", ".docm")
#: Converted by LibreOffice: Word's and WPS Office's binary formats, and RTF (which sites also
#: serve named .doc).
BINARY = (".doc", ".wps", ".dot", ".wpt", ".rtf")
EXTENSIONS = DOCX + BINARY
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_RTF = b"{\\rtf"
#: Seconds LibreOffice may take to convert one file.
CONVERT_SECONDS = 120
#: The document's XML may unpack to this much; past it the file is a zip bomb, not a report.
MAX_UNPACKED = 200 * 1024 * 1024
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_NO_LIBRARY = ("reading Word files needs the docx extra: pip install 'gongkai[docx]'")


def sniff(head: bytes, filename: str) -> float:
    name = filename.lower()
    if head.startswith(_ZIP):
        return 1.0 if name.endswith(DOCX) or b"word/" in head else 0.0
    if head.startswith(_RTF):
        return 0.95  # above the plain-text reader, which would read RTF's markup as text
    if head.startswith(_OLE):
        if name.endswith(BINARY):
            return 1.0
        # Excel and PowerPoint files are OLE files too: only a Word file's own stream name.
        return 0.6 if "WordDocument".encode("utf-16-le") in head else 0.0
    return 0.0


def read(data: bytes, options: ReadOptions) -> Source:
    if data.startswith((_OLE, _RTF)):
        data = convert_binary(data, options.filename)
    if not data.startswith(_ZIP):
        raise InputError("this is not a Word file (.docx is a zip package)")
    try:
        import docx
    except ImportError:
        raise InputError(_NO_LIBRARY) from None
    _check_package(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds on a damaged package
        raise InputError(f"cannot read the Word file: {exc or type(exc).__name__}") from None
    walker = _Walker(_Numbering(document))
    walker.body(document.element.body)
    return walker.out.source("docx")


def _check_package(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            unpacked = sum(info.file_size for info in package.infolist())
    except zipfile.BadZipFile as exc:
        raise InputError(f"cannot read the Word file: {exc}") from None
    if unpacked > MAX_UNPACKED:
        raise InputError(f"the Word file unpacks to {unpacked} bytes, more than the "
                         f"{MAX_UNPACKED} gongkai reads (a zip bomb?)")


# -- .doc and .wps through LibreOffice -----------------------------------------------------------


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_binary(data: bytes, filename: str) -> bytes:
    """A ``.doc``/``.wps`` file's bytes as ``.docx`` bytes, converted by LibreOffice."""
    ext = os.path.splitext(filename.lower())[1]
    kind = ext if ext in BINARY else ".doc"
    if data.startswith(_RTF):
        kind = ".rtf"
    program = soffice()
    if program is None:
        raise InputError(f"reading {kind} files needs LibreOffice, which is not installed: "
                         "apt-get install libreoffice-writer-nogui (or see libreoffice.org), "
                         "or save the file as .docx")
    with tempfile.TemporaryDirectory(prefix="gongkai-") as tmp:
        source = os.path.join(tmp, "input" + kind)
        with open(source, "wb") as f:
            f.write(data)
        # A profile of its own: a LibreOffice already running (or another conversion) would
        # otherwise take the request and the time limit would not apply.
        command = [program, f"-env:UserInstallation=file://{tmp}/profile", "--headless",
                   "--norestore", "--convert-to", "docx", "--outdir", tmp, source]
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, start_new_session=True)
        try:
            _, err = process.communicate(timeout=CONVERT_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise InputError(f"LibreOffice took more than {CONVERT_SECONDS} s to convert the "
                             "file") from None
        target = os.path.join(tmp, "input.docx")
        if process.returncode != 0 or not os.path.exists(target):
            said = err.decode("utf-8", "replace").strip().splitlines()
            raise InputError("LibreOffice could not convert the file to .docx"
                             + (f": {said[-1]}" if said else ""))
        with open(target, "rb") as f:
            return f.read()


# -- the document -------------------------------------------------------------------------------

_CHINESE = "零一二三四五六七八九"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def chinese_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 21 -> 二十一 (numbering rarely passes 99)."""
    if n <= 0 or n >= 100:
        return str(n)
    tens, ones = divmod(n, 10)
    out = ("" if tens <= 1 else _CHINESE[tens]) + ("十" if tens else "")
    return out + (_CHINESE[ones] if ones else "")


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"),
                           (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"),
                           (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + letters, n - value
    return out


def format_number(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting",
               "taiwaneseCounting", "ideographDigital"):
        return chinese_number(n)
    if fmt in ("upperLetter", "lowerLetter"):
        letter = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman"):
        return _roman(n) if fmt == "upperRoman" else _roman(n).lower()
    if fmt == "decimalEnclosedCircle" and 0 < n <= len(_CIRCLED):
        return _CIRCLED[n - 1]
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


class _Numbering:
    """The document's list definitions, and the counters of the lists met so far."""

    def __init__(self, document) -> None:
        self.levels: dict[tuple[str, str], tuple[int, str, str]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        #: A paragraph style's numbering (``List Number``, a heading style with numbers).
        self.styles: dict[str, tuple[str, str]] = {}
        with contextlib.suppress(KeyError, NotImplementedError, AttributeError):
            self._styles(document.styles.element)
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract = {}
        for node in root.iter(_W + "abstractNum"):
            lvls = {}
            for lvl in node.iter(_W + "lvl"):
                start = _val(lvl.find(_W + "start"), "1")
                lvls[lvl.get(_W + "ilvl", "0")] = (
                    int(start) if start.isdigit() else 1,
                    _val(lvl.find(_W + "numFmt"), "decimal"),
                    _val(lvl.find(_W + "lvlText"), ""),
                )
            abstract[node.get(_W + "abstractNumId")] = lvls
        for num in root.iter(_W + "num"):
            lvls = abstract.get(_val(num.find(_W + "abstractNumId"), ""), {})
            for ilvl, spec in lvls.items():
                self.levels[(num.get(_W + "numId"), ilvl)] = spec

    def _styles(self, root) -> None:
        based: dict[str, str] = {}
        own: dict[str, tuple[str | None, str | None]] = {}
        for style in root.iter(_W + "style"):
            sid = style.get(_W + "styleId", "")
            parent = style.find(_W + "basedOn")
            if parent is not None:
                based[sid] = _val(parent, "")
            num = style.find(f"{_W}pPr/{_W}numPr")
            if num is not None:
                num_id, ilvl = num.find(_W + "numId"), num.find(_W + "ilvl")
                own[sid] = (None if num_id is None else _val(num_id, "0"),
                            None if ilvl is None else _val(ilvl, "0"))
        for sid in set(own) | set(based):
            num_id, ilvl, seen, at = None, None, set(), sid
            while at and at not in seen:  # up the basedOn chain (a cycle stops it)
                seen.add(at)
                mine = own.get(at, (None, None))
                num_id, ilvl = num_id or mine[0], ilvl or mine[1]
                at = based.get(at, "")
            if num_id:
                self.styles[sid] = (num_id, ilvl or "0")

    def label(self, num_id: str, ilvl: str) -> str:
        spec = self.levels.get((num_id, ilvl))
        if spec is None or num_id == "0":
            return ""
        level = int(ilvl) if ilvl.isdigit() else 0
        counters = self.counters.setdefault(num_id, {})
        counters[level] = counters.get(level, spec[0] - 1) + 1
        for deeper in [k for k in counters if k > level]:
            del counters[deeper]  # a new item restarts the levels below it
        text = spec[2]
        if spec[1] in ("bullet", "none"):
            return ""
        for k in range(level, -1, -1):
            other = self.levels.get((num_id, str(k)))
            if other is not None:
                value = counters.get(k, other[0])
                text = text.replace(f"%{k + 1}", format_number(value, spec[1] if k == level
                                                                   else other[1]))
        return text


def _val(node, default: str) -> str:
    return default if node is None else node.get(_W + "val", default)


class _Walker:
    def __init__(self, numbering: _Numbering) -> None:
        self.numbering = numbering
        self.out = PipeTextBuilder()
        self.block = 0

    def body(self, body) -> None:
        for child in body:
            if child.tag == _W + "p":
                self.block += 1
                text = self.paragraph(child)
                if text:
                    self.out.add(protect(text), self.block)
            elif child.tag == _W + "tbl":
                self.table(child)
            elif child.tag == _W + "sdt":  # a content control: its content is the document's
                content = child.find(_W + "sdtContent")
                if content is not None:
                    self.body(content)

    def paragraph(self, p) -> str:
        parts = []
        for node in p.iter(_W + "t", _W + "tab", _W + "br", _W + "cr"):
            parts.append(node.text or "" if node.tag == _W + "t" else " ")
        text = join_lines(["".join(parts)])
        if not text:
            return text
        num = p.find(f"{_W}pPr/{_W}numPr")
        if num is not None:
            ilvl = num.find(_W + "ilvl")
            numbered = (_val(num.find(_W + "numId"), "0"), _val(ilvl, "0"))
        else:
            numbered = self.numbering.styles.get(_val(p.find(f"{_W}pPr/{_W}pStyle"), ""))
        if numbered is not None:
            text = self.numbering.label(*numbered) + text
        return text

    def table(self, tbl) -> None:
        cells: list[GridCell] = []
        open_cells: dict[int, GridCell] = {}  # grid column -> the cell a vMerge continues
        rows = [tr for tr in tbl if tr.tag == _W + "tr"]
        for r, tr in enumerate(rows):
            self.block += 1
            c = int(_val(tr.find(f"{_W}trPr/{_W}gridBefore"), "0") or 0)
            for tc in tr.iter(_W + "tc"):
                if tc.getparent() is not tr:
                    continue
                span = _val(tc.find(f"{_W}tcPr/{_W}gridSpan"), "1")
                colspan = max(1, int(span)) if span.isdigit() else 1
                merge = tc.find(f"{_W}tcPr/{_W}vMerge")
                if merge is not None and _val(merge, "continue") == "continue" \
                        and c in open_cells:
                    open_cells[c].rowspan += 1
                else:
                    texts = [self.paragraph(p) for p in tc.iter(_W + "p")]
                    cell = GridCell(r, c, join_lines(texts), 1, colspan, self.block)
                    cells.append(cell)
                    if merge is not None:
                        open_cells[c] = cell
                    else:
                        open_cells.pop(c, None)
                c += colspan
        add_table(self.out, cells)


@hookimpl
def gongkai_add_readers(register):
    register(Reader(
        name="word",
        description="Word files: .docx (needs the docx extra: pip install 'gongkai[docx]'); "
                    ".doc and .wps through LibreOffice when it is installed",
        extensions=EXTENSIONS,
        sniff=sniff,
        read=read,
    ))
