"""A third party's validation rules, for the tests: a plain rule and an identity rule.

Loaded with ``Engine(plugins=[module])`` or ``gongkai -p tests/plugins/example_rules.py``.
"""

from __future__ import annotations

from collections.abc import Iterator

import gongkai
from gongkai.engine.plugin_types import Rule
from gongkai.model import CellRef, Diagnostic, Report, Severity
from gongkai.validate.validator import Equation, identity_rule


def large_fees(report: Report) -> Iterator[Diagnostic]:
    """Fees above 1,000 万元 are worth a second look."""
    cell = report.cell("proactive", "fees", "fee_amount")
    if cell is not None and cell.value is not None and cell.value > 1000:
        yield Diagnostic(severity=Severity.INFO, code="example.large-fees",
                         message=f"fees of {cell.value} 万元 are unusually large",
                         line=cell.line, cells=(cell.ref,))


def review_is_litigated(report: Report) -> Iterator[Equation]:
    """Invented for the tests: every corrected review ends up in court after review."""
    table = report.table("review_litigation")
    if table is not None:
        yield Equation(table="review_litigation",
                       left=(CellRef("review_litigation", "review", "corrected"),),
                       right=(CellRef("review_litigation", "litigation_after_review",
                                      "corrected"),),
                       where="column corrected")


@gongkai.hookimpl
def gongkai_add_rules(register):
    register(Rule(id="example.large-fees", severity=Severity.INFO,
                  description="fees above 1,000 万元 (tests only)", check=large_fees))
    register(identity_rule("example.review-litigated", Severity.WARNING,
                           "review/corrected = litigation_after_review/corrected (tests only)",
                           review_is_litigated))
