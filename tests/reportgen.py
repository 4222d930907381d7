"""Random annual reports whose numbers satisfy every 勾稽 identity, in the flattenings real pages
come in.

A generated report is built once, as the State Council's form (国办公开办函〔2019〕60号 and
〔2021〕30号) with its row and column spans, surrounded by the headings and prose of a report;
every *shape* then renders that same abstract report the way one kind of flattening does (HTML,
Markdown, text with ``|`` separators in several arrangements, bare cells, PDF-like text, numbers
written together, the whole report as one paragraph), in simplified or traditional script.
``generate(...)`` returns the text with the cells it must read back as:
``{(table, row, column): value}`` (``None`` where the source leaves a cell blank).

Labels come from gongkai's own codes and layouts (core/data/codes.toml, plugins/layouts), so a
generated report is in the form gongkai knows; what is restated here is only the form's own
furniture that names no code (``第二十条第(五)项``, the 勾稽 note of table three, the items the
rows of table two stand under).

Everything is drawn from ``random.Random(seed)``: a failing case is reproduced by its shape,
template and seed::

    python -m tests.reportgen --shape bare --template 2021 --seed 7
    python -m tests.reportgen --shape rows --script traditional --seed 3 --expected
"""

from __future__ import annotations

import argparse
import html
import random
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

from gongkai.engine.manager import default_engine
from gongkai.layouts.codes import load_codes
from gongkai.layouts.layout import Layout

TEMPLATES = ("2019", "2021")
SCRIPTS = ("simplified", "traditional")
Ref = tuple[str, str, str]
Number = int | float

# -- the form --------------------------------------------------------------------------------


@dataclass(frozen=True)
class GridCell:
    """One cell of the form as the official table draws it (its origin, with its spans)."""

    text: str
    colspan: int = 1
    rowspan: int = 1
    #: ``(table, row, column)`` for a value cell; None for a label or header.
    ref: Ref | None = None

    @property
    def is_value(self) -> bool:
        return self.ref is not None


@dataclass(frozen=True)
class Slot:
    """One grid position of a row: the origin of ``cell`` or a position its spans cover."""

    cell: GridCell
    #: ``origin``, ``colspan`` (covered by the cell's columns) or ``rowspan`` (by a row above).
    kind: str


@dataclass
class Grid:
    """One statistical table as the form draws it: rows of origin cells, ``width`` columns."""

    table: str
    width: int
    rows: list[list[GridCell]]

    def slots(self) -> list[list[Slot]]:
        """Every row as ``width`` slots: origins in place, covered positions marked."""
        taken: dict[tuple[int, int], Slot] = {}
        out: list[list[Slot]] = []
        for r, cells in enumerate(self.rows):
            col = 0
            for cell in cells:
                while (r, col) in taken:
                    col += 1
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        kind = "origin" if (dr, dc) == (0, 0) else ("colspan" if dr == 0
                                                                     else "rowspan")
                        taken[(r + dr, col + dc)] = Slot(cell, kind)
                col += cell.colspan
            row = [taken.get((r, c)) for c in range(self.width)]
            if any(s is None for s in row) or col > self.width:
                raise ValueError(f"table {self.table}: row {r} does not fill {self.width} columns")
            out.append(row)  # type: ignore[arg-type]
        return out


# -- labels, from gongkai's codes and layouts --------------------------------------------------

FULLWIDTH = str.maketrans({"(": "（", ")": "）", ",": "，", ":": "：", ";": "；"})
#: The items of 第二十条 the rows of table two stand under (the form's grouping; no code names it).
PROACTIVE_ITEMS = {"regulations": "一", "normative_documents": "一", "licensing": "五",
                   "other_services": "五", "penalty": "六", "coercion": "六", "fees": "八",
                   "procurement": "九"}
ITEM_MARKER = "第二十条第"  # one of table two's markers in codes.toml
CONTENT_HEADER = "信息内容"  # another of them
REQUESTS_NOTE = "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)"
APPLICANTS = "申请人情况"


@cache
def layouts() -> dict[tuple[str, str], Layout]:
    """The built-in layouts by (table, template); table four's serves both templates."""
    found = {}
    for contribution in default_engine().layouts():
        if contribution.plugin in ("template_2019", "template_2021"):
            found[(contribution.item.table, contribution.item.template)] = contribution.item
    for template in TEMPLATES:
        found.setdefault(("review_litigation", template), found[("review_litigation", "2019")])
    return found


def layout_for(table: str, template: str) -> Layout:
    return layouts()[(table, template)]


def _cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _number(d: Decimal) -> Number:
    """What gongkai makes of an amount: an int when whole, else a float."""
    return int(d) if d == d.to_integral_value() else float(d)


def _parts(zh: str, sep: str) -> list[str]:
    return [p.strip() for p in zh.split(sep)]


