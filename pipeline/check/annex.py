"""附件: each on a new page, its label and title, and tables a reader can follow across pages."""

from __future__ import annotations

import re

from docx.oxml.ns import qn

from ..standard.pages import PageCounter
from ..standard.table_layout import header_break_points, text_twips
from ..standard.measures import FANGSONG, HEITI, LINE_PITCH, PAGE_HEIGHT, PAGE_WIDTH, SIZE_2, SIZE_3, SIZE_5, XIAOBIAOSONG
from .base import format_rule, near
from .model import is_family, to_int

LABEL = re.compile(r"^附件\d*$")


def _labels(view):
    return view.styled("附件标签")


@format_rule("GB-ANNEX-01", "“附件”二字及顺序号用 3 号黑体字顶格编排")
def label_format(view):
    for p in _labels(view):
        element = p.paragraph._p
        runs = view.text_runs(element)
        fonts = {(view.east_asian_font(r, element), view.size(r, element)) for r in runs}
        indent = view.indent_chars(element, "left") + view.first_line_chars(element)
        if not LABEL.match(p.text.strip()) or indent or any(not is_family(f, HEITI) or s != SIZE_3 for f, s in fonts):
            yield p.place, f"写作“{p.text.strip()}”，缩进 {indent:g} 字，字体 {sorted(fonts, key=str)}"


def _starts_page(view, p) -> bool:
    element = p.paragraph._p
    if view.flag(element, "w:pageBreakBefore"):
        return True
    previous = element.getprevious()
    if previous is None:
        return True
    if previous.find(qn("w:pPr") + "/" + qn("w:sectPr")) is not None:
        kind = previous.find(qn("w:pPr") + "/" + qn("w:sectPr") + "/" + qn("w:type"))
        return kind is None or kind.get(qn("w:val")) != "continuous"
    breaks = [b for b in previous.iter(qn("w:br")) if b.get(qn("w:type")) == "page"]
    return bool(breaks) and not "".join(t.text or "" for t in previous.iter(qn("w:t"))).strip()


@format_rule("GB-ANNEX-02", "附件另面编排")
def label_new_page(view):
    for p in _labels(view):
        if not _starts_page(view, p):
            yield p.place, "未另起一页"


@format_rule("GB-ANNEX-03", "附件标题用 2 号小标宋体字，居中编排在“附件”之下")
def annex_title(view):
    for p in _labels(view):
        following = view.paragraphs[p.number] if p.number < len(view.paragraphs) else None
        if following is None or following.style != "附件标题":
            yield p.place, "其后不是“附件标题”"
    for p in view.styled("附件标题"):
        element = p.paragraph._p
        for run in view.text_runs(element):
            if not is_family(view.east_asian_font(run, element), XIAOBIAOSONG) or view.size(run, element) != SIZE_2:
                yield p.place, f"字体 {view.east_asian_font(run, element)} {view.size(run, element):g} 磅"
                break
        if view.alignment(element) != "center":
            yield p.place, "未居中"


@format_rule("GB-ANNEX-04", "附件顺序号与附件说明一致")
def label_numbers(view):
    labels = _labels(view)
    notes = view.styled("附件说明", "附件说明单件", "附件说明续行")
    expected = ["附件"] if len(labels) == 1 and len(notes) <= 1 else [f"附件{i}" for i in range(1, len(labels) + 1)]
    if len(notes) != len(labels):
        yield "附件", f"附件说明列 {len(notes)} 件，正文后附 {len(labels)} 件"
    for p, want in zip(labels, expected):
        if p.text.strip() != want:
            yield p.place, f"应为“{want}”"
    if len(labels) == 1 and len(notes) == 1 and re.match(r"附件[:：]\s*1\s*[.．、]", notes[0].text.strip()):
        yield notes[0].place, "只有一个附件时，附件说明不加顺序号"


def _tables(view):
    for number, table in enumerate(view.document.tables, start=1):
        yield f"表{number}", table


@format_rule("GB-TABLE-01", "表格标题行在每页重复")
def header_repeats(view):
    for place, table in _tables(view):
        trpr = table.rows[0]._tr.trPr if table.rows else None
        header = trpr.find(qn("w:tblHeader")) if trpr is not None else None
        if header is None or header.get(qn("w:val"), "true") in ("0", "false"):
            yield f"{place}第1行", "未设置“标题行重复”"


@format_rule("GB-TABLE-02", "表格行不跨页断开")
def rows_whole(view):
    for place, table in _tables(view):
        for number, row in enumerate(table.rows, start=1):
            trpr = row._tr.trPr
            split = trpr.find(qn("w:cantSplit")) if trpr is not None else None
            if split is None or split.get(qn("w:val"), "true") in ("0", "false"):
                yield f"{place}第{number}行", "允许跨页断行"
                break


