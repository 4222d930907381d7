"""The docs say what the code does: hooks, codes, model, CLI, variant format, links.

Reference pages are checked against the code they describe, so a hook, option, field or code
that changes without its documentation fails here. docs/codes.md's table is generated:
``GONGKAI_UPDATE_GOLDEN=1 pytest tests/test_docs.py`` rewrites it (review the diff).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import re
import sys
from pathlib import Path

import attrs
import pytest

import gongkai
from gongkai import model
from gongkai.cli.main import build_parser
from gongkai.engine import hookspecs, plugin_types
from gongkai.engine.manager import Engine
from gongkai.layouts import variant_toml
from gongkai.layouts.codes import load_codes
from gongkai.layouts.layout import ExtraRow, Layout, RowLayout
from gongkai.testing import UPDATE_ENV

from conftest import FIXTURES

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
WUHAN = FIXTURES / "variants" / "wuhan-eeb-2020.traditional.excerpt.txt"


def read(name: str) -> str:
    return (DOCS / name).read_text("utf-8")


def sections(text: str, level: int = 2) -> dict[str, str]:
    """The page cut at its headings of ``level``: heading text (without backquotes) -> body."""
    mark = "#" * level + " "
    out: dict[str, str] = {}
    current = None
    for line in text.splitlines():
        if line.startswith(mark):
            current = line[len(mark):].strip().strip("`")
            out[current] = ""
        elif current is not None:
            if re.match(rf"^#{{1,{level - 1}}} ", line):
                current = None
            else:
                out[current] += line + "\n"
    return out


# -- hooks.md ---------------------------------------------------------------------------------


def hook_signature(name: str) -> str:
    """``name(arg: annotation, ...) -> return`` as the hookspec declares it."""
    annotations = dict(getattr(hookspecs, name).__annotations__)
    result = annotations.pop("return")
    args = ", ".join(f"{arg}: {annotation}" for arg, annotation in annotations.items())
    return f"{name}({args}) -> {result}"


def test_every_hook_is_documented_with_its_exact_signature():
    pages = sections(read("hooks.md"))
    for name in hookspecs.hook_names():
        assert name in pages, f"docs/hooks.md has no section '## `{name}`'"
        assert f"```python\ndef {hook_signature(name)}: ...\n```" in pages[name], (
            f"docs/hooks.md: the section of {name} must show its signature exactly: "
            f"{hook_signature(name)}")


def test_hooks_md_documents_no_hook_that_does_not_exist():
    documented = set(re.findall(r"^## `(gongkai_\w+)`", read("hooks.md"), re.M))
    assert documented == set(hookspecs.hook_names())


@pytest.mark.parametrize(("record", "hook"), [
    (plugin_types.Reader, "gongkai_add_readers"),
    (plugin_types.Normalizer, "gongkai_add_normalizers"),
    (Layout, "gongkai_add_layouts"),
    (plugin_types.Rule, "gongkai_add_rules"),
    (plugin_types.CorpusRule, "gongkai_add_corpus_rules"),
    (plugin_types.Writer, "gongkai_add_writers"),
])
def test_every_field_of_what_a_hook_registers_is_documented(record, hook):
    page = sections(read("hooks.md"), 3)
    title = next((t for t in page if t.startswith(f"{record.__name__}`")), None)
    assert title, f"docs/hooks.md has no '### `{record.__name__}`' section"
    table = page[title]
    for field in attrs.fields(record):
        assert f"| `{field.name}` |" in table, (
            f"docs/hooks.md: field {field.name!r} of {record.__name__} is not in its table")
    documented = set(re.findall(r"^\| `(\w+)` \|", table, re.M))
    assert documented == {f.name for f in attrs.fields(record)}


def test_the_records_named_in_hooks_md_exist():
    for record in (plugin_types.Source, plugin_types.ReadOptions, plugin_types.WriterOption,
                   RowLayout, ExtraRow):
        for field in attrs.fields(record):
            assert field.name in read("hooks.md"), (record.__name__, field.name)


# -- codes.md -----------------------------------------------------------------------------------

BEGIN = "<!-- BEGIN GENERATED from gongkai/data/codes.toml by tests/test_docs.py -->"
END = "<!-- END GENERATED -->"


def codes_markdown() -> str:
    """docs/codes.md's generated part: every table, row, column and section code."""
    codes = load_codes()
    out = [f"Codes version **{codes.version}**.", ""]
    out += ["### Sections", "", "| code | 中文 | English |", "|---|---|---|"]
    out += [f"| `{s.code}` | {s.zh} | {s.en} |" for s in codes.sections]
    for table in codes.tables:
        out += ["", f"### Table `{table.code}` — {table.zh}", "", f"{table.en}. Section: "
                f"`{table.section}`.", "", "Rows:", "", "| code | 中文 | English |",
                "|---|---|---|"]
        out += [f"| `{r.code}` | {r.zh} | {r.en} |" for r in table.rows]
        out += ["", "Columns:", "", "| code | 中文 | English | kind |", "|---|---|---|---|"]
        out += [f"| `{c.code}` | {c.zh} | {c.en} | {c.kind} |" for c in table.columns]
    return "\n".join(out) + "\n"