class Labels:
    """Label texts for one report: the codes' labels, an alias now and then, the punctuation
    of the report (ASCII as in the seeds, or full-width as on most web pages)."""

    def __init__(self, rng: random.Random, fullwidth: bool, breaks: float = 0.0):
        self.rng = rng
        self.fullwidth = fullwidth
        #: Share of header and group labels broken by a space (``商业 企业``, ``(三)不予 公开``),
        #: as narrow table cells wrap them.
        self.breaks = breaks
        self.codes = load_codes()

    def broken(self, s: str) -> str:
        """``s``, or ``s`` with a space between two of its Chinese characters."""
        if self.rng.random() >= self.breaks:
            return s
        at = [i for i in range(1, len(s)) if _cjk(s[i - 1]) and _cjk(s[i])]
        if not at:
            return s
        i = self.rng.choice(at)
        return s[:i] + " " + s[i:]

    def text(self, s: str) -> str:
        if not self.fullwidth:
            return s
        s = s.translate(FULLWIDTH)
        if '"' in s:  # 危及"三安全一稳定": curly quotes, as the form prints them
            s = s.replace('"', "“", 1).replace('"', "”", 1)
        return s

    def _alias(self, code) -> str:
        own = code.aliases[0] if code.aliases else code.zh
        if len(code.aliases) > 1 and self.rng.random() < 0.3:
            own = self.rng.choice(code.aliases)
        return self.text(own)

    def row(self, table: str, code: str) -> str:
        return self._alias(self.codes.table(table).row(code))

    def row_group(self, table: str, code: str) -> str | None:
        """The label of the span a row starts (``(三)不予公开`` for the first withheld row)."""
        parts = self.codes.table(table).row(code).zh.rsplit(" ", 1)
        return self.broken(self.text(parts[0])) if len(parts) == 2 else None

    def column(self, table: str, code: str) -> str:
        label = self._alias(self.codes.table(table).column(code))
        return label if table == "proactive" else self.broken(label)

    def column_group(self, table: str, code: str) -> str | None:
        parts = _parts(self.codes.table(table).column(code).zh, " / ")
        return self.text(parts[0]) if len(parts) == 2 else None

    def row_parent(self, table: str, code: str) -> str | None:
        parts = _parts(self.codes.table(table).row(code).zh, " / ")
        return self.text(parts[0]) if len(parts) == 2 else None

    def section(self, code: str) -> str:
        section = next(s for s in self.codes.sections if s.code == code)
        title = section.zh if self.rng.random() < 0.7 else self.rng.choice(section.aliases)
        return self.text(title)


# -- numbers that satisfy the identities -------------------------------------------------------


@dataclass
class Numbers:
    """The written value of every cell: the text as written, and the number it is."""

    written: dict[Ref, str] = field(default_factory=dict)
    values: dict[Ref, Number | None] = field(default_factory=dict)

    def put(self, ref: Ref, value: Number, text: str | None = None) -> None:
        self.written[ref] = str(value) if text is None else text
        self.values[ref] = value

    def blank(self, ref: Ref) -> None:
        self.written[ref] = ""
        self.values[ref] = None


class Draw:
    """Counts as agencies report them: mostly 0, small numbers, now and then a large one."""

    def __init__(self, rng: random.Random, scale: int):
        self.rng = rng
        self.scale = scale  # the order of magnitude of the agency's larger counts

    def count(self, zero: float = 0.5, scale: int | None = None) -> int:
        if self.rng.random() < zero:
            return 0
        top = max(1, scale if scale is not None else self.scale)
        return int(top ** self.rng.random())  # log-uniform in [1, top)

    def money(self, zero: float = 0.4, units: bool = False) -> tuple[Number, str]:
        """An amount in 万元 and how it is written: decimals as reports give them (``865.95``,
        ``5949.088667``), now and then thousands separators, and with ``units`` sometimes in
        元 with the unit written (``3802895.90元``, read as 380.28959 万元)."""
        if self.rng.random() < zero:
            return 0, "0"
        decimals = self.rng.choice((0, 1, 2, 2, 4, 6))
        amount = Decimal(round(self.rng.uniform(0.01, 1.0) * self.count(0, self.scale * 10 + 10),
                               decimals)).quantize(Decimal(1).scaleb(-decimals))
        if units and self.rng.random() < 0.3:
            yuan = (amount * 10000).quantize(Decimal("0.01"))
            return _number(yuan / 10000), f"{yuan}元"
        text = f"{amount:,}" if amount >= 1000 and self.rng.random() < 0.15 else f"{amount}"
        return _number(amount), text

    def split(self, total: int, parts: int, active: list[float]) -> list[int]:
        """``total`` split over ``parts`` by the weights ``active`` (0: the part stays 0)."""
        weights = [w * self.rng.random() for w in active]
        if total == 0 or not any(weights):
            out = [0] * parts
            if total:
                out[0] = total
            return out
        s = sum(weights)
        out = [int(total * w / s) for w in weights]
        live = [i for i, w in enumerate(weights) if w]
        for _ in range(total - sum(out)):
            out[self.rng.choice(live)] += 1
        return out


