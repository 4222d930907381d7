"""Batch conversion: `gongkai convert DIR_OR_GLOB... -o OUTDIR` and
gongkai.batch.runner.convert_many.

Discovery, safe and distinct output names, failures that do not stop the run, the summary and
exit status, resume and --force, Ctrl-C, a worker that dies, and the Python iterator. The
dataset itself is tests/test_dataset.py.
"""

from __future__ import annotations

import io
import os
import shutil
import time
from pathlib import Path

import pytest

import gongkai
from gongkai.batch import runner as batch
from gongkai.batch.progress import ProgressBar, wants_progress
from gongkai.batch.runner import Result, convert_many
from gongkai.cli.main import main
from gongkai.engine.hookspecs import hookimpl
from gongkai.engine.manager import Engine
from gongkai.engine.plugin_types import Reader, Source
from gongkai.errors import GongkaiError, InputError
from gongkai.naming import Input, find_reports, output_names, safe_part

from conftest import SEEDS, seed_path


def corpus_of(root: Path, names: dict[str, Path | bytes]) -> Path:
    """Files under ``root``: a seed's bytes, or the bytes given."""
    for name, content in names.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.read_bytes())
    return root


def tree(root: Path) -> list[str]:
    """The files under root, less the resume manifest (gongkai.batch.resume)."""
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*")
                  if p.is_file() and p.name != ".gongkai-manifest.jsonl")


@pytest.fixture
def corpus(tmp_path) -> Path:
    return corpus_of(tmp_path / "corpus", {
        "a.txt": SEEDS[0],
        "site1/b.txt": SEEDS[1],
        "site1/deep/c.TXT": SEEDS[2],
        "site2/d.txt": SEEDS[3],
        "notes.md.bak": b"not a report",
        ".hidden.txt": SEEDS[4],
        ".cache/e.txt": SEEDS[4],
    })


# -- finding the reports --------------------------------------------------------------------


def test_directories_are_searched_recursively_for_the_readers_extensions(corpus):
    found = find_reports([corpus], extensions={".txt"})
    assert [i.rel for i in found] == ["a.txt", "site1/b.txt", "site1/deep/c.TXT", "site2/d.txt"]
    assert [i.path for i in found] == sorted(i.path for i in found)  # sorted by path


def test_the_extensions_are_those_the_readers_declare(corpus):
    from gongkai.naming import reader_extensions

    extensions = reader_extensions(gongkai.pipeline.default_engine())
    assert ".txt" in extensions
    assert all(e.startswith(".") and e == e.lower() for e in extensions)


def test_globs_files_and_duplicates(corpus):
    found = find_reports([str(corpus / "site1" / "**" / "*.*"), corpus / "a.txt",
                          corpus / "site1" / "b.txt"], extensions={".txt"})
    assert [i.rel for i in found] == ["a.txt", "b.txt", "deep/c.TXT"]  # b.txt once
    with pytest.raises(gongkai.UsageError, match="no file matches"):
        find_reports([str(corpus / "*.nothing")], extensions={".txt"})


def test_a_file_reached_through_links_is_one_input(corpus, tmp_path):
    # Inputs are told apart by their resolved paths (resolved a directory at a time): a
    # linked directory, a linked file and the same path spelt with ".." are the same file.
    (corpus / "mirror").symlink_to(corpus / "site1", target_is_directory=True)
    (corpus / "site2" / "link.txt").symlink_to(corpus / "a.txt")
    spelt = str(corpus / "site2" / ".." / "site1" / "b.txt")
    found = find_reports([corpus, spelt], extensions={".txt"})
    assert sorted(i.rel for i in found) == ["a.txt", "site1/b.txt", "site1/deep/c.TXT",
                                            "site2/d.txt"]
    from gongkai.naming import RealPaths

    real = RealPaths()
    for path in [spelt, str(corpus / "mirror" / "b.txt"), str(corpus / "site2" / "link.txt"),
                 str(corpus / "nowhere" / "x.txt"), "x.txt", str(tmp_path) + "/"]:
        assert real(path) == os.path.realpath(path)


def test_the_output_directory_inside_the_corpus_is_not_an_input(corpus):
    (corpus / "out").mkdir()
    shutil.copyfile(SEEDS[0], corpus / "out" / "old.txt")
    found = find_reports([corpus], extensions={".txt"}, exclude=[corpus / "out"])
    assert all(not i.rel.startswith("out/") for i in found)


# -- output names ---------------------------------------------------------------------------


def names(*rels: str, extension: str = ".json") -> list[str]:
    return output_names([Input(f"/c/{i}/{r}", r) for i, r in enumerate(rels)], extension)


