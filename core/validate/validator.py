"""The validate stage: run the rules, restore what identities determine, grade the findings.

Rules are plugins (``gongkai_add_rules``). Most are plain
:class:`~gongkai.engine.plugin_types.Rule`\\ s with a ``check`` function; an *identity rule*
(:func:`identity_rule`) instead states equations between cells (勾稽关系), and this module both
checks them and uses them to restore cells the source left empty when an equation determines them
(status ``inferred``, finding ``cells.inferred``).

Conversion diagnostics (``cell-empty``, ``table-missing``…; codes without a dot) say how the
text was read. A rule that checks the same facts declares them in ``Rule.covers``: it does not
repeat them, and its configuration (``off`` or a severity) applies to them too. The order is:

1. settings: each rule's severity from ``[rules]`` in the configuration, or ``off``;
2. inference: cells determined by the equations of the enabled identity rules are restored;
3. conversion diagnostics are graded by the rules covering them (and one about a single cell
   that was restored is dropped: the ``cells.inferred`` finding restates it);
4. every enabled rule checks the report; its findings get the rule's configured severity;
5. then, when an identity broke, the rules about the identities (``Rule.check_identities``: the
   culprit cells) get the report and the equations of the enabled identity rules.
"""

from __future__ import annotations

import functools
import math
import warnings
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import chain
from typing import TYPE_CHECKING

import attrs

from gongkai.config import Config
from gongkai.engine import guard
from gongkai.engine.plugin_types import Rule
from gongkai.model import (
    Cell,
    CellRef,
    Diagnostic,
    Number,
    Report,
    Severity,
    Status,
    Table,
    cell_ref,
)

if TYPE_CHECKING:  # annotations only: the engine's variants import this package
    from gongkai.engine.manager import Engine

#: The id of the restoration of determined cells: configurable like a rule (``off`` disables it).
INFERRED = "cells.inferred"

#: Cells whose value the source lacks and an identity may restore: the source wrote nothing.
#: Text that is not a number (``unparsed``) is never overwritten — unless it is a number with
#: the letters OCR takes for digits (``I634``, ``lO``) and the identity gives exactly that
#: number (``ocr_number``).
RESTORABLE = (Status.EMPTY, Status.MISSING, Status.AMBIGUOUS)

#: Letters OCR reads for digits, and the digits.
_OCR_DIGITS = str.maketrans({"O": "0", "o": "0", "D": "0", "l": "1", "I": "1", "|": "1",
                             "i": "1", "Z": "2", "z": "2", "S": "5", "s": "5", "B": "8"})


def ocr_number(raw: str) -> int | None:
    """The whole number an unparsed cell's text is once OCR's look-alike letters are read as
    digits (``I634`` -> 1634, ``lO`` -> 10); None when it is not one, or has no such letter."""
    text = raw.strip().replace(",", "")
    digits = text.translate(_OCR_DIGITS)
    if digits == text or not digits.isascii() or not digits.isdigit() or len(digits) > 12:
        return None
    return int(digits)


def _may_restore(cell: Cell) -> bool:
    """Whether inference may give this cell a value (RESTORABLE, or OCR's misread number)."""
    return cell.status in RESTORABLE or (
        cell.status is Status.UNPARSED and ocr_number(cell.raw) is not None)

#: Plugin name given to findings of the validate stage itself (inference, failing rules).
STAGE = "gongkai"

#: A cell's address as a plain tuple ``(table, row, column)``.
Address = tuple[str, str, str]


class ConfigWarning(UserWarning):
    """The configuration names a rule that no loaded plugin registers."""


# -- equations -----------------------------------------------------------------------------------


@attrs.frozen
class Equation:
    """``sum(left) = sum(right)`` over cells of one table: one instance of an identity.

    A placeholder (``/``, ``-``, ``无``) counts as 0: the report means "none". A cell without a
    value (empty, missing, not a number) leaves the equation unchecked, unless inference restores
    it first.
    """

    table: str
    left: tuple[CellRef, ...]
    right: tuple[CellRef, ...]
    #: Where the instance applies, for messages: ``column natural_person``, ``row total``.
    where: str
    #: The identity in words; generated from the cell codes when empty.
    formula: str = ""

    @property
    def refs(self) -> tuple[CellRef, ...]:
        return self.left + self.right

    @functools.cached_property
    def _keys(self) -> tuple[tuple[Address, ...], tuple[Address, ...]]:
        """Both sides as plain address tuples: hashed in C, where a CellRef's hash is a call."""
        return (tuple((r.table, r.row, r.column) for r in self.left),
                tuple((r.table, r.row, r.column) for r in self.right))

    def text(self) -> str:
        return self.formula or f"{_names(self.left)} = {_names(self.right)}"


