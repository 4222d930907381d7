"""Benchmark: every input shape to every output format, with the targets of issue 20.

Run on demand (never part of the test suite)::

    .venv/bin/python bench/corpus_bench.py                    # 500 reports a shape, 2 workers
    .venv/bin/python bench/corpus_bench.py -n 200 --corpus /tmp/corpus   # keep the corpus

The corpus has one directory per input shape, each a mix of the fixtures of that shape varied
as ``bench/batch_bench.py`` varies the seeds (other agency and submitter names, table numbers
multiplied by one factor so the identities hold, other counts in the prose):

* ``pipe``: the five seeds (pipe text, two in traditional script) — the seed mix;
* ``html``: the HTML page of the samples;
* ``pdftext``: the three ``*.pdf.txt`` samples (text extracted from PDF);
* ``markdown``: the four Markdown samples (PDF converted to Markdown, one OCR).

Each shape is converted, in a fresh ``gongkai convert`` process with ``-j`` workers, to each
output: the dataset alone (``--dataset FILE.csv``), and one file per report in JSON, CSV,
Markdown and RDF (Turtle). Beside each shape's figures stands its floor: plain Python reading
the same files and splitting them into lines and cells (one process).

The targets, each printed PASS or FAIL, on the seed mix (``--seed-mix`` reports, 2,000):

* one JSON file per report ``-o OUT`` >= 400 reports/s, and the dataset >= 500 reports/s
  (best of ``--repeat`` rounds; the figure ``-o OUT --dataset FILE`` is given beside them);
* peak memory flat in corpus size: the largest process's peak for the seed mix and for a
  quarter of it within 10 % (JSON files and dataset, the per-report path);
* cold start < 0.5 s: ``gongkai --version`` and a one-file convert (medians of 7).

The machine's load average is printed before and after: other work on it makes every figure
worse (``bench/instructions.py`` counts instructions, which the load does not move).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from batch_bench import (
    ROOT,
    SEEDS,
    bench_env,
    cold_start,
    gongkai_command,
    make_corpus,
    run_measured,
    vary,
)

SAMPLES = ROOT / "tests" / "fixtures" / "samples"
#: The fixtures of each input shape (the pipe shape is batch_bench's seed mix).
SHAPES: dict[str, list[Path]] = {
    "pipe": SEEDS,
    "html": [SAMPLES / "city-2025.html"],
    "pdftext": sorted(SAMPLES.glob("*.pdf.txt")),
    "markdown": sorted(p for p in SAMPLES.glob("*.md") if p.name != "README.md"),
}
#: How a table cell is written in each shape, where the seeds' "|" patterns do not find it.
_CELLS = {
    "html": re.compile(r"(?<=<td>)(\d{1,5})(?=</td>)"),
    "pdftext": re.compile(r"(?m)(?<![^ \n])(\d{1,5})(?=[ ]|$)(?=[\d ]*$)"),
}
#: What the floor splits a line into cells at.
_SPLIT = {"pipe": "|", "markdown": "|", "html": "<", "pdftext": None}
#: The outputs: (name, arguments after ``convert CORPUS``; OUT and DATA stand for paths).
OUTPUTS: list[tuple[str, list[str]]] = [
    ("dataset", ["--dataset", "DATA"]),
    ("json", ["-o", "OUT"]),
    ("csv", ["-o", "OUT", "--to", "csv"]),
    ("markdown", ["-o", "OUT", "--to", "markdown"]),
    ("rdf", ["-o", "OUT", "--to", "rdf"]),
]
TARGETS = {"json": 400.0, "dataset": 500.0}
COLD_START = 0.5
FLAT = 1.10  # peak memory of the full corpus within 10 % of the quarter corpus


def suffix(path: Path) -> str:
    """The file name's suffixes (``.pdf.txt``): a reader may go by them."""
    return path.name[path.name.index("."):]


