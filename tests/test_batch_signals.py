"""A batch stopped by a signal leaves no process behind and no file half-written.

SIGTERM (a service manager, ``kill``, a CI timeout) is taken like Ctrl-C: the inputs in flight
finish, the workers stop, the command exits 143 saying how far it got. SIGKILL gives the parent
no chance to clean up: each worker sees it gone and ends itself (a forked worker holds its own
end of the task queue and would otherwise wait on it for ever).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import SEEDS

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")


def _children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        text = (task / "children").read_text() if (task / "children").exists() else ""
        found |= {int(p) for p in text.split()}
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return state != "Z"


def _start(tmp_path: Path) -> tuple[subprocess.Popen, set[int], Path]:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(400):
        seed = SEEDS[i % len(SEEDS)]
        (corpus / f"r{i:03d}.txt").write_bytes(seed.read_bytes())
    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-m", "gongkai", "convert", str(corpus), "-o", f"{out}/", "-j", "2",
         "-q"], stderr=subprocess.PIPE, text=True,
        env={**os.environ, "GONGKAI_PLUGINS": ""})
    deadline = time.monotonic() + 30
    workers: set[int] = set()
    while time.monotonic() < deadline and len(workers) < 2:
        workers = _children(process.pid)
        time.sleep(0.05)
    while time.monotonic() < deadline and not (out.exists() and any(out.iterdir())):
        time.sleep(0.05)  # converting: some outputs written
    assert len(workers) >= 2 and process.poll() is None
    return process, workers, out


def _gone(pids: set[int], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not any(_alive(p) for p in pids):
            return True
        time.sleep(0.1)
    return False


def test_sigterm_stops_the_batch_and_its_workers(tmp_path):
    process, workers, out = _start(tmp_path)
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 143, err
    assert "run the same command again" in err and "Traceback" not in err
    assert _gone(workers, 10)
    names = [p.name for p in out.iterdir()]
    assert names and all(n.endswith(".json") for n in names if not n.startswith(".")), names
    assert not [n for n in names if n.endswith(".tmp")]  # whole files only


def test_a_killed_parent_leaves_no_worker_behind(tmp_path):
    process, workers, _ = _start(tmp_path)
    process.kill()
    process.wait(timeout=10)
    for worker in workers:
        assert _gone({worker}, 10), f"worker {worker} still runs after its parent was killed"