def test_codes_md_lists_exactly_the_codes():
    path = DOCS / "codes.md"
    text = path.read_text("utf-8")
    assert BEGIN in text and END in text, f"docs/codes.md must keep the markers {BEGIN} {END}"
    head, rest = text.split(BEGIN, 1)
    generated, tail = rest.split(END, 1)
    expected = "\n" + codes_markdown()
    if os.environ.get(UPDATE_ENV) == "1":
        path.write_text(head + BEGIN + expected + END + tail, "utf-8")
        return
    assert generated == expected, (
        f"docs/codes.md is out of date with codes.toml: run {UPDATE_ENV}=1 pytest "
        "tests/test_docs.py and review the diff")


# -- model.md -----------------------------------------------------------------------------------


@pytest.mark.parametrize("cls", [model.Report, model.Metadata, model.Section, model.Table,
                                 model.Cell, model.CellRef, model.Diagnostic])
def test_every_model_field_is_documented(cls):
    page = sections(read("model.md"), 3)
    title = next((t for t in page if t.startswith(f"{cls.__name__}`") or t == cls.__name__),
                 None)
    assert title, f"docs/model.md has no '### `{cls.__name__}`' section"
    documented = set(re.findall(r"^\| `(\w+)` \|", page[title], re.M))
    assert documented == {f.name for f in attrs.fields(cls)}, cls.__name__


def test_every_status_and_severity_is_documented():
    text = read("model.md")
    for value in [*model.Status, *model.Severity]:
        assert f"`{value.value}`" in text, value


# -- cli.md -------------------------------------------------------------------------------------


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    (action,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(action.choices)


def option_names(parser: argparse.ArgumentParser, *, skip_global: bool) -> list[str]:
    """Each option's longest spelling (and each positional's metavar)."""
    names = []
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction | argparse._SubParsersAction):
            continue
        if skip_global and action.dest.startswith("sub_"):
            continue  # the global plugin options, documented once
        if action.option_strings:
            names.append(max(action.option_strings, key=len))
        else:
            names.append(action.metavar or action.dest)
    return names


def test_cli_md_documents_every_subcommand_and_option():
    parser = build_parser()
    page = sections(read("cli.md"))
    for option in option_names(parser, skip_global=False):
        assert f"`{option}" in page["Global options"], (
            f"docs/cli.md: global option {option} is not under '## Global options'")
    for name, sub in subcommands(parser).items():
        title = f"gongkai {name}"
        assert title in page, f"docs/cli.md has no section '## `gongkai {name}`'"
        for option in option_names(sub, skip_global=True):
            assert f"`{option}" in page[title], (
                f"docs/cli.md: option {option} of gongkai {name} is not in its section")


def test_cli_md_documents_no_subcommand_that_does_not_exist():
    documented = set(re.findall(r"^## `gongkai (\w+)", read("cli.md"), re.M))
    assert documented == set(subcommands(build_parser()))


# -- variants.md --------------------------------------------------------------------------------


def toml_blocks(text: str) -> list[str]:
    return re.findall(r"```toml\n(.*?)```", text, re.S)


def test_the_variant_example_in_variants_md_reads_the_wuhan_report(tmp_path):
    example = toml_blocks(read("variants.md"))[0]
    path = tmp_path / "hubei.toml"
    path.write_text(example, "utf-8")
    report = gongkai.convert(WUHAN, engine=Engine(variants=[path], allow=()))
    table = report.table("proactive")
    assert table.value("other_documents", "total_published") == 255


