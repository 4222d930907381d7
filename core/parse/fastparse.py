"""The report grammar run line by line, without Lark: the same blocks, faster.

:func:`gongkai.parse.grammar.parse_with_grammar` gives the text to the Lark LALR parser of
``grammars/report.lark``; for a corpus that is most of the conversion time, spent on Python
bookkeeping per token rather than on matching. The grammar's structure is small — lines of
prose, headings, and table rows of ``|``-closed cells — so this module walks it line by line,
with a table taken from Lark's own parser when the grammar is loaded (:func:`walk_table`):

* the *nodes* are the parser's reachable configurations (its whole stack of LALR states),
  found by running Lark's parse table on every terminal from the start; each node has the
  lexer Lark's contextual lexer uses there, and an edge for every terminal it accepts, saying
  where the parser goes and which rules that completes;
* what a token builds is the rule it is the first token of, found the same way (every way on
  from the node must reduce it in the same rule), and the blocks are built by the builder the
  Lark path uses (:class:`gongkai.parse.blocks.BlockBuilder`) — so a rule reordered or given
  another alternative in the grammar is followed, and nothing here restates a rule;
* a grammar whose table cannot be taken so (configurations without bound, a token whose rule
  depends on what follows it, a shortcut below that does not hold) is parsed by Lark, with a
  :class:`FastPathWarning` saying why: correct, and slower, never silently different;
* anything the walk does not expect in a text (a syntax error) returns None, and the text
  goes to Lark, which gives the located error;
* the table is kept in the on-disk cache, named by the grammar, Lark's version and this
  module's format, so a process that only walks never imports Lark;
* three shortcuts rest on what the terminals are, and are checked when the table is taken:
  after a bar only the ignored blanks token matches blanks; a line without a bar is lexed
  without the terminals that need one (the bar, and the cells it closes: see _without_bar);
  and a row line is lexed on its own, so what a row line read in a node gave is remembered
  (see _ROW_SHAPES).

tests/test_batch_fastparse.py checks that both give the same blocks on the seeds, on
generated report-shaped texts and on edited grammars.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any

from gongkai.engine.cache import cached_json, digest
from gongkai.grammars import grammar_text
from gongkai.parse.blocks import (
    COMPLETE_RULES,
    TOKEN_RULES,
    BlockBuilder,
    Event,
    ParsedDocument,
)
from gongkai.parse.grammar import parser

if TYPE_CHECKING:
    import lark


class FastPathWarning(UserWarning):
    """The line walk is off for this grammar: conversions are right, and slower."""


class Unwalkable(Exception):
    """The grammar's table cannot be walked line by line (the message says why)."""


#: Bumped when what walk_table returns changes meaning.
_CACHE_FORMAT = "2"
#: Configurations explored before a grammar is called unwalkable (this one has a few dozen).
_MAX_NODES = 2000
#: Cells that start with blanks, as they follow a bar.
_BLANK_LED = (" 0 |", "\t规章 |", "  减3 |", " / |", " 4(其中2) |", " 5\n", " 其他\n", " (一)x |")
#: Where a terminal that closes on a bar ends: the grammar's closed-cell lookahead.
_CLOSED_LOOKAHEAD = "(?=[ \t]*\\|)"


@cache
def walk_table() -> dict[str, Any] | None:
    """The walk's table for the grammar, or None (with a FastPathWarning) when it cannot be
    walked. Taken from the built parser once and kept in the on-disk cache
    (gongkai.engine.cache): a new process — every worker of a batch, every ``gongkai
    convert`` — reads it without importing Lark."""
    key = digest(grammar_text(), _lark_version(), _CACHE_FORMAT, repr(_BLANK_LED),
                 _CLOSED_LOOKAHEAD, repr(_MAX_NODES))
    table = cached_json("fast-lexers", key, _table_or_reason, _valid_table)
    if "unwalkable" in table:
        # Correct, but every text goes to Lark: say so once, rather than be slow in silence.
        warnings.warn(f"the report grammar cannot be walked line by line ({table['unwalkable']}):"
                      " every text is parsed by Lark (more than ten times as slow)",
                      FastPathWarning, stacklevel=2)
        return None
    return table


@cache
def lexers() -> list[tuple[re.Pattern[str], re.Pattern[str]]] | None:
    """The walk's lexers compiled, each with its lexer for a line without a bar, or None when
    the fast path cannot be used."""
    table = walk_table()
    if table is None:
        return None
    return [(re.compile(full, full_flags), re.compile(nobar, nobar_flags))
            for full, full_flags, nobar, nobar_flags in table["lexers"]]


