"""Rendering the Word template with docxtpl, and writing byte-identical .docx files."""

from __future__ import annotations

import datetime as dt
import functools
import io
from copy import deepcopy
from pathlib import Path
from typing import Callable

from docx.text.paragraph import Paragraph
from docxtpl import DocxTemplate
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from ..compose import Document
from ..word.zipped import normalise_zip, xml_safe
from ..word import ooxml
from .header_rows import add_group_row
from .imprint import place_imprint
from .justify import unstretch_lines
from ..standard.layout import annex_note_layout, signature_right_indents, split_title
from .note_fit import keep_notes_with_tables
from ..standard.package import clean_package
from ..standard.pages import page_count
from .list_annex import style_list_annexes
from .parts import apply_parts
from ..standard.parts_record import write_parts
from ..standard.measures import (BODY_STYLE, CELL_PADDING, IMPRINT_STYLES, IMPRINT_THICK, IMPRINT_THIN, SIZE_2, SIZE_3, SIZE_4, SIZE_5, SIZE_SMALL_4, TEXT_HEIGHT, TEXT_WIDTH, char_width_twips, chars_in)
from ..standard.table_layout import fit_columns, narrowest

def xml_text(value) -> Markup:
    """A value from the data as literal text inside the rendered WordprocessingML.

    Escapes ``& < > " '``; writes ``_`` as a character reference because docxtpl turns
    ``{_{``, ``}_}``, ``{_%`` and ``%_}`` in the rendered XML into ``{{ }} {% %}``
    after rendering; keeps tab and newline (docxtpl prints them as a tab and a line
    break) and drops characters XML cannot hold, which would corrupt the file.
    Template syntax in data is never parsed: it arrives here as a value.
    """
    if hasattr(value, "__html__"):  # already WordprocessingML (docxtpl RichText, Listing): the template chose it
        return Markup(value.__html__())
    return Markup(str(escape(xml_safe(value))).replace("_", "&#95;"))


class _TemplateEnvironment(SandboxedEnvironment):
    """Compiles each text once per process: a batch fills the same template parts again and
    again. The key is the whole text, so a changed template is compiled anew."""

    def from_string(self, source, globals=None, template_class=None):
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        return self._compiled(source)

    @functools.lru_cache(maxsize=64)
    def _compiled(self, source: str):
        return super().from_string(source)


@functools.cache
def template_environment() -> SandboxedEnvironment:
    """The sandboxed, autoescaping Jinja environment the Word template is rendered in."""
    return _TemplateEnvironment(autoescape=True, finalize=xml_text)


def _paragraphs_of(docx, *styles: str):
    """The body's paragraphs in any of the named styles (matched by style id: no per-paragraph lookup)."""
    ids = {style_id for name, style_id in _style_ids(docx.styles.element) if name in styles}
    return [p for p in docx.paragraphs if p._p.style in ids]


_last_styles: list = [None, ()]  # the styles part last read and its (name, id) pairs: one render asks many times


def _style_ids(styles) -> tuple:
    """(name, style id) of every style, read off the XML: python-docx builds an object per style on every pass."""
    if _last_styles[0] is not styles:
        name, style_id = ooxml.qn("w:name"), ooxml.qn("w:styleId")
        pairs = ((s.find(name), s.get(style_id)) for s in styles.iterchildren(ooxml.qn("w:style")))
        _last_styles[:] = [styles, tuple((n.get(ooxml.qn("w:val")), i) for n, i in pairs if n is not None)]
    return _last_styles[1]


def _annex_landscape(document: Document) -> list[bool]:
    """Which annex tables cannot fit the 156 mm portrait line even with their headers broken."""
    return [a.is_table and narrowest(a.header, a.rows, SIZE_SMALL_4, SIZE_5, CELL_PADDING) > TEXT_WIDTH
            for a in document.annexes]


