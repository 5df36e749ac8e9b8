"""Where a title may break (GB/T 9704-2012 7.3.1: 回行时要做到词意完整、排列对称、长短适宜).

A rule-based segmentation: the title is cut into pieces no break may fall inside — quoted
terms, numbers with their units, periods, a leading place name and the words of
``title_words.yaml`` — and the pieces between them are single characters. Breaking after
、，和及与的 or before 关于 is best, between two known pieces good, between two unknown
characters (perhaps inside a word nobody listed) a last resort."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from ..core.yamlio import parse_yaml

WORDS_FILE = Path(__file__).with_name("title_words.yaml")
SPANS = re.compile(
    r"“[^”]{1,16}”|《[^》]{1,24}》|（[^）]{1,10}）"  # a quoted term, a named document, a short aside
    r"|\d{4}年(?:第?[一二三四]季度|[上下]半年|\d{1,2}(?:[-—至]\d{1,2})?月份?)"  # a period: 2023年第二季度
    r"|\d+(?:\.\d+)?(?:[-—至]\d+)?(?:年度|年|月份|月|日|号|分|%|个|项|次|件|家|人)?"  # a number with its unit
    r"|第?[一二三四]季度|[上下]半年|全年")  # a period
PLACE = re.compile(r"^[\u4e00-\u9fff]{2}(?:省|市|县|区|州|旗)")  # the place name a title opens with
BREAK_AFTER = "、，和及与的"
BREAK_BEFORE = ("关于",)  # … and never after it: 关于 leads what follows
GOOD, KNOWN, LEAD, UNKNOWN = 0.0, 2.0, 20.0, 40.0  # cost of a break: best, between known pieces, after 关于, blind


@lru_cache(maxsize=1)
def title_words() -> tuple[str, ...]:
    """The listed words, longest first (the longest match wins)."""
    words = parse_yaml(WORDS_FILE.read_text(encoding="utf-8"))["words"]
    return tuple(sorted({str(w) for w in words}, key=len, reverse=True))


@lru_cache(maxsize=1)
def _listed_word():
    """One pattern of the listed words, longest first: the first that matches is the longest."""
    return re.compile("|".join(re.escape(word) for word in title_words()))


def _piece_at(text: str, i: int) -> tuple[int, bool]:
    """The end of the piece starting at ``i`` and whether it is a known piece."""
    if i == 0 and PLACE.match(text):
        return PLACE.match(text).end(), True
    span = SPANS.match(text, i)
    if span and span.end() > i:
        return span.end(), True
    word = _listed_word().match(text, i)
    if word and word.end() > i:
        return word.end(), True
    return i + 1, False


def pieces(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, known) of every piece of ``text``, in order."""
    result, i = [], 0
    while i < len(text):
        end, known = _piece_at(text, i)
        result.append((i, end, known))
        i = end
    return result


def break_costs(text: str) -> dict[int, float]:
    """Each position a title may break at, with its cost; positions inside a piece are absent."""
    found = pieces(text)
    costs = {}
    for (_, end, known), (start, _, next_known) in zip(found, found[1:]):
        if text[:end].endswith(BREAK_BEFORE):
            costs[end] = LEAD
        elif text[end - 1] in BREAK_AFTER or text.startswith(BREAK_BEFORE, start):
            costs[end] = GOOD
        else:
            costs[end] = KNOWN if known or next_known else UNKNOWN
    return costs
