"""Word packages as bytes that depend on their content only, and text a package can hold."""

from __future__ import annotations

import io
import re
import zipfile

from .package_parts import part_bytes
from .packed_zip import FILE_ATTRIBUTES, PackedZip, zip_timestamp


def normalise_zip(data: bytes) -> bytes:
    """The same package with fixed entry times and attributes, so equal content gives equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        infos = source.infolist()
        with _writer(out, [info.file_size for info in infos]) as target:
            for info in infos:
                target.add(info.filename, source.read(info.filename))
    return out.getvalue()


def package_zip(document) -> bytes:
    """A python-docx document as :func:`normalise_zip` gives it once saved — the same entries in
    the same order with the same bytes — written once rather than compressed twice."""
    from docx.opc.packuri import CONTENT_TYPES_URI, PACKAGE_URI
    from docx.opc.pkgwriter import _ContentTypesItem

    package = document.part.package
    parts = package.parts
    for part in parts:
        part.before_marshal()
    entries = [(CONTENT_TYPES_URI.membername, _ContentTypesItem.from_parts(parts).blob),
               (PACKAGE_URI.rels_uri.membername, package.rels.xml)]
    for part in parts:  # as python-docx's PackageWriter writes them, each part's bytes taken once
        entries.append((part.partname.membername, part_bytes(part)))
        if len(part.rels):
            entries.append((part.partname.rels_uri.membername, part.rels.xml))
    out = io.BytesIO()
    with _writer(out, [len(data) for _, data in entries]) as target:
        for name, data in entries:
            target.add(name, data)
    return out.getvalue()


def _writer(out, sizes: list[int]):
    """The writer of a package whose entries have ``sizes``: our own, unless it needs ZIP64."""
    plain = len(sizes) <= zipfile.ZIP_FILECOUNT_LIMIT and sum(sizes) * 1.05 + 1024 * len(sizes) < zipfile.ZIP64_LIMIT
    return PackedZip(out) if plain else NormalZip(out)


class NormalZip:
    """A zip being written by zipfile whose entries carry the fixed time and attributes."""

    def __init__(self, out):
        self.zip, self.stamp = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED), zip_timestamp()

    def add(self, name: str, data: bytes) -> None:
        entry = zipfile.ZipInfo(name, date_time=self.stamp)
        entry.compress_type = zipfile.ZIP_DEFLATED
        entry.external_attr = FILE_ATTRIBUTES
        entry.create_system = 0
        self.zip.writestr(entry, data)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.zip.close()


# Characters XML 1.0 cannot carry (C0 controls other than tab and newline, lone
# surrogates, U+FFFE/U+FFFF): a vertical tab is Word's manual line break, the rest is noise.
_NOT_XML = re.compile("[\x00-\x08\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(value) -> str:
    """``value`` as text XML can hold: line ends as newlines, impossible characters dropped."""
    text = "" if value is None else str(value)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n")
    return _NOT_XML.sub("", text)