def _fit_annex_tables(docx, document: Document, landscape: list[bool]) -> None:
    """Column widths from each annex's content, filling the text block of its page, and each
    header cell broken into its lines (名称⏎（N分）) by line breaks, as a clerk would."""
    tables = [(annex, wide) for annex, wide in zip(document.annexes, landscape) if annex.is_table]
    for table, (annex, wide) in zip(docx.tables, tables):
        total = TEXT_HEIGHT if wide else TEXT_WIDTH
        widths, lines = fit_columns(annex.header, annex.rows, total, SIZE_SMALL_4, SIZE_5, CELL_PADDING)
        ooxml.set_table_width(table, widths)
        for cell, cell_lines in zip(table.rows[0].cells, lines):
            if len(cell_lines) > 1:
                ooxml.set_paragraph_lines(cell.paragraphs[0]._p, list(cell_lines))
        if any(annex.groups):
            add_group_row(table, annex.groups)


def _split_titles(docx, landscape: list[bool]) -> None:
    """发文机关标志, 标题 and 附件标题 broken into centred lines of sensible length (line breaks
    inside the one paragraph, as a clerk would make them)."""
    wide_titles = iter(landscape)
    for paragraph in _paragraphs_of(docx, "发文机关标志", "公文标题", "附件标题"):
        width = TEXT_HEIGHT if paragraph.style.name == "附件标题" and next(wide_titles, False) else TEXT_WIDTH
        lines = split_title(paragraph.text, int(width / char_width_twips(SIZE_2)) - 1)
        if len(lines) > 1:
            ooxml.set_paragraph_lines(paragraph._p, lines)


TOPIC_STYLES = {"二级标题字符": "二级标题", "三级标题字符": "三级标题"}  # inline heading -> its paragraph style


def _run_styles(p) -> set:
    """The character style ids of the runs of ``p`` that carry text (None for a run without one)."""
    found = set()
    for run in p.iter(ooxml.qn("w:r")):
        if "".join(t.text or "" for t in run.iter(ooxml.qn("w:t"))):
            style = run.find(f"{ooxml.qn('w:rPr')}/{ooxml.qn('w:rStyle')}")
            found.add(None if style is None else style.get(ooxml.qn("w:val")))
    return found


def _topic_headings(docx) -> None:
    """A heading standing alone (（一）政务公开, no text after it and no full stop) takes the heading
    paragraph style: kept with the paragraph after it, and listed in Word's navigation pane. A
    numbered statement of one sentence (1．……。) is body text, however its lead is set."""
    ids = dict(_style_ids(docx.styles.element))
    heading_of = {ids[c]: ids[p] for c, p in TOPIC_STYLES.items() if c in ids and p in ids}
    for paragraph in _paragraphs_of(docx, BODY_STYLE):
        if paragraph.text.rstrip()[-1:] in ("。", "！", "？", "；"):
            continue
        styles = _run_styles(paragraph._p)
        if len(styles) == 1 and next(iter(styles)) in heading_of:
            paragraph._p.get_or_add_pPr().get_or_add_pStyle().set(ooxml.qn("w:val"), heading_of[styles.pop()])


def _place_signature(docx) -> None:
    """发文机关署名 centred over the 成文日期, which stands four characters in from the right."""
    dates = _paragraphs_of(docx, "成文日期")
    names = _paragraphs_of(docx, "发文机关署名")
    if not dates:
        return
    for paragraph, indent in zip(names, signature_right_indents([p.text for p in names], dates[0].text)):
        ooxml.set_side_chars(paragraph._p.get_or_add_pPr(), "right", indent, SIZE_3)


def _keep_signature_with_text(docx) -> None:
    """The 发文机关署名 and 成文日期 never stand alone on a page (GB/T 9704 7.3.5): the last
    paragraph of text before them, the blank lines between, and the 署名 lines are kept with
    what follows, so a page break moves that paragraph over with them."""
    first = (_paragraphs_of(docx, "发文机关署名") or _paragraphs_of(docx, "成文日期"))[:1]
    if not first:
        return
    element = first[0]._p
    kept = [p for p in _paragraphs_of(docx, "发文机关署名")]
    previous = element.getprevious()
    while previous is not None and previous.tag == ooxml.qn("w:p"):
        kept.append(Paragraph(previous, None))
        if "".join(t.text or "" for t in previous.iter(ooxml.qn("w:t"))).strip():
            break  # the last line of text: it goes over with the signature
        previous = previous.getprevious()
    for paragraph in kept:
        paragraph.paragraph_format.keep_with_next = True


