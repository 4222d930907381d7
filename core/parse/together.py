"""Rows whose numbers are written together: crawler dumps such as the 平潭 archive.

Archives of government sites keep reports as text dumps in which a table row's label and its
numbers run together with no separator (``规范性文件7777166``, ``行政处罚2648-18538``), often with
the whole report one paragraph. Two steps read them:

* ``detach`` (before parsing) cuts such text into pipe text: a paragraph into its numbered parts
  (the headings the section vocabulary knows), a table part into one line per row, each row as
  its labels and the *run* of its digits as one cell (``规范性文件 | 7777166 |``). A run is a
  value only when a label of the tables' vocabulary stands right before it, so prose numbers
  stay prose. Lines are added only by cutting a line, and every new line maps to the line of
  the input it was cut from.
* ``splits`` (while a table is read) gives every way to cut a run into a row's numbers — no
  leading zeros, a minus only where the column is a change (本年增/减), decimals and a unit
  (元, 万元, 亿元) only in money columns, a space always the end of a number but a number
  may end without one — that satisfies the row's own identities (a row's applicants add up to
  its 总计). The interpreter then chooses among the rows' splits jointly with the table's
  identities (``gongkai.interpret.placement``).

What the identities leave open is ambiguous; one documented rule (``rule_split``: equal numbers
in the 2019 item (一) row) may settle it, and says so (status ``rule``).

Both are bounded: ``detach`` looks at most ``MAX_LABEL`` characters back from a run for its
label; ``splits`` takes at most ``MAX_SPLIT_STEPS`` steps and keeps at most ``MAX_SPLITS``
splits per run, a table's runs ``MAX_TABLE_SPLIT_STEPS`` steps together (past them the row is
ambiguous), so the work is linear in the report.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from itertools import pairwise

import attrs

from gongkai.grammars import numeral_digits, pattern

#: A run of a row's numbers written together: digits, signs, decimal points, thousands commas,
#: spaces between digits, and a money unit at its end.
RUN = re.compile(r"-?\d(?:[\d.\-]|,(?=\d{3})|[ \t]+(?=-?\d))*(?:亿元|万元|元)?")
#: A run as a whole cell (what the table reader recognises on a line ``detach`` made).
RUN_CELL = re.compile(r"-?\d(?:[\d.,\-]|[ \t]+(?=-?\d))*(?:亿元|万元|元)?")
#: The number of a label right after a run (``…00000003.危及`` is ``0000000`` and ``3.危及``).
_NUMBERING = re.compile(r"[.、．][^\d]")
#: A label is looked for this many characters back from its run, at most.
MAX_LABEL = 60
#: A header text longer than this is not split into labels (prose).
MAX_HEADER = 240
#: A line of the row-per-line shape: its labels are at most this long.
MAX_ROW_LINE = 120
#: Splits of one run: at most this many search steps and this many splits kept; the runs of
#: one table together at most ``MAX_TABLE_SPLIT_STEPS`` steps.
MAX_SPLIT_STEPS = 20_000
MAX_TABLE_SPLIT_STEPS = 100_000
MAX_SPLITS = 5_000
#: A number has at most this many digits before its decimal point.
MAX_DIGITS = 13
#: A paragraph holding tables is cut at its numbered parts only when it is this long (a
#: report's three tables alone are longer; the seeds' longest paragraph has 725 characters).
MIN_PARAGRAPH = 800

_HEADING_START = re.compile(rf"{pattern('_NUMERAL')}[ \t]*、")
_NUMERALS = numeral_digits()


@attrs.frozen
class Detached:
    #: The normalized pipe text, and the input's text cut the same way.
    text: str
    raw: str
    #: For each new line, the line of the old text it was cut from (1-based).
    origins: tuple[int, ...]
    #: The new lines (1-based) holding a labelled run: their runs are split by the reader.
    lines: frozenset[int]


def detach(text: str, raw: str, knows: Callable[[str], bool],
           section: Callable[[str], str], table_sections: frozenset[str],
           edges: tuple[frozenset[str], frozenset[str]] | None = None,
           words: Sequence[str] = ()) -> Detached | None:
    """``text`` (normalized) and ``raw`` (the input as read, line for line) with every row
    written together given its cells; None when the text has no such rows.

    ``knows(label)``: whether the tables' vocabulary names the label; ``section(title)``: the
    section code a heading's title names ("" for none); ``table_sections``: the codes of the
    parts holding the three tables; ``edges``: the characters labels begin and end with (a
    piece of text that begins or ends otherwise is not looked up); ``words``: the labels as
    written, longest first (header text is cut at them).
    """
    lines = text.split("\n")
    if max(map(len, lines)) < MIN_PARAGRAPH and not any(
            "|" not in line and _ends_in_number(line) for line in lines):
        # No line without cells that ends with a number and no paragraph: the usual text, as
        # it is (str methods only: a regular expression over Chinese text costs ten times more).
        return None
    labels = _Labels(knows, *(edges or (None, None)), words=tuple(words))
    raws = raw.split("\n")
    if len(raws) != len(lines):
        return None
    plans: list[list[tuple[str, int, int]] | None] = []
    together = 0
    before = ""  # the last line with text before this one
    for line in lines:
        plan, attached = _plan_line(line, labels, section, table_sections)
        core = line.strip()
        if (plan is None and core and "|" not in line and RUN.fullmatch(core)
                and _under_header(before, labels)):
            # Numbers alone on the line under a header (table four's fifteen, written
            # together): one run.
            start = line.index(core)
            plan = [("run", start, start + len(core))]
        plans.append(plan)
        together += attached
        if core:
            before = core
    if not together:
        return None  # no label with its digits right after it: not this shape
    out: list[str] = []
    out_raw: list[str] = []
    origins: list[int] = []
    marked: set[int] = set()
    for n, (line, rline, plan) in enumerate(zip(lines, raws, plans, strict=True), 1):
        if plan is None:
            out.append(line)
            out_raw.append(rline)
            origins.append(n)
            continue
        rendered = _render(line, plan)
        # Normalization keeps a line's length unless it dropped noise (pinyin): then the
        # normalized text stands for the raw text too.
        as_raw = _render(rline, plan) if len(rline) == len(line) else rendered
        if len(as_raw) != len(rendered):
            as_raw = rendered
        for (text_line, has_run), (raw_line, _) in zip(rendered, as_raw, strict=True):
            out.append(text_line)
            out_raw.append(raw_line)
            origins.append(n)
            if has_run:
                marked.add(len(out))
    if out == lines:
        return None
    return Detached("\n".join(out), "\n".join(out_raw), tuple(origins), frozenset(marked))


def _ends_in_number(line: str) -> bool:
    end = line.rstrip()[-1:]
    return end.isdigit() or end == "元"


class _Labels:
    """The tables' vocabulary as ``detach`` asks it: whether a piece of text is a label, with
    the characters labels begin and end with tested first (most pieces fail that)."""

    def __init__(self, knows: Callable[[str], bool], first: frozenset[str] | None,
                 last: frozenset[str] | None, words: tuple[str, ...] = ()):
        self.knows = knows
        self.words = words
        self.first = first
        self.last = last

    def __call__(self, piece: str) -> bool:
        return self.knows(piece)

    def may_start(self, ch: str) -> bool:
        return self.first is None or ch in self.first

    def may_end(self, ch: str) -> bool:
        return self.last is None or ch in self.last


# A line's plan: pieces (kind, start, end) in order; kind is "text" (prose or a heading, a
# line of its own), "label" (a cell), "run" (a cell, closing its row) or "break" (a new line).


def _under_header(before: str, knows: _Labels) -> bool:
    """Whether a line of text ends with a label of the tables (a header over numbers)."""
    return bool(before) and "|" not in before and not before[-1].isdigit() and _known_suffix(
        before, max(0, len(before) - MAX_LABEL), len(before), knows) is not None


def _plan_line(line: str, knows: _Labels, section: Callable[[str], str],
               table_sections: frozenset[str]) -> tuple[list | None, int]:
    if "|" in line:
        return None, 0
    core = line.rstrip()
    paragraph = len(core) >= MIN_PARAGRAPH
    # A row of the row-per-line shape ends with its run; a paragraph holds numbered parts.
    if not (core[-1:].isdigit() or core.endswith("元")) and not (
            paragraph and _HEADING_START.search(core)):
        return None, 0
    runs = _labelled_runs(line, knows)
    if not runs:
        return None, 0
    attached = sum(1 for _, label_end, start, _ in runs if label_end == start)
    # A line that is a numbered part, its table inline (a dump cut at every part): as a
    # paragraph, though a short one. (A row label numbered like a part, 一、本年新收…, names
    # no part.)
    if not paragraph and _HEADING_START.match(core):
        cuts = _headings(core, section)
        paragraph = bool(cuts) and cuts[0][0] == 0
    if paragraph and _HEADING_START.search(line):
        # A paragraph's rows may keep a space between label and numbers (a page's text with
        # its cells joined by spaces): a row all the same.
        return _plan_paragraph(line, runs, knows, section, table_sections), len(runs)
    # The row-per-line shape: the line is labels and one run at its end.
    label_start, _, start, end = runs[-1]
    if len(runs) != 1 or line[end:].strip() or start > MAX_ROW_LINE:
        return None, 0
    return _row_pieces(line, 0, label_start, start, end, knows), attached


def _labelled_runs(line: str, knows: _Labels) -> list[tuple[int, int, int, int]]:
    """(label start, label end, run start, run end) of every run right after a known label."""
    found = []
    floor = 0
    for m in RUN.finditer(line):
        start, end = m.start(), m.end()
        if start < floor:
            continue
        # A run's last digit before "3.危及" is the next label's number.
        while end > start and line[end - 1] in ".-":
            end -= 1
        if _NUMBERING.match(line, end) and end - start >= 1 and line[end - 1].isdigit():
            end -= 1
            while end > start and line[end - 1] in ".- \t":
                end -= 1
        if end <= start or not (line[end - 1].isdigit() or line[start:end].endswith("元")):
            continue
        label_end = start
        while label_end > floor and line[label_end - 1] in " \t":
            label_end -= 1
        label_start = _known_suffix(line, max(floor, label_end - MAX_LABEL), label_end, knows)
        if label_start is None:
            continue
        found.append((label_start, label_end, start, end))
        floor = end
    return found


def _known_suffix(line: str, lo: int, end: int, knows: _Labels) -> int | None:
    """Where the longest label the vocabulary knows that ends at ``end`` starts."""
    if end <= lo or not knows.may_end(line[end - 1]):
        return None
    for start in range(lo, end):
        if not knows.may_start(line[start]):
            continue
        piece = line[start:end].strip()
        # A header's unit before the row label (``(单位:万元)行政事业性收费``) is the header's.
        if piece and not piece.startswith(("(单位", "(金额单位")) and knows(piece):
            return start
    return None


def _row_pieces(line: str, lo: int, label_start: int, start: int, end: int,
                knows: _Labels) -> list:
    pieces = _label_pieces(line, lo, label_start, knows)
    pieces.append(("label", label_start, start))
    pieces.append(("run", start, end))
    return pieces


def _label_pieces(line: str, lo: int, hi: int, knows: _Labels) -> list:
    """Header text cut into the labels the vocabulary knows (longest first, from the left);
    what no label covers is a cell of its own."""
    if not line[lo:hi].strip():
        return []
    if hi - lo > MAX_HEADER:
        return [("text", lo, hi)]
    if knows.words:
        return _word_pieces(line, lo, hi, knows)
    pieces = []
    i, loose = lo, lo
    while i < hi:
        if line[i] in " \t":
            i += 1
            continue
        j = None if not knows.may_start(line[i]) else next(
            (j for j in range(min(hi, i + MAX_LABEL), i, -1)
             if knows.may_end(line[j - 1]) and knows(line[i:j])), None)
        if j is None:
            i += 1
            continue
        if line[loose:i].strip():
            pieces.append(("label", loose, i))
        pieces.append(("label", i, j))
        i = loose = j
    if line[loose:hi].strip():
        pieces.append(("label", loose, hi))
    return pieces


def _word_pieces(line: str, lo: int, hi: int, knows: _Labels) -> list:
    """Header text cut at the labels it spells as written (leftmost, then longest; a label's
    annotation in brackets right after it stays with it: ``本年收费金额(单位:万元)``); what no
    label covers is a cell of its own."""
    text = line[lo:hi]
    hits = []
    for word in knows.words:
        k = text.find(word)
        while k != -1:
            hits.append((k, -len(word)))
            k = text.find(word, k + 1)
    hits.sort()
    pieces = []
    at = 0
    for start, minus in hits:
        if start < at:
            continue
        end = start - minus
        if end < len(text) and text[end] == "(" and (close := text.find(")", end)) != -1:
            end = close + 1
        if text[at:start].strip():
            pieces.append(("label", lo + at, lo + start))
        pieces.append(("label", lo + start, lo + end))
        at = end
    if text[at:].strip():
        pieces.append(("label", lo + at, hi))
    return pieces


def _plan_paragraph(line: str, runs: list[tuple[int, int, int, int]], knows: _Labels,
                    section: Callable[[str], str], table_sections: frozenset[str]) -> list:
    """A report written as one paragraph: a line per numbered part (its heading on a line of
    its own), the tables' parts a line per row."""
    cuts = _headings(line, section)
    pieces: list = []
    bounds = [(0, "", 0), *cuts, (len(line), "", len(line))]
    for (start, code, body), (nxt, _, _) in pairwise(bounds):
        if body > start:
            pieces.append(("text", start, body))
        if code not in table_sections:
            if nxt > body and line[body:nxt].strip():
                pieces.append(("text", body, nxt))
            continue
        at = body
        for label_start, _, run_start, run_end in runs:
            if not body <= label_start < nxt or run_end > nxt:
                continue
            pieces += _row_pieces(line, at, label_start, run_start, run_end, knows)
            pieces.append(("break", run_end, run_end))
            at = run_end
        if line[at:nxt].strip():
            pieces += _label_pieces(line, at, nxt, knows) if code in table_sections else [
                ("text", at, nxt)]
            pieces.append(("break", nxt, nxt))
    return pieces


