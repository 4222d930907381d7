"""Year-to-year continuity (``requests.continuity``) and the corpus grouping behind it, on reports
built from seed 000 (驻马店市公共资源交易中心 2019) and on the hongze samples (2023, 2024)."""

from __future__ import annotations

from pathlib import Path

import pytest

import gongkai
from gongkai.config import Config
from gongkai.engine.manager import Engine, default_engine
from gongkai.engine.plugin_types import CorpusRule
from gongkai.model import Severity, cell_ref
from gongkai.pipeline import convert_file
from gongkai.validate.corpus import check_corpus, series

from conftest import FIXTURES, seed_path

SEED = seed_path("000")
#: Lines of seed 000: the crawler header, carried_over natural_person, carried_forward one.
HEADER, OVER, FORWARD = 1, 104, 297
OVER_TOTAL, FORWARD_TOTAL = 110, 303
#: 2 requests of natural persons carried over and forward again: the identities still hold
#: (and the prose's 无依申请公开项, no new request, too).
CARRY_TWO = {OVER: "2", OVER_TOTAL: "2", FORWARD: "2", FORWARD_TOTAL: "2"}


def write(tmp_path: Path, name: str, *, title: str | None = None,
          changes: dict[int, str] | None = None) -> Path:
    lines = SEED.read_text(encoding="utf-8").split("\n")
    if title is not None:
        lines[HEADER - 1] = title
    for line, value in (changes or {}).items():
        assert lines[line - 1].strip() == "0 |"
        lines[line - 1] = f"{value} |"
    path = tmp_path / name
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def corpus(tmp_path: Path, carried_over: str):
    # 2019 carries 2 requests forward; 2020's report writes the agency with its province.
    first = write(tmp_path, "a-2019.txt", changes=CARRY_TWO)
    second = write(tmp_path, "b-2020.txt",
                   title="河南省驻马店市公共资源交易中心2020年政府信息公开工作年度报告",
                   changes={OVER: carried_over, OVER_TOTAL: carried_over})
    return [convert_file(first), convert_file(second)]


def test_a_broken_continuity_names_both_files_and_lines(tmp_path):
    reports = corpus(tmp_path, carried_over="0")
    assert [r.metadata.year for r in reports] == [2019, 2020]
    (finding,) = check_corpus(reports, engine=default_engine())
    assert finding.code == "requests.continuity" and finding.severity is Severity.WARNING
    later, earlier = finding.places
    assert (later.report, later.line) == (str(tmp_path / "b-2020.txt"), OVER)
    assert (earlier.report, earlier.line) == (str(tmp_path / "a-2019.txt"), FORWARD)
    assert later.cells == (cell_ref("requests", "carried_over", "natural_person"),
                           cell_ref("requests", "carried_over", "total"))
    assert earlier.cells == (cell_ref("requests", "carried_forward", "natural_person"),
                             cell_ref("requests", "carried_forward", "total"))
    assert finding.message == (
        f"驻马店市公共资源交易中心: 2020's carried_over is not 2019's carried_forward "
        f"({tmp_path / 'a-2019.txt'}:{FORWARD}) in 2 columns: natural_person: 0 here, 2 there; "
        "total: 0 here, 2 there")


def test_continuity_that_holds_gives_nothing(tmp_path):
    assert check_corpus(corpus(tmp_path, carried_over="2"), engine=default_engine()) == []


def test_only_consecutive_years_are_compared(tmp_path):
    first = write(tmp_path, "a.txt", changes=CARRY_TWO)
    third = write(tmp_path, "c.txt", title="驻马店市公共资源交易中心2021年政府信息公开工作年度报告")
    assert check_corpus([convert_file(first), convert_file(third)], engine=default_engine()) == []


def test_reports_that_cannot_be_placed_are_listed_not_guessed(tmp_path):
    unknown = write(tmp_path, "u.txt", title="区政府办公室2020年政府信息公开工作年度报告")
    reports = [*corpus(tmp_path, carried_over="0"), convert_file(unknown)]
    grouped = series(reports)
    ((report, why),) = grouped.unplaced
    assert report.metadata.source_path == str(unknown) and "区政府办公室" in why
    assert [s.agency for s in grouped.series] == ["驻马店市公共资源交易中心"]


def test_two_reports_of_one_agency_and_year_are_not_compared(tmp_path):
    reports = corpus(tmp_path, carried_over="0")
    again = write(tmp_path, "b-2020-copy.txt",
                  title="驻马店市公共资源交易中心2020年政府信息公开工作年度报告")
    reports.append(convert_file(again))
    grouped = series(reports)
    ((agency, year, those),) = grouped.doubtful
    assert (agency, year, len(those)) == ("驻马店市公共资源交易中心", 2020, 2)
    assert check_corpus(reports, engine=default_engine()) == []


def test_the_hongze_samples_are_one_series_and_continuous():
    reports = [convert_file(FIXTURES / "samples" / f"hongze-{y}.pdf.txt") for y in (2023, 2024)]
    (one,) = series(reports).series
    assert one.agency == "洪泽区人民政府" and sorted(one.years) == [2023, 2024]
    assert check_corpus(reports, engine=default_engine()) == []


def test_off_and_regraded_in_the_configuration(tmp_path):
    reports = corpus(tmp_path, carried_over="0")
    off = Config(data={"rules": {"requests.continuity": "off"}})
    assert check_corpus(reports, engine=default_engine(), config=off) == []
    error = Config(data={"rules": {"requests.continuity": "error"}})
    (finding,) = check_corpus(reports, engine=default_engine(), config=error)
    assert finding.severity is Severity.ERROR


class ThirdParty:
    """A plugin with a corpus rule of its own, and one that fails."""

    @staticmethod
    def count(reports):
        from gongkai.validate.corpus import CorpusFinding
        yield CorpusFinding(severity=Severity.INFO, code="", message=f"{len(reports)} reports",
                            places=())

    @staticmethod
    def broken(reports):
        raise RuntimeError("boom")


@gongkai.hookimpl
def gongkai_add_corpus_rules(register):
    register(CorpusRule(id="example.count", severity=Severity.INFO, description="count",
                        check=ThirdParty.count))
    register(CorpusRule(id="example.broken", severity=Severity.INFO, description="fails",
                        check=ThirdParty.broken))


def test_a_third_party_corpus_rule_and_a_failing_one(tmp_path):
    import sys

    engine = Engine(plugins=[sys.modules[__name__]])
    found = {f.code: f for f in check_corpus(corpus(tmp_path, "2"), engine=engine)}
    assert found["example.count"].message == "2 reports"
    assert found["example.count"].plugin == __name__
    assert "example.broken" in found["rule-failed"].message


def test_a_corpus_rule_id_cannot_repeat_a_rule_id():
    from gongkai.errors import PluginError

    class Clash:
        @staticmethod
        @gongkai.hookimpl
        def gongkai_add_corpus_rules(register):
            register(CorpusRule(id="requests.row-sum", severity=Severity.INFO,
                                description="clash", check=lambda reports: ()))

    with pytest.raises(PluginError, match="already registered"):
        Engine(plugins=[Clash], strict=True)
