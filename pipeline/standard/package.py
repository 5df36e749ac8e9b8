"""The .docx package around the document: the parts Word, WPS and LibreOffice read besides
the text, made clean — compatibility mode 15 (no 兼容模式), no stale parts left over from
python-docx's own template, app properties that tell the truth, a font table naming every
face with the faces to fall back on, and Chinese theme languages."""

from __future__ import annotations

from docx.opc.constants import RELATIONSHIP_TYPE as RT

from ..word import ooxml
from ..word.ooxml import escape
from ..word.package_parts import derived_once
from .measures import FALLBACK_FONTS

APPLICATION = "bulletin-pipeline"  # app.xml: the program that wrote the file
COMPATIBILITY_MODE = "15"  # Word 2013 and later: no 兼容模式 banner
STALE_RELATIONSHIPS = (
    "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",  # Word 2010 reads it instead of styles.xml
)
THUMBNAIL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FONT_ATTRS = ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")
GB2312_CHARSET = "86"


def _drop_relationships(rels, reltypes) -> None:
    for rid in [rid for rid, rel in rels.items() if rel.reltype in reltypes]:
        del rels[rid]


def drop_stale_parts(document) -> None:
    """No stylesWithEffects.xml (Word 2010 would style the text from it) and no thumbnail."""
    _drop_relationships(document.part.rels, STALE_RELATIONSHIPS)
    _drop_relationships(document.part.package.rels, (THUMBNAIL,))


def set_compatibility(document) -> None:
    """Compatibility mode 15, theme languages zh-CN, no request to save a preview picture."""
    settings = document.settings.element
    for found in settings.findall(ooxml.qn("w:savePreviewPicture")):
        settings.remove(found)
    for setting in settings.iter(ooxml.qn("w:compatSetting")):
        if setting.get(ooxml.qn("w:name")) == "compatibilityMode":
            setting.set(ooxml.qn("w:val"), COMPATIBILITY_MODE)
    lang = settings.find(ooxml.qn("w:themeFontLang"))
    if lang is not None:
        lang.set(ooxml.qn("w:val"), "en-US")
        lang.set(ooxml.qn("w:eastAsia"), "zh-CN")


def faces_used(document) -> list[str]:
    """Every typeface the styles, the body and the footers name, in first-seen order (the faces of
    styles a template shares with its documents read once: word/package_parts.py)."""
    roots = [document.element]
    roots += [s.footer._element for s in document.sections] + [s.even_page_footer._element for s in document.sections]
    styles = document.part._styles_part  # as document.styles: the default styles where a file has none
    seen = dict.fromkeys(derived_once(styles, "faces", lambda part: _faces_in([part.element], {})))
    return _faces_in(roots, seen)


def _faces_in(roots, seen: dict) -> list[str]:
    """``seen`` (typeface → None) with the faces the ``roots`` name after it, in first-seen order."""
    attrs = [ooxml.qn(attr) for attr in FONT_ATTRS]
    for root in roots:
        for fonts in root.iter(ooxml.qn("w:rFonts")):
            for attr in attrs:
                if fonts.get(attr):
                    seen.setdefault(fonts.get(attr))
    return list(seen)


def font_table_xml(faces: list[str]) -> bytes:
    """fontTable.xml naming ``faces``, each Chinese face with its GB2312 charset and the face a
    stock Windows has (w:altName: 仿宋 for 仿宋_GB2312), which Word and WPS substitute."""
    entries = []
    for face in faces:
        alt = FALLBACK_FONTS.get(face)
        alt_xml = f'<w:altName w:val="{escape(alt)}"/>' if alt else ""
        charset = GB2312_CHARSET if any(ord(c) > 0x2E80 for c in face + (alt or "")) else "00"
        entries.append(f'<w:font w:name="{escape(face)}">{alt_xml}<w:charset w:val="{charset}"/>'
                       f'<w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>')
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:fonts xmlns:w="{W_NS}">'
            + "".join(entries) + "</w:fonts>").encode("utf-8")


def set_font_table(document) -> None:
    part = document.part.part_related_by(RT.FONT_TABLE)
    part._blob = font_table_xml(faces_used(document))


def app_xml(pages: int | None, company: str = "") -> bytes:
    """docProps/app.xml: this program, and the page count where it is known."""
    pages_xml = f"<Pages>{pages}</Pages>" if pages else ""
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
            'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            f"<Template>Normal.dotm</Template>{pages_xml}<Application>{APPLICATION}</Application>"
            f"<DocSecurity>0</DocSecurity><Company>{escape(company)}</Company>"
            "</Properties>").encode("utf-8")


def set_app_properties(document, pages: int | None, company: str = "") -> None:
    for rel in document.part.package.rels.values():
        if rel.reltype == RT.EXTENDED_PROPERTIES:
            rel.target_part._blob = app_xml(pages, company)


def clean_package(document, pages: int | None = None, company: str = "") -> None:
    """Everything above, on a python-docx ``document`` about to be saved."""
    drop_stale_parts(document)
    set_compatibility(document)
    set_font_table(document)
    set_app_properties(document, pages, company)

