"""The clerk's prose: paragraphs separated by blank lines, inline headings split off."""

from __future__ import annotations

import re
from typing import Callable

from ..sentence import SentenceError, phrase_problem
from .document import Paragraph

# inline headings that open a paragraph: level 2 （一）…。 and level 3 1．…。 (GB/T 9704 7.3.3)
LEADS = (
    (2, re.compile(r"^(（[一二三四五六七八九十]+）[^。！？]*[。！？])")),
    (3, re.compile(r"^([0-9]+[．.][^。！？0-9][^。！？]*[。！？])")),
)


def split_lead(text: str) -> Paragraph:
    """A paragraph that opens with （一）…。 or 1．…。 gets that sentence as its lead."""
    for level, pattern in LEADS:
        match = pattern.match(text)
        if match:
            return Paragraph(text=text[match.end():], lead=match.group(1), level=level)
    return Paragraph(text=text)


def blocks(markdown: str) -> list[tuple[int, str]]:
    """(first line, text) of each paragraph: blocks between blank lines, lines of one block joined
    (comment lines <!-- … --> left out)."""
    found, start, lines = [], 0, []
    for number, line in enumerate(markdown.replace("\r\n", "\n").split("\n"), start=1):
        if not line.strip():
            if lines:
                found.append((start, "".join(lines)))
            lines = []
        elif not line.lstrip().startswith("<!--"):
            start = start if lines else number
            lines.append(line.strip())
    if lines:
        found.append((start, "".join(lines)))
    return found


def narrative_paragraphs(markdown: str) -> list[Paragraph]:
    """Clerk-written prose, printed as typed ({{ }} included)."""
    return [split_lead(text) for _, text in blocks(markdown)]


def prose_problems(file: str, markdown: str) -> list[tuple[int, str]]:
    """(line, why) of every ``{{ … }}`` in a prose block that is not a bare name."""
    found = []
    for line, text in blocks(markdown):
        problem = phrase_problem(text, bare=True)
        if problem:
            found.append((line, problem))
    return found


def prose_paragraphs(file: str, markdown: str, fill: Callable[[str], str]) -> list[str]:
    """A prose block with the figures it names written in (by ``fill``); its paragraphs as text."""
    texts = []
    for line, text in blocks(markdown):
        try:
            texts.append(fill(text))
        except SentenceError as exc:
            raise SentenceError(str(exc), "", file, line) from None
    return texts
