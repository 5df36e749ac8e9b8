"""The clerk's prose as paragraphs: a narrative printed as typed, or a prose document (Markdown or
Word) whose sentences name figures, with its headings numbered and its statement blocks said."""

from __future__ import annotations

import re
from typing import Callable

from ..language.formats import chinese_number
from ..language.prose import PERIOD_MARK, Block, Heading, ProseDocument, ProseLine, Text, block_statements, where
from ..language.sentence import SentenceError
from ..language.statements import Speaker, say
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


def narrative_paragraphs(document: ProseDocument) -> list[Paragraph]:
    """Clerk-written prose, printed as typed ({{ }} included); a stand-alone （一） or 1． line is a
    heading of its level, its number as typed."""
    paragraphs = []
    for part in document.parts:
        typed = part.line.text
        if isinstance(part, Heading) and not part.rest and part.level in (2, 3):
            paragraphs.append(Paragraph(text="", lead=typed, level=part.level))
        else:
            paragraphs.append(split_lead(typed))
    return paragraphs


def number_of(level: int, n: int) -> str:
    return {1: f"{chinese_number(n)}、", 2: f"（{chinese_number(n)}）", 3: f"{n}．", 4: f"（{n}）"}[level]


def filled(document: ProseDocument, line: ProseLine, text: str, speaker: Speaker) -> str:
    """A sentence of the document written out (the period's marks ==…== dropped), located when it cannot be."""
    try:
        return speaker.fill(PERIOD_MARK.sub(r"\1", text))
    except SentenceError as exc:
        raise SentenceError(where(line) + str(exc), text, document.name, line.row) from None


class Numbering:
    """The numbers of a document's headings, level by level, each level counting again under a higher one."""

    def __init__(self):
        self.counts = {1: 0, 2: 0, 3: 0, 4: 0}

    def next(self, level: int) -> str:
        self.counts[level] += 1
        for deeper in range(level + 1, 5):
            self.counts[deeper] = 0
        return number_of(level, self.counts[level])


def part_paragraphs(document: ProseDocument, part, speaker: Speaker, numbering: Numbering) -> list[Paragraph]:
    """The paragraphs one part of a prose document prints."""
    if isinstance(part, Block):
        return [Paragraph(text=text) for statement in block_statements(part) for text in say(statement, speaker)]
    if isinstance(part, Text):
        return [Paragraph(text=filled(document, part.line, part.text, speaker))]
    head = numbering.next(part.level) + filled(document, part.line, part.text, speaker)
    rest = filled(document, part.line, part.rest, speaker) if part.rest else ""
    if part.level == 4:
        return [Paragraph(text=head + rest)]
    return [Paragraph(text=rest, lead=head, level=part.level)]


def document_paragraphs(document: ProseDocument, speaker: Speaker) -> list[Paragraph]:
    """A prose document named by a statement (``file:``), under a section's heading."""
    numbering = Numbering()
    return [p for part in document.parts for p in part_paragraphs(document, part, speaker, numbering)]


def document_sections(document: ProseDocument, speaker_of: Callable[[str], Speaker]) -> list[tuple[str, list, Speaker]]:
    """(heading, paragraphs, speaker) of each part of a document under its 一、 headings
    (``type: document``: the file gives the bulletin's sections)."""
    found = []
    numbering = Numbering()
    for part in document.parts:
        if isinstance(part, Heading) and part.level == 1:
            speaker = speaker_of(part.text)
            found.append((filled(document, part.line, part.text, speaker), [], speaker))
            numbering = Numbering()
        elif found:
            found[-1][1].extend(part_paragraphs(document, part, found[-1][2], numbering))
        else:
            raise SentenceError(where(part.line) + "第一个“一、”级标题之前的文字不属于任何一部分："
                                "请写在“一、”标题之下，或写在 bulletin.yaml 的 opening 中", "", document.name, part.line.row)
    return found
