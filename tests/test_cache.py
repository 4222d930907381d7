"""The on-disk cache: built once, read back by the next process, never a stale or half entry."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys

import pytest

from gongkai.engine import cache


def test_built_once_then_read_back(tmp_path, monkeypatch):
    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(tmp_path))
    calls = []

    def build():
        calls.append(1)
        return {"乾": "干", "n": [1, 2]}

    key = cache.digest("labels", "opencc 1.4.2")
    assert cache.cached_json("thing", key, build) == {"乾": "干", "n": [1, 2]}
    assert cache.cached_json("thing", key, build) == {"乾": "干", "n": [1, 2]}
    assert len(calls) == 1
    # Another key (what it is made from changed) is another entry, built afresh.
    cache.cached_json("thing", cache.digest("other labels", "opencc 1.4.2"), build)
    assert len(calls) == 2
    assert not list(tmp_path.glob(".*.tmp"))  # no temporary file left behind


def test_an_unreadable_entry_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(tmp_path))
    key = cache.digest("x")
    (tmp_path / f"thing-{key}.json").write_text('{"cut off', encoding="utf-8")
    with pytest.warns(cache.CacheWarning):
        assert cache.cached_json("thing", key, lambda: [1]) == [1]
    assert cache.cached_json("thing", key, lambda: [2]) == [1]  # the rebuilt one was stored


def test_without_a_writable_directory_it_just_builds(monkeypatch):
    monkeypatch.setattr(cache, "cache_dir", lambda: None)
    assert cache.cached_json("thing", "k", lambda: "built") == "built"


def test_digest_separates_parts():
    assert cache.digest("ab", "c") != cache.digest("a", "bc")


# -- a cache that cannot run code (issue 21) ---------------------------------------------------



class _Planted:
    def __reduce__(self):
        return (os.system, ("touch PLANTED",))


def test_a_planted_pickle_is_never_loaded(tmp_path):
    """Lark's cache was a pickle: one planted in the cache directory ran on a convert."""
    import hashlib

    import lark

    from gongkai.parse.grammar import grammar_text

    store = tmp_path / "cache"
    env = {**os.environ, "GONGKAI_CACHE_DIR": str(store)}
    code = ("from gongkai.parse.grammar import parse_with_grammar; "
            "from gongkai.parse.fastparse import lexers;"
            " lexers(); parse_with_grammar('一、概述\\n|a|\\n')")
    subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, check=True)
    entries = list(store.iterdir())
    assert entries and all(p.suffix == ".json" for p in entries)  # no pickle of Lark's
    # Where the old versions kept Lark's pickle, and over every entry: never loaded.
    old = hashlib.sha256((grammar_text() + lark.__version__).encode()).hexdigest()[:16]
    for path in [*entries, store / f"report-{old}.lark-cache"]:
        path.write_bytes(pickle.dumps(_Planted()))
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "PLANTED").exists()
    assert "ignored and rebuilt" in done.stderr


@pytest.mark.parametrize("content", [
    '{"cut off',
    "[]",
    '{"format": "gongkai-cache/2", "name": "thing", "key": "K", "value": [9]}',
    '{"format": "gongkai-cache/2", "name": "thing", "key": "K", "value": [9], "sha256": "0"}',
])
def test_a_corrupt_entry_is_ignored_rebuilt_and_warned_about(tmp_path, monkeypatch, content):
    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(tmp_path))
    (tmp_path / "thing-K.json").write_text(content, encoding="utf-8")
    with pytest.warns(cache.CacheWarning, match="ignored and rebuilt"):
        assert cache.cached_json("thing", "K", lambda: [1]) == [1]
    assert cache.cached_json("thing", "K", lambda: [2]) == [1]  # rebuilt and stored


def test_an_entry_of_the_wrong_shape_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(tmp_path))
    cache.cached_json("thing", "K", lambda: {"a": 1})
    with pytest.warns(cache.CacheWarning, match="unexpected content"):
        value = cache.cached_json("thing", "K", lambda: ["a"], valid=lambda v: isinstance(v, list))
    assert value == ["a"]


def test_malformed_lexer_entry_does_not_break_later_runs(tmp_path):
    """A well-formed JSON entry of the wrong content made every later run crash."""
    store = tmp_path / "cache"
    env = {**os.environ, "GONGKAI_CACHE_DIR": str(store)}
    report = tmp_path / "r.txt"
    report.write_text("一、概述\n本年度。\n", encoding="utf-8")
    run = [sys.executable, "-m", "gongkai", "convert", str(report), "--to", "json"]
    subprocess.run(run, env=env, check=True, capture_output=True)
    (entry,) = store.glob("fast-lexers-*.json")
    document = json.loads(entry.read_text(encoding="utf-8"))
    document["value"] = {"document": ["(", 0]}  # not a pattern
    document["sha256"] = cache._checksum(document["value"])
    entry.write_text(json.dumps(document), encoding="utf-8")
    for _ in range(2):
        done = subprocess.run(run, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr
    assert "ignored and rebuilt" in done.stderr or _valid_now(entry)


def _valid_now(entry) -> bool:
    from gongkai.parse.fastparse import _valid_table

    return _valid_table(json.loads(entry.read_text(encoding="utf-8"))["value"])


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX ownership")
def test_the_directory_is_private(tmp_path, monkeypatch):
    store = tmp_path / "new" / "gongkai"
    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(store))
    assert cache.cache_dir() == store
    assert (store.stat().st_mode & 0o777) == 0o700
    store.chmod(0o777)  # one of the user's own, too wide: narrowed
    assert cache.cache_dir() == store
    assert (store.stat().st_mode & 0o777) == 0o700


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0,
                    reason="needs root to give a directory away")
def test_a_directory_of_another_user_is_refused(tmp_path, monkeypatch):
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o777)
    os.chown(shared, 12345, 12345)
    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(shared))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home"))
    with pytest.warns(cache.CacheWarning, match="not yours"):
        assert cache.cache_dir() == tmp_path / "home" / "gongkai"


def test_a_link_is_refused(tmp_path, monkeypatch):
    (tmp_path / "elsewhere").mkdir(mode=0o700)
    (tmp_path / "link").symlink_to(tmp_path / "elsewhere")
    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(tmp_path / "link"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home"))
    assert cache.cache_dir() == tmp_path / "home" / "gongkai"


def test_the_fallback_under_tmp_is_per_user(monkeypatch, tmp_path):
    monkeypatch.delenv("GONGKAI_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", "/proc/no-such-place")
    monkeypatch.setattr(cache.tempfile, "gettempdir", lambda: str(tmp_path))
    found = cache.cache_dir()
    uid = os.getuid() if hasattr(os, "getuid") else 0
    assert found == tmp_path / f"gongkai-cache-{uid}"
