"""Narrative against tables (``narrative.numbers``): the phrasings of the samples and seeds, a
mismatch in a real sample, constructed mismatches, and claims from a variant file."""

from __future__ import annotations

import pytest

from gongkai.engine.manager import Engine
from gongkai.errors import ConfigError
from gongkai.layouts.variant_toml import variant_from_toml
from gongkai.model import Report, cell_ref
from gongkai.pipeline import convert_bytes, convert_file
from gongkai.validate.narrative import builtin_claims, claims_from_data, statements

from conftest import FIXTURES, seed_path

SAMPLES = FIXTURES / "samples"


def stated(report: Report) -> list[tuple[int, str, str, object, object]]:
    return [(s.line, s.claim.name, s.group, s.stated, s.agrees)
            for s in statements(report, builtin_claims())]


def narrative(report: Report):
    return [d for d in report.diagnostics if d.code == "narrative.numbers"]


# -- the phrasings of the real samples and seeds: found, at their lines, and agreeing ----------

@pytest.mark.parametrize(("name", "expected"), [
    ("hanyang-2022.excerpt.txt", [(50, "requests received", "n", 8, True)]),
    ("hongze-2023.pdf.txt", [(21, "requests received", "n", 21, True)]),
    ("shanghai-office-2025.md", [
        # table two's regulations are blank in this Markdown: nothing to compare
        (28, "regulations published", "n", 22, None),
        (38, "requests received", "n", 1295, True),
        (38, "requests handled", "n", 1191, True),
        (39, "carried over", "n", 189, True)]),
    ("shanghai-stcsm-2024.md", [
        (19, "reviews", "n", 1, True), (21, "lawsuits", "n", 0, True),
        (42, "requests received", "n", 34, True), (43, "carried over", "n", 2, True)]),
    # 749 received = 713 new + 36 carried over: the second reading
    ("shuyang-2025.ocr.md", [
        (26, "requests received", "n", 749, True), (26, "carried forward", "n", 31, True),
        (26, "natural persons", "n", 741, True), (26, "legal persons", "n", 8, True)]),
])
def test_sample_phrasings(name, expected):
    assert stated(convert_file(SAMPLES / name)) == expected


def test_huaian_states_its_whole_table_four_in_prose():
    found = {(s.claim.name, s.group): (s.line, s.stated, s.agrees)
             for s in statements(convert_file(SAMPLES / "huaian-2024.pdf.txt"),
                                 builtin_claims())}
    assert found[("requests received", "n")] == (29, 3119, True)
    assert found[("requests handled", "n")] == (30, 3050, True)
    assert found[("carried forward", "n")] == (30, 103, True)
    assert found[("regulations published", "n")] == (17, 1, True)
    assert found[("reviews", "n")] == (31, 351, True)
    assert [found[("reviews", g)][1] for g in ("upheld", "corrected", "other", "pending")] \
        == [72, 64, 178, 37]
    assert found[("lawsuits", "n")] == (33, 46, True)
    assert all(agrees for _, _, agrees in found.values())


def test_seed_phrasings():
    assert stated(convert_file(seed_path("000"))) == [
        (3, "no requests", "n", 0, True),
        (3, "no reviews or lawsuits", "review", 0, True),
        (3, "no reviews or lawsuits", "lawsuits", 0, True)]
    assert stated(convert_file(seed_path("002"))) == [(6, "requests handled", "n", 2, True)]


def test_no_finding_on_the_seeds_and_the_other_samples(seed_reports):
    for report in seed_reports.values():
        assert narrative(report) == []
    for name in ("huaian-2024.pdf.txt", "hongze-2023.pdf.txt", "shanghai-office-2025.md",
                 "shanghai-stcsm-2024.md", "shuyang-2025.ocr.md", "hanyang-2022.excerpt.txt"):
        assert narrative(convert_file(SAMPLES / name)) == [], name