def identity_rule(id: str, severity: Severity, description: str,
                  equations: Callable[[Report], Iterable[Equation]]) -> Rule:
    """A rule defined by equations: checked here, and used to restore determined cells."""
    def check(report: Report) -> Iterator[Diagnostic]:
        return check_equations(report, equations(report), id, severity)

    return Rule(id=id, severity=severity, description=description, check=check,
                equations=equations)


def check_equations(report: Report, equations: Iterable[Equation], rule_id: str,
                    severity: Severity) -> Iterator[Diagnostic]:
    """A finding for each equation whose cells all have values and whose sides differ."""
    compiled = _compiled(report, equations)
    if compiled is None:
        get = _value_index(report).get
        sides = ((eq, list(map(get, eq._keys[0])), list(map(get, eq._keys[1])))
                 for eq in equations)
    else:
        values, plan = compiled
        found = list(map(values.__getitem__, plan.positions))
        try:  # every side's sum at once: equal when every identity holds, as most do
            if (list(map(sum, map(found.__getitem__, plan.lefts)))
                    == list(map(sum, map(found.__getitem__, plan.rights)))):
                return
        except TypeError:  # a cell without a value: looked at equation by equation
            pass
        sides = ((eq, found[start:middle], found[middle:end])
                 for eq, start, middle, end in plan.spans)
    for eq, left, right in sides:
        # Plain lookups: most identities hold, and a finding is built only when one does not.
        if None in left or None in right:
            continue
        total, other = sum(left), sum(right)
        if total == other or same_number(total, other):
            continue
        cells = _index(report)
        yield Diagnostic(
            severity=severity, code=rule_id,
            message=(f"{eq.table}, {eq.where}: {eq.text()} does not hold: "
                     f"{_side(eq.left, left)} ≠ {_side(eq.right, right)}"
                     f" (off by {format_value(abs(sum(left) - sum(right)))})"),
            # The line is the first cell of the right side: the total, in gongkai's identities.
            **_location(cells, eq.refs, anchor=eq.right[0]),
        )


# -- the stage -----------------------------------------------------------------------------------


def validate(report: Report, *, engine: Engine, config: Config | None = None) -> Report:
    """Restore determined cells, run every enabled rule and grade the findings.

    Findings of earlier validation (codes of registered rules) are replaced, so validating a
    report twice gives the same diagnostics; restored cells stay restored.
    """
    config = config or _NO_CONFIG
    rules, settings, stale, covered = _plan(engine.rules(), config, engine.corpus_rules())
    kept = tuple(d for d in report.diagnostics if d.code not in stale)

    restored: dict[CellRef, Diagnostic] = {}
    inferred_severity = settings[INFERRED]
    if inferred_severity is not None and _restorable(report):
        equations = _enabled_equations(rules, settings, report)
        report, restored = infer(report, equations, inferred_severity)

    conversion: list[Diagnostic] = []
    for d in kept:
        if d.code == INFERRED:
            conversion.append(d)  # a restoration of an earlier validation, still true
            continue
        if len(d.cells) == 1 and d.cells[0] in restored:
            # About that one cell (``cell-empty``): the cells.inferred finding says it too.
            # One about more (a row not found) says something of its own and stays.
            continue
        owner = covered.get(d.code)
        if owner is not None:
            setting = settings[owner]
            if setting is None:
                continue
            if config.rule_setting(owner) is not None:
                d = attrs.evolve(d, severity=setting)
        conversion.append(d)

    found: list[Diagnostic] = list(restored.values())
    checked = attrs.evolve(report, diagnostics=tuple(conversion))
    later = []
    for contribution in rules:
        rule, setting = contribution.item, settings[contribution.item.id]
        if setting is None:
            continue
        if rule.check_identities is not None:
            later.append(contribution)
            continue
        _run_rule(contribution, setting, config, lambda r=rule: r.check(checked), found)
    if later and _identity_broken(rules, settings, found):
        equations = _enabled_equations(rules, settings, checked)
        for contribution in later:
            rule = contribution.item
            _run_rule(contribution, settings[rule.id], config,
                      lambda r=rule: r.check_identities(checked, equations), found)
    return attrs.evolve(checked, diagnostics=tuple(conversion) + tuple(found))


