"""Narrative against tables: ``narrative.numbers`` compares the numbers the prose states (受理…
申请 N 件, 行政复议 N 件…) with the table cells they speak of.

The claims are data (``gongkai/data/narrative.toml``); a variant file adds its own in
``[[narrative]]`` tables, checked by a rule of the variant's (``narrative.<variant>``).
"""

from __future__ import annotations

from gongkai.plugin import (
    builtin_claims,
    hookimpl,
    narrative_rule,
)

RULE = narrative_rule(
    "narrative.numbers", builtin_claims(),
    "numbers the prose states about the tables (受理/收到…申请 N 件, 办结, 上年结转, 结转下年度, "
    "行政复议/行政诉讼 N 件, 主动公开…规章/规范性文件 N 件) agree with the table cells")


@hookimpl
def gongkai_add_rules(register):
    register(RULE)