def _valid_table(value: object) -> bool:
    """Whether a cached value is what _table_or_reason makes."""
    if not isinstance(value, dict):
        return False
    if set(value) == {"unwalkable"}:
        return isinstance(value["unwalkable"], str)
    if set(value) != {"nodes", "bar", "newline", "ignore", "lexers"}:
        return False
    lexers, nodes = value["lexers"], value["nodes"]
    if not (isinstance(lexers, list) and isinstance(nodes, list) and nodes
            and isinstance(value["ignore"], list)):
        return False
    for entry in lexers:
        if not (isinstance(entry, list) and len(entry) == 4 and isinstance(entry[0], str)
                and isinstance(entry[2], str) and type(entry[1]) is type(entry[3]) is int):
            return False
        re.compile(entry[0], entry[1])  # an error makes the entry invalid (rebuilt)
        re.compile(entry[2], entry[3])
    events = TOKEN_RULES.keys() | COMPLETE_RULES.keys()
    for node in nodes:
        if not (isinstance(node, list) and len(node) == 3 and type(node[0]) is int
                and 0 <= node[0] < len(lexers) and isinstance(node[1], dict)):
            return False
        for edge in [*node[1].values(), *([node[2]] if node[2] is not None else [])]:
            if not (isinstance(edge, list) and len(edge) == 3 and type(edge[0]) is int
                    and 0 <= edge[0] < len(nodes) and isinstance(edge[1], list)
                    and set(edge[1]) <= events and (edge[2] is None or edge[2] in events)):
                return False
    return True


def _lark_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("lark")
    except PackageNotFoundError:
        import lark

        return lark.__version__


def _table_or_reason() -> dict[str, Any]:
    try:
        return _take_table(parser())
    except Unwalkable as exc:
        return {"unwalkable": str(exc)}


def _take_table(p: lark.Lark) -> dict[str, Any]:
    """The walk's table, from Lark's parse table and contextual lexer.

    ``nodes[i]`` is ``[lexer state, {terminal: edge}, edge at the end of the text or None]``;
    an edge is ``[next node, rules completed before the token, rule the token starts or
    None]`` (only rules the builder builds are named). Raises Unwalkable.
    """
    from lark.lexer import PatternStr

    table = p.parser.parser.parser.parse_table
    actions, end_state = table.states, table.end_states["document"]
    # A rule that builds from its first token is built when that token is met: so that no
    # other rule is completed before it, as Lark would, its symbols must all be terminals.
    if any(str(r.alias or r.origin.name) in TOKEN_RULES and not all(s.is_term for s in r.expansion)
           for r in p.rules):
        raise Unwalkable("a rule built from its first token has other rules in it")
    names = {t.name for t in p.terminals}
    bars = [t.name for t in p.terminals if isinstance(t.pattern, PatternStr)
            and t.pattern.value == "|"]
    newlines = [t.name for t in p.terminals
                if all(re.fullmatch(t.pattern.to_regexp(), s) for s in ("\n", " \n\t\n"))]
    if len(bars) != 1 or len(newlines) != 1:
        raise Unwalkable("no single terminal of the bar \"|\" and of the line break")

    def run(stack: tuple[int, ...], terminal: str):
        """Lark's LALR step: the stack after ``terminal`` is shifted (or the text accepted),
        and each rule reduced with the depth its first symbol had."""
        stack, reduced = list(stack), []
        while True:
            action = actions[stack[-1]].get(terminal)
            if action is None:
                return None
            kind, arg = action
            if kind.name == "Shift":
                return (*stack, arg), reduced
            size = len(arg.expansion)
            reduced.append((arg, len(stack) - size))
            del stack[len(stack) - size:]
            stack.append(actions[stack[-1]][arg.origin.name][1])
            if terminal == "$END" and stack[-1] == end_state:
                return None, reduced

    start = (table.start_states["document"],)
    ids: dict[tuple[int, ...], int] = {start: 0}
    order, steps = [start], []
    for stack in order:  # breadth first: every configuration the parser can reach
        found = {}
        for terminal in [*sorted(n for n in actions[stack[-1]] if n in names), "$END"]:
            step = run(stack, terminal)
            if step is None:
                continue
            found[terminal] = step
            after = step[0]
            if after is not None and after not in ids:
                if len(ids) >= _MAX_NODES:
                    raise Unwalkable(f"more than {_MAX_NODES} parser configurations")
                ids[after] = len(order)
                order.append(after)
        steps.append(found)

    def starts(stack: tuple[int, ...]) -> str | None:
        """The rule whose first token is the one just shifted on ``stack`` (None: it is not a
        rule's first token), the same whatever follows, or Unwalkable."""
        depth, seen, todo, rules = len(stack) - 1, set(), [stack], set()
        while todo:
            for after, reduced in steps[ids[todo.pop()]].values():
                done = next(((r, d) for r, d in reduced if d <= depth), None)
                if done is not None:
                    rule, d = done
                    rules.add(str(rule.alias or rule.origin.name) if d == depth else None)
                elif after is not None and after not in seen:
                    seen.add(after)
                    todo.append(after)
        if len(rules) != 1:
            raise Unwalkable(f"a token's rule depends on what follows: {sorted(map(str, rules))}")
        rule = rules.pop()
        return rule if rule in TOKEN_RULES else None

    def edge(after, reduced) -> list:
        completed = [str(r.alias or r.origin.name) for r, _ in reduced]
        return [ids[after] if after is not None else 0,
                [n for n in completed if n in COMPLETE_RULES],
                starts(after) if after is not None else None]

    nodes = []
    for stack, found in zip(order, steps, strict=True):
        nodes.append([stack[-1], {t: edge(*s) for t, s in found.items() if t != "$END"},
                      edge(*found["$END"]) if "$END" in found else None])
    states = {n[0] for n in nodes}
    after_bar = {nodes[e[0]][0] for n in nodes for t, e in n[1].items() if t == bars[0]}
    found = _lexers(p, states, bars[0], after_bar)
    # Nodes name their lexer, not Lark's state: state numbers differ from run to run, and
    # states with the same lexer are the same to the walk.
    distinct = sorted({tuple(v) for v in found.values()})
    for node in nodes:
        node[0] = distinct.index(tuple(found[node[0]]))
    return {"nodes": _minimal(nodes), "lexers": [list(v) for v in distinct],
            "bar": bars[0], "newline": newlines[0], "ignore": sorted(p.lexer_conf.ignore)}


