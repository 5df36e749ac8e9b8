"""Opening a .docx someone else saved (a clerk, another program, an attacker) without surprises.

Before python-docx reads a file (it loads every part into memory), the package is
checked from its zip directory alone: a zip at all, the main document present, and no
part declaring more than a bulletin could hold (a part that decompresses to gigabytes
would take all memory). Whatever python-docx then cannot make sense of (relationships
pointing at missing parts, XML that does not parse) becomes a WordFileError with the
file's name: never a traceback.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from lxml import etree

from ..core.errors import BulletinError

MAX_PART_BYTES = 256 << 20  # one part, uncompressed: a bulletin's largest (document.xml) is well under 1 MB
MAX_TOTAL_BYTES = 512 << 20  # all parts together, uncompressed
MAIN_PART = "word/document.xml"


class WordFileError(BulletinError):
    """A file that cannot be read as a Word document; the message names the file and why."""

    def __init__(self, name: str, reason: str):
        super().__init__(f"{name}：{reason}")
        self.reason = reason


def check_package(data: bytes, name: str) -> None:
    """WordFileError unless ``data`` is a zip package with a main document and parts of sane size."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            infos = package.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError) as error:
        raise WordFileError(name, f"无法作为 Word 文件打开，文件可能已损坏或实为其他格式（{error}）") from None
    names = {info.filename for info in infos}
    if len(names) < len(infos):
        twice = sorted({i.filename for i in infos if sum(j.filename == i.filename for j in infos) > 1})
        raise WordFileError(name, f"无法作为 Word 文件打开，包中“{'、'.join(twice)}”出现了两次，不知道哪一份是真的")
    if MAIN_PART not in names or "[Content_Types].xml" not in names:
        raise WordFileError(name, f"无法作为 Word 文件打开，包中缺少 {MAIN_PART} 或 [Content_Types].xml")
    for info in infos:
        if info.file_size > MAX_PART_BYTES:
            raise WordFileError(name, f"包中的“{info.filename}”解压后达 {info.file_size:,} 字节，远超一份通报可能的大小，拒绝读取")
    total = sum(info.file_size for info in infos)
    if total > MAX_TOTAL_BYTES:
        raise WordFileError(name, f"包中各部分解压后共 {total:,} 字节，远超一份通报可能的大小，拒绝读取")


def open_word(data: bytes, name: str):
    """The python-docx Document of ``data``; WordFileError (naming ``name``) if it cannot be one."""
    from docx import Document

    check_package(data, name)
    try:
        document = Document(io.BytesIO(data))
    except Exception as error:  # python-docx's KeyError, ValueError, lxml's XMLSyntaxError …: all mean a damaged file
        raise WordFileError(name, f"无法作为 Word 文件打开，文件可能已损坏（{error.__class__.__name__}：{error}）") from None
    if getattr(document.element, "body", None) is None:
        raise WordFileError(name, f"无法作为 Word 文件打开，{MAIN_PART} 不是 Word 正文（没有 w:body）")
    _check_relationships(document, name)
    return document


_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_RELATIONSHIP_ATTRIBUTES = etree.XPath("//@*[namespace-uri()=$r]")  # r:id, r:embed, r:link …


def _check_relationships(document, name: str) -> None:
    """WordFileError if a part the document's parts point at is missing from the package, or if
    their XML names a relationship (a footer's r:id, an image's r:embed) the part does not have."""
    for part in document.part.package.iter_parts():
        element = getattr(part, "_element", None)
        named = set(_RELATIONSHIP_ATTRIBUTES(element, r=_R)) if element is not None else set()
        missing = sorted(str(rid) for rid in named - set(part.rels))
        if missing:
            raise WordFileError(name, f"无法作为 Word 文件打开，“{part.partname}”引用的关系 {'、'.join(missing)} 不存在")
        for rel in part.rels.values():
            if rel.is_external:
                continue
            try:
                rel.target_part
            except (KeyError, ValueError) as error:
                raise WordFileError(name, f"无法作为 Word 文件打开，“{part.partname}”的关系 {rel.rId} 指向的部分缺失（{error}）") from None


def open_word_file(path: Path):
    """The Document of the .docx at ``path``; WordFileError if it cannot be one."""
    return open_word(Path(path).read_bytes(), str(path))