def test_names_mirror_the_input_paths_with_the_format_extension():
    assert names("a.txt", "site/b.txt", "site/deep/c.text") == [
        "a.json", "site/b.json", "site/deep/c.json"]


def test_inputs_that_would_share_a_name_get_distinct_stable_names():
    first = names("a.txt", "a.text", "A.txt", "b.txt")
    assert first[3] == "b.json"
    assert len({n.casefold() for n in first}) == 4
    assert all(n.startswith(("a~", "A~")) and n.endswith(".json") for n in first[:3])
    assert names("a.txt", "a.text", "A.txt", "b.txt") == first  # the same on every run


def test_the_same_relative_name_under_two_directories_does_not_collide():
    inputs = [Input("/one/x.txt", "x.txt"), Input("/two/x.txt", "x.txt")]
    a, b = output_names(inputs, ".csv")
    assert a != b


def test_a_file_name_never_takes_the_place_of_a_directory():
    a, b = names("x.csv/y.txt", "x.txt", extension=".csv")
    assert a == "x.csv/y.csv" and b != "x.csv"


@pytest.mark.parametrize("part,expected", [
    ("..", "_"), (".", "_"), (".hidden", "_hidden"), ("-rf", "_rf"), ("a:b*?c", "a_b__c"),
    ("a\x00b\nc", "a_b_c"), ("con", "_con"), ("NUL.txt", "_NUL.txt"), ("名字", "名字"),
    ("e\u0301", "\u00e9"), ("trailing. ", "trailing"),
])
def test_odd_characters_make_a_plain_file_name(part, expected):
    assert safe_part(part) == expected


def test_bytes_of_a_name_that_are_not_utf8_become_underscores():
    (name,) = names(os.fsdecode(b"report-\xff\xfe.txt"))
    assert name.encode("utf-8").decode("utf-8") == name  # writable as a UTF-8 name
    assert name.startswith("report-__")


def test_long_names_are_cut_to_what_file_systems_take():
    (name,) = names("政" * 200 + ".txt")
    assert len(name.encode("utf-8")) <= 255


def test_names_never_leave_the_output_directory():
    for name in names("../../etc/passwd.txt", "/abs/x.txt", "a/../../b.txt", "C:\\x.txt"):
        parts = name.split("/")
        assert ".." not in parts and "" not in parts and ":" not in name and "\\" not in name


# -- the command ------------------------------------------------------------------------------


def test_a_directory_is_converted_file_by_file(corpus, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["convert", str(corpus), "-o", str(out), "--to", "csv", "-j", "1"]) == 0
    assert tree(out) == ["a.csv", "site1/b.csv", "site1/deep/c.csv", "site2/d.csv"]
    expected = gongkai.dumps(gongkai.convert_file(corpus / "site1" / "b.txt",
                                                  report_id="site1/b"), "csv")
    assert (out / "site1" / "b.csv").read_text(encoding="utf-8") == expected
    err = capsys.readouterr().err
    assert "4 reports: 4 converted" in err and "0 failed" in err
    assert "\r" not in err  # no progress bar when standard error is not a terminal


def test_bad_files_are_listed_with_their_reason_and_the_rest_converts(tmp_path, capsys):
    corpus = corpus_of(tmp_path / "c", {
        "1-good.txt": SEEDS[0], "2-empty.txt": b"", "3-binary.txt": b"\x89PNG\x00\x00" * 50,
        "4-prose.txt": "这是一篇新闻,不是年度报告。\n".encode(), "5-good.txt": SEEDS[1]})
    out = tmp_path / "out"
    code = main(["convert", str(corpus), str(tmp_path / "missing.txt"), "-o", str(out), "-q"])
    err = capsys.readouterr().err
    assert code == 1  # something failed
    assert tree(out) == ["1-good.json", "5-good.json"]
    failures = err.split("failed:\n", 1)[1].splitlines()
    assert [line.split(":")[0].strip() for line in failures] == [
        str(corpus / "2-empty.txt"), str(corpus / "3-binary.txt"), str(corpus / "4-prose.txt"),
        str(tmp_path / "missing.txt")]
    assert "empty" in failures[0] and "binary" in failures[1] and "no such file" in failures[3]
    assert "6 reports: 2 converted" in err and "4 failed" in err
    assert "Traceback" not in err


def test_a_batch_needs_somewhere_to_write(corpus, capsys):
    assert main(["convert", str(corpus)]) == 2
    assert "-o OUTDIR" in capsys.readouterr().err


def test_quiet_prints_nothing_when_all_went_well(corpus, tmp_path, capsys):
    assert main(["convert", str(corpus), "-o", str(tmp_path / "out"), "-q", "-j", "1"]) == 0
    assert capsys.readouterr().err == ""