def _headings(line: str, section: Callable[[str], str]) -> list[tuple[int, str, int]]:
    """(start, section code, end of heading) of the report's numbered parts in a paragraph:
    ``一、`` … ``六、`` in order, each with a title the section vocabulary knows."""
    out = []
    want = 0
    for m in _HEADING_START.finditer(line):
        number = _NUMERALS.find(m.group()[0]) + 1
        if number <= want:
            continue
        title = line[m.end():m.end() + 30]
        # A title holds no numbers and no other part's number (四、结转下年度继续办理0 is a row).
        stop = re.search(rf"\d|{_HEADING_START.pattern}", title)
        title = title[:stop.start()] if stop else title
        # The shortest title the vocabulary knows ends the heading.
        end = next((k for k in range(2, len(title) + 1) if section(title[:k])), None)
        if end is None:
            continue
        out.append((m.start(), section(title[:end]), m.end() + end))
        want = number
    return out


def _render(line: str, plan: list) -> list[tuple[str, bool]]:
    out: list[tuple[str, bool]] = []
    cells: list[str] = []
    has_run = False

    def flush() -> None:
        nonlocal cells, has_run
        if cells:
            out.append((" | ".join(cells) + " |", has_run))
        cells, has_run = [], False

    for kind, start, end in plan:
        piece = line[start:end].strip()
        if kind == "text":
            flush()
            if piece:
                out.append((piece, False))
        elif kind == "break":
            flush()
        elif piece:
            cells.append(piece)
            has_run = has_run or kind == "run"
    flush()
    return out or [(line, False)]


