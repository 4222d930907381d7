"""The inputs of every pipeline stage for a list of reports, shared by the stage benchmarks
(bench/stages.py, bench/instructions.py): each stage is then timed on its own."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from gongkai.engine.manager import Engine, default_engine
from gongkai.engine.plugin_types import Normalizer, Source
from gongkai.interpret.interpreter import Interpreter
from gongkai.model import Report
from gongkai.normalize.normalizers import normalize
from gongkai.parse.blocks import ParsedDocument
from gongkai.parse.document import parse
from gongkai.pipeline import build, interpreter, read


class StageInputs(NamedTuple):
    engine: Engine
    data: list[bytes]
    sources: list[Source]
    normalizers: list[tuple[Normalizer, str]]
    #: Normalized pipe text, ending in a newline, as parse() takes it.
    texts: list[str]
    docs: list[ParsedDocument]
    interp: Interpreter
    #: Reports built, not yet validated.
    built: list[Report]


def prepare(paths: list[str]) -> StageInputs:
    engine = default_engine()
    data = [Path(p).read_bytes() for p in paths]
    sources = [read(d, engine=engine, filename=p)[0] for d, p in zip(data, paths, strict=True)]
    normalizers = [(c.item, c.plugin) for c in engine.normalizers()]
    texts = [normalize(s.text, normalizers)[0] + "\n" for s in sources]
    return StageInputs(
        engine=engine, data=data, sources=sources, normalizers=normalizers, texts=texts,
        docs=[parse(t) for t in texts], interp=interpreter(engine),
        built=[build(s, engine=engine, report_id="x", source_path=p)
               for s, p in zip(sources, paths, strict=True)],
    )