def test_no_reports_found_is_a_usage_error(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    assert main(["convert", str(tmp_path / "empty"), "-o", str(tmp_path / "out")]) == 2
    assert "no reports found" in capsys.readouterr().err


def test_one_file_still_goes_to_standard_output(capsys):
    assert main(["convert", str(seed_path("000")), "--to", "csv"]) == 0
    out = capsys.readouterr().out
    assert out == gongkai.dumps(gongkai.convert(seed_path("000")), "csv")


# -- resume -----------------------------------------------------------------------------------


def _age(path: Path, seconds: float) -> None:
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns - int(seconds * 1e9)))


def test_a_rerun_skips_outputs_of_unchanged_inputs_unless_forced(corpus, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["convert", str(corpus), "-o", str(out), "-j", "1"]) == 0
    capsys.readouterr()
    mtimes = {p: (out / p).stat().st_mtime_ns for p in tree(out)}
    # b.txt changed since, though its modification time says it is older than its output.
    b = corpus / "site1" / "b.txt"
    b.write_text(b.read_text("utf-8") + "\n附注。\n", encoding="utf-8")
    _age(b, 7200)
    old_b = (out / "site1" / "b.json").stat().st_mtime_ns
    assert main(["convert", str(corpus), "-o", str(out), "-j", "1"]) == 0
    err = capsys.readouterr().err
    assert "1 converted (" in err and "3 up to date" in err
    assert (out / "site1" / "b.json").stat().st_mtime_ns > old_b
    assert all((out / p).stat().st_mtime_ns == t for p, t in mtimes.items() if p != "site1/b.json")
    assert main(["convert", str(corpus), "-o", str(out), "-j", "1", "--force"]) == 0
    assert "4 converted" in capsys.readouterr().err


def test_ctrl_c_leaves_only_whole_files_and_the_run_resumes(corpus, tmp_path, capsys,
                                                            monkeypatch):
    out = tmp_path / "out"
    dataset = tmp_path / "all.csv"
    real = batch.convert_one
    calls = []

    def interrupted(path, output, options, engine, ident=None, previous=None):
        calls.append(path)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(path, output, options, engine, ident, previous)

    monkeypatch.setattr(batch, "convert_one", interrupted)
    code = main(["convert", str(corpus), "-o", str(out), "--to", "csv", "--dataset",
                 str(dataset), "-j", "1"])
    assert code == 130
    assert "run the same command again" in capsys.readouterr().err
    assert tree(out) == ["a.csv", "site1/b.csv"]  # whole files, nothing half-written
    assert not dataset.exists()
    # Only the dataset's record of what it did (ResumableDataset): no temporary file.
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == [
        ".all.csv.gongkai-partial", ".all.csv.gongkai-partial.jsonl"]
    monkeypatch.setattr(batch, "convert_one", real)
    assert main(["convert", str(corpus), "-o", str(out), "--to", "csv", "--dataset",
                 str(dataset), "-j", "1"]) == 0
    err = capsys.readouterr().err
    assert "2 converted (" in err and "2 up to date" in err
    assert tree(out) == ["a.csv", "site1/b.csv", "site1/deep/c.csv", "site2/d.csv"]
    assert dataset.exists()


# -- the Python iterator ----------------------------------------------------------------------


def test_convert_many_yields_a_report_or_an_error_per_input_in_order(corpus, tmp_path):
    (corpus / "broken.txt").write_bytes(b"")
    results = list(convert_many([corpus], jobs=1))
    assert [Path(r.path).name for r in results] == ["a.txt", "broken.txt", "b.txt", "c.TXT",
                                                    "d.txt"]
    assert [r.index for r in results] == list(range(5))
    ok = [r for r in results if r.ok]
    assert all(isinstance(r.report, gongkai.Report) and r.error is None for r in ok)
    (bad,) = [r for r in results if not r.ok]
    assert isinstance(bad.error, InputError) and bad.report is None
    assert bad.error.path == str(corpus / "broken.txt")  # located, as printed: path: reason
    assert ok[0].report == gongkai.convert(corpus / "a.txt")
    assert all(r.output is None for r in results)  # nothing written without an outdir


def test_a_failed_input_names_no_output(corpus, tmp_path):
    (corpus / "broken.txt").write_bytes(b"")
    results = {Path(r.path).name: r for r in convert_many([corpus], jobs=1,
                                                           outdir=tmp_path / "out", to="csv")}
    assert results["broken.txt"].status == "failed" and results["broken.txt"].output is None
    assert os.path.isfile(results["a.txt"].output)


