"""Word packages as bytes that depend on their content only, and text a package can hold."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import zipfile

from .package_parts import part_bytes

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def zip_timestamp() -> tuple:
    """Time stamped on every zip entry: SOURCE_DATE_EPOCH if set, else a fixed date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        moment = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
        return max((moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second), ZIP_EPOCH)
    return ZIP_EPOCH


def normalise_zip(data: bytes) -> bytes:
    """The same package with fixed entry times and attributes, so equal content gives equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, _NormalZip(out) as target:
        for info in source.infolist():
            target.add(info.filename, source.read(info.filename))
    return out.getvalue()


def package_zip(document) -> bytes:
    """A python-docx document as :func:`normalise_zip` gives it once saved — the same entries in
    the same order with the same bytes — written once rather than compressed twice."""
    from docx.opc.pkgwriter import PackageWriter

    package = document.part.package
    parts = package.parts
    for part in parts:
        part.before_marshal()
    out = io.BytesIO()
    with _NormalZip(out) as target:
        PackageWriter._write_content_types_stream(target, parts)
        PackageWriter._write_pkg_rels(target, package.rels)
        for part in parts:  # as PackageWriter._write_parts, each part's bytes taken once
            target.write(part.partname, part_bytes(part))
            if len(part.rels):
                target.write(part.partname.rels_uri, part.rels.xml)
    return out.getvalue()


class _NormalZip:
    """A zip being written whose entries carry the fixed time and attributes (and, as python-docx's
    package writer asks, ``write(pack_uri, blob)``)."""

    def __init__(self, out):
        self.zip, self.stamp = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED), zip_timestamp()

    def add(self, name: str, data: bytes) -> None:
        entry = zipfile.ZipInfo(name, date_time=self.stamp)
        entry.compress_type = zipfile.ZIP_DEFLATED
        entry.external_attr = 0o644 << 16
        entry.create_system = 0
        self.zip.writestr(entry, data)

    def write(self, pack_uri, blob: bytes) -> None:
        self.add(pack_uri.membername, blob)

    def __enter__(self) -> "_NormalZip":
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