def _run_rule(contribution, setting: Severity, config: Config,
              check: Callable[[], Iterable[Diagnostic]], found: list[Diagnostic]) -> None:
    rule = contribution.item
    guard.current = contribution.plugin
    try:
        regraded = config.rule_setting(rule.id) is not None
        for d in check():
            # A finding is named by its rule; a configured severity overrides the rule's.
            found.append(attrs.evolve(d, code=rule.id,
                                      severity=setting if regraded else d.severity,
                                      plugin=d.plugin or contribution.plugin))
    except BaseException as exc:  # SystemExit too: a rule never ends the run
        if not guard.is_plugin_failure(exc):
            raise
        found.append(Diagnostic(
            severity=Severity.ERROR, code="rule-failed",
            message=f"rule {rule.id!r} of plugin {contribution.plugin!r} failed: {exc!r}",
            plugin=contribution.plugin,
        ))
    finally:
        guard.current = None


def _identity_ids(rules: Sequence, settings: Mapping[str, Severity | None]) -> set[str]:
    return {c.item.id for c in rules
            if c.item.equations is not None and settings[c.item.id] is not None}


def _identity_broken(rules: Sequence, settings: Mapping[str, Severity | None],
                     found: Iterable[Diagnostic]) -> bool:
    ids = _identity_ids(rules, settings)
    return any(d.code in ids for d in found)


def _enabled_equations(rules: Sequence, settings: Mapping[str, Severity | None],
                       report: Report) -> list[tuple[str, Equation]]:
    return [(c.item.id, eq) for c in rules
            if c.item.equations is not None and settings[c.item.id] is not None
            for eq in _safe_equations(c.item, report)]


def enabled_equations(report: Report, *, engine: Engine,
                      config: Config | None = None) -> list[tuple[str, Equation]]:
    """``(rule id, equation)`` of every identity rule the configuration leaves on."""
    rules, settings, _, _ = _plan(engine.rules(), config or _NO_CONFIG, engine.corpus_rules())
    return _enabled_equations(rules, settings, report)


_NO_CONFIG = Config()
_last_plan: tuple[list, Config | None, tuple] = ([], None, ())


def _plan(rules: list, config: Config, corpus_rules: Sequence = ()) -> tuple:
    """``(rules, settings, stale codes, covered codes)`` for the rules and the configuration:
    the same for every report of a run, so the last one is kept (rules and configuration are
    immutable; compared by identity). Corpus rules are only known names here."""
    global _last_plan
    last_rules, last_config, plan = _last_plan
    if (last_config is config and len(last_rules) == len(rules)
            and all(a is b for a, b in zip(last_rules, rules, strict=True))):
        return plan
    settings = rule_settings(rules, config, known=[c.item.id for c in corpus_rules])
    stale = {c.item.id for c in rules} | {"rule-failed"}
    covered = {code: c.item.id for c in rules for code in c.item.covers}
    plan = (rules, settings, stale, covered)
    _last_plan = (rules, config, plan)
    return plan


def _restorable(report: Report) -> bool:
    """Whether a cell inference could restore is there: no value, not a placeholder, a
    restorable status (looked for only in tables whose values, read first, have a None)."""
    tables = _tables(report)
    if tables is None:
        cells: Iterable[Cell] = report.cells()
    else:
        cells = chain.from_iterable(t.cells for t in report.tables
                                    if _has_none(tables[t.code][1]))
    return any(c.value is None and _may_restore(c) for c in cells)