def test_every_toml_block_in_the_docs_is_a_valid_variant(tmp_path):
    for page in ("variants.md", "plugins.md", "index.md"):
        for i, block in enumerate(toml_blocks(read(page))):
            if "[variant]" not in block:
                continue
            variant_toml.variant_from_toml(block, source=f"{page} block {i}")


def test_variants_md_documents_every_key():
    text = read("variants.md")
    for key in variant_toml.ALL_KEYS:
        spellings = (f"`{key}`", f"`[{key}]`", f"`[[{key}]]`")
        assert any(s in text for s in spellings), (
            f"docs/variants.md does not document the key {key!r}")


# -- links --------------------------------------------------------------------------------------

#: Pages other people are writing; a link to one is checked once it exists.
PENDING = {"writing-a-writer.md", "rules.md", "python.md"}


@pytest.mark.parametrize("page", sorted(p.name for p in DOCS.glob("*.md")))
def test_relative_links_resolve(page):
    text = read(page)
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
        if re.match(r"^[a-z]+:", target):
            continue
        path = (DOCS / target).resolve()
        if path.name in PENDING and not path.exists():
            continue
        assert path.exists(), f"docs/{page} links to {target}, which does not exist"


def test_the_index_links_every_page():
    index = read("index.md")
    for page in DOCS.glob("*.md"):
        if page.name != "index.md":
            assert f"({page.name}" in index, f"docs/index.md does not link {page.name}"


# -- every code block runs ------------------------------------------------------------------------
#
# Every ```python block of README.md and docs/*.md runs here, the blocks of one page in order in
# one namespace (a later block uses what an earlier one defined), in a temporary directory that
# holds what the pages' examples name. The documented setup of a fragment, given to every page:
#
# * files: `report.txt` (examples/reports/hongze-2023.pdf.txt, the bundled example with
#   numbers and findings), `examples/reports/` (a copy) and `crawl/<agency>/<year>.txt` (the
#   bundled examples, a small corpus);
# * names: `gongkai`, `path = "report.txt"`, `text` and `data` (its text and bytes) and
#   `report = gongkai.convert("report.txt")`; `__name__` is "__main__" and `__file__` a file
#   in that directory;
# * an expression statement ending in `# -> VALUE` must give a value whose repr is VALUE;
# * an HTML comment on the line before a block changes how it runs:
#   `<!-- docs-test: module NAME -->` runs it as the module NAME (importable by the later
#   blocks, its names also given to them); `<!-- docs-test: compile-only: WHY -->` only
#   compiles it (a block that needs what a test cannot have: a Spark cluster, a package's own
#   resources) and must say why.
# Non-Python blocks are fenced as what they are (sh, toml, json, text); a block of a bare
# fence is text.

EXAMPLES = ROOT / "examples" / "reports"
FIRST_EXAMPLE = EXAMPLES / "hongze-2023.pdf.txt"
CRAWL = {"hongze/2023.txt": "hongze-2023.pdf.txt", "zhumadian/2019.txt": "zhumadian-ggzy-2019.txt",
         "tianshui/2023.txt": "tianshui-ggzy-2023.traditional.txt"}
PAGES = [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]
_BLOCK = re.compile(r"(?:^<!-- docs-test: (?P<mode>[^>]*?) -->\n)?^```(?P<lang>[^\n`]*)\n"
                    r"(?P<code>.*?)^```$", re.S | re.M)
_RESULT = re.compile(r"^(?P<expr>\S.*?)\s+# -> (?P<value>.+)$")
_ANNOTATIONS = __import__("__future__").annotations.compiler_flag


@attrs.frozen
class Block:
    page: str
    line: int
    lang: str
    mode: str
    code: str


def blocks(page: Path) -> list[Block]:
    text = page.read_text("utf-8")
    return [Block(page.name, text[:m.start("code")].count("\n") + 1, m["lang"].strip(),
                  (m["mode"] or "").strip(), m["code"]) for m in _BLOCK.finditer(text)]


def checked(code: str) -> str:
    """The block with each ``EXPR  # -> VALUE`` line made a check of EXPR's repr."""
    out = []
    for number, line in enumerate(code.splitlines(), 1):
        m = _RESULT.match(line)
        out.append(f"__expect__(({m['expr']}), {m['value']!r}, {number})" if m else line)
    return "\n".join(out) + "\n"


def _expect(value, expected: str, line: int) -> None:
    assert repr(value) == expected, f"line {line}: gives {value!r}, the page says {expected}"


