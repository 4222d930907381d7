"""Where ``gongkai convert`` writes and in what format: ``--to``, ``-o`` and its extension.

The format follows ``-o FILE``'s extension when ``--to`` is not given: each writer declares
its ``extension`` (and ``extra_extensions`` with the options they imply: ``.nt`` is the rdf
writer with ``format=nt``), and the dataset formats of :mod:`gongkai.outputs.dataset` add ``.jsonl``
and ``.parquet``. A ``--to`` that contradicts the extension is an error, never a file whose
name lies about its content. ``-`` is standard output.

Several reports and ``-o FILE``: one stacked output where the format stacks — a dataset
(``.csv``, ``.jsonl``, ``.parquet``) or N-Triples (``.nt``) — else an error; ``-o DIR`` (an
existing directory, a name ending in ``/``, or a name with no known extension) is the
directory of one file per report.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import attrs

from gongkai.engine.manager import Engine
from gongkai.errors import UsageError
from gongkai.outputs.dataset import FORMATS as DATASET_EXTENSIONS
from gongkai.suggest import nearest

#: Standard input or output, where a file is taken.
STDIO = "-"
#: Dataset formats that are not writers (``--to jsonl`` is the one-table JSON Lines).
DATASET_ONLY = ("jsonl", "parquet")
#: Writer formats whose outputs of several reports, concatenated, are one valid output.
STACKING = {("rdf", "nt")}


@attrs.frozen
class Target:
    """The format asked for: a writer (``dataset`` None) or a dataset format."""

    #: A writer name (``json``, ``rdf``...), or the dataset format's name.
    to: str
    #: Writer options the extension implies (``{"format": "nt"}``).
    options: Mapping[str, str] = attrs.field(factory=dict)
    #: ``csv``, ``jsonl`` or ``parquet`` when the output is a dataset (one table of cells).
    dataset: str | None = None


def _claims(engine: Engine) -> dict[str, list[tuple[str, dict[str, str], bool]]]:
    """Every known output extension -> each (writer, implied options, built-in) claiming it,
    built-in writers first; an extension of ``extra_extensions`` overrides the writer's main
    one. A plugin adds formats, never takes a built-in one's extension over."""
    found: dict[str, list[tuple[str, dict[str, str], bool]]] = {}
    builtin = {name for name, info in engine.info.items() if info.builtin}
    for c in sorted(engine.writers(), key=lambda c: (c.plugin not in builtin, c.name)):
        w = c.item
        own = {w.extension.lower(): {}}
        own.update({ext.lower(): dict(implied)
                    for ext, implied in (getattr(w, "extra_extensions", None) or {}).items()})
        for ext, implied in own.items():
            found.setdefault(ext, []).append((w.name, implied, c.plugin in builtin))
    for ext, fmt in DATASET_EXTENSIONS.items():
        if fmt in DATASET_ONLY:
            found.setdefault(ext, []).append((fmt, {}, True))
    return found


def extension(path: str) -> str:
    return os.path.splitext(os.path.basename(path))[1].lower()


def known_formats(engine: Engine) -> list[str]:
    return sorted({c.name for c in engine.writers()} | set(DATASET_ONLY))


def check_format(engine: Engine, to: str) -> None:
    """Refuse a ``--to`` that no writer or dataset format has, naming the nearest one."""
    if to in DATASET_ONLY or engine.registry.get("writers", to) is not None:
        return
    known = known_formats(engine)
    hint = nearest(to, known)
    raise UsageError(f"--to: unknown output format {to!r}"
                     + (f" (did you mean {hint!r}?)" if hint else "")
                     + f"; formats: {', '.join(known)}")


def resolve(engine: Engine, to: str | None, output: str | None,
            given: Mapping[str, str]) -> Target:
    """The format for one output: ``--to``, else ``-o``'s extension, else json.

    ``given``: the ``-O`` options, which an extension's implied options must not contradict.
    """
    if to is not None:
        check_format(engine, to)
    claims: list[tuple[str, dict[str, str], bool]] = []
    if output and output != STDIO:
        claims = _claims(engine).get(extension(output), [])
    if not claims:
        chosen = to or "json"
        return Target(chosen, {}, chosen if chosen in DATASET_ONLY else None)
    names = " or ".join(sorted({repr(c[0]) for c in claims}))
    if to is None:
        if len({c[0] for c in claims}) > 1 and not claims[0][2]:
            raise UsageError(f"the output file {output!r} has the extension of formats "
                             f"{names}: say which with --to")
        name, options, _ = claims[0]
    else:
        # Several writers may share an extension (.tsv): --to chooses among them.
        mine = [c for c in claims if c[0] == to]
        if not mine:
            raise UsageError(f"--to {to} contradicts the output file {output!r}, whose "
                             f"extension is that of format {names}: drop --to or rename "
                             "the file")
        name, options, _ = mine[0]
    for key, value in options.items():
        if key in given and given[key] != value:
            raise UsageError(f"-O {key}={given[key]} contradicts the output file {output!r} "
                             f"({extension(output)} is {key}={value})")
    return Target(name, options, name if name in DATASET_ONLY else None)


def is_directory_target(output: str) -> bool:
    """For several reports: ``-o`` names a directory (not one stacked file)."""
    return (output.endswith(("/", os.sep)) or os.path.isdir(output)
            or not extension(output))


def stacked(engine: Engine, target: Target, output: str, writer_options: Mapping[str, str]
            ) -> Target:
    """The target of several reports written to one file ``output``, or a UsageError."""
    if target.dataset:
        return target
    if target.to == "csv":
        if writer_options:
            keys = ", ".join(f"{k}=" for k in sorted(writer_options))
            raise UsageError(
                f"-o {output}: several reports in one .csv file are the tidy dataset, which "
                f"takes no -O {keys}; give a directory (-o {os.path.splitext(output)[0]}/) "
                "for a file per report with these options")
        return attrs.evolve(target, dataset="csv")
    fmt = writer_options.get("format")
    if (target.to, fmt) in STACKING:
        return target
    stacks = [*(e for e, f in DATASET_EXTENSIONS.items() if f in ("csv", "jsonl")),
              ".parquet", ".nt"]
    raise UsageError(
        f"-o {output}: several reports cannot be one {target.to} file; give a directory "
        f"(-o {os.path.splitext(output)[0]}/) for a file per report, or a file that stacks "
        f"({', '.join(sorted(set(stacks)))})")