def build_shape(directory: Path, shape: str, n: int, seed: int = 2019) -> None:
    """``n`` varied reports of one shape under ``directory`` (subdirectories of 500)."""
    if shape == "pipe":
        make_corpus(directory, n, seed)
        return
    import gongkai

    sources = SHAPES[shape]
    texts = [p.read_text(encoding="utf-8") for p in sources]
    agencies = []
    for source in sources:
        agency = gongkai.convert_file(source).metadata.agency
        agencies.append([agency] if agency else [])
    rng = random.Random(seed)
    cells = _CELLS.get(shape)
    for i in range(n):
        k = i % len(texts)
        text = vary(texts[k], agencies[k], rng)
        if cells is not None:
            factor = rng.randint(1, 9)
            text = cells.sub(lambda m, f=factor: str(int(m[1]) * f), text)
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]
        path = directory / f"{i // 500:03d}" / f"{i:06d}_{digest}{suffix(sources[k])}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def corpus_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*") if p.is_file())


def ensure_shape(directory: Path, shape: str, n: int) -> list[Path]:
    """The corpus of a shape, built (in a process of its own, as batch_bench explains) unless
    ``directory`` already holds ``n`` files."""
    files = corpus_files(directory) if directory.exists() else []
    if len(files) != n:
        shutil.rmtree(directory, ignore_errors=True)
        subprocess.run([sys.executable, __file__, "--build", shape, str(directory), "-n",
                        str(n)], check=True)
        files = corpus_files(directory)
    return files


def floor(paths: list[Path], shape: str) -> float:
    """Seconds plain Python takes to read the files and split them into lines and cells."""
    sep = _SPLIT[shape]
    start = time.perf_counter()
    for path in paths:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for line in text.split("\n"):
            line.split(sep)
    return time.perf_counter() - start


def convert(corpus: Path, work: Path, arguments: list[str], jobs: int) -> dict:
    """One conversion in a fresh process, into fresh outputs (nothing to resume)."""
    out, data = work / "out", work / "data.csv"
    shutil.rmtree(out, ignore_errors=True)
    data.unlink(missing_ok=True)
    args = [str(out) if a == "OUT" else str(data) if a == "DATA" else a for a in arguments]
    command = [*gongkai_command(), "convert", str(corpus), *args, "-q", "-j", str(jobs)]
    env = bench_env()
    seconds, status, peak, cpu = run_measured(command, env)
    return {"seconds": seconds, "status": status, "peak_mb": peak / 2**20, "cpu": cpu}


def best(corpus: Path, work: Path, arguments: list[str], jobs: int, rounds: int) -> dict:
    """The fastest of ``rounds`` conversions, with the median speed of all."""
    runs = sorted((convert(corpus, work, arguments, jobs) for _ in range(rounds)),
                  key=lambda r: r["seconds"])
    result = dict(runs[0])
    result["median_seconds"] = statistics.median(r["seconds"] for r in runs)
    return result