# -- splitting a run into a row's numbers ---------------------------------------------------


def _number_re(kind: str) -> re.Pattern[str]:
    whole = rf"(?:0|[1-9]\d{{0,{MAX_DIGITS - 1}}}|[1-9]\d{{0,2}}(?:,\d{{3}})+)"
    if kind == "change":
        return re.compile(r"[+\-]?" + whole)
    if kind == "money":
        return re.compile(whole + r"(?:\.\d+)?")
    return re.compile(whole)


_NUMBER_RES = {k: _number_re(k) for k in ("count", "change", "money")}
_COUNT_RE, _CHANGE_RE = _NUMBER_RES["count"], _NUMBER_RES["change"]
_WHOLE = frozenset({"count", "change"})


class Budget:
    """Search steps left for the runs of one table (``MAX_TABLE_SPLIT_STEPS``)."""

    def __init__(self, steps: int = 0) -> None:
        self.left = steps or MAX_TABLE_SPLIT_STEPS


def splits(run: str, kinds: Sequence[str], parse: Callable[[str, int], float | int | None],
           sums: Sequence[tuple[tuple[int, ...], int]] = (),
           budget: Budget | None = None) -> list[tuple[str, ...]] | None:
    """Every way to cut ``run`` into ``len(kinds)`` numbers that satisfies ``sums`` (each
    ``(parts, total)``: the columns ``parts`` add up to column ``total``), as the texts of the
    numbers; None when there are too many to search (``MAX_SPLIT_STEPS``, ``MAX_SPLITS``, or
    the table's ``budget`` spent).

    ``parse(text, column)`` gives the number a piece is in its column. A space in the run ends
    a number (numbers also end without one); a money unit at the run's end belongs
    to the last number.
    """
    unit = ""
    for u in ("亿元", "万元", "元"):
        if run.endswith(u):
            run, unit = run[:-len(u)].rstrip(), u
            break
    width = len(kinds)
    res = [_NUMBER_RES.get(k, _NUMBER_RES["count"]) for k in kinds]
    # The identities checked once the last column they name is cut.
    checks: dict[int, list[tuple[tuple[int, ...], int]]] = {}
    #: A total of whole numbers cut after all its parts is their sum: its digits are known.
    forced: dict[int, tuple[int, ...]] = {}
    for parts, total in sums:
        checks.setdefault(max(*parts, total), []).append((parts, total))
        if total > max(parts) and all(kinds[c] in _WHOLE for c in (*parts, total)):
            forced[total] = parts
    out: list[tuple[str, ...]] = []
    values: list[float | int | None] = [None] * width
    texts: list[str] = [""] * width
    steps = 0
    n = len(run)

    def ok_at(k: int) -> bool:
        for parts, total in checks.get(k, ()):
            got = [values[p] for p in parts]
            want = values[total]
            if want is None or None in got:
                return False
            if abs(sum(got) - want) > 1e-6:  # type: ignore[arg-type]
                return False
        return True

    def cut(k: int, at: int) -> bool:
        nonlocal steps
        while at < n and run[at] in " \t":
            at += 1
        if k == width:
            if at == n:
                out.append(tuple(texts))
                return len(out) < MAX_SPLITS
            return True
        left = width - k
        if n - at < left:
            return True
        piece_re = res[k]
        if k in forced:
            want = sum(values[p] for p in forced[k])  # type: ignore[misc]
            text = str(int(want))
            options = [text] if run.startswith(text, at) and piece_re.fullmatch(text) else []
        else:
            options = _prefixes(piece_re, run, at)
        for m in options:
            steps += 1
            if steps > limit:
                return False
            text = m
            end = at + len(text)
            # A number ends where the next begins: never in the middle of digits or a decimal.
            if end < n and run[end] in ".,":
                continue
            if k == width - 1 and unit:
                text += unit
            value = parse(text, k)
            if value is None:
                continue
            values[k], texts[k] = value, text
            if ok_at(k) and not cut(k + 1, end):
                return False
        values[k] = None
        return True

    limit = min(MAX_SPLIT_STEPS, budget.left) if budget is not None else MAX_SPLIT_STEPS
    done = cut(0, 0)
    if budget is not None:
        budget.left -= steps
    if not done or len(out) >= MAX_SPLITS:
        return None
    return out