def proactive_numbers(template: str, draw: Draw, numbers: Numbers, units: bool = False) -> None:
    table = "proactive"
    for row in layout_for(table, template).rows:
        def ref(column: str, code: str = row.code) -> Ref:
            return (table, code, column)

        cols = row.columns
        if cols in (("new_made", "new_published", "total_published"),
                    ("issued", "repealed", "in_force")):
            made = draw.count(0.5, 10 if row.code == "regulations" else draw.scale)
            if cols[0] == "issued":
                second = draw.count(0.6, made + 1)
            else:  # often all published that were made, and no older ones: 7 7 7
                second = made if draw.rng.random() < 0.5 else draw.rng.randint(0, made)
            total = made + draw.count(0.5, draw.scale * 3)
            for column, value in zip(cols, (made, second, total), strict=True):
                numbers.put(ref(column), value)
            continue
        for column in cols:
            kind = load_codes().table(table).column(column).kind
            if kind == "money":
                value, text = draw.money(units=units and column == "amount")
                numbers.put(ref(column), value, text)
            elif kind == "change":
                prior = numbers.values.get(ref("prior_items")) or 0
                change = draw.count(0.6, 20) * draw.rng.choice((1, -1))
                numbers.put(ref(column), max(change, -prior))
            else:
                numbers.put(ref(column), draw.count(0.4, draw.scale * 100))