def _annex_note_indents(docx) -> None:
    """附件说明: each line that runs on starts under the first character of the annex name,
    whatever the width of “附件：1．” or “12．” before it (half-width digits included)."""
    for paragraph in _paragraphs_of(docx, "附件说明", "附件说明单件", "附件说明续行"):
        start, prefix = annex_note_layout(paragraph.text, paragraph.style.name == "附件说明续行")
        ooxml.set_hanging_twips(paragraph._p.get_or_add_pPr(), start + prefix, prefix)


def _imprint_rules(docx) -> None:
    """版记: a thick rule above its first and below its last element, thin rules between."""
    paragraphs = _paragraphs_of(docx, *IMPRINT_STYLES)
    for i, paragraph in enumerate(paragraphs):
        ppr = paragraph._p.get_or_add_pPr()
        ooxml.set_border(ppr, "top", IMPRINT_THICK if i == 0 else IMPRINT_THIN)
        if i == len(paragraphs) - 1:
            ooxml.set_border(ppr, "bottom", IMPRINT_THICK)


def _printed_line(docx) -> None:
    """印发机关 and 印发日期 on one line if they fit, else the date on the next line, still right."""
    for paragraph in _paragraphs_of(docx, "印发机关和日期"):
        room = TEXT_WIDTH / char_width_twips(SIZE_4) - 2  # 左右各空一字
        if chars_in(paragraph.text) + 1 > room:
            for tab in paragraph._p.iter(ooxml.qn("w:tab")):
                if tab.getparent().tag == ooxml.qn("w:r"):
                    tab.addprevious(ooxml.OxmlElement("w:br"))
                    break


def _sections(docx, landscape: list[bool]) -> int:
    """Wide annexes on landscape sections, page numbers continuing through every section (all
    share the template's footers); then the 版记 placed on the last page (imprint.py). The
    number of pages."""
    final = docx.element.body.find(ooxml.qn("w:sectPr"))
    portrait = deepcopy(final)
    labels = [p._p for p in _paragraphs_of(docx, "附件标签")]
    for label, previous, wide in zip(labels, [False] + landscape[:-1], landscape):
        if previous != wide:
            ooxml.end_section_before(label, ooxml.landscape_section(portrait) if previous else deepcopy(portrait))
            ooxml.set_page_break_before(label, False)  # the section break already starts a new page
    if landscape and landscape[-1]:
        final.getparent().replace(final, ooxml.landscape_section(portrait))
    keep_notes_with_tables(docx, [p._p for p in _paragraphs_of(docx, "表注")])
    imprint = [p._p for p in _paragraphs_of(docx, *IMPRINT_STYLES)]
    return place_imprint(docx, imprint, portrait) if imprint else page_count(docx)


def render_docx(template: Path, document: Document, issued_on: dt.date, finish: Callable | None = None) -> bytes:
    """The bulletin as .docx bytes: the template filled with ``document``.

    ``finish``, if given, is called with the python-docx document just before it is saved
    (the build uses it to put in the record of what was generated).
    """
    tpl = DocxTemplate(str(template))
    tpl.render({"doc": document}, jinja_env=template_environment(), autoescape=True)
    docx = tpl.docx
    apply_parts(docx, document.parts, _paragraphs_of)
    style_list_annexes(docx, document.annexes, _paragraphs_of(docx, "附件标题"))
    _last_styles[:] = [None, ()]  # a style may have been added
    landscape = _annex_landscape(document)
    _fit_annex_tables(docx, document, landscape)
    _split_titles(docx, landscape)
    _topic_headings(docx)
    _place_signature(docx)
    _keep_signature_with_text(docx)
    _annex_note_indents(docx)
    _imprint_rules(docx)
    _printed_line(docx)
    pages = _sections(docx, landscape)
    unstretch_lines(docx)
    props = docx.core_properties
    props.title = xml_safe(document.title)
    props.author = xml_safe(document.office)
    props.last_modified_by = xml_safe(document.office)
    props.comments = ""
    props.revision = 1
    issued = dt.datetime.combine(issued_on, dt.time())  # document properties carry the 成文日期, not the build time
    props.created = issued
    props.modified = issued
    clean_package(docx, pages, company=xml_safe(document.office))
    write_parts(docx, document.parts)
    if finish is not None:
        finish(docx)
    buffer = io.BytesIO()
    docx.save(buffer)
    return normalise_zip(buffer.getvalue())
