"""Merging a clerk's edited bulletin with a fresh build, block by block.

For each block (paragraph or annex cell) there are three texts: what the previous build
wrote (the baseline carried in the clerk's file), what the clerk's file says now, and
what the new build says. The clerk's file is the one changed, so everything the clerk
did that the merge does not touch (formatting, added paragraphs, comments) stays:

- clerk changed it, data did not → the clerk's text;
- data changed it, clerk did not → the new text;
- both, in different words → both changes; both in the same words → the clerk's text,
  with the new text offered in a Word comment, and a conflict reported;
- a block the clerk deleted stays deleted unless its data changed; a block the new build
  adds is inserted after the block it follows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from docx.text.paragraph import Paragraph

from .baseline import Baseline, Block
from .blocks import Placed, body_paragraphs, body_tables, cell_text, parse_cell_key
from .edit import add_comment, adopt, cell_paragraph, remove, set_paragraph_text
from .match import align, changed_span, merge3


@dataclass(frozen=True)
class Event:
    """Something the merge did that a clerk should hear about."""

    kind: str  # conflict, data, merged, reinstated, added, removed, kept
    key: str
    text: str
    new: str = ""

    def __str__(self) -> str:
        label = {
            "conflict": "冲突（保留修改稿文字，新数据以批注附上）",
            "data": "按新数据更新",
            "merged": "修改稿与新数据合并",
            "reinstated": "已删除的内容因数据变化重新加入",
            "added": "新增",
            "removed": "数据中已无此项，删除",
            "kept": "数据中已无此项，但修改稿改过，保留并加批注",
        }[self.kind]
        if self.new:  # the place is named by its own words, not by the internal key
            old, new = changed_span(self.text, self.new)
            return f"{label}：在“{short(self.text, 20)}”中，文中“{old}” → 新数据“{new}”"
        return f"{label}：“{short(self.text)}”"


def short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


@dataclass
class MergeResult:
    events: list[Event] = field(default_factory=list)


def _split(blocks: list[Block]) -> tuple[list[Block], dict[int, dict[str, dict[int, Block]]]]:
    """Paragraph blocks in order, and cell blocks as annex → row id → column → block."""
    paragraphs, tables = [], {}
    for block in blocks:
        cell = parse_cell_key(block.key)
        if cell is None:
            paragraphs.append(block)
        else:
            annex, row, col = cell
            tables.setdefault(annex, {}).setdefault(row, {})[col] = block
    return paragraphs, tables


class _Merger:
    def __init__(self, clerk_docx, base: Baseline | None, fresh_docx, fresh: list[Placed]):
        self.clerk, self.fresh_docx = clerk_docx, fresh_docx
        self.result = MergeResult()
        self.fresh = fresh
        # without a baseline nothing is known of the last build: every difference counts as both changed
        self.base_blocks = base.blocks if base else [p.block for p in fresh]
        self.unknown_base = base is None

    def comment(self, paragraph: Paragraph, text: str) -> None:
        add_comment(self.clerk, paragraph, text)

    def merge_text(self, paragraph: Paragraph, key: str, base: str, new: str) -> None:
        clerk = paragraph.text
        if self.unknown_base:
            text, what = (clerk, "same") if clerk == new else (clerk, "conflict")
            base = clerk
        else:
            text, what = merge3(base, clerk, new)
        if what in ("data", "merged") and set_paragraph_text(paragraph, text):
            self.result.events.append(Event(what, key, clerk, text))
        elif what in ("data", "merged", "conflict"):
            old_part, new_part = changed_span(base, new)
            self.comment(paragraph, f"数据已更新：“{old_part}”应为“{new_part}”。新生成的全文：{new}")
            self.result.events.append(Event("conflict", key, clerk, new))

    def paragraphs(self) -> None:
        base_paras, _ = _split(self.base_blocks)
        fresh_paras = [p for p in self.fresh if parse_cell_key(p.block.key) is None]
        clerk_paras = body_paragraphs(self.clerk)
        pairs = align([b.text for b in base_paras], [p.text for p in clerk_paras])
        found = {base_paras[i].key: (base_paras[i], clerk_paras[j]) for i, j in pairs.items()}
        base_keys = {b.key: b for b in base_paras}
        fresh_keys = {p.block.key for p in fresh_paras}
        anchor = None
        for placed in fresh_paras:
            key, new = placed.block.key, placed.block.text
            if key in found:
                base, paragraph = found[key]
                self.merge_text(paragraph, key, base.text, new)
                anchor = paragraph._p
            elif key not in base_keys or base_keys[key].text != new:
                element = adopt(placed.element, self.fresh_docx, self.clerk)
                if anchor is None:
                    first = clerk_paras[0]._p if clerk_paras else self.clerk.element.body[0]
                    first.addprevious(element)
                else:
                    anchor.addnext(element)
                anchor = element
                self.result.events.append(Event("reinstated" if key in base_keys else "added", key, new))
        for key, (base, paragraph) in found.items():
            if key in fresh_keys:
                continue
            if paragraph.text == base.text:
                remove(paragraph._p)
                self.result.events.append(Event("removed", key, base.text))
            else:
                self.comment(paragraph, "按新数据，此段已不再生成，请核实是否保留。")
                self.result.events.append(Event("kept", key, paragraph.text))

    def tables(self) -> None:
        _, base_tables = _split(self.base_blocks)
        fresh_cells = [p for p in self.fresh if parse_cell_key(p.block.key)]
        _, fresh_tables = _split([p.block for p in fresh_cells])
        elements = {p.block.key: p.element for p in fresh_cells}
        clerk_tables = body_tables(self.clerk)
        for annex, fresh_rows in fresh_tables.items():
            if annex <= len(clerk_tables):  # a table the clerk removed stays removed
                self.table(annex, clerk_tables[annex - 1], base_tables.get(annex, {}), fresh_rows, elements)

    def table(self, annex: int, table, base_rows: dict, fresh_rows: dict, elements: dict) -> None:
        """One annex table: rows found by unit or text, cells merged, rows put in the new order."""
        rows = list(table.rows)
        cells_of = {id(row): row.cells for row in rows}  # python-docx computes cells afresh on each call
        texts_of = {id(row): [cell_text(cell._tc) for cell in cells_of[id(row)]] for row in rows}
        found = _find_rows(base_rows, rows, texts_of)
        # the rows follow the new ranking unless the clerk put them in an order of their own
        position = {id(row): n for n, row in enumerate(rows)}
        clerk_order = sorted(found, key=lambda r: position[id(found[r])])
        reorder = clerk_order == [r for r in base_rows if r in found]
        anchor = None
        for row_id, cells in fresh_rows.items():
            base = base_rows.get(row_id, {})
            if row_id in found:
                row = found[row_id]
                if reorder and anchor is not None and anchor.getnext() is not row._tr:
                    anchor.addnext(row._tr)
                clerk_cells = cells_of[id(row)]
                for c, block in cells.items():
                    if c < len(clerk_cells) and c in base:
                        self.merge_text(cell_paragraph(self.clerk, clerk_cells[c]._tc), block.key, base[c].text, block.text)
                anchor = row._tr
            elif not base or any(base.get(c, Block("", "")).text != b.text for c, b in cells.items()):
                element = adopt(elements[next(iter(cells.values())).key].getparent(), self.fresh_docx, self.clerk)
                if anchor is not None:
                    anchor.addnext(element)
                else:
                    table._tbl.tr_lst[0].addprevious(element)
                anchor = element
                text = "\t".join(b.text for b in cells.values())
                self.result.events.append(Event("reinstated" if base else "added", f"annex{annex}|{row_id}", text))
        for row_id, row in found.items():
            texts = texts_of[id(row)]
            if row_id not in fresh_rows and texts == [b.text for b in base_rows[row_id].values()]:
                remove(row._tr)
                self.result.events.append(Event("removed", f"annex{annex}|{row_id}", "\t".join(texts)))


def _find_rows(base_rows: dict, clerk_rows: list, texts_of: dict) -> dict:
    """Row id → the clerk's row: by the unit it names, else by likeness of the whole row."""
    found, rest = {}, []
    for row in clerk_rows:
        ids = [text for text in texts_of[id(row)] if text in base_rows and text not in found]
        if ids:
            found[ids[0]] = row
        else:
            rest.append(row)
    left = [r for r in base_rows if r not in found]
    pairs = align(
        ["\t".join(b.text for b in base_rows[r].values()) for r in left],
        ["\t".join(texts_of[id(row)]) for row in rest],
    )
    found.update({left[i]: rest[j] for i, j in pairs.items()})
    return found


def merge_into(clerk_docx, base: Baseline | None, fresh_docx, fresh: list[Placed]) -> MergeResult:
    """Bring the new build into the clerk's document (changed in place)."""
    merger = _Merger(clerk_docx, base, fresh_docx, fresh)
    merger.tables()
    merger.paragraphs()
    return merger.result
