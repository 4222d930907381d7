"""Checks across reports: findings that name several reports, and the grouping they need.

A corpus rule (``gongkai_add_corpus_rules``, :class:`gongkai.engine.plugin_types.CorpusRule`) gets
every report of a ``gongkai check`` run and yields :class:`CorpusFinding`\\ s, each naming the
reports, lines and cells it is about (:class:`Place`). :func:`series` groups reports by agency
(:func:`gongkai.interpret.agency.agency_key`) and year, listing those it cannot place rather than
guessing; :func:`check_corpus` runs the enabled corpus rules with their configured severities.
"""

from __future__ import annotations

import warnings
from collections import defaultdict
from collections.abc import Iterable, Sequence

import attrs

from gongkai.config import Config
from gongkai.engine.manager import Engine
from gongkai.interpret.agency import agency_key
from gongkai.model import CellRef, Report, Severity
from gongkai.validate.validator import STAGE, ConfigWarning, rule_settings


@attrs.frozen
class Place:
    """A report, and a line and cells in it."""

    #: The report's source path (its ``report_id`` when it has none).
    report: str
    line: int = 0
    cells: tuple[CellRef, ...] = ()


@attrs.frozen
class CorpusFinding:
    """A finding about several reports. The first place is where it is reported."""

    severity: Severity
    code: str
    message: str
    places: tuple[Place, ...]
    plugin: str = ""
    #: The agency (key) whose series the finding is about, if it is about one.
    agency: str = ""


def where(report: Report) -> str:
    """How a finding names a report: its source path, else its id."""
    return report.metadata.source_path or report.metadata.report_id


@attrs.frozen
class Series:
    """The reports of one agency, by year."""

    #: The agency key, or ``credit code`` when reports give one.
    agency: str
    #: Year -> the report of that year (a year with several reports is in ``Corpus.doubtful``).
    years: dict[int, Report]


@attrs.frozen
class Corpus:
    series: tuple[Series, ...]
    #: ``(report, why)`` for reports whose agency or year cannot be told.
    unplaced: tuple[tuple[Report, str], ...]
    #: ``(agency, year, reports)`` where several reports claim one agency and year: not
    #: compared, since which one continues the series cannot be told.
    doubtful: tuple[tuple[str, int, tuple[Report, ...]], ...]


def series(reports: Iterable[Report]) -> Corpus:
    """The reports grouped by agency key and year.

    A report whose agency gives no key (``区政府办公室``) or whose year is unknown is unplaced.
    Two reports of one key that state different 统一社会信用代码 are different agencies: the
    key is then qualified by the code (a report without a code stays with the bare key).
    """
    unplaced: list[tuple[Report, str]] = []
    groups: dict[str, dict[int, list[Report]]] = defaultdict(lambda: defaultdict(list))
    placed: list[tuple[str, Report]] = []
    for report in reports:
        meta = report.metadata
        key = agency_key(meta.agency)
        if not key:
            why = (f"its agency {meta.agency!r} does not say which agency it is" if meta.agency
                   else "its agency could not be told")
            unplaced.append((report, why))
        elif meta.year is None:
            unplaced.append((report, "its year could not be told"))
        else:
            placed.append((key, report))
    codes: dict[str, set[str]] = defaultdict(set)
    for key, report in placed:
        if report.metadata.credit_code:
            codes[key].add(report.metadata.credit_code)
    for key, report in placed:
        code = report.metadata.credit_code
        group = f"{key} {code}" if code and len(codes[key]) > 1 else key
        groups[group][report.metadata.year].append(report)
    found, doubtful = [], []
    for agency in sorted(groups):
        years = {}
        for year, those in sorted(groups[agency].items()):
            if len(those) == 1:
                years[year] = those[0]
            else:
                doubtful.append((agency, year, tuple(those)))
        found.append(Series(agency=agency, years=years))
    return Corpus(series=tuple(found), unplaced=tuple(unplaced), doubtful=tuple(doubtful))


def check_corpus(reports: Sequence[Report], *, engine: Engine,
                 config: Config | None = None) -> list[CorpusFinding]:
    """Run every enabled corpus rule on the reports; a failing rule is one error finding."""
    config = config or Config()
    contributions = engine.corpus_rules()
    with warnings.catch_warnings():  # a [rules] typo: the validate stage warns about it
        warnings.simplefilter("ignore", ConfigWarning)
        settings = rule_settings(contributions, config,
                                 known=[c.item.id for c in engine.rules()])
    found: list[CorpusFinding] = []
    for contribution in contributions:
        rule = contribution.item
        setting = settings[rule.id]
        if setting is None:
            continue
        regraded = config.rule_setting(rule.id) is not None
        try:
            for f in rule.check(reports):
                found.append(attrs.evolve(f, code=rule.id,
                                          severity=setting if regraded else f.severity,
                                          plugin=f.plugin or contribution.plugin))
        except Exception as exc:
            found.append(CorpusFinding(
                severity=Severity.ERROR, code="rule-failed", plugin=STAGE,
                message=f"rule {rule.id!r} of plugin {contribution.plugin!r} failed: {exc!r}",
                places=()))
    return found