def rule_settings(rules: Sequence, config: Config,
                  known: Iterable[str] = ()) -> dict[str, Severity | None]:
    """Each rule's severity (its own, or the configured one), None when switched off.
    ``known``: ids of other rules (across reports) the configuration may name too."""
    settings: dict[str, Severity | None] = {}
    ids = [c.item.id for c in rules] + [INFERRED]
    for rule_id in ids:
        rule = next((c.item for c in rules if c.item.id == rule_id), None)
        default = rule.severity if rule is not None else Severity.WARNING
        value = config.rule_setting(rule_id)
        settings[rule_id] = (default if value is None
                             else None if value == "off" else Severity(value))
    unknown = sorted(set(config.section("rules")) - set(ids) - set(known))
    if unknown:
        warnings.warn(
            f"{config.path or 'configuration'}: [rules] names {', '.join(map(repr, unknown))}, "
            "which no loaded plugin registers", ConfigWarning, stacklevel=3)
    return settings


def _safe_equations(rule: Rule, report: Report) -> list[Equation]:
    # A broken identity rule costs only its own inference; its check reports the failure.
    try:
        return list(rule.equations(report))
    except Exception:
        return []


# -- inference -----------------------------------------------------------------------------------


def infer(report: Report, equations: Sequence[tuple[str, Equation]],
          severity: Severity = Severity.WARNING) -> tuple[Report, dict[CellRef, Diagnostic]]:
    """Restore every empty or missing cell that the equations determine.

    A cell is determined when an equation has it as its only unknown. It is restored only if
    every equation that determines it gives the same value, that value is a whole number not
    below zero (these are counts), and every equation it takes part in that is then fully known
    holds. Restored cells can determine others in turn (repeated until nothing changes).
    """
    # Worked on plain address tuples (hashed in C; a CellRef's hash is a Python call), turned
    # back into refs only for what was restored.
    known: dict[Address, Number] = {
        a: v for a, v in _value_index(report).items() if v is not None}
    by_address: dict[Address, Cell] = {(c.table, c.row, c.column): c for c in report.cells()}
    usable: list[tuple[str, Equation, tuple[Address, ...], tuple[Address, ...]]] = []
    has = by_address.__contains__
    for rule, eq in equations:
        left, right = eq._keys
        if all(map(has, left)) and all(map(has, right)):
            usable.append((rule, eq, left, right))
    by_cell: dict[Address, list[tuple[Address, ...]]] = defaultdict(list)
    for _, _, left, right in usable:
        for a in {*left, *right}:
            by_cell[a].append((left, right))

    derivations: dict[Address, list[tuple[str, Equation, Number]]] = {}
    rejected: set[Address] = set()
    while True:
        # Only equations with a cell still unknown can determine one (known cells stay known).
        is_known = known.__contains__
        usable = [u for u in usable if not (all(map(is_known, u[2])) and all(map(is_known, u[3])))]
        candidates: dict[Address, list[tuple[str, Equation, Number]]] = defaultdict(list)
        for rule, eq, left, right in usable:
            unknown = {a for a in left if a not in known}
            unknown.update(a for a in right if a not in known)
            if len(unknown) != 1:
                continue
            (a,) = unknown
            if a in rejected or not _may_restore(by_address[a]):
                continue
            candidates[a].append((rule, eq, _solve(left, right, a, known)))
        accepted = {}
        for a, found in candidates.items():
            value = found[0][2]
            read = by_address[a]
            if (all(same_number(v, value) for _, _, v in found) and value >= 0
                    and same_number(value, round(value))
                    and (read.status is not Status.UNPARSED
                         or same_number(value, ocr_number(read.raw)))):
                accepted[a] = round(value)
            else:
                rejected.add(a)
        # Every equation a new value completes must hold, or none of its new values is kept.
        trial = {**known, **accepted}
        for a in list(accepted):
            for left, right in by_cell[a]:
                if (all(r in trial for r in left) and all(r in trial for r in right)
                        and not same_number(sum(trial[r] for r in left),
                                       sum(trial[r] for r in right))):
                    for r in (*left, *right):
                        if r in accepted:
                            accepted.pop(r)
                            rejected.add(r)
        if not accepted:
            break
        for a, value in accepted.items():
            known[a] = value
            derivations[a] = candidates[a]

    if not derivations:
        return report, {}
    # Refs and cells of the equations that restored something: all the findings speak of.
    involved = {(r.table, r.row, r.column) for found in derivations.values()
                for _, eq, _ in found for r in eq.refs}
    cells = {cell_ref(*a): by_address[a] for a in involved}
    known_refs = {cell_ref(*a): known[a] for a in involved if a in known}
    restored = {cell_ref(*a): found for a, found in derivations.items()}
    findings = {ref: _inferred_finding(cells, cells[ref], known_refs, found, severity)
                for ref, found in restored.items()}
    tables = tuple(_restore(t, known_refs, restored) for t in report.tables)
    return attrs.evolve(report, tables=tables), findings


