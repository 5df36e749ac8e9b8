"""Word packages as bytes that depend on their content only, and text a package can hold."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import zipfile

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
    stamp = zip_timestamp()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            entry.create_system = 0
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


# Characters XML 1.0 cannot carry (C0 controls other than tab and newline, lone
# surrogates, U+FFFE/U+FFFF): a vertical tab is Word's manual line break, the rest is noise.
_NOT_XML = re.compile("[\x00-\x08\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(value) -> str:
    """``value`` as text XML can hold: line ends as newlines, impossible characters dropped."""
    text = "" if value is None else str(value)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n")
    return _NOT_XML.sub("", text)
