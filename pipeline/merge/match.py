"""Finding paragraphs again after a clerk's edit: alignment by order and likeness.

Word, WPS and LibreOffice do not keep our XML ids, so a block of the previous build is
found in the clerk's file by its text: unchanged paragraphs anchor the alignment
(``difflib``), and between two anchors the remaining paragraphs are paired, in order,
with the most similar ones. What pairs with nothing was deleted (previous side) or added
(clerk's side).
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

TOKEN = re.compile(r"\d+(?:\.\d+)?%?|[A-Za-z]+|\s+|.", re.S)

SIMILAR = 0.5  # likeness needed to pair two paragraphs among several candidates
SIMILAR_ALONE = 0.3  # likeness enough when one paragraph faces one between the same anchors
SIMILAR_MOVED = 0.8  # likeness needed to pair a paragraph the clerk moved elsewhere


def tokens(text: str) -> list[str]:
    """Words for diffing: a number with its decimals and %, a Latin word, or one character."""
    return TOKEN.findall(text)


def similarity(a: str, b: str) -> float:
    if a == b:
        return 1.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def _pair_gap(old: list[str], new: list[str]) -> list[tuple[int, int]]:
    """Order-keeping pairs between two runs of texts, maximising total likeness."""
    if not old or not new:
        return []
    if len(old) == 1 and len(new) == 1:
        return [(0, 0)] if similarity(old[0], new[0]) >= SIMILAR_ALONE else []
    rows, cols = len(old), len(new)
    likeness = [[similarity(a, b) for b in new] for a in old]  # once: the traceback reads them again
    score = [[0.0] * (cols + 1) for _ in range(rows + 1)]
    for i in range(rows - 1, -1, -1):
        for j in range(cols - 1, -1, -1):
            s = likeness[i][j]
            paired = score[i + 1][j + 1] + s if s >= SIMILAR else -1.0
            score[i][j] = max(score[i + 1][j], score[i][j + 1], paired)
    pairs, i, j = [], 0, 0
    while i < rows and j < cols:
        s = likeness[i][j]
        if s >= SIMILAR and score[i][j] == score[i + 1][j + 1] + s:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif score[i][j] == score[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


def align(old: list[str], new: list[str]) -> dict[int, int]:
    """Index in ``old`` → index in ``new`` for the texts that are the same paragraph."""
    result: dict[int, int] = {}
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            result.update({i1 + k: j1 + k for k in range(i2 - i1)})
        else:
            result.update({i1 + a: j1 + b for a, b in _pair_gap(old[i1:i2], new[j1:j2])})
    return _pair_moved(old, new, result)


def _pair_moved(old: list[str], new: list[str], pairs: dict[int, int]) -> dict[int, int]:
    """Pair what is left over across the whole text: paragraphs the clerk moved."""
    taken = set(pairs.values())
    for i in (i for i in range(len(old)) if i not in pairs):
        candidates = [(similarity(old[i], new[j]), j) for j in range(len(new)) if j not in taken]
        best = max(candidates, default=(0.0, -1))
        if best[0] >= SIMILAR_MOVED:
            pairs[i] = best[1]
            taken.add(best[1])
    return dict(sorted(pairs.items()))


def merge3(base: str, clerk: str, new: str) -> tuple[str, str]:
    """Three-way merge of one paragraph's text: (result, what happened).

    What happened is ``same`` (nothing to do), ``clerk`` (only the clerk changed it),
    ``data`` (only the data did), ``merged`` (both, in different places, both kept) or
    ``conflict`` (both, in the same place: the clerk's text is kept).
    """
    if clerk == new or new == base:
        return clerk, "same" if clerk == base else "clerk"
    if clerk == base:
        return new, "data"
    merged = _merge_tokens(tokens(base), tokens(clerk), tokens(new))
    return (clerk, "conflict") if merged is None else (merged, "merged")


def _changes(base: list[str], other: list[str]) -> list[tuple[int, int, list[str]]]:
    matcher = SequenceMatcher(None, base, other, autojunk=False)
    return [(i1, i2, other[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]


def _merge_tokens(base: list[str], clerk: list[str], new: list[str]) -> str | None:
    """Both sides' changes applied to ``base`` if they touch different places, else None."""
    ours, theirs = _changes(base, clerk), _changes(base, new)
    for a1, a2, _ in ours:
        for b1, b2, _ in theirs:
            if a1 <= b2 and b1 <= a2:  # overlapping or adjacent: the same place
                return None
    result, position = [], 0
    for i1, i2, replacement in sorted(ours + theirs, key=lambda change: change[0]):
        result += base[position:i1] + replacement
        position = i2
    return "".join(result + base[position:])


def changed_span(old: str, new: str, context: int = 3) -> tuple[str, str]:
    """The part of two texts that differs (first to last changed word, with a little context)."""
    a, b = tokens(old), tokens(new)
    ops = [op for op in SequenceMatcher(None, a, b, autojunk=False).get_opcodes() if op[0] != "equal"]
    if not ops:
        return "", ""
    i1, j1 = max(ops[0][1] - context, 0), max(ops[0][3] - context, 0)
    i2, j2 = ops[-1][2] + context, ops[-1][4] + context
    return "".join(a[i1:i2]), "".join(b[j1:j2])