def _restore(table: Table, known: Mapping[CellRef, Number], restored: Iterable[CellRef]) -> Table:
    here = {(r.row, r.column): r for r in restored if r.table == table.code}
    if not here:
        return table
    # raw, line and unit stay as the source had them: only value and status change.
    return attrs.evolve(table, cells=tuple(
        attrs.evolve(c, value=known[ref], status=Status.INFERRED)
        if (ref := here.get((c.row, c.column))) is not None else c
        for c in table.cells
    ))


def _inferred_finding(cells: Mapping[CellRef, Cell], cell: Cell,
                      known: Mapping[CellRef, Number],
                      found: list[tuple[str, Equation, Number]],
                      severity: Severity) -> Diagnostic:
    rule, eq, _ = found[0]
    value = known[cell.ref]
    was = ("is empty in the source" if cell.status is Status.EMPTY else
           f"is {cell.raw!r} in the source, a number with letters OCR takes for digits"
           if cell.status is Status.UNPARSED else "is missing from the source")
    message = (f"{cell.ref} {was}; restored as {format_value(value)} (status inferred) by {rule} "
               f"({eq.where}: {eq.text()}): {_label(cell.ref, eq.refs)} = "
               f"{_solution_text(eq, cell.ref, known)}")
    others = sorted({r for r, _, _ in found[1:]} - {rule})
    if others:
        message += f"; {', '.join(others)} {'gives' if len(others) == 1 else 'give'} the same"
    refs = (cell.ref, *(r for r in eq.refs if r != cell.ref))
    return Diagnostic(severity=severity, code=INFERRED, message=message, plugin=STAGE,
                      **_location(cells, refs, anchor=cell.ref))


def _solve(left: tuple[Address, ...], right: tuple[Address, ...], unknown: Address,
           known: Mapping[Address, Number]) -> Number:
    """The value of the one unknown cell of ``sum(left) = sum(right)``."""
    rest_left = sum(known[a] for a in left if a != unknown)
    rest_right = sum(known[a] for a in right if a != unknown)
    return rest_right - rest_left if unknown in left else rest_left - rest_right


def _solution_text(eq: Equation, ref: CellRef, known: Mapping[CellRef, Number]) -> str:
    """``0 + 0 − 0 = 0``: the other side, minus the other cells of the unknown's side."""
    same, other = (eq.left, eq.right) if ref in eq.left else (eq.right, eq.left)
    rest = tuple(r for r in same if r != ref)
    plus = [known[r] for r in other]
    minus = [known[r] for r in rest]
    text = _terms(other, plus)
    if minus:
        shown = _terms(rest, minus)
        text += f" − {shown}" if len(minus) == 1 else f" − ({shown})"
    return f"{text} = {format_value(sum(plus) - sum(minus))}"


# -- values and messages ---------------------------------------------------------------------------


_PLACEHOLDER = Status.PLACEHOLDER  # an enum member is a slow class attribute


_last_index: tuple[Report | None, dict[CellRef, Cell]] = (None, {})


def _index(report: Report) -> dict[CellRef, Cell]:
    """The report's cells by ref. Every identity rule checks the same report in turn, so the
    last one is kept (compared by identity: a report is immutable)."""
    global _last_index
    last, index = _last_index
    if last is not report:
        index = {c.ref: c for c in report.cells()}
        _last_index = (report, index)
    return index


_last_values: tuple[Report | None, dict[Address, Number | None]] = (None, {})