@format_rule("GB-TABLE-03", "表格文字不小于 5 号、不大于 3 号")
def table_type_size(view):
    for place, table in _tables(view):
        for number, row in enumerate(table.rows, start=1):
            sizes = {view.size(r, p._p) for cell in row.cells for p in cell.paragraphs for r in view.text_runs(p._p)}
            bad = [s for s in sizes if not SIZE_5 <= s <= SIZE_3]
            if bad:
                yield f"{place}第{number}行", f"字号 {min(bad):g} 磅"
                break


@format_rule("GB-TABLE-04", "表格不超出版心（宽表横排）")
def table_in_block(view):
    tables = {t._tbl: place for place, t in _tables(view)}
    for sect, elements in view.sections_of_body():
        size, margins = sect.find(qn("w:pgSz")), sect.find(qn("w:pgMar"))
        width = to_int(size.get(qn("w:w"), PAGE_WIDTH)) if size is not None else PAGE_WIDTH
        block = width - sum(to_int(margins.get(qn(f"w:{s}"), 0)) for s in ("left", "right")) if margins is not None else width
        for element in elements:
            if element in tables:
                grid = sum(to_int(c.get(qn("w:w"), 0)) for c in element.iter(qn("w:gridCol")))
                if grid > block + 20 or width > PAGE_HEIGHT + 20:
                    yield tables[element], f"表宽 {grid / 56.7:.0f} mm，版心宽 {block / 56.7:.0f} mm"


def _cell_room(table, cell) -> int:
    """The width inside a cell's margins, in twips."""
    width = cell._tc.tcPr.find(qn("w:tcW")) if cell._tc.tcPr is not None else None
    return to_int(width.get(qn("w:w"), 0)) - PageCounter.cell_margins(table._tbl) if width is not None else 0


def _cell_lines(cell) -> list[str]:
    return "\n".join(p.text for p in cell.paragraphs).split("\n")


def _title_row(table) -> int:
    """The row holding the column titles: the last of the rows that repeat on every page."""
    rows = [row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None for row in table.rows]
    return max(rows.index(False) if False in rows else len(rows), 1) - 1


def _header_departures(view, table):
    for col, cell in enumerate(table.rows[_title_row(table)].cells, start=1):
        lines = _cell_lines(cell)
        title, at = "".join(lines), 0
        allowed = header_break_points(title)
        for line in lines[:-1]:
            at += len(line)
            if at not in allowed:
                yield f"第{_title_row(table) + 1}行第{col}列", f"表头在“{line[-2:]}|{title[at:at + 2]}”处回行"
        size = view.size(view.text_runs(cell.paragraphs[0]._p)[0], cell.paragraphs[0]._p) if cell.text.strip() else 0
        if size and max(text_twips(line, size) for line in lines) > _cell_room(table, cell):
            yield f"第{_title_row(table) + 1}行第{col}列", f"“{max(lines, key=len)}”宽于列宽，会在词中或数字中折行"


def _data_departures(view, table):
    first = _title_row(table) + 1
    for number, row in enumerate(table.rows[first:], start=first + 1):
        for col, cell in enumerate(row.cells, start=1):
            runs = view.text_runs(cell.paragraphs[0]._p) if cell.paragraphs else []
            if runs and text_twips(cell.text, view.size(runs[0], cell.paragraphs[0]._p)) > _cell_room(table, cell):
                yield f"第{number}行第{col}列", f"“{cell.text}”宽于列宽，数字或单位名会折行"
                return


@format_rule("GB-TABLE-05", "表头在词语之间回行、（N分）单独成行，列宽容纳表头各行和每个数字、单位名")
def columns_hold_their_text(view):
    for place, table in _tables(view):
        for where, detail in [*_header_departures(view, table), *_data_departures(view, table)]:
            yield f"{place}{where}", detail


@format_rule("GB-ANNEX-05", "名单附件（每行一个名称）用 3 号仿宋体字，左空二字，行距同正文")
def list_lines(view):
    for p in view.styled("附件名单"):
        element = p.paragraph._p
        fonts = {(view.east_asian_font(r, element), view.size(r, element)) for r in view.text_runs(element)}
        first, left = view.first_line_chars(element), view.indent_chars(element, "left")
        line, rule = view.ppr_value(element, "w:spacing", "w:line"), view.ppr_value(element, "w:spacing", "w:lineRule")
        if any(not is_family(f, FANGSONG) or s != SIZE_3 for f, s in fonts) or not near(first + left, 2, 0.2) \
                or rule != "exact" or not near(to_int(line or 0), LINE_PITCH, 3):
            yield p.place, f"字体 {sorted(fonts, key=str)}，缩进 {first + left:g} 字，行距 {rule or 'auto'} {line or '—'}"