def _minimal(nodes: list[list]) -> list[list]:
    """The same walk with nodes that behave alike merged (Moore's partition refinement): the
    parser's configurations differ in stack entries that change nothing the walk does."""
    def signature(node: list, part: list[int]) -> str:
        edges = {t: [part[e[0]], e[1], e[2]] for t, e in node[1].items()}
        end = node[2] and [node[2][1], node[2][2]]
        return repr((node[0], sorted(edges.items()), end))

    part = [0] * len(nodes)
    while True:
        classes: dict[str, int] = {}
        new = [classes.setdefault(signature(n, part), len(classes)) for n in nodes]
        if len(classes) == len(set(part)):
            break
        part = new
    part = new  # class numbers in order of first node: the start stays node 0
    merged: list[list | None] = [None] * len(classes)
    for node, c in zip(nodes, part, strict=True):
        if merged[c] is None:
            merged[c] = [node[0], {t: [part[e[0]], *e[1:]] for t, e in node[1].items()},
                         node[2] and [part[node[2][0]], *node[2][1:]]]
    return merged  # type: ignore[return-value]


def _lexers(p: lark.Lark, states: set[int], bar: str, after_bar: set[int]) -> dict[int, list]:
    """The contextual lexer of each state and its lexer for a line without a bar, as
    ``[pattern, flags, no-bar pattern, flags]``. Raises Unwalkable when a shortcut does not
    hold."""
    contextual = p.parser.lexer
    ignore = set(p.lexer_conf.ignore)
    found: dict[int, list] = {}
    for state in sorted(states):
        lexer = contextual.lexers[state]
        if lexer.scanner is None:  # Lark builds a lexer's scanner when first used
            lexer._build_scanner()
        if lexer.callback:
            raise Unwalkable("terminals Lark post-processes")
        if len(lexer.scanner._mres) != 1:
            raise Unwalkable("Lark split a lexer's alternation")
        full = lexer.scanner._mres[0]
        # After a bar, blanks are skipped without the lexer: only the ignored blanks token
        # may match there, whatever follows them.
        if state in after_bar and any(full.match(s).lastgroup not in ignore
                                      for s in _BLANK_LED):
            raise Unwalkable("a terminal other than the ignored blanks matches blanks after a bar")
        nobar = _without_bar(lexer.terminals, full, bar)
        found[state] = [full.pattern, full.flags, nobar.pattern, nobar.flags]
    return found