def test_the_hongze_2024_prose_disagrees_with_its_table():
    # "区政府办代表区政府受理政府信息公开申请 17 件", the sentence broken over lines 24-25;
    # table three's 一、本年新收 says 95 (line 75, 上年结转 0 on line 76).
    (finding,) = narrative(convert_file(SAMPLES / "hongze-2024.pdf.txt"))
    assert finding.line == 25 and finding.lines == (75, 76)
    assert finding.cells == (cell_ref("requests", "new", "total"),
                             cell_ref("requests", "carried_over", "total"))
    assert finding.message == (
        "the text says 17 (requests received: “受理政府信息公开申请 17 件”), the tables do not: "
        "requests/new/total = 95; requests/new/total + requests/carried_over/total = 95")


def changed_seed_002(old: str, new: str) -> bytes:
    text = seed_path("002").read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, 1).encode("utf-8")


def test_a_constructed_mismatch_names_both_lines():
    report = convert_bytes(changed_seed_002("依申请公开信息2件", "依申请公开信息3件"),
                           filename="002.txt")
    (finding,) = narrative(report)
    assert finding.line == 6
    assert "the text says 3" in finding.message
    assert set(finding.lines) >= {105}  # requests/new/total


def test_pdf_line_breaks_inside_the_number_are_joined():
    text = seed_path("002").read_text(encoding="utf-8").replace(
        "全年共办理依申请公开信息2件", "全年共办理依申请公开信息\n2件")
    report = convert_bytes(text.encode("utf-8"), filename="002.txt")
    assert narrative(report) == []
    assert (7, "requests handled", "n", 2, True) in stated(report)


# -- claims as data -------------------------------------------------------------------------

VARIANT = """
[variant]
name = "xian"

[[narrative]]
name = "cases"
patterns = ['依申请公开案件\\s*(?P<n>\\d+)\\s*宗']
[narrative.numbers]
n = [["requests/new/total"]]
"""


def test_a_variant_adds_claims_as_a_rule_of_its_own(tmp_path):
    variant = tmp_path / "xian.toml"
    variant.write_text(VARIANT, encoding="utf-8")
    engine = Engine(variants=[variant])
    assert engine.registry.get("rules", "narrative.xian") is not None
    data = changed_seed_002("全年共办理依申请公开信息2件", "全年依申请公开案件5宗")
    report = convert_bytes(data, filename="002.txt", engine=engine)
    (finding,) = [d for d in report.diagnostics if d.code == "narrative.xian"]
    assert finding.line == 6 and "the text says 5" in finding.message


@pytest.mark.parametrize(("entry", "message"), [
    ("name = 'x'\npatterns = ['(?P<n>\\\\d+)件']\n[narrative.numbers]\n"
     "n = [['requests/nope/total']]",
     "no such row and column"),
    ("name = 'x'\npatterns = ['(']\n[narrative.numbers]\nn = [['requests/new/total']]",
     "not a regular expression"),
    ("name = 'x'\npatterns = ['件']\n[narrative.numbers]\nn = [['requests/new/total']]",
     "no pattern has a group"),
    ("name = 'x'\npattern = ['件']", "unknown key"),
])
def test_wrong_claims_are_located_errors(entry, message):
    text = f"[variant]\nname = 'bad'\n\n[[narrative]]\n{entry}\n"
    with pytest.raises(ConfigError, match=message) as info:
        variant_from_toml(text, source="bad.toml")
    assert info.value.path == "bad.toml" and info.value.line


def test_builtin_claims_load_and_name_real_cells():
    claims = builtin_claims()
    assert len({c.name for c in claims}) == len(claims)
    with pytest.raises(ConfigError, match="must be an array"):
        claims_from_data({"x": 1}, source="x.toml")


def test_the_builtin_claims_pass_the_checks_they_skip():
    """builtin_claims leaves its patterns to be compiled on first use: checked here as a
    variant's claims are (they compile, every group is in a pattern), and the claims are the
    same either way."""
    from importlib import resources

    from gongkai.layouts.tomlcompat import tomllib

    text = resources.files("gongkai.data").joinpath("narrative.toml").read_text("utf-8")
    eager = claims_from_data(tomllib.loads(text)["claim"], source="narrative.toml")
    assert eager == builtin_claims()
    for claim in builtin_claims():
        assert [p.pattern for p in claim.patterns] == list(claim.sources)