def _value_index(report: Report) -> dict[Address, Number | None]:
    """The report's cell values by address, kept for the last report like ``_index``: a
    placeholder (``/``, ``-``, ``无``) counts as 0, a cell without a value is None."""
    global _last_values
    last, values = _last_values
    if last is not report:
        # (inline, not a call per cell: this runs over every cell of every report)
        values = {(c.table, c.row, c.column): c.value if c.value is not None
                  else 0 if c.status is _PLACEHOLDER else None for c in report.cells()}
        _last_values = (report, values)
    return values


# -- equations by position ---------------------------------------------------------------------
#
# A corpus repeats a few table shapes (the cells' addresses, in order) and the identity rules give
# the same tuple of equations for each shape. So the addresses of such a tuple are turned into
# positions in the table's cells once per shape, and a report's equations are checked on a list
# of its cells' values, read in order: no dict built and no address hashed per report. They are
# the values ``_value_index`` gives, summed in the same order, so the sums and findings are the
# same.


class _Plan:
    """One tuple of equations on one shape: every side's positions in one flat list, and the
    slice of it each side takes."""

    __slots__ = ("equations", "lefts", "positions", "rights", "spans")

    def __init__(self, equations: tuple[Equation, ...], shape: _Shape):
        self.equations = equations  # kept alive: plans are found by the tuple's id
        absent = len(shape.rows)  # the position of the None after the table's values
        position = shape.position.get
        self.positions: list[int] = []
        self.spans: list[tuple[Equation, int, int, int]] = []
        for eq in equations:
            left, right = eq._keys
            start = len(self.positions)
            self.positions.extend(position(a, absent) for a in left)
            middle = len(self.positions)
            self.positions.extend(position(a, absent) for a in right)
            self.spans.append((eq, start, middle, len(self.positions)))
        self.lefts = [slice(start, middle) for _, start, middle, _ in self.spans]
        self.rights = [slice(middle, end) for _, _, middle, end in self.spans]


class _Shape:
    """A table's row and column codes, cell by cell, the position of each address (the last,
    like a dict built from them), and the plans made on them."""

    __slots__ = ("code", "columns", "plans", "position", "rows")

    def __init__(self, table: Table):
        self.code = table.code
        self.rows = [c.row for c in table.cells]
        self.columns = [c.column for c in table.cells]
        self.position = {(self.code, r, c): i
                         for i, (r, c) in enumerate(zip(self.rows, self.columns, strict=True))}
        self.plans: dict[int, _Plan] = {}

    def values(self, table: Table) -> list[Number | None] | None:
        """The table's values as ``_value_index`` has them and a None after them (the value
        of an address the table lacks); None when the table does not have this shape. The
        shape is checked in the same pass: a corpus's tables of one shape share their code
        strings, so a cell matches by identity; else the codes are compared."""
        code, cells = self.code, table.cells
        values = [c.value if c.value is not None else 0 if c.status is _PLACEHOLDER else None
                  for c, row, column in zip(cells, self.rows, self.columns, strict=False)
                  if c.row is row and c.column is column and c.table is code]
        if len(values) != len(cells) or len(cells) != len(self.rows):
            if not (len(cells) == len(self.rows) and all(c.table == code for c in cells)
                    and [c.row for c in cells] == self.rows
                    and [c.column for c in cells] == self.columns):
                return None
            values = [c.value if c.value is not None else 0 if c.status is _PLACEHOLDER
                      else None for c in cells]
        values.append(None)
        return values


#: Shapes by table code and number of cells, the last found first (bounded).
_shapes: dict[tuple[str, int], list[_Shape]] = {}
#: ``(report.tables, {table code: (shape, values)})`` of the last report: every identity rule
#: checks the same tables in turn (the report validated and the one given to the rules, with
#: other diagnostics, share them). None instead of the dict when the tables cannot be read by
#: position (two of one code, a cell naming another table).
_last_tables: tuple[tuple[Table, ...] | None, dict[str, tuple[_Shape, list]] | None] = (
    None, None)


