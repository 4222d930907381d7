"""The real report samples (tests/fixtures/samples, see its README): every cell each states.

The numbers below were copied by hand from the sample files, row by row, in the template's
column order; ``_`` is a cell the source leaves blank, ``-`` a placeholder as written, ``·`` a
cell the source garbles (it must be missing or ambiguous, with a diagnostic naming it). Every
cell of a report that is not listed must be missing or inferred by a rule: nothing else may be
guessed.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

import gongkai
from gongkai import Status

from conftest import FIXTURES, GOLDEN

SAMPLES = FIXTURES / "samples"
FILES = sorted(p for p in SAMPLES.iterdir() if p.name != "README.md")

R21 = "2021"
R19 = "2019"

EXPECTED: dict[str, dict] = {
    "city-2025.html": dict(
        reader="html", templates={"proactive": R21, "requests": R21, "review_litigation": R19},
        agency="测试市", year=2025,
        proactive="""
            regulations 3 5 74
            normative_documents 564 984 4185
            licensing 11398889
            penalty 6937489
            coercion 166105
            fees 316441""",
        requests="""
            new 13612 252 0 45 128 32 14069
            carried_over 535 6 0 1 18 0 560
            granted 5345 129 0 41 19 14 5548
            partly_granted 2120 39 0 1 6 2 2168
            withheld.state_secret 13 0 0 0 0 0 13
            withheld.prohibited_by_law 30 0 0 0 0 0 30
            withheld.security_stability 11 0 0 0 0 0 11
            withheld.third_party 49 2 0 0 0 0 51
            withheld.internal_affairs 103 1 0 0 0 0 104
            withheld.process_info 84 1 0 0 0 0 85
            withheld.enforcement_file 282 4 0 0 0 0 286
            withheld.query_item 147 0 0 0 1 2 150
            unable.not_held 3075 50 0 0 89 8 3222
            unable.needs_creation 177 3 0 0 0 0 180
            unable.still_unclear 19 0 0 0 0 0 19
            not_handled.petition 199 1 0 0 3 0 203
            not_handled.duplicate 147 1 0 0 0 0 148
            not_handled.publication 0 0 0 0 0 0 0
            not_handled.mass_repeat 100 1 0 0 0 0 101
            not_handled.confirmation 5 0 0 0 0 0 5
            other.no_correction 315 3 0 0 0 0 318
            other.fee_unpaid 202 0 0 1 0 0 203
            other.other 941 17 0 1 3 3 965
            total 13364 252 0 44 121 29 13810
            carried_forward 783 6 0 2 25 3 819""",
        review_litigation="""
            review 376 97 196 121 790
            litigation_direct 16 1 12 27 56
            litigation_after_review 74 1 30 51 156""",
    ),
    "huaian-2024.pdf.txt": dict(
        reader="pdftext", templates={"proactive": R21, "requests": R21, "review_litigation": R19},
        agency="淮安市人民政府", year=2024,
        proactive="""
            regulations 1 0 11
            normative_documents 8 26 66
            licensing 447228
            penalty 3985758
            coercion 88283
            fees 96171.6""",
        requests="""
            new 3001 53 0 0 61 4 3119
            carried_over 34 0 0 0 0 0 34
            granted 1288 21 0 0 50 3 1362
            partly_granted 447 7 0 0 0 0 454
            withheld.state_secret 2 0 0 0 0 0 2
            withheld.prohibited_by_law 30 1 0 0 0 0 31
            withheld.security_stability 5 0 0 0 0 0 5
            withheld.third_party 6 0 0 0 0 0 6
            withheld.internal_affairs 7 1 0 0 0 0 8
            withheld.process_info 12 0 0 0 0 0 12
            withheld.enforcement_file 9 0 0 0 0 0 9
            withheld.query_item 105 0 0 0 0 0 105
            unable.not_held 746 12 0 0 10 1 769
            unable.needs_creation 11 0 0 0 0 0 11
            unable.still_unclear 1 0 0 0 0 0 1
            not_handled.petition 56 6 0 0 0 0 62
            not_handled.duplicate 25 0 0 0 0 0 25
            not_handled.publication 0 0 0 0 0 0 0
            not_handled.mass_repeat 0 0 0 0 0 0 0
            not_handled.confirmation 1 0 0 0 0 0 1
            other.no_correction 67 3 0 0 1 0 71
            other.fee_unpaid 6 0 0 0 0 0 6
            other.other 108 2 0 0 0 0 110
            total 2932 53 0 0 61 4 3050
            carried_forward 103 0 0 0 0 0 103""",
        review_litigation="""
            review 72 64 178 37 351
            litigation_direct 13 4 8 1 26
            litigation_after_review 12 1 1 6 20""",
    ),
    "hongze-2023.pdf.txt": dict(
        reader="pdftext", templates={"proactive": R21, "requests": R19, "review_litigation": R19},
        agency="洪泽区人民政府", year=2023,
        proactive="""
            regulations 0 0 0
            normative_documents 0 5 5
            licensing 550
            penalty 4119
            coercion 195
            fees 7730.28""",
        requests="""
            new 21 0 0 0 0 0 21
            carried_over 0 0 0 0 0 0 0
            granted 0 0 0 0 0 0 0
            partly_granted 4 0 0 0 0 0 4
            withheld.state_secret 1 0 0 0 0 0 1
            withheld.prohibited_by_law 0 0 0 0 0 0 0
            withheld.security_stability 0 0 0 0 0 0 0
            withheld.third_party 0 0 0 0 0 0 0
            withheld.internal_affairs 0 0 0 0 0 0 0
            withheld.process_info 1 0 0 0 0 0 1
            withheld.enforcement_file 1 0 0 0 0 0 1
            withheld.query_item 0 0 0 0 0 0 0
            unable.not_held 10 0 0 0 0 0 10
            unable.needs_creation 3 0 0 0 0 0 3
            unable.still_unclear 0 0 0 0 0 0 0
            not_handled.petition 1 0 0 0 0 0 1
            not_handled.duplicate 0 0 0 0 0 0 0
            not_handled.publication 0 0 0 0 0 0 0
            not_handled.mass_repeat 0 0 0 0 0 0 0
            not_handled.confirmation 0 0 0 0 0 0 0
            other 0 0 0 0 0 0 0
            total 21 0 0 0 0 0 21
            carried_forward 0 0 0 0 0 0 0""",
        review_litigation="""
            review 10 1 0 0 0
            litigation_direct 0 0 0 0 0
            litigation_after_review 5 0 0 0 0""",
    ),
    "hongze-2024.pdf.txt": dict(
        reader="pdftext", templates={"proactive": R21, "requests": R19, "review_litigation": R19},
        agency="淮安市洪泽区人民政府", year=2024,
        proactive="""
            regulations 0 0 0
            normative_documents 3 0 8
            licensing 9487
            penalty 2776
            coercion 84
            fees 7545""",
        requests="""
            new 95 0 0 0 0 0 95
            carried_over 0 0 0 0 0 0 0
            granted 50 0 0 0 0 0 50
            partly_granted 9 0 0 0 0 0 9
            withheld.state_secret 0 0 0 0 0 0 0
            withheld.prohibited_by_law 0 0 0 0 0 0 0
            withheld.security_stability 1 0 0 0 0 0 1
            withheld.third_party 0 0 0 0 0 0 0
            withheld.internal_affairs 0 0 0 0 0 0 0
            withheld.process_info 1 0 0 0 0 0 1
            withheld.enforcement_file 1 0 0 0 0 0 1
            withheld.query_item 0 0 0 0 0 0 0
            unable.not_held 31 0 0 0 0 0 31
            unable.needs_creation 1 0 0 0 0 0 1
            unable.still_unclear 0 0 0 0 0 0 0
            not_handled.petition 1 0 0 0 0 0 1
            not_handled.duplicate 0 0 0 0 0 0 0
            not_handled.publication 0 0 0 0 0 0 0
            not_handled.mass_repeat 0 0 0 0 0 0 0
            not_handled.confirmation 0 0 0 0 0 0 0
            other 0 0 0 0 0 0 0
            total 95 0 0 0 0 0 95
            carried_forward 0 0 0 0 0 0 0""",
        review_litigation="""
            review 1 1 0 0 2
            litigation_direct 1 0 0 0 1
            litigation_after_review 2 0 1 0 3""",
    ),
    # Crawler dumps of the 平潭 archive (issue 15): the report one paragraph, every row's numbers
    # written together. A row whose digits the identities cannot split is ambiguous (·); the
    # 2020 report's outcome rows add up to 26 (27 in all), not its written 总计 20 (21): read as
    # written, a finding of `gongkai check`.
    "pingtan-2020.crawl.txt": dict(
        reader="text", templates={"proactive": R19, "requests": R19, "review_litigation": R19},
        agency="平潭综合实验区", year=2020, published="2021-03-05",
        # 规范性文件7777166, 行政许可396442278, 其他对外管理服务事项107105, 行政处罚2648-18538
        # (2648 in every split), 行政强制1262629, 政府集中采购39573802895.90元: no identity
        # ties these columns.
        proactive="""
            regulations 0 0 7
            normative_documents · · ·
            licensing · · ·
            other_services · · ·
            penalty 2648 · ·
            coercion · · ·
            fees 35 -15
            procurement · ·""",
        requests="""
            new 20 0 0 0 0 1 21
            carried_over 0 0 0 0 0 0 0
            granted 6 0 0 0 0 1 7
            partly_granted 6 0 0 0 0 0 6
            withheld.state_secret 0 0 0 0 0 0 0
            withheld.prohibited_by_law 0 0 0 0 0 0 0
            withheld.security_stability 0 0 0 0 0 0 0
            withheld.third_party 0 0 0 0 0 0 0
            withheld.internal_affairs 0 0 0 0 0 0 0
            withheld.process_info 0 0 0 0 0 0 0
            withheld.enforcement_file 0 0 0 0 0 0 0
            withheld.query_item 0 0 0 0 0 0 0
            unable.not_held 4 0 0 0 0 0 4
            unable.needs_creation 0 0 0 0 0 0 0
            unable.still_unclear 3 0 0 0 0 0 3
            not_handled.petition 0 0 0 0 0 0 0
            not_handled.duplicate 3 0 0 0 0 0 3
            not_handled.publication 0 0 0 0 0 0 0
            not_handled.mass_repeat 0 0 0 0 0 0 0
            not_handled.confirmation 0 0 0 0 0 0 0
            other 4 0 0 0 0 0 4
            total 20 0 0 0 0 1 21
            carried_forward 0 0 0 0 0 0 0""",
        review_litigation="""
            review 0 0 0 0 0
            litigation_direct 0 0 0 0 0
            litigation_after_review 0 0 0 0 0""",
    ),
    "pingtan-2023.crawl.txt": dict(
        reader="text", templates={"proactive": R21, "requests": R21, "review_litigation": R19},
        agency="平潭综合实验区管委会办公室", year=2023, published="2024-03-08",
        # 行政规范性文件77132470: 本年制发件数, 本年废止件数, 现行有效件数 have no identity.
        proactive="""
            regulations 0 0 0
            normative_documents · · ·
            licensing 2629
            penalty 1330
            coercion 54
            fees 5949.088667""",
        requests="""
            new 80 1 0 0 0 0 81
            carried_over 0 0 0 0 0 0 0
            granted 22 0 0 0 0 0 22
            partly_granted 19 1 0 0 0 0 20
            withheld.state_secret 0 0 0 0 0 0 0
            withheld.prohibited_by_law 0 0 0 0 0 0 0
            withheld.security_stability 0 0 0 0 0 0 0
            withheld.third_party 1 0 0 0 0 0 1
            withheld.internal_affairs 0 0 0 0 0 0 0
            withheld.process_info 1 0 0 0 0 0 1
            withheld.enforcement_file 1 0 0 0 0 0 1
            withheld.query_item 2 0 0 0 0 0 2
            unable.not_held 31 0 0 0 0 0 31
            unable.needs_creation 0 0 0 0 0 0 0
            unable.still_unclear 0 0 0 0 0 0 0
            not_handled.petition 0 0 0 0 0 0 0
            not_handled.duplicate 1 0 0 0 0 0 1
            not_handled.publication 0 0 0 0 0 0 0
            not_handled.mass_repeat 0 0 0 0 0 0 0
            not_handled.confirmation 0 0 0 0 0 0 0
            other.no_correction 1 0 0 0 0 0 1
            other.fee_unpaid 0 0 0 0 0 0 0
            other.other 1 0 0 0 0 0 1
            total 80 1 0 0 0 0 81
            carried_forward 0 0 0 0 0 0 0""",
        review_litigation="""
            review 1 1 0 0 2
            litigation_direct 4 0 0 1 5
            litigation_after_review 1 0 1 0 2""",
    ),
    "shanghai-office-2025.md": dict(
        reader="markdown", templates={"proactive": R21, "requests": R21, "review_litigation": R19},
        agency="上海市人民政府办公厅", year=2025,
        # 规章 | 22 | 235 | and 行政规范性文件 | 34 | 189 | under a four-column header: which cell
        # each row lacks cannot be told (the converter pulled 22（其中修订 16 件）and
        # 55（含自然失效 29 件）out of the table).
        proactive="""
            regulations · · ·
            normative_documents · · ·
            licensing 0
            penalty 0
            coercion 0
            fees 0""",
        # 5.要求行政机关确认…, 1.申请人无正当理由… and 2.申请人逾期未按… are broken apart from
        # their numbers and out of order in the source.
        requests="""
            new 1259 36 0 0 0 0 1295
            carried_over 170 15 0 0 4 0 189
            granted 201 5 0 0 0 0 206
            partly_granted 2 0 0 0 0 0 2
            withheld.state_secret 4 0 0 0 0 0 4
            withheld.prohibited_by_law 0 0 0 0 0 0 0
            withheld.security_stability 1 0 0 0 0 0 1
            withheld.third_party 0 0 0 0 0 0 0
            withheld.internal_affairs 8 0 0 0 1 0 9
            withheld.process_info 1 0 0 0 0 0 1
            withheld.enforcement_file 0 0 0 0 0 0 0
            withheld.query_item 5 0 0 0 0 0 5
            unable.not_held 484 28 0 0 1 0 513
            unable.needs_creation 47 1 0 0 0 0 48
            unable.still_unclear 3 0 0 0 0 0 3
            not_handled.petition 61 1 0 0 0 0 62
            not_handled.duplicate 16 0 0 0 0 0 16
            not_handled.publication 1 0 0 0 0 0 1
            not_handled.mass_repeat 1 0 0 0 0 0 1
            not_handled.confirmation · · · · · · ·
            other.no_correction · · · · · · ·
            other.fee_unpaid · · · · · · ·
            other.other 264 12 0 0 0 0 276
            total 1139 48 0 0 4 0 1191
            carried_forward 290 3 0 0 0 0 293""",
        review_litigation="""
            review 40 0 10 5 55
            litigation_direct 2 0 4 6 12
            litigation_after_review 6 0 9 7 22""",
    ),
    "shanghai-stcsm-2024.md": dict(
        reader="markdown", templates={"proactive": R21, "requests": R21, "review_litigation": R19},
        agency="上海市科委", year=2024,
        proactive="""
            regulations 0 0 0
            normative_documents 13 0 55
            licensing 97
            penalty 0
            coercion 0
            fees 0""",
        # The rest of table three has labels apart from their numbers, several labels before
        # one run of numbers, and a stray 1: none of those rows can be read.
        requests="""
            new 32 2 0 0 0 0 34
            carried_over 2 0 0 0 0 0 2
            granted 9 0 0 0 0 0 9
            partly_granted · · · · · · ·
            withheld.state_secret 0 0 0 0 0 0 0
            withheld.prohibited_by_law · · · · · · ·
            withheld.security_stability 0 0 0 0 0 0 0
            withheld.third_party 0 0 0 0 0 0 0
            withheld.internal_affairs · · · · · · ·
            withheld.process_info 1 0 0 0 0 0 1
            withheld.enforcement_file 0 0 0 0 0 0 0
            withheld.query_item 0 0 0 0 0 0 0
            unable.not_held · · · · · · ·
            unable.needs_creation · · · · · · ·
            unable.still_unclear · · · · · · ·
            not_handled.petition 0 0 0 0 0 0 0
            not_handled.duplicate 0 0 0 0 0 0 0
            not_handled.publication 0 0 0 0 0 0 0
            not_handled.mass_repeat · · · · · · ·
            not_handled.confirmation · · · · · · ·
            other.no_correction · · · · · · ·
            other.fee_unpaid · · · · · · ·
            other.other 4 0 0 0 0 0 4
            total 33 2 0 0 0 0 35
            carried_forward 1 0 0 0 0 0 _""",
        review_litigation="""
            review 1 0 0 0 1
            litigation_direct 0 0 0 0 0
            litigation_after_review 0 0 0 0 0""",
    ),
    "shuyang-2025.ocr.md": dict(
        reader="markdown", templates={"proactive": R21, "requests": R21, "review_litigation": R19},
        agency="沐阳县人民政府", year=2025, published="2026-01-23",
        proactive="""
            regulations 0 0 0
            normative_documents 6 1 32
            licensing 517645
            penalty 693957
            coercion 2154
            fees 4068.208""",
        requests="""
            new 705 3 0 0 5 0 713
            carried_over 36 0 0 0 0 0 36
            granted 290 1 0 0 3 0 294
            partly_granted 99 0 0 0 2 0 101
            withheld.state_secret 0 0 0 0 0 0 0
            withheld.prohibited_by_law 0 0 0 0 0 0 0
            withheld.security_stability 2 0 0 0 0 0 2
            withheld.third_party 2 0 0 0 0 0 2
            withheld.internal_affairs 13 0 0 0 0 0 13
            withheld.process_info 2 0 0 0 0 0 2
            withheld.enforcement_file 4 0 0 0 0 0 4
            withheld.query_item 9 0 0 0 0 0 9
            unable.not_held 111 0 0 0 0 0 111
            unable.needs_creation 2 0 0 0 0 0 2
            unable.still_unclear 0 0 0 0 0 0 0
            not_handled.petition 12 0 0 0 0 0 12
            not_handled.duplicate 6 1 0 0 0 0 7
            not_handled.publication 0 0 0 0 0 0 0
            not_handled.mass_repeat 0 0 0 0 0 0 0
            not_handled.confirmation 0 0 0 0 0 0 0
            other.no_correction 9 0 0 0 0 0 9
            other.fee_unpaid 7 0 0 0 0 0 7
            other.other 142 1 0 0 0 0 143
            total 710 3 0 0 5 0 718
            carried_forward 31 0 0 0 0 0 31""",
        review_litigation="""
            review 27 10 9 15 61
            litigation_direct 3 0 0 0 3
            litigation_after_review 8 0 1 1 10""",
    ),
    "suqian-2025-abridged.md": dict(
        reader="markdown", templates={"proactive": R21, "requests": R21, "review_litigation": R19},
        agency="宿迁市", year=2025,
        proactive="""
            regulations 3 0 15
            normative_documents 61 59 422""",
        requests="""
            new 3746 63 0 0 19 2 3830""",
        review_litigation="""
            review 119 25 91 24 259
            litigation_direct 7 0 15 6 28
            litigation_after_review 21 1 7 9 38""",
    ),
    "changtu-2021.excerpt.txt": dict(
        reader="text", templates={"proactive": R19, "requests": R19}, agency="", year=2021,
        proactive="""
            regulations 0 0 0
            normative_documents 0 0 0
            licensing 33 0 0
            other_services 4 0 16
            penalty 36 0 0
            coercion 1 0 0
            fees 0 0
            procurement 0 0""",
        # The excerpt stops inside (一)予以公开, after its sixth number.
        requests="""
            new 0 0 0 0 0 0 0
            carried_over 0 0 0 0 0 0 0
            granted 0 0 0 0 0 0""",
    ),
    "hanyang-2022.excerpt.txt": dict(
        reader="text", templates={"proactive": R21, "requests": R21}, agency="区政府办公室",
        year=2022,
        proactive="""
            regulations 0 0 _
            normative_documents 5 12 8
            licensing 0
            penalty 0
            coercion 0
            fees 0""",
        requests="""
            new 8 0 0 0 0 0 8
            carried_over 0 0 0 0 0 0 0""",
    ),
    "yangling-2022.excerpt.txt": dict(
        reader="text", templates={"proactive": R21, "requests": R21}, agency="", year=2022,
        proactive="""
            regulations 0 0 0
            normative_documents 0 0 0
            licensing 0
            penalty 0
            coercion 0
            fees 0""",
        requests="",
    ),
    "wuhan-eeb-2020.traditional.excerpt.txt": dict(
        reader="text", templates={"proactive": R19}, agency="", year=2020,
        proactive="""
            regulations 0 0 0
            normative_documents 2 2 19
            licensing 8 5 93
            other_services 117 0 165
            penalty 90 0 22
            coercion 4 4 -
            fees _ _""",
    ),
}


def stated(text: str) -> dict[str, list[str]]:
    rows = {}
    for line in text.strip().splitlines():
        row, *cells = line.split()
        rows[row] = cells
    return rows


@pytest.fixture(scope="module")
def reports():
    # By name, not path: the golden files must not hold where the checkout lives.
    return {p.name: gongkai.convert_bytes(p.read_bytes(), filename=p.name) for p in FILES}


def test_every_sample_is_listed():
    assert {p.name for p in FILES} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_metadata_reader_and_templates(name, reports):
    expected, report = EXPECTED[name], reports[name]
    assert report.metadata.reader == expected["reader"]
    assert report.metadata.templates == expected["templates"]
    assert report.metadata.agency == expected["agency"]
    assert report.metadata.year == expected["year"]
    assert report.metadata.published == expected.get("published", "")


#: A cell not read (``·``): missing from the source, or ambiguous (its row has fewer values than
#: columns and the identities do not say whose they are); a diagnostic names it either way.
NOT_READ = (Status.MISSING, Status.AMBIGUOUS)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_stated_cell(name, reports):
    expected, report = EXPECTED[name], reports[name]
    named = {ref for d in report.diagnostics for ref in d.cells}
    listed = set()
    for code in ("proactive", "requests", "review_litigation"):
        table = report.get_table(code)
        for row, cells in stated(expected.get(code, "")).items():
            columns = [c for c in table.cells if c.row == row]
            assert len(columns) >= len(cells), (name, row)
            for want, cell in zip(cells, columns, strict=False):
                listed.add(cell.ref)
                where = (name, cell.ref, cell.raw, cell.status)
                if want == "·":
                    assert cell.status in NOT_READ and cell.ref in named, where
                elif want == "_":
                    # Blank in the source: empty, unless an identity restored it (inferred).
                    assert cell.raw == "" and cell.status in (Status.EMPTY, Status.INFERRED), where
                elif want in ("-", "/", "—", "无"):
                    assert (cell.status, cell.raw) == (Status.PLACEHOLDER, want), where
                else:
                    assert cell.status is Status.OK, where
                    assert Decimal(str(cell.value)) == Decimal(want), where
                    assert cell.raw == want and cell.line > 0, where
    # Whatever the source does not state is missing (with a diagnostic) or restored by a rule.
    for cell in report.cells():
        if cell.ref not in listed:
            assert cell.status in (*NOT_READ, Status.INFERRED), (name, cell)
            assert cell.ref in named or any(
                d.code == "row-missing" and cell.ref in d.cells for d in report.diagnostics
            ), (name, cell)


@pytest.mark.parametrize("fmt", ["json", "csv"])
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name.split(".")[0])
def test_sample_output_matches_golden(path, fmt, reports, assert_golden):
    stem = path.name.split(".")[0]
    assert_golden(gongkai.dumps(reports[path.name], fmt),
                  GOLDEN / "samples" / f"{stem}.{fmt}")


# -- what each sample is there for -------------------------------------------------------------


def diagnostics(report, code: str) -> list:
    return [d for d in report.diagnostics if d.code == code]


def test_hybrid_reports_have_2021_proactive_and_2019_requests(reports):
    for name in ("hongze-2023.pdf.txt", "hongze-2024.pdf.txt"):
        requests = reports[name].table("requests")
        rows = {c.row for c in requests.cells}
        assert "other" in rows and "other.no_correction" not in rows


def test_a_typo_label_is_read_with_a_diagnostic(reports):
    report = reports["hongze-2023.pdf.txt"]
    (fuzzy,) = diagnostics(report, "label-fuzzy")
    assert "2.其他法律行政止公开" in fuzzy.message and fuzzy.line == 90
    assert report.cell("requests", "withheld.prohibited_by_law", "total").line == 90


def test_a_source_that_breaks_table_four_is_a_finding_not_a_fix(reports):
    report = reports["hongze-2023.pdf.txt"]
    assert report.table("review_litigation").value("review", "total") == 0
    findings = diagnostics(report, "review_litigation.row-sum")
    assert findings and all(d.line == 131 for d in findings)


def test_page_numbers_inside_a_table_are_skipped(reports):
    report = reports["huaian-2024.pdf.txt"]
    # "（四）无 1.本机关不掌握相关政府信息 746 …" (line 115), "- 5 -" (116), "法提供 2.没有…" (117)
    assert report.cell("requests", "unable.not_held", "total").line == 115
    assert report.cell("requests", "unable.needs_creation", "total").line == 117


def test_labels_broken_over_lines_and_around_their_values(reports):
    report = reports["huaian-2024.pdf.txt"]
    # 1、申请人无正当理由逾期不补 / 正、行政机关不再处理其政府信 / 息公开申请 / 67 3 0 0 1 0 71
    assert report.cell("requests", "other.no_correction", "natural_person").line == 132
    # （二）部分公开（区分处理的，只计这一情 / 形，不计其他情形） 447 7 0 0 0 0 454
    assert report.cell("requests", "partly_granted", "total").line == 104


def test_short_rows_of_page_text_are_reported_not_shifted(reports):
    report = reports["shanghai-office-2025.md"]
    ambiguous = diagnostics(report, "cells-ambiguous")
    assert {d.line for d in ambiguous} == {97, 100}
    assert "22, 235" in ambiguous[0].message


def test_a_broken_table_says_which_rows_it_could_not_read(reports):
    report = reports["shanghai-stcsm-2024.md"]
    said = {ref.row for d in report.diagnostics for ref in d.cells
            if ref.table == "requests"}
    assert {"unable.not_held", "unable.still_unclear", "other.no_correction",
            "other.fee_unpaid"} <= said


def test_tables_numbered_apart_from_the_sections(reports):
    report = reports["shanghai-stcsm-2024.md"]
    numbers = [(s.number, s.key) for s in report.sections if s.number]
    assert numbers[:6] == [("一", "overview"), ("二", ""), ("三", ""), ("四", ""), ("五", ""),
                           ("六", "")]
    assert ("一", "proactive") in numbers and ("二", "requests") in numbers


def test_tables_split_in_pieces_with_made_up_headers(reports):
    report = reports["shuyang-2025.ocr.md"]
    assert not diagnostics(report, "cells-missing") and not diagnostics(report, "row-missing")
    # OCR's "### 一、本年新收…" over "类别 | 数据1 | …" is a caption, not a section of its own.
    assert [s.number for s in report.sections if s.number] == list("一二三四五六")


def test_an_extra_regional_row_is_kept_with_its_own_code(gongkai_engine_factory):
    import types

    import attrs

    from gongkai import hookimpl
    from gongkai.layouts.layout import ExtraRow, RowLayout

    engine = gongkai_engine_factory()
    (base,) = [c.item for c in engine.layouts() if c.name == "proactive-2019"]
    rows = list(base.rows)
    rows.insert(2, RowLayout("other_documents", ("new_made", "new_published", "total_published")))
    layout = attrs.evolve(
        base, name="proactive-2019.test-hubei", rows=tuple(rows), priority=-1,
        extra_rows=(ExtraRow("other_documents", "其他主动公开文件", "",
                             ("其他主动公开文件", "其他主动公开档案")),))
    plugin = types.ModuleType("test_hubei")

    @hookimpl
    def gongkai_add_layouts(register):
        register(layout)

    plugin.gongkai_add_layouts = gongkai_add_layouts
    path = SAMPLES / "wuhan-eeb-2020.traditional.excerpt.txt"
    plain = gongkai.convert_file(path)
    (unknown,) = diagnostics(plain, "row-unknown")
    assert "186, 86, 255" in unknown.message  # without the regional layout: said, not read
    report = gongkai.convert_file(path, engine=gongkai_engine_factory(plugins=[plugin]))
    table = report.table("proactive")
    assert table.layout == "proactive-2019.test-hubei"
    extra = [(c.column, c.value, c.line) for c in table.cells if c.row == "other_documents"]
    assert extra == [("new_made", 186, 6), ("new_published", 86, 6),
                     ("total_published", 255, 6)]
    assert not diagnostics(report, "row-unknown")


def test_samples_readme_names_every_file():
    text = (SAMPLES / "README.md").read_text("utf-8")
    for path in FILES:
        assert f"`{path.name}`" in text