def version_start(runs: int = 7) -> float:
    env = bench_env()
    command = [*gongkai_command(), "--version"]
    run_measured(command, env)
    return statistics.median(run_measured(command, env)[0] for _ in range(runs))


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=500, help="reports per shape (500)")
    parser.add_argument("--seed-mix", type=int, default=2000,
                        help="reports of the seed mix for the targets (2000)")
    parser.add_argument("-j", "--jobs", type=int, default=2, help="worker processes (2)")
    parser.add_argument("--corpus", type=Path, help="build the corpus here and keep it")
    parser.add_argument("--repeat", type=int, default=3,
                        help="rounds of each target conversion; the best counts (3)")
    parser.add_argument("--shapes", nargs="*", default=list(SHAPES), choices=list(SHAPES))
    parser.add_argument("--no-matrix", action="store_true", help="only the targets")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--build", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.build:
        build_shape(Path(args.build[1]), args.build[0], args.n)
        return 0

    work = Path(tempfile.mkdtemp(prefix="gongkai-corpus-bench-"))
    root = args.corpus or work / "corpus"
    figures: dict = {"jobs": args.jobs, "load_average": [round(os.getloadavg()[0], 2)]}
    say = (lambda *a: None) if args.json else print
    try:
        plugins = os.environ.get("GONGKAI_PLUGINS")
        say(f"load average {figures['load_average'][0]} (1 min) before; {args.jobs} workers; "
            + ("built-in plugins only" if not plugins else f"plugins: built-in and {plugins}"))
        if not args.no_matrix:
            say(f"\n{'shape':9s} {'floor/s':>9s} " + " ".join(f"{o:>9s}" for o, _ in OUTPUTS)
                + "   (reports/s)")
            matrix = figures["matrix"] = {}
            for shape in args.shapes:
                paths = ensure_shape(root / shape, shape, args.n)
                floor(paths, shape)  # the page cache warm
                row = {"floor": len(paths) / floor(paths, shape)}
                for name, arguments in OUTPUTS:
                    result = convert(root / shape, work, arguments, args.jobs)
                    row[name] = len(paths) / result["seconds"]
                    if result["status"] not in (0, 1):
                        row[name] = 0.0
                matrix[shape] = {k: round(v, 1) for k, v in row.items()}
                say(f"{shape:9s} {row['floor']:9.0f} "
                    + " ".join(f"{row[o]:9.0f}" for o, _ in OUTPUTS))

        mix = ensure_shape(root / f"seed-mix-{args.seed_mix}", "pipe", args.seed_mix)
        quarter = work / "quarter"
        for path in mix[: max(1, len(mix) // 4)]:
            target = quarter / path.relative_to(root / f"seed-mix-{args.seed_mix}")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
        say(f"\ntargets on the seed mix ({len(mix)} reports, {args.jobs} workers, best of "
            f"{args.repeat}):")
        targets = figures["targets"] = {}
        corpus = root / f"seed-mix-{args.seed_mix}"
        for name, arguments in [("dataset", OUTPUTS[0][1]), ("json", OUTPUTS[1][1]),
                                ("json+dataset", ["-o", "OUT", "--dataset", "DATA"])]:
            result = best(corpus, work, arguments, args.jobs, args.repeat)
            speed = len(mix) / result["seconds"]
            entry = {"reports_per_second": round(speed, 1),
                     "median_reports_per_second": round(len(mix) / result["median_seconds"], 1),
                     "cpu_ms_per_report": round(result["cpu"] / len(mix) * 1000, 3),
                     "peak_mb": round(result["peak_mb"], 1)}
            goal = TARGETS.get(name)
            line = (f"  {name:13s} {speed:6.0f} reports/s (median "
                    f"{entry['median_reports_per_second']:.0f}, "
                    f"{entry['cpu_ms_per_report']:.2f} ms CPU a report)")
            if goal is not None:
                entry["pass"] = speed >= goal
                line += f"  >= {goal:.0f}: {verdict(speed >= goal)}"
            targets[name] = entry
            say(line)
        memory = {}
        for name in ("json", "dataset"):
            arguments = dict(OUTPUTS)[name]
            full = targets[name]["peak_mb"]
            small = convert(quarter, work, arguments, args.jobs)["peak_mb"]
            memory[name] = {"full_mb": full, "quarter_mb": round(small, 1),
                            "pass": full <= small * FLAT}
            say(f"  peak memory {name:8s} {full:.1f} MB ({len(mix)} reports), {small:.1f} MB "
                f"({len(mix) // 4}): {verdict(full <= small * FLAT)}")
        targets["memory"] = memory
        version = version_start()
        one, _ = cold_start(SEEDS[0])
        targets["cold_start"] = {"version_seconds": round(version, 3),
                                 "convert_seconds": round(one, 3),
                                 "pass": max(version, one) < COLD_START}
        say(f"  cold start    gongkai --version {version:.3f} s, one-file convert {one:.3f} s"
            f"  < {COLD_START} s: {verdict(max(version, one) < COLD_START)}")
        figures["load_average"].append(round(os.getloadavg()[0], 2))
        say(f"\nload average {figures['load_average'][1]} after")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.json:
        print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
