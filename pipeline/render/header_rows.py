"""A two-row annex header, where the kind groups columns (``group:`` on its columns): the
group's label spans its columns in a row above their titles; a column outside any group has
its title standing through both rows (merged vertically). Both rows repeat on every page."""

from __future__ import annotations

from copy import deepcopy
from itertools import groupby

from ..word import ooxml


def runs_of(groups: list[str]) -> list[tuple[str, int, int]]:
    """(label, first column, number of columns) of each run of equal group labels."""
    runs, column = [], 0
    for label, members in groupby(groups):
        count = len(list(members))
        runs.append((label, column, count))
        column += count
    return runs


def _set_text(tc, text: str) -> None:
    """The cell's first paragraph holds ``text`` (its first run's formatting kept); others go."""
    paragraphs = tc.findall(ooxml.qn("w:p"))
    for extra in paragraphs[1:]:
        tc.remove(extra)
    ooxml.set_paragraph_lines(paragraphs[0], [text])


def _width(tc) -> int:
    return int(tc.tcPr.find(ooxml.qn("w:tcW")).get(ooxml.qn("w:w")))


def add_group_row(table, groups: list[str]) -> None:
    """Put the group row above the header row of ``table`` (python-docx table)."""
    header = table._tbl.tr_lst[0]
    top = deepcopy(header)
    header.addprevious(top)
    top_cells, header_cells = list(top.tc_lst), list(header.tc_lst)
    for label, first, count in runs_of(groups):
        if label:
            spanned = top_cells[first:first + count]
            _set_text(spanned[0], label)
            ooxml.child(spanned[0].tcPr, "w:gridSpan").set(ooxml.qn("w:val"), str(count))
            spanned[0].tcPr.find(ooxml.qn("w:tcW")).set(ooxml.qn("w:w"), str(sum(map(_width, spanned))))
            for extra in spanned[1:]:
                top.remove(extra)
            continue
        for column in range(first, first + count):
            ooxml.child(top_cells[column].tcPr, "w:vMerge").set(ooxml.qn("w:val"), "restart")
            ooxml.child(header_cells[column].tcPr, "w:vMerge")  # continues the cell above
            _set_text(header_cells[column], "")
