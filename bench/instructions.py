"""Instructions per report, counted by valgrind: a figure the machine's load does not move.

Wall and CPU time on a shared virtual machine vary by 1.5x from one minute to the next, so a
change to a hot path is judged by the instructions it takes instead (valgrind's callgrind,
counting only inside the measured loop)::

    .venv/bin/python bench/instructions.py              # the whole batch worker, per report
    .venv/bin/python bench/instructions.py parse tables # single stages
    .venv/bin/python bench/instructions.py --corpus DIR # reports of a benchmark corpus

Stages: read, normalize, parse, tables, validate, dataset, all (one input as a batch worker
converts it, dataset rows included); the per-report writers json, csv, markdown, rdf (one
validated report to text); files (one input as a batch worker converts it to its own JSON
file under an output directory, ``-o OUT``: conversion, text, the atomic write; the system
calls' own work in the kernel is not counted). Each figure is thousands of instructions per
report over ``-n`` reports (10), the inputs prepared first and outside the count. Needs
valgrind; slow (about 20 s a stage).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WRITERS = ("json", "csv", "markdown", "rdf")
STAGES = ("read", "normalize", "parse", "tables", "validate", "dataset", "all", *WRITERS,
          "files")

LOOPS = {
    "read": "for d, p in zip(data, paths): read(d, engine=engine, filename=p)",
    "normalize": "for s in sources: normalize(s.text, normalizers)",
    "parse": "for t in texts: parse(t)",
    "tables": "for d, s in zip(docs, sources): interp.tables(d, RawText(s.text, s.source_line))",
    "validate": "for r in built: validate(r, engine=engine)",
    "dataset": "for r in checked: report_chunk(r, 'csv')",
    "all": "for p in paths: convert_one(p, None, options, engine)",
    "json": "for r in checked: write(r, 'json', StringIO(), engine=engine)",
    "csv": "for r in checked: write(r, 'csv', StringIO(), engine=engine)",
    "markdown": "for r in checked: write(r, 'markdown', StringIO(), engine=engine)",
    "rdf": "for r in checked: write(r, 'rdf', StringIO(), engine=engine)",
    "files": "for p, o in zip(paths, outs): convert_one(p, o, to_files, engine)",
}


def measured(stage: str, paths: list[str]) -> None:
    """Prepare every stage's inputs, then run one stage's loop inside ``eval`` (the only
    function whose instructions callgrind is told to count)."""
    import tempfile
    from io import StringIO

    from stage_inputs import prepare

    from gongkai.batch.runner import BatchOptions, convert_one
    from gongkai.interpret.interpreter import RawText
    from gongkai.normalize.normalizers import normalize
    from gongkai.outputs.dataset import report_chunk
    from gongkai.parse.document import parse
    from gongkai.pipeline import read, write
    from gongkai.validate.validator import validate

    engine, data, sources, normalizers, texts, docs, interp, built = prepare(paths)
    checked = [validate(r, engine=engine) for r in built]
    options = BatchOptions(dataset="csv", keep_reports=False)
    outdir = tempfile.mkdtemp(prefix="gongkai-instructions-")
    to_files = BatchOptions(outdir=outdir, keep_reports=False, force=True)
    outs = [os.path.join(outdir, f"{i:06d}.json") for i in range(len(paths))]
    for p, o in zip(paths, outs, strict=True):  # every lazy table and cache warm, as in a batch
        convert_one(p, None, options, engine)
        if stage == "files":
            convert_one(p, o, to_files, engine)
    if stage in WRITERS:  # (the writer's caches warm for every report too)
        for r in checked:
            write(r, stage, StringIO(), engine=engine)
    names = dict(locals())
    names.update(RawText=RawText, normalize=normalize, parse=parse, read=read,
                 validate=validate, report_chunk=report_chunk, convert_one=convert_one,
                 write=write, StringIO=StringIO)
    try:
        eval(compile(LOOPS[stage], "<measured loop>", "exec"), names)
    finally:
        shutil.rmtree(outdir, ignore_errors=True)


def count(stage: str, n: int, corpus: Path | None) -> int:
    command = ["valgrind", "--tool=callgrind", "--collect-atstart=no",
               "--toggle-collect=builtin_eval", "--callgrind-out-file=/dev/null",
               sys.executable, __file__, "--inside", stage, "-n", str(n)]
    if corpus:
        command += ["--corpus", str(corpus)]
    out = subprocess.run(command, capture_output=True, text=True, check=False)
    found = re.search(r"Collected : (\d+)", out.stderr)
    if out.returncode != 0 or not found:
        raise SystemExit(f"valgrind failed ({out.returncode}):\n{out.stderr[-2000:]}")
    return int(found.group(1))


def inputs(n: int, corpus: Path | None) -> list[str]:
    if corpus:
        found = sorted(str(p) for p in corpus.rglob("*.txt"))
    else:
        found = sorted(str(p) for p in (ROOT / "tests" / "fixtures" / "seeds").glob("*.txt"))
    return [found[i % len(found)] for i in range(n)] if found else []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("stages", nargs="*", help=f"of {', '.join(STAGES)} (all)")
    parser.add_argument("-n", type=int, default=10, help="reports per stage (10)")
    parser.add_argument("--corpus", type=Path, help="take the reports from this directory")
    parser.add_argument("--inside", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    unknown = [s for s in args.stages if s not in STAGES]
    if unknown:
        parser.error(f"unknown stage {unknown[0]!r} (stages: {', '.join(STAGES)})")
    if args.inside:
        measured(args.inside, inputs(args.n, args.corpus))
        return 0
    if not any(os.access(os.path.join(d, "valgrind"), os.X_OK)
               for d in os.environ.get("PATH", "").split(os.pathsep)):
        raise SystemExit("valgrind is not installed")
    for stage in args.stages or ["all"]:
        total = count(stage, args.n, args.corpus)
        print(f"{stage:10s} {total / args.n / 1000:9.0f} thousand instructions per report")
    return 0


if __name__ == "__main__":
    sys.exit(main())
