"""gongkai.interpret.agency: the agency key (names from the samples and seeds) and the credit
code."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.interpret.agency import agency_key, find_credit_code, valid_credit_code
from gongkai.pipeline import convert_file, convert_text

from conftest import FIXTURES, seed_path

SAMPLES = FIXTURES / "samples"

SAME = [
    # hongze-2023 writes its agency without the city, hongze-2024 with it
    ("洪泽区人民政府", "淮安市洪泽区人民政府"),
    ("洪泽区人民政府", "江苏省淮安市洪泽区人民政府"),
    ("洪泽区人民政府", "洪泽区政府"),
    # suqian-2025 and seed 004: a title naming only the division is its government's report
    ("宿迁市", "宿迁市人民政府"),
    ("太仆寺旗", "内蒙古自治区锡林郭勒盟太仆寺旗人民政府"),
    # the office of hanyang-2022, huaian-2024's government's office
    ("武汉市汉阳区人民政府办公室", "汉阳区政府办公室"),
    ("淮安市人民政府办公室", "淮安市政府办"),
    # shanghai-stcsm-2024 calls itself 上海市科委
    ("上海市科委", "上海市科学技术委员会"),
    ("湖北省武汉市生态环境局", "武汉市生态环境局"),
    ("陕西省杨凌示范区审计局", "杨凌示范区审计局"),
    ("徐州市沛县人民政府", "沛县人民政府"),
    ("武汉市东湖新技术开发区管委会", "东湖新技术开发区管理委员会"),
    ("淮安市洪泽区人民政府（本级）", "洪泽区人民政府"),
    ("淮安市 洪泽区 人民政府", "洪泽区人民政府"),
]

DIFFERENT = [
    # the office is an agency of its own, publishing its own report
    ("淮安市人民政府", "淮安市人民政府办公室"),
    ("淮安市人民政府", "淮安市洪泽区人民政府"),
    ("上海市人民政府办公厅", "上海市人民政府"),
    ("驻马店市公共资源交易中心", "天水市公共资源交易中心"),
]


@pytest.mark.parametrize(("a", "b"), SAME)
def test_one_agency_one_key(a, b):
    assert agency_key(a) == agency_key(b) != ""


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_different_agencies_different_keys(a, b):
    assert agency_key(a) != agency_key(b)


@pytest.mark.parametrize(("name", "key"), [
    ("淮安市洪泽区人民政府", "洪泽区人民政府"),
    ("宿迁市", "宿迁市人民政府"),
    ("淮安市洪泽区高良涧街道", "高良涧街道办事处"),
    # words that end like a division but are part of the agency's name
    ("淮安市住房和城乡建设局", "淮安市住房和城乡建设局"),
    ("淮安市城市管理局", "淮安市城市管理局"),
    ("淮安市市场监督管理局", "淮安市市场监督管理局"),
    ("上海市浦东新区人民政府", "浦东新区人民政府"),
    ("延边朝鲜族自治州人民政府", "延边朝鲜族自治州人民政府"),
    ("国家税务总局淮安市税务局", "国家税务总局淮安市税务局"),
])
def test_keys(name, key):
    assert agency_key(name) == key


@pytest.mark.parametrize("name", ["", "  ", "区政府办公室", "本局", "我委", "市场监管局"])
def test_names_that_tell_no_agency(name):
    assert agency_key(name) == ""


def test_the_hongze_samples_share_a_key():
    a = convert_file(SAMPLES / "hongze-2023.pdf.txt").metadata.agency
    b = convert_file(SAMPLES / "hongze-2024.pdf.txt").metadata.agency
    assert a != b and agency_key(a) == agency_key(b) == "洪泽区人民政府"


def test_seed_agencies_have_keys():
    assert agency_key(convert_file(seed_path("000")).metadata.agency) \
        == "驻马店市公共资源交易中心"
    assert agency_key(convert_file(seed_path("004")).metadata.agency) \
        == "太仆寺旗人民政府"


# -- 统一社会信用代码 ---------------------------------------------------------------------------

#: The example code of GB 32100-2015 explainers (a published, valid code).
VALID = "91350100M000100Y43"


def test_credit_code_check_character():
    assert valid_credit_code(VALID)
    assert not valid_credit_code(VALID[:-1] + "4")
    assert not valid_credit_code(VALID[:-1])
    assert not valid_credit_code("I" + VALID[1:])  # I is not among the code's characters


def test_every_single_change_is_caught():
    # The check character catches any one changed character (31 is prime).
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    for i in range(18):
        for c in chars:
            changed = VALID[:i] + c + VALID[i + 1:]
            assert valid_credit_code(changed) == (changed == VALID)


def test_find_credit_code():
    assert find_credit_code(f"统一社会信用代码：{VALID}") == VALID
    assert find_credit_code(f"统一社会信用代码为 {VALID.lower()}。") == VALID
    assert find_credit_code(f"统一社会信用代码:{VALID[:-1]}4") == ""
    assert find_credit_code(f"信用代码 {VALID}") == ""  # not stated as one


def test_credit_code_in_metadata():
    text = ("测试市2024年政府信息公开工作年度报告\n一、总体情况\n本机关统一社会信用代码："
            f"{VALID}。\n")
    assert convert_text(text).metadata.credit_code == VALID
    assert convert_text(text.replace(VALID, "")).metadata.credit_code == ""


# -- property: the levels above an agency never change its key -------------------------------

PROVINCES = ["江苏省", "湖北省", "内蒙古自治区", "广西壮族自治区"]
CITIES = ["淮安市", "武汉市", "锡林郭勒盟", "延边朝鲜族自治州", "宿迁市"]
COUNTIES = ["洪泽区", "沭阳县", "太仆寺旗", "汉阳区", "沛县", "浦东新区", "东城区"]
TOWNS = ["高良涧街道", "城关镇", "黄集乡"]
BODIES = ["人民政府", "人民政府办公室", "公安局", "住房和城乡建设局", "城市管理局",
          "市场监督管理局", "科学技术委员会", "公共资源交易中心", "审计局", ""]


@st.composite
def chains(draw):
    levels = [draw(st.sampled_from(pool)) for pool in (PROVINCES, CITIES, COUNTIES, TOWNS)]
    lowest = draw(st.integers(1, 3))
    body = draw(st.sampled_from(BODIES))
    start = draw(st.integers(0, lowest))
    return levels[: lowest + 1], start, body


@given(chains())
def test_dropping_levels_above_keeps_the_key(chain):
    levels, start, body = chain
    full = "".join(levels) + body
    shorter = "".join(levels[start:]) + body
    key = agency_key(full)
    assert key == agency_key(shorter) != ""
    assert key.startswith(levels[-1])
    assert agency_key(key) == key  # a key is its own key
