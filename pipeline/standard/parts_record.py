"""The parts a document declares, carried inside the .docx as custom document properties
(``docProps/custom.xml``; Word shows them under 文件 → 属性 → 自定义), so that the format
checker, given the file alone, asks for the parts the document has and no others.

A file without the record (an earlier build, a document from elsewhere) is a full 公文.
"""

from __future__ import annotations

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from lxml import etree

from ..config.document_parts import DocumentParts
from ..word.ooxml import escape

PARTNAME = "/docProps/custom.xml"
PREFIX = "公文要素："
PROPS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # the one format id custom properties use
NAMES = {  # property name (after the prefix) → field of DocumentParts
    "版头": "red_header",
    "发文字号": "doc_number",
    "签发人": "signer",
    "主送机关": "recipients",
    "发文机关署名": "signature",
    "版记": "imprint",
}


def custom_xml(parts: DocumentParts) -> bytes:
    """docProps/custom.xml stating, part by part, whether the document has it."""
    entries = []
    for pid, (name, field) in enumerate(NAMES.items(), start=2):  # pid 0 and 1 are reserved
        value = "true" if getattr(parts, field) else "false"
        entries.append(f'<property fmtid="{FMTID}" pid="{pid}" name="{escape(PREFIX + name)}"><vt:bool>{value}</vt:bool></property>')
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="{PROPS_NS}" xmlns:vt="{VT_NS}">'
            + "".join(entries) + "</Properties>").encode("utf-8")


def write_parts(docx, parts: DocumentParts) -> None:
    """Put the record of ``parts`` into the python-docx ``docx`` (when the configuration declared them)."""
    if not parts.declared:
        return
    package = docx.part.package
    part = Part(PackURI(PARTNAME), CT.OFC_CUSTOM_PROPERTIES, custom_xml(parts), package)
    package.relate_to(part, RT.CUSTOM_PROPERTIES)


def read_parts(docx) -> dict[str, bool] | None:
    """What the record of ``docx`` says, part by part (``red_header``: True …), or None if it has none."""
    for rel in docx.part.package.rels.values():
        if rel.reltype == RT.CUSTOM_PROPERTIES and not rel.is_external:
            found = _declared(rel.target_part.blob)
            if found:
                return found
    return None


def _declared(blob: bytes) -> dict[str, bool]:
    try:
        root = etree.fromstring(blob, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return {}
    found = {}
    for prop in root.iter(f"{{{PROPS_NS}}}property"):
        name = (prop.get("name") or "").removeprefix(PREFIX)
        value = prop.find(f"{{{VT_NS}}}bool")
        if name in NAMES and value is not None and prop.get("name", "").startswith(PREFIX):
            found[NAMES[name]] = (value.text or "").strip().lower() in ("true", "1")
    return found


def has_part(docx, field: str) -> bool:
    """Whether ``docx`` declares part ``field``: as its record says, and yes without a record."""
    record = read_parts(docx)
    return True if record is None else record.get(field, True)
