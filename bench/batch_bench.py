"""Benchmark: a corpus of N reports made from the seed fixtures, converted to one tidy dataset.

Run on demand (never part of the test suite)::

    .venv/bin/python bench/batch_bench.py                 # 2,000 reports, all cores
    .venv/bin/python bench/batch_bench.py -n 5000 -j 2 --memory

Prints, from the best of ``--repeat`` rounds (each: the floor, then the conversion):

* reports/second and milliseconds per report per core of ``gongkai convert CORPUS --dataset
  FILE.csv`` (a fresh process, as a user runs it: start-up, discovery, workers, writing);
* the floor: the time plain Python takes to read the same files and split them into lines and
  ``|`` cells, in one process — and the ratio of the conversion to it;
* peak memory (largest process of the run, resident set), and with ``--memory`` the same for a
  corpus four times smaller, to show it does not grow with the corpus;
* cold start: ``gongkai convert`` of one report, the median of a few runs.

The corpus varies the seeds: agency names, submitter names and numbers (table cells and counts
in the prose) differ in every copy; the mix is the five seeds in turn (two of them traditional
script). Files go into subdirectories of 500, as a crawl would, under a temporary directory
(or ``--corpus DIR``, kept for re-runs). The machine's load average is printed: other work on it
makes every figure worse.
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

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "tests" / "fixtures" / "seeds").glob("*.txt"))

PLACES = ["东川", "西平", "南安", "北辰", "新和", "安远", "平利", "和静", "兴宁", "永昌", "长乐",
          "清河", "临泽", "宁乡", "富源", "宜章", "嘉禾", "崇义", "乐平", "高安"]
KINDS = ["市公共资源交易中心", "县人民政府办公室", "区商务局", "市自然资源局", "县交通运输局"]
_ONE_CELL = re.compile(r"(?m)^([ \t]*)(\d{1,5})([ \t]*\|)")
_IN_ROW = re.compile(r"(?<=\|)([ \t]*)(\d{1,5})(?=[ \t]*\|)")
_PROSE_COUNT = re.compile(r"(\d{1,5})(条|條|篇|件|次|个|個|项|項)")
_SUBMITTER = re.compile(r"投稿:([A-Za-z0-9_]+)")


def vary(text: str, agency: list[str], rng: random.Random) -> str:
    """A new report from a seed: other names, other numbers, the same shape.

    Table numbers are all multiplied by one factor, so the identities between them (row and
    column sums) still hold and the findings stay those of the seed; counts in the prose are
    random.
    """
    for name in agency:
        text = text.replace(name, rng.choice(PLACES) + rng.choice(KINDS))
    text = _SUBMITTER.sub(lambda m: "投稿:" + "".join(rng.choices("abcdefghxyz", k=7)), text)
    factor = rng.randint(1, 9)
    text = _ONE_CELL.sub(lambda m: m[1] + str(int(m[2]) * factor) + m[3], text)
    text = _IN_ROW.sub(lambda m: m[1] + str(int(m[2]) * factor), text)
    return _PROSE_COUNT.sub(lambda m: str(rng.randint(0, 3000)) + m[2], text)


def make_corpus(directory: Path, n: int, seed: int = 2019) -> list[Path]:
    import gongkai

    texts = [p.read_text(encoding="utf-8") for p in SEEDS]
    agencies = []
    for text in texts:  # the agency as the report writes it (simplified or traditional)
        report = gongkai.convert_text(text)
        agency = report.metadata.agency
        if report.metadata.script == "traditional" and agency:
            import opencc

            agency = opencc.OpenCC("s2t").convert(agency)
        agencies.append([agency] if agency else [])
    rng = random.Random(seed)
    paths = []
    for i in range(n):
        k = i % len(texts)
        text = vary(texts[k], agencies[k], rng)
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]
        path = directory / f"{i // 500:03d}" / f"{i:06d}_{digest}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def read_and_split(paths: list[Path]) -> tuple[float, int]:
    """The floor: read each file and split it into lines and "|" cells, nothing else."""
    start = time.perf_counter()
    cells = 0
    for path in paths:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        rows = [line.split("|") for line in text.split("\n")]
        cells += sum(len(r) for r in rows)
    return time.perf_counter() - start, cells


def gongkai_command() -> list[str]:
    script = Path(sys.executable).with_name("gongkai")
    return [str(script)] if script.exists() else [sys.executable, "-m", "gongkai"]


def run_measured(command: list[str], env: dict[str, str] | None = None
                 ) -> tuple[float, int, int, float]:
    """Wall time, exit status, peak RSS (bytes, largest process of the run) and CPU time (user
    and system, the command and its worker processes) of a command."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               env=env)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    stderr = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{stderr}")
    return elapsed, process.returncode, usage.ru_maxrss * 1024, usage.ru_utime + usage.ru_stime