def setup_directory(where: Path) -> dict:
    """The documented setup: files in ``where`` and the names every page starts with."""
    import shutil

    shutil.copyfile(FIRST_EXAMPLE, where / "report.txt")
    shutil.copytree(EXAMPLES, where / "examples" / "reports")
    for rel, name in CRAWL.items():
        (where / "crawl" / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(EXAMPLES / name, where / "crawl" / rel)
    return {"__name__": "__main__", "__file__": str(where / "block.py"),
            "__expect__": _expect, "gongkai": gongkai,
            "path": "report.txt", "text": (where / "report.txt").read_text("utf-8"),
            "data": (where / "report.txt").read_bytes(),
            "report": gongkai.convert(where / "report.txt")}


def run_page(page: Path, where: Path, monkeypatch) -> dict:
    monkeypatch.chdir(where)
    namespace = setup_directory(where)
    for block in blocks(page):
        if block.lang != "python":
            continue
        name = f"{block.page}:{block.line}"
        code = compile(checked(block.code), name, "exec", flags=_ANNOTATIONS, dont_inherit=True)
        mode, _, argument = block.mode.partition(" ")
        if mode == "compile-only:":
            assert argument.strip(), f"{name}: compile-only must say why"
            continue
        if mode == "module":
            import types

            module = types.ModuleType(argument.strip())
            module.__dict__["__expect__"] = _expect
            monkeypatch.setitem(sys.modules, module.__name__, module)
            exec(code, module.__dict__)
            namespace.update({k: v for k, v in vars(module).items() if not k.startswith("__")})
            continue
        assert not mode, f"{name}: unknown docs-test mode {block.mode!r}"
        exec(code, namespace)
    return namespace


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_python_block_runs(page, tmp_path, monkeypatch, capsys):
    run_page(page, tmp_path, monkeypatch)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_block_is_fenced_as_what_it_is(page):
    for block in blocks(page):
        if block.lang in ("python", ""):
            continue
        assert block.lang in ("sh", "toml", "json", "text", "csv"), (
            f"{block.page}:{block.line}: a block fenced as {block.lang!r}")
        if block.lang == "json":
            json.loads(block.code.replace("...", "0").replace('"0"', '"..."'))
        elif block.lang == "toml":
            from gongkai.layouts.tomlcompat import tomllib

            tomllib.loads(block.code)


def test_the_dask_recipe_gives_the_cells_of_the_dataset(tmp_path, monkeypatch):
    pd = pytest.importorskip("pandas")
    pytest.importorskip("dask")
    pytest.importorskip("pyarrow")
    run_page(DOCS / "python.md", tmp_path, monkeypatch)
    assert (tmp_path / "cells").is_dir()
    recipe = pd.read_parquet(tmp_path / "cells")
    from gongkai.cli.main import main

    assert main(["convert", "crawl/", "--dataset", "dataset.parquet", "-q", "-j", "1"]) == 0
    dataset = pd.read_parquet(tmp_path / "dataset.parquet")
    key = ["report_id", "table", "row", "column"]

    def plain(frame):
        frame = frame.astype({c: "object" for c in frame.columns if c not in ("value", "line")})
        return frame.sort_values(key).reset_index(drop=True)

    pd.testing.assert_frame_equal(plain(recipe), plain(dataset), check_dtype=False)
    assert recipe["value"].dtype == "float64"
    assert str(recipe["line"].dtype).startswith("int")


def test_the_readme_first_command_shows_numbers_and_findings(monkeypatch, capsys):
    from gongkai.cli.main import main

    readme = blocks(ROOT / "README.md")
    first = next(b for b in readme if b.lang == "sh")
    shown = next(b for b in readme if b.lang == "text")  # the findings the page shows
    commands = [c.strip().split() for c in first.code.replace("\n", " ").split("&&")]
    runs = [c[1:] for c in commands if c[0].endswith("/gongkai")]
    assert [r[0] for r in runs] == ["convert", "check"]
    monkeypatch.chdir(ROOT)
    assert main(runs[0]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    values = [r[4] for r in rows[1:]]
    assert sum(v not in ("", "0") for v in values) >= 10, "the first example is all zeros"
    assert main(runs[1]) == 1
    findings = capsys.readouterr().out
    assert 1 <= len(findings.splitlines()) <= 5
    assert findings == shown.code