def _without_bar(terminals: list, full: re.Pattern[str], bar: str) -> re.Pattern[str]:
    """A state's lexer for a line without a bar: its alternation without the terminals that
    need one. None of those can match on such a line, so the first alternative that matches
    is the same, without trying them (a closed cell scans the whole line and back for its
    bar: on a paragraph, that was most of the lexing). The alternation is rebuilt as Lark
    builds it; when that does not give Lark's pattern, the full lexer is used."""
    def alternation(kept: list) -> str:
        return "|".join(f"(?P<{t.name}>{t.pattern.to_regexp()})" for t in kept)

    if alternation(terminals) != full.pattern:
        return full
    kept = [t for t in terminals
            if not (t.name == bar or t.pattern.to_regexp().endswith(_CLOSED_LOOKAHEAD))]
    return re.compile(alternation(kept), full.flags) if kept else full


class _Stop(Exception):
    """Something the walker does not expect: let Lark parse the text."""


def parse_lines(text: str) -> ParsedDocument | None:
    """The blocks :func:`gongkai.parse.grammar.parse_with_grammar` gives for ``text`` (ending in a
    newline), or None when the text should be left to Lark (a syntax error, or the fast path is
    unavailable)."""
    walk = _compiled()
    if walk is None:
        return None
    try:
        return _walk(text, *walk)
    except _Stop:
        return None


#: A node's edges as the walk uses them: terminal -> (next node, events before the token,
#: event of the token or None).
_Edges = dict[str, tuple[int, tuple[Event, ...], Event | None]]
#: A node: its lexer, its lexer for a line without a bar, its edges, and the edges of a line of
#: one token (the token, then a line break that builds nothing) taken as one.
_Node = tuple[Callable, Callable, _Edges, _Edges]


@cache
def _compiled() -> tuple[list[_Node], list, str, str, frozenset[str]] | None:
    """The walk table with its lexers compiled and its rules as the builder's events."""
    table, lexers_ = walk_table(), lexers()
    if table is None or lexers_ is None:
        return None
    events = TOKEN_RULES | COMPLETE_RULES

    def edge(e: list) -> tuple[int, tuple[Event, ...], Event | None]:
        return e[0], tuple(events[n] for n in e[1]), events[e[2]] if e[2] else None

    edges = [{t: edge(e) for t, e in out.items()} for _, out, _ in table["nodes"]]
    newline = table["newline"]

    def line_edges(out: _Edges) -> _Edges:
        found = {}
        for terminal, (after, before, event) in out.items():
            then = edges[after].get(newline)
            if terminal != newline and then is not None and not then[1] and then[2] is None:
                found[terminal] = (then[0], before, event)
        return found

    nodes = [(lexers_[lexer][0].match, lexers_[lexer][1].match, out, line_edges(out))
             for (lexer, _, _), out in zip(table["nodes"], edges, strict=True)]
    ends = [edge(end)[1:] if end is not None else None for _, _, end in table["nodes"]]
    return nodes, ends, table["bar"], newline, frozenset(table["ignore"])


#: What row lines already read gave, by the node and the line's text: the node after the line
#: and the builder's events on the way (cells of the line together, as ``(kind, text)``). A
#: corpus repeats row lines (headers, labels, "0 |"), and a row line is lexed on its own: no
#: cell terminal looks past the end of its line (CAPTION, which looks at the next line, cannot
#: match on a line with a bar), so the same line in the same node gives the same events.
#: Bounded in number and in line length, so memory stays flat over any corpus.
_Shape = tuple[int, tuple[tuple[str, str, int], ...] | None, tuple[tuple[Event, Any], ...]]
_ROW_SHAPES: dict[tuple[int, str], _Shape] = {}
_SHAPES_KEPT = 1 << 15
_SHAPE_MAX_CHARS = 400
_CELLS: Event = BlockBuilder.cells
_CELL_EVENTS = {TOKEN_RULES[k]: k for k in ("label", "value", "empty")}


