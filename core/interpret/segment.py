"""Label cells put back together: labels broken over cells, and cells holding two labels.

PDF text, OCR and converted Markdown break a table's labels where the page broke them:
``5.要求行政机关确认或重新出`` / ``具已获取信息 1 0 0 …``, a row label one character per line
(``三、`` ``本`` ``年`` …), a group label and a row label on one line (``（四）无
1.本机关不掌握相关政府信息 746 …``), a header line of four labels (``信息内容 本年制发件数
本年废止件数 现行有效件数``). The readers keep the words in order; this module, which knows
the vocabulary of one table kind, rebuilds the labels:

* a label naming nothing (or only a marker) that contains spaces is split into its words when
  some run of them names a row or column — the runs that name something become labels of their
  own, the words between them stay together;
* a run of adjacent labels that name nothing is joined, shortest run first, when the joined
  text names a row or column; the joined label stands where the run's last piece stood, so the
  values after it follow it as before. A run may also close after a row's values
  (``1、申请人无正当理由逾期不补`` / ``正、行政机关不再处理其政府信 67 3 …`` / ``息公开申请``),
  as PDFs that centre a label on its row write it.

Nothing is guessed: a join or split is made only when the result is a label of the vocabulary,
and labels that name nothing stay as they are (the table reader reports them).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from gongkai.layouts.layout import Vocabulary
from gongkai.parse.blocks import CellToken

#: What str.split() splits at.
_BLANK = re.compile(r"\s")
#: At most this many pieces are joined into one label, and at most this many characters.
MAX_PIECES = 8
MAX_CHARS = 80
#: A cell of more words than this is prose, not labels: it is never split.
MAX_WORDS = 24


def segment(tokens: Sequence[CellToken], vocab: Vocabulary) -> list[CellToken]:
    # Most tables need nothing done: every label names a row or a column, or is a marker of
    # one word, which neither the split nor the join below would touch. One look at each
    # label settles that (the two passes cost ten times as much).
    resolve, blank = vocab.resolve, _BLANK.search
    for token in tokens:
        if token.kind == "label":
            role = resolve(token.text).role
            if role != "row" and role != "column" and (role != "marker" or blank(token.text)):
                return _join(_split(tokens, vocab), vocab)
    return list(tokens)


def _unknown(token: CellToken, vocab: Vocabulary) -> bool:
    return token.kind == "label" and vocab.resolve(token.text).role == "unknown"


def _split(tokens: Sequence[CellToken], vocab: Vocabulary) -> list[CellToken]:
    out: list[CellToken] = []
    blank, append = _BLANK.search, out.append
    for token in tokens:
        # Most labels hold no blank: looking for one is cheaper than splitting every label.
        if (token.kind == "label" and blank(text := token.text)
                and 1 < len(text.split()) <= MAX_WORDS and not vocab.names(text)):
            pieces = split_words(text, vocab)
            if pieces:
                out.extend(token._replace(text=p) for p in pieces)
                continue
        append(token)
    return out


def split_words(text: str, vocab: Vocabulary) -> list[str] | None:
    """The words of ``text`` as labels, longest naming runs first; None if no run names."""
    words = text.split()
    pieces: list[str] = []
    loose: list[str] = []
    found = False
    p = 0
    while p < len(words):
        longest = min(len(words), p + MAX_PIECES)
        q = next((q for q in range(longest, p, -1) if vocab.names("".join(words[p:q]))), None)
        if q is None:
            loose.append(words[p])
            p += 1
            continue
        if loose:
            pieces.append(" ".join(loose))
            loose = []
        pieces.append(" ".join(words[p:q]))
        found = True
        p = q
    if loose:
        pieces.append(" ".join(loose))
    return pieces if found else None


def _join(tokens: list[CellToken], vocab: Vocabulary) -> list[CellToken]:
    resolve = vocab.resolve
    if all(resolve(t.text).role != "unknown" for t in tokens if t.kind == "label"):
        return tokens  # every label names something: nothing to join
    out: list[CellToken] = []
    skip: set[int] = set()
    i = 0
    while i < len(tokens):
        if i in skip:
            i += 1
            continue
        token = tokens[i]
        if not _unknown(token, vocab):
            out.append(token)
            i += 1
            continue
        joined = _find_join(tokens, i, vocab)
        if joined is None:
            out.append(token)
            i += 1
            continue
        text, last, after = joined
        # The label stands where its last piece before the values stood.
        out.append(tokens[last]._replace(text=text))
        skip.update(after)
        i = last + 1
    return out


def _find_join(tokens: list[CellToken], i: int, vocab: Vocabulary):
    """``(text, index of the piece the values follow, indices of pieces after the values)``."""
    pieces: list[str] = []
    j = i
    while j < len(tokens) and len(pieces) < MAX_PIECES and _unknown(tokens[j], vocab):
        pieces.append(tokens[j].text)
        text = "".join(pieces)
        if len(text) > MAX_CHARS:
            return None
        if len(pieces) > 1 and vocab.names(text):
            return text, j, ()
        j += 1
    last = j - 1
    # The label may close after the row's values: pieces, values, then the rest of the label.
    k = j
    while k < len(tokens) and tokens[k].kind != "label":
        k += 1
    if k == j or not any(t.kind == "value" for t in tokens[j:k]):
        return None
    after: list[int] = []
    while k < len(tokens) and len(pieces) < MAX_PIECES and _unknown(tokens[k], vocab):
        pieces.append(tokens[k].text)
        after.append(k)
        text = "".join(pieces)
        if len(text) > MAX_CHARS:
            return None
        if vocab.resolve(text).role == "row":
            return text, last, tuple(after)
        k += 1
    return None