def test_worker_processes_give_the_same_results_in_the_same_order(corpus, tmp_path):
    one = list(convert_many([corpus], jobs=1, dataset="csv"))
    two = list(convert_many([corpus], jobs=2, dataset="csv"))
    assert [(r.path, r.status, r.data) for r in one] == [(r.path, r.status, r.data) for r in two]
    assert [r.report for r in one] == [r.report for r in two]


def test_spawned_workers_build_their_own_engine(tmp_path, monkeypatch):
    # macOS and Windows start workers with spawn: nothing is inherited, all is sent or rebuilt.
    import multiprocessing

    monkeypatch.setattr(batch, "_context", lambda: multiprocessing.get_context("spawn"))
    corpus = corpus_of(tmp_path / "c", {"a.txt": SEEDS[0], "b.txt": SEEDS[1], "c.txt": b""})
    results = list(convert_many([corpus], jobs=2, dataset="csv", outdir=tmp_path / "out",
                                to="csv"))
    assert [r.status for r in results] == ["converted", "converted", "failed"]
    assert results[0].report == gongkai.convert(corpus / "a.txt")
    assert results[1].data and isinstance(results[2].error, InputError)


def test_an_error_keeps_its_class_location_and_attributes_across_processes(tmp_path):
    corpus = corpus_of(tmp_path / "c", {"x.txt": b"", "y.txt": SEEDS[0]})
    (bad, good) = convert_many([corpus], jobs=2)
    assert type(bad.error) is gongkai.NotAReportError or isinstance(bad.error, InputError)
    assert bad.error.path == str(corpus / "x.txt")
    assert bad.error.format().startswith(str(corpus / "x.txt") + ": ")
    assert good.ok


def test_finished_results_waiting_for_their_turn_are_bounded(tmp_path):
    # Memory stays flat: however slowly results are consumed, only a window of inputs is
    # converted ahead of the one the caller is at. (Empty files: they fail at once.)
    corpus = tmp_path / "c"
    corpus.mkdir()
    for i in range(600):
        (corpus / f"{i:04d}.txt").write_bytes(b"")
    finished = 0

    def on_done(count: int) -> None:
        nonlocal finished
        finished += count

    ahead = []
    for consumed, result in enumerate(convert_many([corpus], jobs=2, on_done=on_done), 1):
        assert result.index == consumed - 1
        ahead.append(finished - consumed)
        if consumed == 1:
            time.sleep(0.5)  # a slow consumer: the workers must not run far ahead of it
    assert finished == consumed == 600
    assert max(ahead) <= 2 * 16 * 4  # jobs x chunk x 4: the window


def test_stopping_early_stops_the_workers(corpus):
    results = convert_many([corpus], jobs=2)
    first = next(results)
    results.close()  # the pool is shut down; no error, no hang
    assert first.ok


# -- a worker that dies -----------------------------------------------------------------------


class Crasher:
    """A reader that kills its process on inputs that ask for it (a segfault, the OOM killer)."""

    @hookimpl
    def gongkai_add_readers(self, register):
        def sniff(head: bytes, filename: str) -> float:
            return 0.99 if head.startswith(b"CRASH") else 0.0

        def read(data, options) -> Source:
            os._exit(7)

        register(Reader(name="crasher", description="dies", extensions=(), sniff=sniff,
                        read=read))


def test_only_the_input_that_kills_its_worker_fails(tmp_path):
    files = {f"{i:02d}.txt": SEEDS[i % len(SEEDS)] for i in range(8)}
    files["03.txt"] = b"CRASH\n"
    corpus = corpus_of(tmp_path / "c", files)
    engine = Engine(plugins=[Crasher()])
    results = list(convert_many([corpus], jobs=2, engine=engine, keep_reports=False))
    assert [Path(r.path).name for r in results] == sorted(files)
    failed = [Path(r.path).name for r in results if not r.ok]
    assert failed == ["03.txt"]
    assert "worker process" in results[3].error.message


class Unsendable(GongkaiError):
    """A plugin's error with an attribute that cannot cross to another process."""

    def __init__(self, message: str):
        super().__init__(message)
        self.callback = lambda: None


class Thrower:
    @hookimpl
    def gongkai_add_readers(self, register):
        def read(data, options) -> Source:
            raise Unsendable("cannot read this")

        register(Reader(name="thrower", description="raises", extensions=(),
                        sniff=lambda head, name: 0.99 if head.startswith(b"THROW") else 0.0,
                        read=read))


