"""What the pipeline generated last time, carried inside the .docx it wrote.

Every generated paragraph and annex table cell is a *block* with a stable key
(``opening``, ``section2.para3``, ``problem:超时办件依然存在``, ``annex1.r5.c12``). The list of
blocks with their generated text is stored as a custom XML part (``customXml/item1.xml``,
namespace ``BASELINE_NS``), the kind of part Word keeps when it saves a document, and
LibreOffice too (tested). A rebuild reads it back from the clerk's file to tell the
clerk's edits from the data's changes.
"""

from __future__ import annotations

import hashlib
import io
import uuid
import zipfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from docx import Document as open_docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part

from ..word.package_parts import part_sha256
from ..word.zipped import xml_safe

BASELINE_NS = "urn:bulletin-pipeline:baseline:1"
ITEM_PROPS_CT = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"
RT_CUSTOM_XML_PROPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXmlProps"
DS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"
ET.register_namespace("b", BASELINE_NS)


@dataclass(frozen=True)
class Block:
    """One generated paragraph or table cell: its key, its text, and whether data wrote it.

    ``checked`` blocks are derived from data (ranks, figures, rule findings) and are what
    ``bulletin verify`` checks; prose a clerk supplied as input is not.
    """

    key: str
    text: str
    checked: bool = False


@dataclass
class Baseline:
    """The blocks of one generated bulletin, and the digest of its body as generated.

    ``pristine`` is a SHA-256 digest of every part of the file as the pipeline wrote it
    (text, styles, headers and footers, properties; not the baseline itself): a file that
    still has that digest was not touched by anyone and may simply be replaced. It is
    empty for a merged file, which holds a clerk's work.
    """

    period: str
    blocks: list[Block]
    pristine: str = ""

    def by_key(self) -> dict[str, Block]:
        return {b.key: b for b in self.blocks}


def _digest(parts: dict[str, bytes], hashed: bool = False) -> str:
    """One digest of named parts (their bytes, or with ``hashed`` their SHA-256 digests)."""
    sha = hashlib.sha256()
    for name in sorted(parts):
        if not name.startswith("customXml/"):
            sha.update(name.encode("utf-8") + b"\0" + (parts[name] if hashed else hashlib.sha256(parts[name]).digest()))
    return sha.hexdigest()


def docx_digest(docx) -> str:
    """The digest of an open document's parts, as python-docx is about to write them."""
    return _digest({str(part.partname).lstrip("/"): part_sha256(part) for part in docx.part.package.iter_parts()}, hashed=True)


def file_digest(data: bytes) -> str:
    """The same digest, of a file as saved (relationships and content types left out)."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = [n for n in package.namelist() if not n.endswith(".rels") and n != "[Content_Types].xml"]
        return _digest({n: _part_digest(package, n) for n in names}, hashed=True)


def _part_digest(package: zipfile.ZipFile, name: str) -> bytes:
    """SHA-256 of one part, read in pieces: a huge part never sits in memory whole."""
    sha = hashlib.sha256()
    with package.open(name) as stream:
        while piece := stream.read(1 << 20):
            sha.update(piece)
    return sha.digest()


def to_xml(baseline: Baseline) -> bytes:
    root = ET.Element(f"{{{BASELINE_NS}}}baseline", period=baseline.period, pristine=baseline.pristine)
    for block in baseline.blocks:  # keys and texts come from data: keep only what XML can hold
        element = ET.SubElement(root, f"{{{BASELINE_NS}}}block", key=xml_safe(block.key))
        if block.checked:
            element.set("checked", "1")
        element.text = xml_safe(block.text)
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True)


def from_xml(data: bytes) -> Baseline | None:
    """The baseline in ``data``, or None if ``data`` is some other custom XML."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError:
        return None
    if root.tag != f"{{{BASELINE_NS}}}baseline":
        return None
    blocks = [
        Block(e.get("key"), e.text or "", e.get("checked") == "1")
        for e in root.iter(f"{{{BASELINE_NS}}}block")
    ]
    return Baseline(root.get("period", ""), blocks, root.get("pristine", ""))


def _baseline_parts(docx) -> list[Part]:
    return [
        rel.target_part
        for rel in docx.part.rels.values()
        if rel.reltype == RT.CUSTOM_XML and not rel.is_external and from_xml(rel.target_part.blob) is not None
    ]


def read_baseline(docx) -> Baseline | None:
    """The baseline carried by an open python-docx document, if any."""
    parts = _baseline_parts(docx)
    return from_xml(parts[0].blob) if parts else None


def baseline_in_file(data: bytes) -> Baseline | None:
    """The baseline carried by a .docx file's bytes, if any (read straight from the package)."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in sorted(package.namelist()):
            if name.startswith("customXml/item") and "Props" not in name and name.endswith(".xml"):
                found = from_xml(package.read(name))
                if found is not None:
                    return found
    return None


def _item_props(item_id: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<ds:datastoreItem ds:itemID="{{{item_id}}}" xmlns:ds="{DS_NS}">'
        f'<ds:schemaRefs><ds:schemaRef ds:uri="{BASELINE_NS}"/></ds:schemaRefs></ds:datastoreItem>'
    ).encode("utf-8")


def _free_partname(package, template: str) -> PackURI:
    used = {str(p.partname) for p in package.iter_parts()}
    n = 1
    while template % n in used:
        n += 1
    return PackURI(template % n)


def store_baseline(docx, baseline: Baseline) -> None:
    """Put ``baseline`` into the document, replacing any baseline it carries."""
    blob = to_xml(baseline)
    existing = _baseline_parts(docx)
    if existing:
        existing[0]._blob = blob
        return
    package = docx.part.package
    item = Part(_free_partname(package, "/customXml/item%d.xml"), "application/xml", blob, package)
    item_id = str(uuid.uuid5(uuid.NAMESPACE_URL, BASELINE_NS)).upper()  # fixed: output stays deterministic
    props_name = PackURI(item.partname.replace("/item", "/itemProps"))
    props = Part(props_name, ITEM_PROPS_CT, _item_props(item_id), package)
    item.relate_to(props, RT_CUSTOM_XML_PROPS)
    docx.part.relate_to(item, RT.CUSTOM_XML)


def open_bytes(data: bytes):
    return open_docx(io.BytesIO(data))