def _prefixes(piece_re: re.Pattern[str], run: str, at: int) -> list[str]:
    """Every prefix of ``run[at:]`` (spaces not crossed) the number pattern matches whole."""
    stop = at
    while stop < len(run) and run[stop] not in " \t":
        stop += 1
    if (piece_re is _COUNT_RE or piece_re is _CHANGE_RE) and "," not in run[at:stop]:
        # Whole numbers, the common case: the digits from ``at`` (after a sign), no regex.
        start = at
        if piece_re is _CHANGE_RE and start < stop and run[start] in "+-":
            start += 1
        end = start
        while end < stop and run[end].isdigit():
            end += 1
        if end == start:
            return []
        if run[start] == "0":
            return [run[at:start + 1]]
        return [run[at:k] for k in range(start + 1, min(end, start + MAX_DIGITS) + 1)]
    found = []
    for end in range(at + 1, min(stop, at + MAX_DIGITS + 12) + 1):
        text = run[at:end]
        if piece_re.fullmatch(text):
            found.append(text)
    return found


# -- the documented rule for splits the identities leave open --------------------------------

#: Rows whose columns are usually equal (2019 item (一): 本年新制作数量, 本年新公开数量,
#: 对外公开总数量 — what an agency made it published, and often had published nothing before).
EQUAL_COLUMNS = frozenset({("new_made", "new_published", "total_published")})


def rule_split(columns: Sequence[str], run: str,
               possible: Sequence[tuple[str, ...]]) -> tuple[str, ...] | None:
    """The rule of equal numbers: a row of ``EQUAL_COLUMNS`` whose run is one number written
    once per column (``898989``: 89 89 89) is that number in every column, when the identities
    still allow it. Anything else is left to the identities (None)."""
    if tuple(columns) not in EQUAL_COLUMNS:
        return None
    for split in possible:
        if len(set(split)) == 1 and "".join(split) == "".join(run.split()):
            return split
    return None