def test_a_result_that_cannot_be_sent_back_fails_only_its_input(tmp_path):
    files = {f"{i:02d}.txt": SEEDS[i % len(SEEDS)] for i in range(6)}
    files["02.txt"] = b"THROW\n"
    corpus = corpus_of(tmp_path / "c", files)
    results = list(convert_many([corpus], jobs=2, engine=Engine(plugins=[Thrower()]),
                                keep_reports=False))
    assert [Path(r.path).name for r in results if not r.ok] == ["02.txt"]
    assert "could not send its result back" in results[2].error.message


# -- progress ---------------------------------------------------------------------------------


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_shows_done_total_rate_and_failures():
    bar = ProgressBar(200, stream=Terminal())
    line = bar.line(50, 2, elapsed=10.0)
    assert "50/200" in line and "25%" in line and "5/s" in line and "ETA" in line
    assert "2 failed" in line and line.startswith("[")
    bar.update(50, force=True)
    bar.close()
    assert bar.stream.getvalue().endswith("\r\x1b[K")


def test_a_progress_bar_only_on_a_terminal_and_not_when_quiet():
    assert wants_progress(False, Terminal())
    assert not wants_progress(True, Terminal())
    assert not wants_progress(False, io.StringIO())


def test_results_are_records():
    r = Result(index=0, path="x", status="failed", error=GongkaiError("boom", path="x"))
    assert not r.ok and r.report is None


def test_files_no_reader_takes_are_listed_with_the_reason(tmp_path, capsys):
    corpus = corpus_of(tmp_path / "crawl", {
        "a.txt": SEEDS[0], "site/data.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64,
        "site/scan.jpg": b"\xff\xd8\xff\xe0" + b"\0" * 64, "site/page.asp": b"<html></html>",
        ".hidden.bin": b"\0"})
    out = tmp_path / "out"
    assert main(["convert", str(corpus), "-o", str(out), "-j", "1"]) == 0
    err = capsys.readouterr().err
    assert "1 reports: 1 converted" in err
    listed = err.split("passed over 3 files:\n", 1)[1].splitlines()
    assert [line.split(": ")[0].strip() for line in listed] == [
        str(corpus / "site" / "data.xls"), str(corpus / "site" / "page.asp"),
        str(corpus / "site" / "scan.jpg")]
    assert "Excel workbook" in listed[0] and "'.asp'" in listed[1] and "OCR" in listed[2]
    assert "hidden" not in err and str(out) not in "".join(listed)


def test_a_hidden_report_file_is_listed_not_skipped_silently(tmp_path, capsys):
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "a.txt").write_bytes(seed_path("000").read_bytes())
    (corpus / ".b.txt").write_bytes(seed_path("000").read_bytes())
    (corpus / ".DS_Store").write_bytes(b"\0\1")  # hidden, and no reader's: not worth a line
    assert main(["convert", str(corpus), "-o", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    listed = err.split("passed over 1 files:\n", 1)[1].splitlines()
    assert listed == [f"  {corpus / '.b.txt'}: hidden (its name starts with a dot): name the "
                      "file itself to convert it"]


def test_passed_over_names_neither_inputs_nor_links_to_them(tmp_path):
    from gongkai.cli.batch import passed_over

    corpus = tmp_path / "in"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "a.txt").write_bytes(seed_path("000").read_bytes())
    (corpus / "sub" / "b.txt").write_bytes(seed_path("001").read_bytes())
    (corpus / "sub" / "link.txt").symlink_to(corpus / "a.txt")  # the same report twice
    (corpus / "sub" / "c.xyz").write_bytes(b"odd")
    found = [i.path for i in find_reports([str(corpus)], extensions=[".txt"])]
    assert len(found) == 2  # the link is the same file as a.txt
    assert [p for p, _ in passed_over([str(corpus)], found)] == [str(corpus / "sub" / "c.xyz")]
    # Inputs named another way (relative, through a link to their directory) are still theirs.
    (tmp_path / "alias").symlink_to(corpus)
    named = [str(tmp_path / "alias" / os.path.relpath(p, corpus)) for p in found]
    assert [p for p, _ in passed_over([str(corpus)], named)] == [str(corpus / "sub" / "c.xyz")]


def test_a_batch_reports_input_digest_is_the_files(corpus):
    """A batch hashes each input once, for its stamp and the report's metadata.sha256."""
    import hashlib

    results = [r for r in convert_many([corpus], jobs=1) if r.report is not None]
    assert results
    for result in results:
        with open(result.path, "rb") as f:
            assert result.report.metadata.sha256 == hashlib.sha256(f.read()).hexdigest()
        assert result.report == gongkai.convert_file(
            result.path, report_id=result.report.metadata.report_id,
            source=result.report.metadata.source)
