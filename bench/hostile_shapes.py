"""Time and peak memory of hostile input shapes (issue 21): they must grow linearly.

Run on demand (not part of the test suite: timings and memory belong to a quiet machine)::

    python bench/hostile_shapes.py                 # 16, 32 and 64 KB of each shape
    python bench/hostile_shapes.py --kb 64 256 1024

Each shape at each size is converted in a process of its own (so one peak does not hide the
next: Linux keeps a process's high-water mark), which reports the seconds the conversion took
and its peak resident memory less that of the process before converting. Linear means the
seconds and megabytes per KB stay flat as the size doubles; the issue's figures before the fix
were, for HTML spans, 16 KB: 10.7 s and 975 MB, 32 KB: 42.8 s and 3.7 GB, 64 KB: 271 s.

Shapes: HTML rows with ``rowspan=99999 colspan=1000``; ``<div>`` nested 2,000 deep around a
report; 1,000 nested ``<span>`` in a cell; page-number lines (``- 3 -``) between report lines;
runs of ``|``; table rows; bare cells (one per line); prose; one long line; PDFs of many
rectangles (their content compresses a thousandfold: the KB column is the file's) and of many
pages. The last column says whether the peak stayed within the memory bound
docs/guarantees.md states (:data:`TIMES_INPUT` times the input plus :data:`PLUS_MB`).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections.abc import Callable

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))
from hostile_pdf import content_pdf, rectangles

TABLE = ("<table><tr><td>信息内容</td><td>本年新制作数量</td><td>本年新公开数量</td>"
         "<td>对外公开总数量</td></tr><tr><td>{label}</td><td>1</td><td>2</td><td>3</td></tr>"
         "</table>")
HEAD = "一、总体情况\n二、主动公开政府信息情况\n"
PROSE = "本年度我单位认真贯彻落实政府信息公开条例。"


def _fill(unit: str, size: int, head: str = "", tail: str = "") -> str:
    room = max(1, (size - len((head + tail).encode())) // len(unit.encode()))
    return head + unit * room + tail


#: The memory bound docs/guarantees.md states for text shapes: this many times the input,
#: plus a constant (what the cell limit lets cells cost).
TIMES_INPUT, PLUS_MB = 10, 64

SHAPES: dict[str, tuple[str, Callable[[int], str | bytes]]] = {
    "html spans": ("x.html", lambda n: _fill(
        "<tr><td rowspan=99999 colspan=1000>规章</td><td>i</td></tr>", n,
        "<html><body><h2>二、主动公开政府信息情况</h2><table>", "</table></body></html>")),
    "html nested divs": ("x.html", lambda n: _fill(
        "<p>政府信息公开</p>", n,
        "<html><body>" + "<div>" * 2000 + "<p>二、主动公开政府信息情况</p>"
        + TABLE.format(label="规章"), "</div>" * 2000 + "</body></html>")),
    "html nested spans": ("x.html", lambda n: _fill(
        TABLE.format(label="<span>" * 1000 + "规章" + "</span>" * 1000), n,
        "<html><body><p>二、主动公开政府信息情况</p>", "</body></html>")),
    "page-number lines": ("x.txt", lambda n: _fill("行政许可 | 1 |\n- 3 -\n", n, HEAD)),
    "runs of |": ("x.txt", lambda n: _fill("|" * 1000 + "\n", n, HEAD)),
    "table rows": ("x.txt", lambda n: _fill("行政许可 | 1 | 2 | 3 |\n", n, HEAD)),
    "bare numbers": ("x.txt", lambda n: _fill("行政许可\n1\n2\n3\n", n, HEAD)),
    "prose lines": ("x.txt", lambda n: _fill(PROSE + "\n", n, HEAD)),
    "one long line": ("x.txt", lambda n: _fill(PROSE, n, HEAD)),
    # Compressed a thousandfold: the size on disk says little of the work (the bound is on
    # the content, see gongkai.plugins._pdf_layout).
    "pdf rectangles": ("x.pdf", lambda n: content_pdf(rectangles(n // 10))),
    "pdf pages": ("x.pdf", lambda n: content_pdf(b"BT /F1 12 Tf 72 720 Td (x) Tj ET",
                                                  pages=max(1, n // 200))),
}

_CHILD = """
import json, resource, sys, time
import gongkai
name, data = sys.argv[1], sys.stdin.buffer.read()
gongkai.convert_text("一、概述\\n本年度。\\n")  # warm: what every conversion loads once
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
try:
    gongkai.convert_bytes(data, filename=name)
    outcome = "report"
except gongkai.GongkaiError as exc:
    outcome = type(exc).__name__
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "mb": max(0, peak - before) / 1024, "outcome": outcome}))
"""


def measure(filename: str, data: bytes) -> dict:
    done = subprocess.run([sys.executable, "-c", _CHILD, filename], input=data,
                          capture_output=True, check=True)
    return json.loads(done.stdout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kb", type=int, nargs="+", default=[16, 32, 64])
    args = parser.parse_args(argv)
    print(f"{'shape':20} {'KB':>6} {'s':>8} {'MB':>8} {'s/KB':>8} {'x input':>8}  outcome")
    over = 0
    for shape, (filename, make) in SHAPES.items():
        for kb in args.kb:
            made = make(kb * 1024)
            data = made.encode() if isinstance(made, str) else made
            m = measure(filename, data)
            size_mb = len(data) / 2**20
            within = m["mb"] <= TIMES_INPUT * size_mb + PLUS_MB
            over += not within
            print(f"{shape:20} {len(data) // 1024:6} {m['seconds']:8.3f} {m['mb']:8.1f} "
                  f"{m['seconds'] / (len(data) / 1024):8.4f} {m['mb'] / size_mb:8.1f}  "
                  f"{m['outcome']}{'' if within else '  OVER the memory bound'}")
    print(f"memory bound: {TIMES_INPUT}x the input + {PLUS_MB} MB; "
          f"{'all within' if not over else f'{over} over'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
