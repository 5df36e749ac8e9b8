"""The generated document as keyed blocks: which paragraph or cell is which.

Keys come from the document's content (``compose.Document``) and the configuration,
never from positions in the Word file, so the same key names the same thing in the
previous build, in the clerk's file and in the new build:

    office, title, subtitle, recipients, opening, closing, date, copy_to, imprint
    section<i>.heading, section<i>.para<j>   (i: place in the kind's ``sections``)
    problem:<entry key>                      (a 存在问题 entry: its id, its rules, or its heading)
    annex<n>.listed, annex<n>.label, annex<n>.title, signature<k>
    annex<n>|<row>|<col>                     (row: ``header``, the unit named in the row, or
                                             ``#<r>`` in a table without a unit column)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from ..compose import AnnexTable, Document
from ..config.bulletin import BulletinConfig
from ..findings.problems import ProblemEntry
from ..core.registry import Registry, name_key
from .baseline import Block

W_P, W_T = qn("w:p"), qn("w:t")
LOOKAHEAD = 3  # expected blocks a template may leave out before keys are given up


@dataclass
class Placed:
    """A block and where it is in one open document (a ``w:p`` or a ``w:tc``)."""

    block: Block
    element: object


def _unique(key: str, seen: set[str]) -> str:
    n, candidate = 1, key
    while candidate in seen:
        n += 1
        candidate = f"{key}#{n}"
    seen.add(candidate)
    return candidate


def expected_blocks(document: Document, entries: list[ProblemEntry]) -> list[Block]:
    """The paragraphs the template prints, in order, each with a text the paragraph contains."""
    blocks = [Block("office", document.office), Block("title", document.title), Block("subtitle", document.subtitle),
              Block("recipients", document.recipients, True), Block("opening", document.opening, True)]
    seen: set[str] = set()
    problems = iter(entries)
    for section in document.sections:
        index = section.place
        blocks.append(Block(f"section{index}.heading", section.heading))
        for j, para in enumerate(section.paragraphs, start=1):
            text = para.lead + para.text
            if section.kind == "problems":
                entry = next(problems, None)
                key = (entry.key or entry.heading) if entry else str(j)
                blocks.append(Block(_unique(f"problem:{key}", seen), text, bool(entry and entry.findings)))
            else:
                blocks.append(Block(f"section{index}.para{j}", text, section.kind in ("text", "document")))
    blocks.append(Block("closing", document.closing, True))
    blocks += [Block(f"annex{a.number}.listed", a.title) for a in document.annexes]
    blocks += [Block(f"signature{k}", line) for k, line in enumerate(document.signature, start=1)]
    blocks.append(Block("date", document.date, True))
    for annex in document.annexes:
        blocks += [Block(f"annex{annex.number}.label", annex.label), Block(f"annex{annex.number}.title", annex.title),
                   Block(f"annex{annex.number}.note", annex.note)]
    blocks += [Block("copy_to", document.copy_to), Block("imprint", document.printed_by)]
    return [b for b in blocks if b.text]


def body_paragraphs(docx) -> list[Paragraph]:
    """The top-level paragraphs of the body that have text, in order."""
    return [paragraph for paragraph, _ in body_texts(docx)]


def body_texts(docx) -> list[tuple[Paragraph, str]]:
    """(paragraph, its text) of each top-level paragraph of the body that has text, in order:
    the text read once (python-docx looks up each run's children again every time)."""
    result = []
    for element in docx.element.body.iterchildren():
        if element.tag.endswith("}p"):
            paragraph = Paragraph(element, docx)
            text = paragraph.text
            if text.strip():
                result.append((paragraph, text))
    return result


def body_tables(docx) -> list[Table]:
    return [Table(e, docx) for e in docx.element.body.iterchildren() if e.tag.endswith("}tbl")]


def key_paragraphs(docx, expected: list[Block]) -> list[Placed]:
    """Each rendered paragraph with the key of the expected block it shows, in order.

    A paragraph the expected list does not account for (fixed wording in a template)
    gets a key from its own text (``fixed:<text>``) and is not checked.
    """
    placed, j, seen = [], 0, set()
    for paragraph, text in body_texts(docx):
        flat = _flat(text)
        for k in range(j, min(j + 1 + LOOKAHEAD, len(expected))):
            wanted = _flat(expected[k].text)
            if wanted in flat and (k == j or len(wanted) >= 4):
                placed.append(Placed(Block(expected[k].key, text, expected[k].checked), paragraph._p))
                j = k + 1
                break
        else:
            placed.append(Placed(Block(_unique(f"fixed:{flat[:20]}", seen), text), paragraph._p))
    return placed


def _flat(text: str) -> str:
    """Text without its line breaks and spaces: a long title broken over lines is the same title."""
    return re.sub(r"\s+", "", text)


def cell_key(annex: int, row: str, col: int) -> str:
    return f"annex{annex}|{row}|{col}"


def parse_cell_key(key: str) -> tuple[int, str, int] | None:
    """(annex number, row id, column) of a cell key; None for a paragraph's key."""
    if not key.startswith("annex") or key.count("|") != 2:
        return None
    annex, row, col = key.split("|")
    return int(annex[5:]), row, int(col)


def unit_column(annex: AnnexTable, registry: Registry) -> int | None:
    """The column naming the unit of each row (the first whose every value is a unit's short name)."""
    names = {name_key(u.short_name) for u in registry}
    for col in range(len(annex.header)):
        values = [row[col] for row in annex.rows if col < len(row)]
        if values and all(name_key(v) in names for v in values):
            return col
    return None


def row_ids(annex: AnnexTable, registry: Registry) -> list[str]:
    """A key for each row of the table, header first: a unit's row keeps its key when ranks move."""
    col = unit_column(annex, registry)
    return ["header"] + [row[col] if col is not None else f"#{r}" for r, row in enumerate(annex.rows, start=1)]


def cell_text(tc) -> str:
    """A cell's text, its paragraphs one per line, read straight from the XML (annex cells hold plain text)."""
    return "\n".join("".join(t.text or "" for t in p.iter(W_T)) for p in tc.iterchildren(W_P))


def header_rows(tbl) -> int:
    """How many rows head the table (repeated on every page): 2 where a group row stands above the titles."""
    count = 0
    for tr in tbl.tr_lst:
        if tr.trPr is None or tr.trPr.find(qn("w:tblHeader")) is None:
            break
        count += 1
    return count


def key_cells(docx, document: Document, registry: Registry) -> list[Placed]:
    """Every cell of the annex tables of a fresh build, keyed by annex number, row and column
    (a group row above the titles is the kind's wording, not keyed)."""
    placed = []
    for table, annex in zip(body_tables(docx), [a for a in document.annexes if a.is_table]):
        rows = table._tbl.tr_lst[max(header_rows(table._tbl) - 1, 0):]
        for row_id, tr in zip(row_ids(annex, registry), rows):
            for c, tc in enumerate(tr.tc_lst):  # a fresh build merges no cells
                placed.append(Placed(Block(cell_key(annex.number, row_id, c), cell_text(tc), True), tc))
    return placed


def keyed(config: BulletinConfig, document: Document, entries: list[ProblemEntry], docx) -> list[Placed]:
    """All blocks of a freshly rendered document: paragraphs, then annex cells."""
    paragraphs = key_paragraphs(docx, expected_blocks(document, entries))
    return paragraphs + key_cells(docx, document, config.registry)