def requests_numbers(template: str, draw: Draw, numbers: Numbers) -> None:
    table = "requests"
    layout = layout_for(table, template)
    rows = list(layout.row_codes)
    columns = list(layout.rows[0].columns)
    applicants = [c for c in columns if c != "total"]
    outcomes = rows[rows.index("granted"):rows.index("total")]
    # A few outcomes account for most requests; each report has its own few.
    likely = {"granted": 3, "partly_granted": 1, "unable.not_held": 2, "other": 1,
              "other.other": 1, "other.no_correction": 0.5}
    active = [likely.get(r, 0.3) if draw.rng.random() < (0.8 if r in likely else 0.15) else 0
              for r in outcomes]
    grid: dict[tuple[str, str], int] = {}
    for i, column in enumerate(applicants):
        new = draw.count(0.1 if i == 0 else 0.75, draw.scale if i == 0 else draw.scale // 10 + 2)
        carried_over = draw.count(0.6, new // 5 + 2)
        forward = draw.rng.randint(0, (new + carried_over) // 4) if draw.rng.random() < 0.5 else 0
        total = new + carried_over - forward
        grid.update({("new", column): new, ("carried_over", column): carried_over,
                     ("total", column): total, ("carried_forward", column): forward})
        for row, value in zip(outcomes, draw.split(total, len(outcomes), active), strict=True):
            grid[(row, column)] = value
    for row in rows:
        grid[(row, "total")] = sum(grid[(row, c)] for c in applicants)
        for column in columns:
            numbers.put((table, row, column), grid[(row, column)])


def review_numbers(draw: Draw, numbers: Numbers) -> None:
    table = "review_litigation"
    layout = layout_for(table, "2019")
    for row in layout.rows:
        parts = [c for c in row.columns if c != "total"]
        values = [draw.count(0.7, draw.scale // 20 + 3) for _ in parts]
        for column, value in zip(parts, values, strict=True):
            numbers.put((table, row.code, column), value)
        numbers.put((table, row.code, "total"), sum(values))


def blank_zeros(numbers: Numbers, rng: random.Random, share: float) -> None:
    """Leave some zero cells blank, as agencies do for legal persons and table four."""
    for ref, value in list(numbers.values.items()):
        table, _, column = ref
        blankable = ((table == "requests" and column.startswith("legal_person."))
                     or table == "review_litigation")
        if value == 0 and blankable and rng.random() < share:
            numbers.blank(ref)


# -- the grids of the three tables --------------------------------------------------------------


def value_cell(numbers: Numbers, ref: Ref, colspan: int = 1) -> GridCell:
    return GridCell(numbers.written[ref], colspan=colspan, ref=ref)


def proactive_grid(template: str, labels: Labels, numbers: Numbers) -> Grid:
    table, width = "proactive", 4
    rows: list[list[GridCell]] = []
    item = None
    for row in layout_for(table, template).rows:
        if PROACTIVE_ITEMS[row.code] != item:
            item = PROACTIVE_ITEMS[row.code]
            rows.append([GridCell(labels.text(f"{ITEM_MARKER}({item})项"), colspan=width)])
            header = [GridCell(labels.text(CONTENT_HEADER))]
            header += [GridCell(labels.column(table, c)) for c in row.columns]
            pad = width - 1 - len(row.columns)
            header[-1] = GridCell(header[-1].text, colspan=1 + pad)
            rows.append(header)
        cells = [GridCell(labels.row(table, row.code))]
        cells += [value_cell(numbers, (table, row.code, c)) for c in row.columns]
        pad = width - 1 - len(row.columns)
        cells[-1] = GridCell(cells[-1].text, colspan=1 + pad, ref=cells[-1].ref)
        rows.append(cells)
    return Grid(table, width, rows)


def requests_grid(template: str, labels: Labels, numbers: Numbers) -> Grid:
    table = "requests"
    layout = layout_for(table, template)
    columns = list(layout.rows[0].columns)
    codes = list(layout.row_codes)
    width = 3 + len(columns)
    grouped = [c for c in columns if labels.column_group(table, c)]
    header0 = [GridCell(labels.text(REQUESTS_NOTE), colspan=3, rowspan=3),
               GridCell(labels.text(APPLICANTS), colspan=len(columns))]
    header1: list[GridCell] = []
    header2: list[GridCell] = []
    for column in columns:
        group = labels.column_group(table, column)
        if group is None:
            header1.append(GridCell(labels.column(table, column), rowspan=2))
        else:
            if column == grouped[0]:
                header1.append(GridCell(group, colspan=len(grouped)))
            header2.append(GridCell(labels.column(table, column)))
    rows = [header0, header1, header2]
    first, last = codes.index("granted"), codes.index("total")
    groups: dict[str, int] = {}
    for code in codes[first:last]:
        if "." in code:
            groups[code.split(".")[0]] = groups.get(code.split(".")[0], 0) + 1
    for i, code in enumerate(codes):
        cells: list[GridCell] = []
        own = labels.row(table, code)
        if not first <= i <= last:
            cells.append(GridCell(own, colspan=3))
        else:
            if i == first:
                outcome = labels.row_group(table, code)
                cells.append(GridCell(outcome or "", rowspan=last - first + 1))
            group = code.split(".")[0] if "." in code else None
            if group is None:
                cells.append(GridCell(own, colspan=2))
            else:
                if codes.index(code) == min(codes.index(c) for c in codes
                                            if c.startswith(group + ".")):
                    cells.append(GridCell(labels.row_group(table, code) or "",
                                          rowspan=groups[group]))
                cells.append(GridCell(own))
        cells += [value_cell(numbers, (table, code, c)) for c in columns]
        rows.append(cells)
    return Grid(table, width, rows)


def review_grid(labels: Labels, numbers: Numbers) -> Grid:
    table = "review_litigation"
    layout = layout_for(table, "2019")
    columns = list(layout.rows[0].columns)
    n = len(columns)
    first, *rest = layout.row_codes
    parent = labels.row_parent(table, rest[0])
    header0 = [GridCell(labels.row(table, first), colspan=n),
               GridCell(parent or "", colspan=n * len(rest))]
    header1 = [GridCell(labels.column(table, c), rowspan=2) for c in columns]
    header1 += [GridCell(labels.row(table, r), colspan=n) for r in rest]
    header2 = [GridCell(labels.column(table, c)) for _ in rest for c in columns]
    values = [value_cell(numbers, (table, r, c)) for r in layout.row_codes for c in columns]
    return Grid(table, n * len(layout.row_codes), [header0, header1, header2, values])


# -- the report around the tables ----------------------------------------------------------------

AGENCIES = ("示例市人民政府办公室", "样本县交通运输局", "测试区生态环境局",
            "模拟市自然资源和规划局", "虚构县人民政府", "演示市审计局", "样例镇人民政府",
            "假设市市场监督管理局")
OVERVIEW_PARTS = ("主动公开", "依申请公开", "政府信息管理", "政府信息公开平台建设", "监督保障")
PROSE = (
    "{year}年,我{unit}认真贯彻落实《中华人民共和国政府信息公开条例》,坚持以公开为常态、不公开为例外,"
    "全面推进政务公开工作。",
    "全年通过门户网站主动公开政府信息{n}条,其中政策文件{m}件,政策解读{k}篇。",
    "严格落实信息发布审查制度,确保公开内容准确、及时、规范。",
    # Numbers the prose states about the tables would have to agree with them (the narrative
    # rule checks that): the prose here states none.
    "{year}年依申请公开工作均在法定期限内予以答复。",
    "调整完善政府信息公开工作领导小组,明确专人负责,做到工作连续有序。",
    "进一步优化政府网站栏目设置,及时更新工作动态、通知公告等栏目信息。",
    "将政务公开工作纳入年度目标考核,定期组织业务培训{k}次。",
    "{year}年新增公开行政许可{k}项,行政处罚{m}项。",
)
REQUESTS_PROSE = ("{year}年,我{unit}依法办理政府信息公开申请,答复内容规范。",
                  "本年度无下年度结转的申请。")
PROBLEMS = ("一是公开内容的及时性还有待提高;二是政策解读的形式较为单一。",
            "下一步,我{unit}将加强业务培训,进一步规范政府信息公开工作。")
OTHER_MATTERS = ("{year}年,未收取政府信息公开信息处理费。", "无其他需要报告的事项。",
                 "依据《政府信息公开信息处理费管理办法》,{year}年共收取信息处理费{k}元。")
NUMERALS = "一二三四五六"
SECTIONS = ("overview", "proactive", "requests", "review_litigation", "problems",
            "other_matters")


@dataclass(frozen=True)
class Block:
    """A piece of the report: ``title``, ``heading``, ``subheading``, ``para``, ``sign``,
    ``table``."""

    kind: str
    text: str = ""
    grid: Grid | None = None


@dataclass
class Generated:
    """A generated report before rendering: its blocks and the cells it must read back as."""

    template: str
    seed: int
    agency: str
    year: int
    blocks: list[Block]
    #: Every cell of the three tables as the source writes it: the number, None where blank.
    cells: dict[Ref, Number | None]
    #: Every cell's true number (a blank cell is 0 in truth).
    truth: dict[Ref, Number]


def _prose(rng: random.Random, choices, year: int, unit: str, count: int = 1) -> str:
    picked = rng.sample(list(choices), min(count, len(choices)))
    values = {"year": year, "unit": unit, "n": rng.randint(10, 5000), "m": rng.randint(0, 300),
              "k": rng.randint(0, 40)}
    return "".join(p.format(**values) for p in picked)


def build(template: str, seed: int, *, blanks: float = 0.0, units: bool = False) -> Generated:
    """The report of ``seed`` in ``template``; ``blanks``: share of blankable zeros left blank;
    ``units``: procurement amounts sometimes in 元 with the unit written."""
    if template not in TEMPLATES:
        raise ValueError(f"template must be one of {TEMPLATES}, not {template!r}")
    rng = random.Random(f"{template}:{seed}")
    labels = Labels(rng, fullwidth=rng.random() < 0.5,
                    breaks=0.5 if rng.random() < 0.3 else 0.0)
    draw = Draw(rng, rng.choice((3, 12, 60, 400, 5000)))
    numbers = Numbers()
    proactive_numbers(template, draw, numbers, units)
    requests_numbers(template, draw, numbers)
    review_numbers(draw, numbers)
    truth = {ref: v for ref, v in numbers.values.items() if v is not None}
    if blanks:
        blank_zeros(numbers, rng, blanks)
    year = rng.randint(2020, 2025) if template == "2021" else rng.randint(2019, 2021)
    agency = rng.choice(AGENCIES)
    unit = "局" if agency.endswith("局") else ("办" if agency.endswith("办公室") else "单位")
    t = labels.text
    period = f"本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
    blocks = [Block("title", f"{agency}{year}年政府信息公开工作年度报告"),
              Block("para", t(_prose(rng, PROSE[:1], year, unit) + period))]
    grids = {"proactive": proactive_grid(template, labels, numbers),
             "requests": requests_grid(template, labels, numbers),
             "review_litigation": review_grid(labels, numbers)}
    for number, section in zip(NUMERALS, SECTIONS, strict=True):
        blocks.append(Block("heading", f"{number}、{labels.section(section)}"))
        if section == "overview":
            for i, part in enumerate(rng.sample(OVERVIEW_PARTS, rng.randint(0, 5))):
                blocks.append(Block("subheading", t(f"({NUMERALS[i]}){part}")))
                blocks.append(Block("para", t(_prose(rng, PROSE, year, unit, 2))))
            if blocks[-1].kind != "para":
                blocks.append(Block("para", t(_prose(rng, PROSE, year, unit, 3))))
        elif section in grids:
            if section == "requests" and rng.random() < 0.3:
                blocks.append(Block("para", t(_prose(rng, REQUESTS_PROSE, year, unit, 2))))
            blocks.append(Block("table", grid=grids[section]))
        elif section == "problems":
            blocks.append(Block("para", t(_prose(rng, PROBLEMS, year, unit, 2))))
        else:
            blocks.append(Block("para", t(_prose(rng, OTHER_MATTERS, year, unit))))
    blocks.append(Block("sign", agency))
    blocks.append(Block("sign", f"{year + 1}年3月{rng.randint(1, 31)}日"))
    return Generated(template, seed, agency, year, blocks, dict(numbers.values), truth)


# -- renderers: one per shape, each from the same blocks ----------------------------------------

Renderer = Callable[[Generated, random.Random], str]


def _lines(report: Generated, table: Callable[[Grid], list[str]]) -> str:
    out: list[str] = []
    for block in report.blocks:
        out.extend(table(block.grid) if block.grid is not None else [block.text])
    return "\n".join(out) + "\n"


def render_html(report: Generated, rng: random.Random) -> str:
    """The page as a government site serves it: <p> paragraphs, <table> with the spans."""
    wrapped = rng.random() < 0.5
    out = ['<!DOCTYPE html><html><head><meta charset="utf-8">',
           f"<title>{html.escape(report.blocks[0].text)}</title></head>",
           '<body><div class="article-content">']
    for block in report.blocks:
        if block.grid is None:
            out.append(f"<p>{html.escape(block.text)}</p>")
            continue
        out.append('<table border="1">')
        for cells in block.grid.rows:
            tds = []
            for cell in cells:
                attrs = (f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else "") + (
                    f' colspan="{cell.colspan}"' if cell.colspan > 1 else "")
                text = html.escape(cell.text)
                if wrapped:  # what a site's editor makes of a cell
                    text = (f'<p style="text-align:center"><span style="font-size:14px">{text}'
                            "</span></p>")
                tds.append(f"<td{attrs}>{text}</td>")
            out.append("<tr>" + "".join(tds) + "</tr>")
        out.append("</table>")
    out.append("</div></body></html>")
    return "\n".join(out) + "\n"


def render_markdown(report: Generated, rng: random.Random) -> str:
    """Pipe tables of the whole grid: a span leaves empty cells (``| 一、本年新收… | | | 19 |``)."""
    def table(grid: Grid) -> list[str]:
        lines = []
        for i, slots in enumerate(grid.slots()):
            texts = [s.cell.text if s.kind == "origin" else "" for s in slots]
            lines.append("| " + " | ".join(texts) + " |")
            if i == 0:
                lines.append("|" + "---|" * grid.width)
        return ["", *lines, ""]

    return _lines(report, table)


def render_markdown_compact(report: Generated, rng: random.Random) -> str:
    """Pipe tables with only a row's own cells, empty cells at its end to the table's width
    (``| 1.属于国家秘密 | 4 | … | 4 |  |``), as PDF-to-Markdown converters write them."""
    def table(grid: Grid) -> list[str]:
        lines = []
        for i, slots in enumerate(grid.slots()):
            texts = [s.cell.text for s in slots if s.kind == "origin"]
            texts += [""] * (grid.width - len(texts))
            lines.append("| " + " | ".join(texts) + " |")
            if i == 0:
                lines.append("|" + "---|" * grid.width)
        return ["", *lines, ""]

    return _lines(report, table)


def _padding(slots: list[Slot]) -> int:
    return sum(1 for s in slots if s.kind != "origin")


def render_rows(report: Generated, rng: random.Random) -> str:
    """A row per line, cells closed by `` |``, a row's span padding at its end (the seeds)."""
    def table(grid: Grid) -> list[str]:
        lines = []
        for slots in grid.slots():
            cells = " ".join(f"{s.cell.text} |" for s in slots if s.kind == "origin")
            pad = _padding(slots)
            lines.append(cells + (" " + "|" * pad if pad else ""))
        return lines

    return _lines(report, table)


def render_rows_padnext(report: Generated, rng: random.Random) -> str:
    """A row per line, each cell's column-span padding right after it
    (``一、本年新收… | || 19 | 1 |``); rows covered by a row span get no padding."""
    def table(grid: Grid) -> list[str]:
        lines = []
        for cells in grid.rows:
            parts = [f"{c.text} |" + (" " + "|" * (c.colspan - 1) if c.colspan > 1 else "")
                     for c in cells]
            lines.append(" ".join(parts))
        return lines

    return _lines(report, table)


def render_cells(report: Generated, rng: random.Random) -> str:
    """A cell per line (``规章 |`` / ``0 |``), a row's span padding on a line after it."""
    def table(grid: Grid) -> list[str]:
        lines = []
        for slots in grid.slots():
            lines += [f"{s.cell.text} |" for s in slots if s.kind == "origin"]
            if pad := _padding(slots):
                lines.append("|" * pad)
        return lines

    return _lines(report, table)


def render_cells_barlines(report: Generated, rng: random.Random) -> str:
    """A cell per line with a line holding only ``|`` after every cell."""
    def table(grid: Grid) -> list[str]:
        lines = []
        for slots in grid.slots():
            for s in slots:
                if s.kind == "origin":
                    lines += [s.cell.text, "|"]
            if pad := _padding(slots):
                lines.append("|" * pad)
        return lines

    return _lines(report, table)


def render_cells_rowbar(report: Generated, rng: random.Random) -> str:
    """A cell per line, a line ``|`` opening every row, span padding on the row's last cell
    (``0 | ||``): the 汉阳 page's flattening."""
    def table(grid: Grid) -> list[str]:
        lines = []
        for slots in grid.slots():
            cells = [f"{s.cell.text} |" for s in slots if s.kind == "origin"]
            if pad := _padding(slots):
                cells[-1] += " " + "|" * pad
            lines += ["|", *cells]
        return lines

    return _lines(report, table)


def _bare(report: Generated, rng: random.Random, blank_lines: bool) -> str:
    def table(grid: Grid) -> list[str]:
        lines = []
        for cells in grid.rows:
            for c in cells:
                if c.text:
                    lines.append(c.text)
                    if blank_lines:
                        lines.append("")
        return lines

    return _lines(report, table)


def render_bare(report: Generated, rng: random.Random) -> str:
    """A cell per line, no separators at all (``规章`` / ``0`` / ``0`` / ``6``)."""
    return _bare(report, rng, blank_lines=False)


def render_bare_blank(report: Generated, rng: random.Random) -> str:
    """A cell per line without separators, a blank line after every cell."""
    return _bare(report, rng, blank_lines=True)


def render_spaces(report: Generated, rng: random.Random) -> str:
    """A row per line, cells apart by spaces, spans and empty cells gone (text of a PDF)."""
    def table(grid: Grid) -> list[str]:
        return [" ".join(c.text for c in cells if c.text) for cells in grid.rows]

    return _lines(report, table)


def _wrap(text: str, width: int) -> list[str]:
    return [text[i:i + width] for i in range(0, len(text), width)] or [""]


def _pdf_table(grid: Grid, rng: random.Random) -> list[str]:
    """A table as a PDF's text layer gives it: a row per line, cells apart by spaces, long
    labels wrapped with the numbers after their last piece (or on a line of their own), a
    label spanning rows broken a character per line, table four's headers a character per
    line across its columns (``结 结 其 尚`` / ``果 果 他 未``)."""
    lines: list[str] = []
    header_rows = 3 if grid.table in ("requests", "review_litigation") else 0
    for r, cells in enumerate(grid.rows):
        if grid.table == "review_litigation" and r in (1, 2):
            if r == 1:
                groups = [c.text for c in cells if c.colspan > 1]
                lines.append(" ".join(groups))
                heads = [c.text for c in cells if c.colspan == 1] + [
                    c.text for c in grid.rows[2]]
                for k in range(max(map(len, heads))):
                    lines.append(" ".join(h[k] for h in heads if k < len(h)))
            continue
        if grid.table == "requests" and r == 2:
            halves = [(c.text[:len(c.text) // 2 + 1], c.text[len(c.text) // 2 + 1:])
                      for c in cells]
            lines.append(" ".join(a for a, _ in halves))
            lines.append(" ".join(b for _, b in halves if b))
            continue
        labels = [c for c in cells if not c.is_value and c.text]
        values = " ".join(c.text for c in cells if c.is_value and c.text)
        words: list[str] = []
        for c in labels:
            if c.rowspan > 2 and r >= header_rows:
                lines.extend(_wrap(c.text, 1 if c.rowspan > 8 else 3))  # 三、本年度办理结果
                continue
            if len(c.text) > 16:
                pieces = _wrap(c.text, 14)
                lines.extend(" ".join([*words, p]) if i == 0 else p
                             for i, p in enumerate(pieces[:-1]))
                words = [pieces[-1]]
                if len(pieces) > 2 and values:
                    lines.append(words.pop())
            else:
                words.append(c.text)
        line = " ".join(w for w in [*words, values] if w)
        if line:
            lines.append(line)
    return lines


def render_pdf(report: Generated, rng: random.Random) -> str:
    """Text extracted from a PDF: prose wrapped at the page's width, page numbers ``- 3 -``
    between lines (inside tables too), the tables as :func:`_pdf_table` lays them out."""
    lines: list[str] = []
    for block in report.blocks:
        if block.grid is not None:
            lines += _pdf_table(block.grid, rng)
        elif block.kind == "para":
            lines += _wrap(block.text, rng.choice((28, 30, 32)))
        else:
            lines.append(block.text)
    out, page, every = ["- 1 -"], 1, rng.randint(30, 45)
    for i, line in enumerate(lines, 1):
        out.append(line)
        if i % every == 0:
            page += 1
            out.append(f"- {page} -")
    return "\n".join(out) + "\n"


def render_dropped(report: Generated, rng: random.Random) -> str:
    """A cell per line with the row's empty cells dropped; their bars join the row's padding
    at its end (``一、本年新收… |`` ``3 |`` ``3 |`` ``|||||||``). Rendered from a report with
    blank cells (see SHAPES)."""
    def table(grid: Grid) -> list[str]:
        lines = []
        for slots in grid.slots():
            kept = [s for s in slots if s.kind == "origin" and s.cell.text]
            lines += [f"{s.cell.text} |" for s in kept]
            if pad := len(slots) - len(kept):
                lines.append("|" * pad)
        return lines

    return _lines(report, table)


def _together(cells: list[GridCell], rng: random.Random) -> str:
    """A row's cells written together, a space now and then where one number ends."""
    out = ""
    for i, c in enumerate(cells):
        if i and c.is_value and cells[i - 1].is_value and rng.random() < 0.1:
            out += " "
        out += c.text
    return out


def render_together(report: Generated, rng: random.Random) -> str:
    """A row per line, its labels and numbers written together (``规范性文件7777166``)."""
    def table(grid: Grid) -> list[str]:
        return [_together(cells, rng) for cells in grid.rows]

    return _lines(report, table)


CRAWL_RULE = "=" * 20


def render_paragraph(report: Generated, rng: random.Random) -> str:
    """A crawler's dump: header lines, then the whole report as one paragraph, tables inline
    with every row's numbers written together (the 平潭 archive)."""
    return _paragraph(report, rng, lambda cells: _together(cells, rng), "")


def render_paragraph_spaced(report: Generated, rng: random.Random) -> str:
    """A crawler's dump as one paragraph, a table's cells apart by single spaces (a page's
    text taken with its cells joined by spaces)."""
    return _paragraph(report, rng, lambda cells: " ".join(c.text for c in cells if c.text), " ")


def render_parts_spaced(report: Generated, rng: random.Random) -> str:
    """A crawler's dump cut at every numbered part: a line per part, its table inline with the
    cells apart by spaces."""
    return _paragraph(report, rng, lambda cells: " ".join(c.text for c in cells if c.text), " ",
                      parts=True)


def _paragraph(report: Generated, rng: random.Random, row: Callable[[list[GridCell]], str],
               between_rows: str, parts: bool = False) -> str:
    published = (f"{report.year + 1}-03-{rng.randint(10, 31)} "
                 f"{rng.randint(8, 18)}:{rng.randint(10, 59)}")
    url = f"https://www.example.gov.cn/zwgk/nb/{report.year + 1}/t{rng.randint(10**6, 10**7)}.htm"
    head = [f"标题: {report.blocks[0].text}",
            f"发布时间: {published}",
            f"发布机构: {report.agency}",
            f"原文链接: {url}",
            f"{CRAWL_RULE} 正文 {CRAWL_RULE}"]
    body = []
    for block in report.blocks[1:]:
        if block.grid is not None:
            body.append(between_rows.join(row(cells) for cells in block.grid.rows))
        else:
            body.append(block.text)
    joined = ""
    for block, piece in zip(report.blocks[1:], body, strict=True):
        if parts and block.kind == "heading" and joined:
            joined += "\n"
        elif joined and rng.random() < 0.4:
            joined += " "
        joined += piece
    return "\n".join(head) + "\n" + joined + "\n"


@dataclass(frozen=True)
class Shape:
    name: str
    render: Renderer
    description: str
    #: Share of blankable zero cells the report leaves blank (the shape is about them).
    blanks: float = 0.0
    #: Money sometimes written in 元 with its unit (``3802895.90元``), as the crawler dumps
    #: of issue 15 have it. (PDF text with such a cell is cells-ambiguous today: a finding.)
    units: bool = False


SHAPES: dict[str, Shape] = {s.name: s for s in (
    Shape("html", render_html, "HTML, <table> with rowspan/colspan"),
    Shape("markdown", render_markdown, "Markdown pipe tables, span blanks before the numbers"),
    Shape("markdown-compact", render_markdown_compact,
          "Markdown pipe tables, a row's own cells then empty cells to the width"),
    Shape("rows", render_rows, "a row per line, span padding at the end of the row"),
    Shape("rows-blanks", render_rows, "a row per line, some zero cells left blank ( |  | )",
          blanks=0.4),
    Shape("rows-padnext", render_rows_padnext, "a row per line, span padding next to its cell"),
    Shape("cells", render_cells, "a cell per line, padding on a line after the row"),
    Shape("cells-barlines", render_cells_barlines, "a cell per line, a line '|' after each"),
    Shape("cells-rowbar", render_cells_rowbar, "a cell per line, a line '|' opening each row"),
    Shape("bare", render_bare, "a cell per line, no separators"),
    Shape("bare-blank", render_bare_blank, "a cell per line, no separators, blank lines"),
    Shape("spaces", render_spaces, "a row per line, cells apart by spaces (PDF text)"),
    Shape("pdf", render_pdf, "PDF text: wrapped labels, page numbers, broken headers"),
    Shape("dropped", render_dropped, "a cell per line, a row's empty cells dropped",
          blanks=0.6),
    Shape("together", render_together, "a row per line, its numbers written together",
          units=True),
    Shape("paragraph", render_paragraph, "crawler dump: the report as one paragraph",
          units=True),
    Shape("paragraph-spaced", render_paragraph_spaced,
          "crawler dump: one paragraph, a table's cells apart by spaces"),
    Shape("parts-spaced", render_parts_spaced,
          "crawler dump: a line per numbered part, a table's cells apart by spaces"),
)}


@cache
def _opencc(config: str):
    import opencc

    return opencc.OpenCC(config)


def to_traditional(text: str, rng: random.Random) -> str:
    """Traditional script as mirrors convert it: characters only (s2t) or vocabulary too
    (s2twp: 文件 → 檔案, 信息 → 資訊)."""
    return _opencc(rng.choice(("s2t", "s2twp"))).convert(text)


@dataclass(frozen=True)
class Case:
    """One generated input: the text and the cells it must read back as."""

    shape: str
    template: str
    seed: int
    script: str
    text: str
    cells: dict[Ref, Number | None]
    truth: dict[Ref, Number]

    @property
    def name(self) -> str:
        return f"{self.shape}/{self.script}/{self.template}/seed {self.seed}"


def generate(shape: str, template: str, seed: int, script: str = "simplified") -> Case:
    """The report of ``seed`` in ``template``, rendered as ``shape`` in ``script``."""
    if shape not in SHAPES:
        raise ValueError(f"unknown shape {shape!r} (shapes: {', '.join(SHAPES)})")
    if script not in SCRIPTS:
        raise ValueError(f"script must be one of {SCRIPTS}, not {script!r}")
    spec = SHAPES[shape]
    report = build(template, seed, blanks=spec.blanks, units=spec.units)
    rng = random.Random(f"{shape}:{template}:{seed}")
    text = spec.render(report, rng)
    if script == "traditional":
        text = to_traditional(text, rng)
    return Case(shape, template, seed, script, text, report.cells, report.truth)


def cases(shape: str, seeds: range, scripts=SCRIPTS, templates=TEMPLATES) -> Iterator[Case]:
    for script in scripts:
        for template in templates:
            for seed in seeds:
                yield generate(shape, template, seed, script)


# -- command line --------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.reportgen", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shape", default="rows", choices=list(SHAPES))
    parser.add_argument("--template", default="2021", choices=TEMPLATES)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--script", default="simplified", choices=SCRIPTS)
    parser.add_argument("--expected", action="store_true",
                        help="print the expected cells (table/row/column value) after the text")
    parser.add_argument("--check", action="store_true",
                        help="convert it with gongkai and print the cells it gets wrong or empty")
    args = parser.parse_args(argv)
    case = generate(args.shape, args.template, args.seed, args.script)
    sys.stdout.write(case.text)
    if args.expected:
        print(f"# expected cells of {case.name}")
        for (table, row, column), value in case.cells.items():
            print(f"{table}/{row}/{column}\t{'' if value is None else value}")
    if args.check:
        from gongkai import GongkaiError, convert_text

        print(f"# {case.name}: gongkai reads it so")
        try:
            report = convert_text(case.text)
        except GongkaiError as exc:
            print(exc.format())
            return 1
        for (table, row, column), value in case.cells.items():
            got = report.cell(table, row, column)
            if got is None or got.value != value:
                print(f"{table}/{row}/{column}\texpected {value}\tgot "
                      f"{'no cell' if got is None else f'{got.value} ({got.status})'}")
        for d in report.diagnostics:
            print(f"{d.line}: {d.severity} {d.code}: {d.message}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
