"""What every render pass works on: one document being rendered (排版), and what the passes
learn of it on the way. A fresh context per document: nothing is kept from one render to the next."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from docx.oxml.ns import nsmap
from docx.text.paragraph import Paragraph
from lxml import etree

from ..compose import Document
from ..standard.measures import CELL_PADDING, SIZE_5, SIZE_SMALL_4, TEXT_WIDTH
from ..standard.table_layout import narrowest
from ..word import ooxml
from ..word.package_parts import derived_once


_STYLE_NAMES = etree.XPath("w:style/w:name[1]", namespaces={"w": nsmap["w"]})  # each style's first w:name


def style_pairs(styles) -> tuple:
    """(name, style id) of every style of the styles part ``styles``, read off the XML: python-docx
    builds an object per style."""
    value, style_id = ooxml.qn("w:val"), ooxml.qn("w:styleId")
    return tuple((name.get(value), name.getparent().get(style_id)) for name in _STYLE_NAMES(styles))


def paragraph_style_id(p) -> str | None:
    """The style id a paragraph element names (w:pPr/w:pStyle), None if it names none."""
    for ppr in p.iterchildren(ooxml.qn("w:pPr")):
        for style in ppr.iterchildren(ooxml.qn("w:pStyle")):
            return style.get(ooxml.qn("w:val"))
        return None
    return None


def paragraphs_in(docx, pairs: tuple, styles: tuple) -> list:
    """The body's paragraphs in any of the named ``styles`` (matched by style id, read off the XML:
    python-docx would make an object of every paragraph and of its properties)."""
    ids = {style_id for name, style_id in pairs if name in styles}
    body = docx._body
    return [Paragraph(p, body) for p in docx.element.body.iterchildren(ooxml.qn("w:p")) if paragraph_style_id(p) in ids]


def paragraphs_of(docx, *styles: str) -> list:
    """The body's paragraphs of ``docx`` in any of the named styles."""
    return paragraphs_in(docx, style_pairs(docx.styles.element), styles)


@dataclass
class RenderContext:
    """One document on its way from the filled template to the saved file."""

    docx: object  # the python-docx document, as the template rendered it
    document: Document  # what it says (compose)
    issued_on: dt.date  # 成文日期: the document properties carry it, not the build time
    portrait: object = None  # the upright w:sectPr of the template, kept before a section is turned (版记)
    pages: int | None = None  # the number of pages, once the 版记 is placed
    _styles: tuple = field(default=(None, -1, ()), repr=False)  # (styles part, styles counted, their (name, id) pairs)

    def style_ids(self) -> tuple:
        """(name, style id) of the document's styles; read again only when a style has been added
        (once for the styles a template shares with its documents: word/package_parts.py)."""
        part = self.docx.part._styles_part
        if self._styles[0] is not part or self._styles[1] != len(part.element):
            self._styles = (part, len(part.element), derived_once(part, "style pairs", lambda p: style_pairs(p.element)))
        return self._styles[2]

    def paragraphs(self, *styles: str) -> list:
        """The body's paragraphs in any of the named styles."""
        return paragraphs_in(self.docx, self.style_ids(), styles)

    @cached_property
    def landscape(self) -> list[bool]:
        """Per annex: a table that cannot fit the 156 mm portrait line even with its headers broken."""
        return [a.is_table and narrowest(a.header, a.rows, SIZE_SMALL_4, SIZE_5, CELL_PADDING) > TEXT_WIDTH
                for a in self.document.annexes]