def bench_env() -> dict[str, str]:
    """The environment of a measured gongkai process: bytecode cached, as an installed Python
    runs (some sandboxes set PYTHONDONTWRITEBYTECODE, which makes every start compile gongkai
    from source), and only the built-in plugins unless GONGKAI_PLUGINS says otherwise (a
    plugin installed beside them, the hubei example say, would be measured too)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.setdefault("GONGKAI_PLUGINS", "")
    return env


def convert_corpus(corpus: Path, dataset: Path, jobs: int) -> dict:
    command = [*gongkai_command(), "convert", str(corpus), "--dataset", str(dataset), "-q",
               "-j", str(jobs)]
    env = bench_env()
    elapsed, status, peak, cpu = run_measured(command, env)
    with open(dataset, encoding="utf-8") as f:
        rows = sum(1 for _ in f) - 1
    return {"seconds": elapsed, "status": status, "peak_rss": peak, "rows": rows, "cpu": cpu}


def cold_start(report: Path, runs: int = 7) -> tuple[float, float]:
    """Median wall and CPU seconds of converting one report in a new process.

    As installed Python runs: modules' bytecode cached (PYTHONDONTWRITEBYTECODE, which some
    sandboxes set, would make every start compile gongkai from source), after one warm-up
    run that also caches the grammar's parse tables.
    """
    env = bench_env()
    command = [*gongkai_command(), "convert", str(report), "--to", "csv"]
    run_measured(command, env)
    runs_measured = [run_measured(command, env) for _ in range(runs)]
    return (statistics.median(r[0] for r in runs_measured),
            statistics.median(r[3] for r in runs_measured))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=2000, help="reports in the corpus (2000)")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1,
                        help="worker processes (default: cores)")
    parser.add_argument("--corpus", type=Path, help="build the corpus here and keep it")
    parser.add_argument("--memory", action="store_true",
                        help="also run a corpus of n/4 reports and compare peak memory")
    parser.add_argument("--repeat", type=int, default=3,
                        help="rounds of floor and conversion; the best is reported (3)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--build-corpus", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.build_corpus:
        make_corpus(args.build_corpus, args.n)
        return 0

    work = Path(tempfile.mkdtemp(prefix="gongkai-bench-"))
    try:
        corpus = args.corpus or work / "corpus"
        existing = sorted(corpus.rglob("*.txt")) if corpus.exists() else []
        paths = existing if len(existing) == args.n else None
        if paths is None:
            shutil.rmtree(corpus, ignore_errors=True)
            # In a process of its own: making it imports gongkai and OpenCC, and a process
            # forked from a large one counts that one's memory in its peak (Linux keeps the
            # high-water mark across the exec), which would inflate every peak measured below.
            subprocess.run([sys.executable, __file__, "--build-corpus", str(corpus),
                            "-n", str(args.n)], check=True)
            paths = sorted(corpus.rglob("*.txt"))
        load_before = os.getloadavg()[0]
        read_and_split(paths)  # the page cache warm for both measurements
        # Each round measures the floor and then the conversion, back to back, so both see
        # the machine in the same state; the best round is the figure (as timeit takes the
        # best), the median shows how steady the machine was.
        rounds = []
        for _ in range(args.repeat):
            floor, _ = read_and_split(paths)
            result = convert_corpus(corpus, work / "dataset.csv", args.jobs)
            rounds.append((result["seconds"], floor, result))
        rounds.sort(key=lambda r: r[0] / r[1])
        _, floor, result = rounds[0]
        ratios = sorted(r[0] / r[1] for r in rounds)
        speeds = sorted(args.n / r[0] for r in rounds)
        figures = {
            "reports": args.n,
            "jobs": args.jobs,
            "seconds": round(result["seconds"], 3),
            "reports_per_second": round(args.n / result["seconds"], 1),
            "ms_per_report_per_core": round(result["seconds"] * args.jobs / args.n * 1000, 3),
            "cpu_seconds": round(result["cpu"], 3),
            "cpu_ms_per_report": round(result["cpu"] / args.n * 1000, 3),
            "floor_seconds": round(floor, 4),
            "floor_ms_per_report": round(floor / args.n * 1000, 4),
            "times_floor": round(result["seconds"] / floor, 1),
            "times_floor_per_core": round(result["seconds"] * args.jobs / floor, 1),
            "peak_rss_mb": round(result["peak_rss"] / 2**20, 1),
            "dataset_rows": result["rows"],
            "exit_status": result["status"],
            "rounds": args.repeat,
            "median_reports_per_second": round(statistics.median(speeds), 1),
            "median_times_floor": round(statistics.median(ratios), 1),
        }
        if args.memory:
            small = work / "small"
            for path in paths[: max(1, args.n // 4)]:
                target = small / path.relative_to(corpus)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
            smaller = convert_corpus(small, work / "small.csv", args.jobs)
            figures["peak_rss_mb_quarter_corpus"] = round(smaller["peak_rss"] / 2**20, 1)
        wall, cpu = cold_start(SEEDS[0])
        figures["cold_start_seconds"] = round(wall, 3)
        figures["cold_start_cpu_seconds"] = round(cpu, 3)
        figures["load_average"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    finally:
        shutil.rmtree(work, ignore_errors=True)

    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    print(f"corpus            {figures['reports']} reports (the five seeds, varied), "
          f"{figures['jobs']} workers")
    print(f"conversion        {figures['seconds']:.2f} s  ->  "
          f"{figures['reports_per_second']:.0f} reports/s, "
          f"{figures['ms_per_report_per_core']:.2f} ms per report per core "
          f"({figures['dataset_rows']} dataset rows, exit {figures['exit_status']})")
    print(f"CPU time          {figures['cpu_seconds']:.2f} s in all processes -> "
          f"{figures['cpu_ms_per_report']:.2f} ms per report "
          f"(wall and CPU differ when other work shares the cores)")
    print(f"floor             {figures['floor_seconds']:.3f} s to read and split the same files "
          f"({figures['floor_ms_per_report']:.3f} ms each, one process)")
    print(f"vs floor          {figures['times_floor']}x wall time "
          f"({figures['times_floor_per_core']}x counting every core)")
    print(f"rounds            best of {figures['rounds']} (the one nearest the floor); median "
          f"{figures['median_reports_per_second']:.0f} reports/s, "
          f"{figures['median_times_floor']}x the floor")
    memory = f"{figures['peak_rss_mb']} MB"
    if "peak_rss_mb_quarter_corpus" in figures:
        memory += (f" ({figures['peak_rss_mb_quarter_corpus']} MB for "
                   f"{max(1, args.n // 4)} reports)")
    print(f"peak memory       {memory}, the largest process")
    print(f"cold start        {figures['cold_start_seconds']:.3f} s for one report to CSV "
          f"({figures['cold_start_cpu_seconds']:.3f} s CPU), median of 7")
    print(f"load average      {figures['load_average'][0]} before, "
          f"{figures['load_average'][1]} after (other work on the machine slows every figure)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
