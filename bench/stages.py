"""Where a conversion's time goes: CPU milliseconds per report for each stage, on the seeds.

    .venv/bin/python bench/stages.py            # the five seeds, best of 5 rounds
    .venv/bin/python bench/stages.py --profile  # and the 25 hottest functions (cProfile)
    .venv/bin/python bench/stages.py --corpus DIR -n 200   # reports of a benchmark corpus

CPU time (not wall time) of one process, the best of several rounds, so other work on the
machine disturbs it less; run it before and after a change to a stage.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from collections.abc import Callable
from pathlib import Path

from stage_inputs import prepare

from gongkai.batch.runner import BatchOptions, convert_one
from gongkai.engine.plugin_types import NormalizeContext
from gongkai.interpret.interpreter import RawText
from gongkai.interpret.metadata import find_metadata
from gongkai.normalize.normalizers import normalize
from gongkai.outputs.dataset import report_chunk
from gongkai.parse.document import parse
from gongkai.parse.grammar import parse_with_grammar
from gongkai.pipeline import convert_file, read
from gongkai.validate.validator import validate

SEEDS = sorted((Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "seeds")
               .glob("*.txt"))


def per_report(fn: Callable[[], object], n: int, rounds: int = 5, repeat: int = 5) -> float:
    fn()
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        for _ in range(repeat):
            fn()
        best = min(best, (time.process_time() - start) / repeat / n * 1000)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--profile", action="store_true", help="also print a cProfile summary")
    parser.add_argument("--corpus", type=Path,
                        help="reports of a benchmark corpus (bench/batch_bench.py --corpus DIR) "
                             "instead of the seeds: numbers and names vary, as in a crawl")
    parser.add_argument("-n", type=int, default=200, help="reports taken from --corpus (200)")
    args = parser.parse_args(argv)

    paths = ([str(p) for p in sorted(args.corpus.rglob("*.txt"))[:args.n]] if args.corpus
             else [str(p) for p in SEEDS])
    n = len(paths)
    engine, data, sources, normalizers, texts, docs, interp, built = prepare(paths)
    reports = [convert_file(p) for p in paths]
    options = BatchOptions(dataset="csv", keep_reports=False)

    rows: list[tuple[str, float]] = [
        ("read (sniff, decode)", per_report(
            lambda: [read(d, engine=engine, filename=p) for d, p in zip(data, paths,
                                                                          strict=True)], n)),
    ]
    for normalizer, _plugin in sorted(normalizers, key=lambda p: p[0].order):
        rows.append((f"  normalizer {normalizer.name}", per_report(
            lambda nz=normalizer: [nz.apply(s.text, NormalizeContext()) for s in sources], n)))
    rows += [
        ("normalize (all, checked)", per_report(
            lambda: [normalize(s.text, normalizers) for s in sources], n)),
        ("parse", per_report(lambda: [parse(t) for t in texts], n)),
        ("  (parse by Lark alone)", per_report(lambda: [parse_with_grammar(t) for t in texts],
                                               n, rounds=2, repeat=1)),
        ("interpret: sections", per_report(lambda: [interp.sections(d) for d in docs], n)),
        ("interpret: tables", per_report(
            lambda: [interp.tables(d, RawText(s.text, s.source_line))
                     for d, s in zip(docs, sources, strict=True)], n)),
        ("metadata", per_report(lambda: [find_metadata(d) for d in docs], n)),
        ("validate (rules, inference)", per_report(
            lambda: [validate(r, engine=engine) for r in built], n)),
    ]
    for contribution in engine.rules():
        rule = contribution.item
        rows.append((f"  rule {rule.id}", per_report(
            lambda rule=rule: [list(rule.check(r)) for r in built], n)))
    rows += [
        ("dataset rows (tidy CSV)", per_report(lambda: [report_chunk(r, "csv") for r in reports],
                                               n)),
        ("whole: convert_file", per_report(lambda: [convert_file(p) for p in paths], n)),
        ("whole: batch worker, one input", per_report(
            lambda: [convert_one(p, None, options, engine) for p in paths], n)),
    ]
    width = max(len(name) for name, _ in rows)
    what = f"{args.corpus}, first {n} reports" if args.corpus else f"seed mix ({n} reports)"
    print(f"CPU ms per report, {what}, best of 5 rounds")
    for name, ms in rows:
        print(f"{name:<{width}}  {ms:7.3f}")
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(10):
            for p in paths:
                convert_one(p, None, options, engine)
        profile.disable()
        pstats.Stats(profile, stream=sys.stdout).sort_stats("tottime").print_stats(25)
    return 0


if __name__ == "__main__":
    sys.exit(main())
