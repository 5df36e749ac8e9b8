"""Text files as clerks save them: the encoding is detected, never asked for.

Excel, WPS and Notepad on Chinese Windows save UTF-8 (with or without a byte-order mark),
UTF-16 ("Unicode text") or GBK/GB18030. Used by every layer that reads a clerk's text file
(configuration, prose, .csv tables), so it sits below them all.
"""

from __future__ import annotations

import codecs

from .errors import BulletinError

# Tried in turn (after a UTF-16 byte-order mark): UTF-8 with or without BOM, strictly, since
# GBK bytes are almost never valid UTF-8; then GBK's superset GB18030.
CSV_ENCODINGS = ("utf-8-sig", "gb18030")


class UnknownEncoding(BulletinError, ValueError):
    """Bytes that are text in none of the encodings clerks' tools save."""


def decode_text(raw: bytes) -> str:
    """Text of a file saved by Excel/WPS/Notepad: UTF-8 (BOM or not), UTF-16 with BOM, or GBK/GB18030.

    Line ends come back as typed; a NUL character means the bytes were not text at all.
    """
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ("utf-16",)
    else:
        encodings = CSV_ENCODINGS
    for encoding in encodings:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise UnknownEncoding("无法识别文件编码：应为 UTF-8、UTF-8（带 BOM）、UTF-16 或 GBK/GB18030 编码的文本")
