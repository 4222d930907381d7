"""The on-disk cache: built once, read back by the next process, never a stale or half entry."""

from __future__ import annotations

from gongkai import cache


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
    assert cache.cached_json("thing", key, lambda: [1]) == [1]
    assert cache.cached_json("thing", key, lambda: [2]) == [1]  # the rebuilt one was stored


def test_without_a_writable_directory_it_just_builds(monkeypatch):
    monkeypatch.setattr(cache, "cache_dir", lambda: None)
    assert cache.cached_json("thing", "k", lambda: "built") == "built"


def test_digest_separates_parts():
    assert cache.digest("ab", "c") != cache.digest("a", "bc")
