"""Files: outputs are all or nothing, inputs are never written, output paths stay where asked.

* an output goes to a temporary file renamed over the target when complete: a failure half
  way (a writer's exception, a full disk, Ctrl-C) leaves no file, no temporary and any
  existing output intact;
* the input is never opened for writing, and never chosen as the output;
* output paths of a batch never leave the output directory, whatever the input names;
* an unwritable directory or a full disk is a one-line error, not a traceback.
"""

from __future__ import annotations

import builtins
import errno
import importlib
import io
import os
import shutil
import stat
import sys
import threading
from pathlib import Path

import pytest
from fuzzing import fuzz_settings
from hypothesis import given
from hypothesis import strategies as st

from gongkai.cli.main import main
from gongkai.errors import OutputError
from gongkai.outputs.atomic import atomic_writer, check_not_input

from conftest import seed_path

SEED = seed_path("000")
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def listing(directory: Path) -> list[str]:
    """The files of a directory, less a batch's resume record (gongkai.batch.resume)."""
    return sorted(p.name for p in directory.iterdir() if p.name != ".gongkai-manifest.jsonl")


class Boom(Exception):
    pass


# -- all or nothing ------------------------------------------------------------------------------


def test_a_failure_half_way_leaves_no_file(tmp_path):
    target = tmp_path / "out.json"
    with pytest.raises(Boom), atomic_writer(target) as stream:
        stream.write("half" * 10_000)
        raise Boom
    assert listing(tmp_path) == []


def test_a_failure_half_way_keeps_the_existing_output(tmp_path):
    target = tmp_path / "out.json"
    target.write_text("previous", encoding="utf-8")
    before = target.stat()
    with pytest.raises(Boom), atomic_writer(target) as stream:
        stream.write("half" * 10_000)
        stream.flush()
        assert target.read_text(encoding="utf-8") == "previous"  # not written in place
        raise Boom
    assert target.read_text(encoding="utf-8") == "previous"
    assert target.stat().st_ino == before.st_ino  # the very same file, not a rewritten copy
    assert listing(tmp_path) == ["out.json"]


def test_an_interrupt_half_way_keeps_the_existing_output(tmp_path):
    target = tmp_path / "out.json"
    target.write_text("previous", encoding="utf-8")
    with pytest.raises(KeyboardInterrupt), atomic_writer(target) as stream:
        stream.write("half")
        raise KeyboardInterrupt
    assert target.read_text(encoding="utf-8") == "previous"
    assert listing(tmp_path) == ["out.json"]


def test_success_replaces_the_output_as_a_whole(tmp_path):
    target = tmp_path / "out.json"
    target.write_text("previous " * 1000, encoding="utf-8")
    with atomic_writer(target) as stream:
        stream.write("new")
    assert target.read_text(encoding="utf-8") == "new"
    assert listing(tmp_path) == ["out.json"]


@pytest.mark.parametrize("where", ["write", "fsync", "replace"])
def test_a_full_disk_is_a_clear_error_and_keeps_the_existing_output(tmp_path, monkeypatch,
                                                                    where):
    target = tmp_path / "out.json"
    target.write_text("previous", encoding="utf-8")
    full = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def fail(*args, **kwargs):
        raise full

    if where == "fsync":
        monkeypatch.setattr(os, "fsync", fail)
    elif where == "replace":
        monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OutputError) as info, atomic_writer(target) as stream:
        stream.write("new")
        if where == "write":
            raise full  # what the stream raises when the disk fills
    assert info.value.format() == f"{target}: cannot write: the disk is full"
    assert target.read_text(encoding="utf-8") == "previous"
    assert listing(tmp_path) == ["out.json"]