def _shape_values(table: Table) -> tuple[_Shape, list[Number | None]] | None:
    key = (table.code, len(table.cells))
    same = _shapes.get(key)
    if same is None:
        if len(_shapes) >= 256:
            _shapes.clear()
        same = _shapes[key] = []
    for i, shape in enumerate(same):
        values = shape.values(table)
        if values is not None:
            if i:
                same.insert(0, same.pop(i))
            return shape, values
    if any(c.table != table.code for c in table.cells):
        return None
    shape = _Shape(table)
    same.insert(0, shape)
    del same[8:]
    values = shape.values(table)
    assert values is not None
    return shape, values


def _tables(report: Report) -> dict[str, tuple[_Shape, list]] | None:
    """Each table's shape and its values (``_Shape.values``); None when the tables cannot be
    read by position."""
    global _last_tables
    last, tables = _last_tables
    if last is report.tables:
        return tables
    tables = {}
    for t in report.tables:
        found = _shape_values(t)
        if found is None or t.code in tables:
            tables = None
            break
        tables[t.code] = found
    _last_tables = (report.tables, tables)
    return tables


def _has_none(values: list[Number | None]) -> bool:
    """Whether a table's values (the None after them aside) have a None: sum() meets it and
    fails, at a fraction of the cost of comparing every value with None."""
    try:
        sum(values[:-1])
    except TypeError:
        return True
    return False


def _compiled(report: Report,
              equations: Iterable[Equation]) -> tuple[list[Number | None], _Plan] | None:
    """The values of the equations' table and their plan, when they are a tuple of equations
    on one table (the identity rules'); None for the lookups by address."""
    if type(equations) is not tuple or not equations:
        return None
    table = equations[0].table
    tables = _tables(report)
    if tables is None:
        return None
    found = tables.get(table)
    if found is None:
        return None
    shape, values = found
    plan = shape.plans.get(id(equations))
    if plan is None or plan.equations is not equations:
        if not all(eq.table == table and all(a[0] == table for side in eq._keys for a in side)
                   for eq in equations):
            return None
        if len(shape.plans) >= 64:
            shape.plans.clear()
        plan = shape.plans[id(equations)] = _Plan(equations, shape)
    return values, plan


def same_number(a: Number, b: Number) -> bool:
    """Two values equal as numbers of a report are (money has decimals: no exact float test)."""
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def format_value(value: Number) -> str:
    """A value as a message writes it: ``3``, not ``3.0``."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _label(ref: CellRef, refs: Sequence[CellRef]) -> str:
    """The part of a ref that varies among refs: the row in a column identity, and so on."""
    if len({r.column for r in refs}) == 1:
        return ref.row
    if len({r.row for r in refs}) == 1:
        return ref.column
    return f"{ref.row}/{ref.column}"


def _names(refs: Sequence[CellRef]) -> str:
    return " + ".join(_label(r, refs) for r in refs)


def _terms(refs: Sequence[CellRef], values: Sequence[Number | None]) -> str:
    """One side's numbers: ``21 + 0``, or for long sums ``22 (19 cells: partly_granted 4, …)``."""
    shown = [format_value(v) if v is not None else "?" for v in values]
    if len(refs) <= 4:
        return " + ".join(shown)
    total = sum(v for v in values if v is not None)
    nonzero = [f"{_label(r, refs)} {s}" for r, v, s in zip(refs, values, shown, strict=True)
               if v != 0]
    return (f"{format_value(total)} (the sum of {len(refs)} cells; "
            f"not 0: {', '.join(nonzero) or 'none'})")


def _side(refs: Sequence[CellRef], values: Sequence[Number]) -> str:
    """A side with its sum when that is not obvious: ``21 + 0 = 21``."""
    text = _terms(refs, values)
    return f"{text} = {format_value(sum(values))}" if 1 < len(refs) <= 4 else text


def _location(cells: Mapping[CellRef, Cell], refs: Sequence[CellRef], anchor: CellRef) -> dict:
    """``cells``; ``line``: the anchor cell's (else the first known); ``lines``: the others."""
    lines = []
    for ref in refs:
        cell = cells.get(ref)
        if cell is not None and cell.line:
            lines.append(cell.line)
    cell = cells.get(anchor)
    line = cell.line if cell is not None and cell.line else min(lines, default=0)
    return {"cells": tuple(dict.fromkeys(refs)), "line": line,
            "lines": tuple(sorted(set(lines) - {line}))}
