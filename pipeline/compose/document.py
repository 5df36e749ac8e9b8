"""The document model: the bulletin's content as plain data for the Word template."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..derive.scores import RankedScore
from ..config.document_parts import DocumentParts
from ..language.statements import StatementEvidence


@dataclass
class Paragraph:
    """A body paragraph; ``lead`` is an inline heading before ``text``: 楷体 at level 2, bold at 3.
    A stand-alone topic heading is a lead with no text (（一）政务公开, no full stop)."""

    text: str
    lead: str = ""
    level: int = 2


@dataclass
class Section:
    number: str  # 一、
    heading: str
    paragraphs: list[Paragraph]
    place: int | str = 0  # position in the kind's ``sections`` (stable when an empty section is left out); 3.2 for a document's second
    kind: str = "text"  # text | narrative | problems | document


@dataclass
class AnnexTable:
    number: int
    title: str
    header: list[str]
    rows: list[list[str]]
    only: bool = False  # the bulletin's one annex: GB/T 9704 gives it no number
    note: str = ""  # 表注 under the table (注：…), where the kind declares one
    groups: list[str] = field(default_factory=list)  # per column, the label of a header row above it ("" for none)
    lines: list[str] | None = None  # a list annex (type: list): its lines, one name each, and no table

    @property
    def is_table(self) -> bool:
        return self.lines is None

    @property
    def label(self) -> str:
        """附件 label over the annex: 附件2, or 附件 alone for a single annex."""
        return "附件" if self.only else f"附件{self.number}"

    @property
    def note_item(self) -> str:
        """The annex as 附件说明 lists it: 2．名称, or the name alone for a single annex."""
        return self.title if self.only else f"{self.number}．{self.title}"


@dataclass
class Ranking:
    """One group's ranking as the text names it."""

    group: str
    ranked: list[RankedScore]
    top: list[str]
    bottom: list[str]


@dataclass
class Document:
    office: str
    title: str
    subtitle: str
    recipients: str
    opening: str
    sections: list[Section]
    closing: str
    annexes: list[AnnexTable]
    signature: list[str]
    date: str
    copy_to: str
    printed_by: str
    printed_on: str
    evidence: list[StatementEvidence] = field(default_factory=list)  # rows the sentences printed
    parts: DocumentParts = field(default_factory=DocumentParts)  # 版头, 发文字号, 主送, 署名, 版记 as declared
