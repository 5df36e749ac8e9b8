"""The clerk's prose: paragraphs separated by blank lines, inline headings split off."""

from __future__ import annotations

import re
from typing import Callable

from ..language.statements import blocks
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


def narrative_paragraphs(markdown: str) -> list[Paragraph]:
    """Clerk-written prose, printed as typed ({{ }} included)."""
    return [split_lead(text) for _, text in blocks(markdown)]
