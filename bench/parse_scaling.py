"""How parse and conversion time grow with input size: they must grow linearly.

Run on demand (not part of the test suite: timings belong to a quiet machine, not to CI)::

    python bench/parse_scaling.py             # sizes up to ~512 KB per shape
    python bench/parse_scaling.py --max-kb 4096 --repeat 5

For each shape of input — a real report repeated, a row of thousands of cells, a line of
``|``, thousands of headings or blank lines, a report whose last line holds a control
character (so the fast path hands it to Lark, which must locate the error) — the input is
doubled in size five times and each stage is timed (the best of ``--repeat`` runs): the
grammar's fast path (``gongkai.parse.document.parse``), Lark's LALR parser alone
(``parse_with_grammar``) and the whole conversion (``convert_bytes``).

Linear means the time per byte stays flat. The script fits the exponent ``k`` of
``time ~ size^k`` on the largest sizes (least squares on the logarithms) and fails (exit
status 1) when any ``k`` exceeds ``--max-exponent`` (default 1.5): a quadratic stage shows
``k`` near 2 long before it becomes a hang on a 64 MB input, while a linear one measures 0.9 to
1.2 on a quiet machine (timings of a few milliseconds are noisy on a busy one: use larger
sizes, ``--max-kb 4096``, and more ``--repeat`` to tell).

It found two quadratic stages, both a cell's position counted from its line's start: in the
Lark path (fixed in 88e92cb) and in the fast path (fixed in fe03b38).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import math
import sys
import time
from collections.abc import Callable
from pathlib import Path

from gongkai.errors import GongkaiError
from gongkai.parse.document import parse
from gongkai.parse.grammar import parse_with_grammar
from gongkai.pipeline import convert_bytes

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "fixtures" / "seeds" / "002_8a64ee2755e5799d.txt"
HEAD = "一、总体情况\n二、主动公开政府信息情况\n"


def _repeat(unit: str, size: int, head: str = "") -> str:
    return head + unit * max(1, (size - len(head.encode())) // len(unit.encode()))


#: Shape name -> text of about ``size`` bytes.
SHAPES: dict[str, Callable[[int], str]] = {
    "seed report repeated": lambda size: _repeat(SEED.read_text("utf-8"), size),
    "one row of n values": lambda size: _repeat("1 | ", size, HEAD + "行政许可 | ") + "\n",
    "one row of n labels": lambda size: _repeat("某某 | ", size, HEAD + "行政许可 | ") + "\n",
    "one line of n pipes": lambda size: _repeat("|", size) + "\n",
    "n table rows": lambda size: _repeat("行政许可 | 1 |\n", size, HEAD),
    "n headings": lambda size: _repeat("一、总体情况\n", size),
    "n blank lines": lambda size: _repeat("\n", size, HEAD),
    "one long paragraph": lambda size: _repeat("政府信息公开", size, HEAD) + "\n",
    "syntax error at the end": lambda size: _repeat("行政许可 | 1 |\n", size, HEAD) + "\x07\n",
}


def _best(run: Callable[[], object], repeat: int) -> float:
    best = math.inf
    for _ in range(repeat):
        # The collector's passes over everything allocated so far are noise here (they are
        # amortized linear): collect before, not during, a run.
        gc.collect()
        gc.disable()
        start = time.perf_counter()
        try:
            # A refused input is an outcome like any other: its time counts.
            with contextlib.suppress(GongkaiError):
                run()
            best = min(best, time.perf_counter() - start)
        finally:
            gc.enable()
    return best


def measure(shape: str, sizes: list[int], repeat: int) -> list[tuple[int, dict[str, float]]]:
    rows = []
    for size in sizes:
        text = SHAPES[shape](size)
        data = text.encode("utf-8")
        times = {
            "parse": _best(lambda t=text: parse(t), repeat),
            "lark": _best(lambda t=text: parse_with_grammar(t if t.endswith("\n") else t + "\n"),
                          repeat),
            "convert": _best(lambda d=data: convert_bytes(d, filename="bench.txt"), repeat),
        }
        rows.append((len(data), times))
    return rows


def exponent(points: list[tuple[int, float]]) -> float:
    """The slope of log(time) against log(size): 1 for linear growth, 2 for quadratic."""
    xs = [math.log(s) for s, _ in points]
    ys = [math.log(max(t, 1e-9)) for _, t in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    var = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / var


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--max-kb", type=int, default=512, help="largest input per shape, in KB")
    p.add_argument("--steps", type=int, default=5, help="sizes: the largest halved this often")
    p.add_argument("--repeat", type=int, default=3, help="runs per measurement (best kept)")
    p.add_argument("--max-exponent", type=float, default=1.5,
                   help="fail when time grows faster than size to this power")
    p.add_argument("--shape", action="append", choices=sorted(SHAPES),
                   help="only this shape (repeatable)")
    args = p.parse_args(argv)
    largest = args.max_kb * 1024
    sizes = [largest >> k for k in reversed(range(args.steps))]
    failures = []
    print(f"{'shape':26} {'stage':8} " + " ".join(f"{s // 1024:>7}K" for s in sizes)
          + "   µs/KB (largest)   exponent")
    for shape in args.shape or SHAPES:
        rows = measure(shape, sizes, args.repeat)
        for stage in ("parse", "lark", "convert"):
            points = [(size, times[stage]) for size, times in rows]
            # The smallest sizes are dominated by fixed costs, and a linear stage can step up
            # once (its data outgrows a cache): judge by the largest sizes, and call it
            # superlinear only when the last three and the last two sizes both say so.
            k = min(exponent(points[-3:]), exponent(points[-2:]))
            per_kb = points[-1][1] / (points[-1][0] / 1024) * 1e6
            flag = "" if k <= args.max_exponent else "  <-- NOT LINEAR"
            print(f"{shape:26} {stage:8} " + " ".join(f"{t:8.3f}" for _, t in points)
                  + f"   {per_kb:14.0f}   {k:8.2f}{flag}", flush=True)
            if flag:
                failures.append((shape, stage, k))
    if failures:
        print(f"\n{len(failures)} stage(s) grow faster than size^{args.max_exponent}:",
              file=sys.stderr)
        for shape, stage, k in failures:
            print(f"  {shape} / {stage}: exponent {k:.2f}", file=sys.stderr)
        return 1
    print(f"\nlinear: every stage grows at most as size^{args.max_exponent}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