def test_an_unwritable_directory_is_a_clear_error(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr("tempfile.mkstemp", refuse)
    with pytest.raises(OutputError) as info, atomic_writer(tmp_path / "out.json"):
        pass  # pragma: no cover - never reached
    assert info.value.format() == f"{tmp_path / 'out.json'}: cannot write here: Permission denied"


@pytest.mark.skipif(IS_ROOT or sys.platform == "win32",
                    reason="permissions do not stop root (the monkeypatched test covers it)")
def test_a_read_only_directory_is_a_clear_error(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(OutputError, match="cannot write here"), \
                atomic_writer(locked / "out.json"):
            pass  # pragma: no cover
    finally:
        locked.chmod(0o700)


def test_a_missing_directory_and_a_directory_target_are_clear_errors(tmp_path):
    with pytest.raises(OutputError, match="the output directory does not exist"), \
            atomic_writer(tmp_path / "nowhere" / "out.json"):
        pass  # pragma: no cover
    (tmp_path / "dir").mkdir()
    with pytest.raises(OutputError, match="is a directory"), atomic_writer(tmp_path / "dir"):
        pass  # pragma: no cover
    assert listing(tmp_path) == ["dir"]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
def test_outputs_get_ordinary_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        with atomic_writer(tmp_path / "new.json") as stream:
            stream.write("x")
    finally:
        os.umask(old)
    # Not the 0600 of a temporary file: what open() would have made.
    assert stat.S_IMODE((tmp_path / "new.json").stat().st_mode) == 0o644
    kept = tmp_path / "kept.json"
    kept.write_text("old", encoding="utf-8")
    kept.chmod(0o640)
    with atomic_writer(kept) as stream:
        stream.write("new")
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_pipe_target_is_written_to_not_replaced(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    with atomic_writer(fifo) as stream:
        stream.write("through the pipe")
    reader.join(timeout=60)
    assert received == [b"through the pipe"]
    assert stat.S_ISFIFO(fifo.stat().st_mode)  # still the pipe, not a file renamed over it


# -- the command line: one line, exit 2, nothing left behind -------------------------------------


def test_cli_full_disk(tmp_path, monkeypatch, capsys):
    out = tmp_path / "out.csv"
    out.write_text("previous", encoding="utf-8")

    def full(*args):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    assert main(["convert", str(SEED), "--to", "csv", "-o", str(out)]) == 2
    assert capsys.readouterr().err == f"{out}: cannot write: the disk is full\n"
    assert out.read_text(encoding="utf-8") == "previous"
    assert listing(tmp_path) == ["out.csv"]


def test_cli_missing_output_directory(tmp_path, capsys):
    out = tmp_path / "missing" / "out.json"
    assert main(["convert", str(SEED), "-o", str(out)]) == 2
    assert capsys.readouterr().err == f"{out}: the output directory does not exist\n"
    assert listing(tmp_path) == []


def test_cli_unwritable_directory(tmp_path, monkeypatch, capsys):
    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr("tempfile.mkstemp", refuse)
    out = tmp_path / "out.json"
    assert main(["convert", str(SEED), "-o", str(out)]) == 2
    assert capsys.readouterr().err == f"{out}: cannot write here: Permission denied\n"


# -- the input is never written ------------------------------------------------------------------

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC


@pytest.fixture
def opened(monkeypatch):
    """Every (path, mode) opened through open(), io.open() or os.open() while active."""
    seen: list[tuple[str, str]] = []
    real_open, real_os_open = builtins.open, os.open

    def spy_open(file, mode="r", *args, **kwargs):
        if isinstance(file, str | bytes | os.PathLike):
            seen.append((os.path.realpath(os.fsdecode(file)), mode))
        return real_open(file, mode, *args, **kwargs)

    def spy_os_open(path, flags, *args, **kwargs):
        seen.append((os.path.realpath(os.fsdecode(path)), "w" if flags & _WRITE_FLAGS else "r"))
        return real_os_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spy_open)
    monkeypatch.setattr(io, "open", spy_open)
    monkeypatch.setattr(os, "open", spy_os_open)
    return seen


def _fingerprint(path: Path) -> tuple:
    st_ = path.stat()
    return path.read_bytes(), st_.st_mtime_ns, st_.st_mode, st_.st_ino


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_the_input_is_only_ever_opened_for_reading(tmp_path, opened, fmt, capsys):
    report = tmp_path / "report.txt"
    shutil.copyfile(SEED, report)
    report.chmod(0o444)  # read-only, as an archive of crawled files should be
    before = _fingerprint(report)
    opened.clear()  # from here on: gongkai's opens, not the test's own copy
    assert main(["convert", str(report), "--to", fmt, "-o", str(tmp_path / f"out.{fmt}")]) == 0
    assert main(["convert", str(report), "--to", fmt]) == 0
    modes = [mode for path, mode in opened if path == os.path.realpath(report)]
    assert modes, "the spy saw the input being read"
    assert all(set(mode) <= set("rbt") for mode in modes), modes
    assert _fingerprint(report) == before


@pytest.mark.parametrize("how", ["same", "link", "relative"])
def test_an_output_that_is_the_input_is_refused(tmp_path, monkeypatch, capsys, how):
    report = tmp_path / "report.txt"
    shutil.copyfile(SEED, report)
    before = _fingerprint(report)
    if how == "link":
        (tmp_path / "link.txt").symlink_to(report)
        output = str(tmp_path / "link.txt")
    elif how == "relative":
        monkeypatch.chdir(tmp_path)
        output = "./report.txt"
    else:
        output = str(report)
    assert main(["convert", str(report), "-o", output]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{output}: refusing to write over the input") and err.count("\n") == 1
    assert _fingerprint(report) == before


def test_check_not_input_accepts_a_new_or_different_file(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("a", encoding="utf-8")
    b.write_text("b", encoding="utf-8")
    check_not_input(tmp_path / "new.json", [a])
    check_not_input(b, [a])
    with pytest.raises(OutputError):
        check_not_input(a, [b, a])


# -- batch outputs stay inside the output directory ----------------------------------------------

#: Hostile pieces of input names: traversal, absolute roots, separators, devices, controls.
HOSTILE_PARTS = ["..", ".", "...", "/", "\\", "C:", "C:\\", "~", "-rf", "--output", ".hidden",
                 "con", "NUL.txt", "aux", "a\x00b", "a\nb", "\x1b[31m", " ", "a:b", "a|b",
                 "a*?", "<>", '"', "名字", "報告", "\u00e9", "e\u0301", "\u202etxt.exe", "x" * 300,
                 "政" * 120]

name_part = st.one_of(st.sampled_from(HOSTILE_PARTS), st.text(max_size=20))
rel_name = st.lists(name_part, min_size=1, max_size=6).map(
    lambda parts: "/".join(parts) + ".txt")


def _assert_inside(outdir: str, names: list[str]) -> None:
    root = os.path.realpath(outdir)
    keys = set()
    for name in names:
        parts = name.split("/")
        assert all(p and p not in (".", "..") for p in parts), name
        assert all(not p.startswith((".", "-")) for p in parts), name
        assert all(len(p.encode("utf-8")) <= 255 for p in parts), name
        assert not any(c in p for p in parts for c in "\\\x00\n\r:*?<>|\""), name
        full = os.path.realpath(os.path.join(root, *parts))
        assert full.startswith(root + os.sep), (name, full)
        keys.add(name.casefold())
    assert len(keys) == len(names), "two inputs would share an output"


@fuzz_settings(60)
@given(st.lists(rel_name, min_size=1, max_size=12))
def test_output_names_never_leave_the_output_directory(rels):
    naming = importlib.import_module("gongkai.naming")
    inputs = [naming.Input(path=f"/corpus/{i}/{rel}", rel=rel) for i, rel in enumerate(rels)]
    names = naming.output_names(inputs, ".json")
    assert len(names) == len(inputs)
    _assert_inside("/srv/out", names)


#: File names a crawler may really produce, each a report (Linux allows all but "/" and NUL).
ODD_FILE_NAMES = ["-rf.txt", "--output=x.txt", "..txt", "... .txt", "a b.txt", "名字.txt",
                  "con.txt", "a\nb.txt", "a|b.txt", "x" * 200 + ".txt", "A.txt", "a.txt",
                  "\u00e9.txt", "e\u0301.txt", "$(reboot).txt", "*.txt"]


@pytest.mark.skipif(sys.platform == "win32", reason="these names are POSIX file names")
def test_a_batch_of_odd_file_names_writes_only_inside_the_output_directory(tmp_path):
    batch = importlib.import_module("gongkai.batch.runner")
    corpus = tmp_path / "corpus"
    (corpus / "sub" / "..x").mkdir(parents=True)
    data = SEED.read_bytes()
    for name in ODD_FILE_NAMES:
        (corpus / name).write_bytes(data)
    (corpus / "sub" / "..x" / "-.txt").write_bytes(data)
    out = tmp_path / "out"
    outside_before = _tree(tmp_path, skip=out)
    results = list(batch.convert_many([corpus], outdir=out, jobs=1, keep_reports=False))
    # Hidden files and directories (".", "..x") are not part of a corpus: skipped, not written.
    visible = [n for n in ODD_FILE_NAMES if not n.startswith(".")]
    assert sorted(os.path.basename(r.path) for r in results) == sorted(visible)
    assert all(r.ok for r in results), [r.error for r in results if not r.ok]
    outputs = [os.path.relpath(r.output, out).replace(os.sep, "/") for r in results]
    _assert_inside(str(out), outputs)
    assert sorted(outputs) == sorted(n for n in _tree(out) if n != ".gongkai-manifest.jsonl")
    assert _tree(tmp_path, skip=out) == outside_before  # nothing written anywhere else


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_a_symbolic_link_in_the_output_directory_does_not_lead_outside(tmp_path):
    batch = importlib.import_module("gongkai.batch.runner")
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    shutil.copyfile(SEED, corpus / "sub" / "report.txt")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "sub").symlink_to(elsewhere, target_is_directory=True)
    (result,) = batch.convert_many([corpus], outdir=out, jobs=1)
    assert not result.ok and isinstance(result.error, OutputError)
    assert "outside the output directory" in result.error.message
    assert listing(elsewhere) == []


def test_a_batch_never_writes_over_an_input_in_the_output_directory(tmp_path):
    batch = importlib.import_module("gongkai.batch.runner")
    out = tmp_path / "out"
    out.mkdir()
    inside = out / "report.json"  # an input that is where its own output would go
    shutil.copyfile(SEED, inside)
    before = _fingerprint(inside)
    results = list(batch.convert_many([inside], outdir=out, jobs=1, reader="text"))
    assert all(r.output != str(inside) for r in results)
    assert _fingerprint(inside) == before


def _tree(root: Path, skip: Path | None = None) -> list[str]:
    found = []
    for directory, dirs, files in os.walk(root):
        if skip is not None:
            dirs[:] = [d for d in dirs if Path(directory, d) != skip]
        found += [os.path.relpath(os.path.join(directory, f), root).replace(os.sep, "/")
                  for f in files]
    return sorted(found)
