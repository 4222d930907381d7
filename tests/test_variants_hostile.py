"""Hostile variant files (issue 21): patterns that would backtrack for minutes, repetition counts
that overflow, deep nesting, huge files: each a located ConfigError or harmless, never a hang
or a traceback."""

from __future__ import annotations

import resource
import subprocess
import sys

import pytest

import gongkai
from gongkai import ConfigError
from gongkai.engine.manager import Engine
from gongkai.layouts.layout_toml import MAX_EXTRA_ROWS
from gongkai.layouts.variant_toml import (
    MAX_VARIANT_BYTES,
    load_variant,
    variant_from_toml,
)

HEAD = '[variant]\nname = "v"\n'
TABLE = ("二、主动公开政府信息情况\n"
         "信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |\n"
         "规章{cell} | 1 | 2 | 3 |\n")


def _patterns(*patterns: str) -> str:
    quoted = ", ".join("'" + p + "'" for p in patterns)
    return HEAD + f"[annotations]\npatterns = [{quoted}]\n"


@pytest.mark.parametrize("pattern,cell", [
    ("(x+x+)+y", "x" * 28),          # > 60 s with Python's re
    ("(a|aa)+$", "a" * 40 + "b"),    # 48 s with Python's re
    ("(\\d*)*z", "1" * 5000),
])
def test_catastrophic_patterns_match_in_linear_time(tmp_path, pattern, cell):
    variant = tmp_path / "v.toml"
    variant.write_text(_patterns(pattern), "utf-8")
    engine = Engine(variants=[variant])
    code = ("import gongkai, sys; from gongkai.engine.manager import Engine; "
            f"gongkai.convert_text({TABLE.format(cell=cell)!r}, "
            f"engine=Engine(variants=[{str(variant)!r}]))")
    # A generous bound on CPU time (seconds, where Python's re needs minutes): no timed
    # assertion, a resource limit that only a hang reaches.
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_CPU, (30, 30)))
    assert done.returncode == 0, done.stderr
    assert gongkai.convert_text(TABLE.format(cell=cell), engine=engine).tables


@pytest.mark.parametrize("pattern,says", [
    ("a{4294967296}x", None),  # OverflowError with Python's re; RE2 reads it
    ("a{1001}", "invalid repetition size"),
    ("(?=x)x", "RE2 syntax"),
    ("(x)\\1", "RE2 syntax"),
    ("x" * 1001, "longer than 1000 characters"),
])
def test_patterns_re2_cannot_promise_are_located_errors(pattern, says):
    text = _patterns("ok", pattern)
    if says is None:
        assert variant_from_toml(text, source="v.toml").ignore_patterns[1] == pattern
        return
    with pytest.raises(ConfigError) as info:
        variant_from_toml(text, source="v.toml")
    assert says in info.value.message
    assert info.value.format().startswith("v.toml:4: annotations.patterns[1]: ")


def test_too_many_patterns():
    with pytest.raises(ConfigError, match="more than 200 patterns"):
        variant_from_toml(_patterns(*[f"p{i}" for i in range(201)]), source="v.toml")


def test_deeply_nested_toml_is_a_located_error():
    text = HEAD + "x = " + "[" * 5000 + "]" * 5000 + "\n"
    with pytest.raises(ConfigError) as info:
        variant_from_toml(text, source="v.toml")
    assert "nested too deeply" in info.value.message or "not valid TOML" in info.value.message
    assert info.value.line == 3


def test_a_huge_variant_file_is_refused(tmp_path):
    big = tmp_path / "big.toml"
    big.write_text(HEAD + "# " + "x" * MAX_VARIANT_BYTES + "\n", "utf-8")
    with pytest.raises(ConfigError, match="larger than 1024 KB") as info:
        load_variant(big)
    assert info.value.path == str(big)


def test_too_many_extra_rows_is_refused_quickly():
    rows = "".join(f'[[layout.extra_rows]]\ncode = "r{i}"\nzh = "行{i}"\n'
                   f'columns = ["new_made"]\n' for i in range(MAX_EXTRA_ROWS + 1))
    text = HEAD + '[[layout]]\nextends = "proactive-2019"\n' + rows
    with pytest.raises(ConfigError, match="more than 1000 extra rows") as info:
        variant_from_toml(text, source="v.toml")
    assert info.value.line == 5  # the first [[layout.extra_rows]]


def test_many_extra_rows_within_the_limit_load():
    rows = "".join(f'[[layout.extra_rows]]\ncode = "r{i}"\nzh = "行{i}"\n'
                   f'columns = ["new_made"]\n' for i in range(MAX_EXTRA_ROWS))
    variant = variant_from_toml(HEAD + '[[layout]]\nextends = "proactive-2019"\n' + rows)
    assert len(variant.layouts[0].extra_rows) == MAX_EXTRA_ROWS


def test_the_cli_prints_a_bad_pattern_as_one_line(tmp_path, capsys):
    from gongkai.cli.main import main

    variant = tmp_path / "v.toml"
    variant.write_text(_patterns("(?<=x)y"), "utf-8")
    report = tmp_path / "r.txt"
    report.write_text(TABLE.format(cell=""), "utf-8")
    assert main(["--variant", str(variant), "convert", str(report)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{variant}:4: annotations.patterns[0]: ") and err.count("\n") == 1
