"""Annex tables on the page: column widths from their content, headers broken into lines, and
the group row above the header where the kind groups columns."""

from __future__ import annotations

from ..standard.measures import CELL_PADDING, SIZE_5, SIZE_SMALL_4, TEXT_HEIGHT, TEXT_WIDTH
from ..standard.table_layout import fit_columns
from ..word import ooxml
from .header_rows import add_group_row
from .passes import render_pass


@render_pass("附件表格", 300)
def fit_annex_tables(context) -> None:
    """Column widths from each annex's content, filling the text block of its page, and each
    header cell broken into its lines (名称⏎（N分）) by line breaks, as a clerk would."""
    tables = [(a, wide) for a, wide in zip(context.document.annexes, context.landscape) if a.is_table]
    for table, (annex, wide) in zip(context.docx.tables, tables):
        _fit_table(table, annex, TEXT_HEIGHT if wide else TEXT_WIDTH)


def _fit_table(table, annex, total: int) -> None:
    """``table`` (python-docx) sized to ``total`` twips for ``annex``'s content, its header lines broken."""
    widths, lines = fit_columns(annex.header, annex.rows, total, SIZE_SMALL_4, SIZE_5, CELL_PADDING)
    ooxml.set_table_width(table, widths)
    for cell, cell_lines in zip(table.rows[0].cells, lines):
        if len(cell_lines) > 1:
            ooxml.set_paragraph_lines(cell.paragraphs[0]._p, list(cell_lines))
    if any(annex.groups):
        add_group_row(table, annex.groups)