def _walk(text: str, nodes: list[_Node], ends: list, bar: str, newline: str,
          ignore: frozenset[str]) -> ParsedDocument:
    # One loop with local names: this is the hot path of a corpus conversion.
    builder = BlockBuilder()
    shapes = _ROW_SHAPES
    pending: list[tuple[tuple[tuple[str, str, int], ...], int]] = []  # for row_lines
    node = 0
    lines = text.split("\n")
    lines.pop()  # the text ends with a newline: nothing follows it
    end = 0  # where the line after the current one starts
    for number, line in enumerate(lines, 1):
        pos, end = end, end + len(line) + 1
        if "|" in line:
            # A line with a "|" can only be a table row: every terminal of a line of its own
            # stops at "|". Each piece between two bars is blanks or one token, which the
            # lexer of the node must match from the piece's first non-blank character up to
            # the bar; then comes the bar's token, and after the last piece the line break.
            key = (node, line)
            shape = shapes.get(key)
            if shape is None:
                shape = _row(text, pos, line, node, nodes, (bar, newline, ignore))
                if len(line) <= _SHAPE_MAX_CHARS:
                    if len(shapes) >= _SHAPES_KEPT:
                        shapes.clear()
                    shapes[key] = shape
            node, cells, events = shape
            if cells is not None:
                pending.append((cells, number))
                continue
        elif number > 1 and not line.strip(" \t"):
            continue  # part of the line-break token before it
        else:
            # A line of one token: the lexer of the node must match it to the line's end (or,
            # first in the text, the line break of the blank lines the text starts with).
            m = _token(nodes[node][1], text, pos, ignore)
            if m is None:
                raise _Stop
            kind = m.lastgroup
            if kind != newline and not pos + len(line.rstrip(" \t")) <= m.end() < end:
                raise _Stop
            events = None
        if pending:
            builder.row_lines(pending)
            pending = []
        if events is not None:  # a row line's
            for event, value in events:
                event(builder, value, number)
            continue
        edge = nodes[node][3 if kind != newline else 2].get(kind)
        if edge is None:
            raise _Stop
        node, before, event = edge
        for done in before:
            done(builder, "", number)
        if event is not None and kind != newline:
            event(builder, m.group().strip(), number)
    end_edge = ends[node]
    if end_edge is None:
        raise _Stop
    if pending:
        builder.row_lines(pending)
    for done in end_edge[0]:
        done(builder, "", 0)
    return builder.document()


def _row(text: str, pos: int, line: str, node: int, nodes: list[_Node],
         terminals: tuple[str, str, frozenset[str]]) -> _Shape:
    """The node after a row line and the builder's events on the way (or, for the usual row
    line, the cells BlockBuilder.row_lines takes); _Stop if the line is not what the grammar
    accepts there. ``terminals``: the bar, the line break, the ignored."""
    bar, newline, ignore = terminals
    events: list[tuple[Event, Any]] = []
    cells: list[tuple[str, str]] = []

    def step(terminal: str, value: str) -> None:
        nonlocal node
        edge = nodes[node][2].get(terminal)
        if edge is None:
            raise _Stop
        node, before, event = edge
        if before and cells:
            events.append((_CELLS, tuple(cells)))
            cells.clear()
        events.extend((done, "") for done in before)
        if event is not None:
            kind = _CELL_EVENTS.get(event)
            if kind is not None:
                cells.append((kind, value))
            else:
                if cells:
                    events.append((_CELLS, tuple(cells)))
                    cells.clear()
                events.append((event, value))

    pieces = line.split("|")
    last = len(pieces) - 1
    for k, piece in enumerate(pieces):
        core = piece.strip(" \t")
        if core:
            match = nodes[node][0]
            if k:  # after a bar only the blanks token matches blanks (checked once)
                m = match(text, pos + len(piece) - len(piece.lstrip(" \t")))
            else:
                m = _token(match, text, pos, ignore)
            if m is None or not (pos + len(piece.rstrip(" \t")) <= m.end() <= pos + len(piece)):
                raise _Stop  # the token must end between the piece's text and the bar
            step(m.lastgroup, core)
        if k != last:
            step(bar, "")
        pos += len(piece) + 1
    step(newline, "")
    if cells:
        events.append((_CELLS, tuple(cells)))
    if len(events) == 2 and events[0][0] is COMPLETE_RULES["row"] and events[1][0] is _CELLS:
        # The usual row line, after a row: BlockBuilder.row_lines takes it with the next ones.
        return node, tuple((kind, text, i) for i, (kind, text) in enumerate(events[1][1])), ()
    return node, None, tuple(events)


def _token(match: Callable, text: str, pos: int, ignore: frozenset[str]) -> re.Match[str] | None:
    """The token at ``pos``, after the ignored blanks token if that comes first."""
    m = match(text, pos)
    if m is not None and m.lastgroup in ignore:
        m = match(text, m.end())
    return m
