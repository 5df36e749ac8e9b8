"""Our own zip writer for Word packages: the bytes zipfile.ZipFile writes for the same entries
(deflated, fixed time, ``-rw-r--r--``, the UTF-8 flag for a name that is not ASCII, no ZIP64),
with each entry's data compressed once per process: the parts every document shares with its
template (styles, theme, settings …) are deflated once, not once a document.

It writes packages that need no ZIP64 records (word/zipped.py gives the others to zipfile).
"""

from __future__ import annotations

import datetime as dt
import os
import struct
import zlib
from collections import OrderedDict

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
ZIP_LAST_SECOND = 4354819199  # 2107-12-31 23:59:59 UTC: an MS-DOS date counts 127 years from 1980
ZIP_VERSION = 20  # zipfile's DEFAULT_VERSION: version 2.0, deflate
DEFLATED = 8
UTF8_NAME = 0x800  # general purpose flag bit 11: the name is UTF-8
FILE_ATTRIBUTES = 0o644 << 16  # -rw-r--r--, from a system of MS-DOS type (0)
LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
CENTRAL_HEADER = struct.Struct("<4s4B4HL2L5H2L")
END_RECORD = struct.Struct("<4s4H2LH")
DEFLATED_KEPT = 32 << 20  # bytes of data and its compressed form kept for reuse
DEFLATED_LARGEST = 8 << 20  # data larger than this is compressed each time, never kept

_deflated: "OrderedDict[bytes, tuple[int, bytes]]" = OrderedDict()
_kept = [0]  # bytes held by _deflated


def zip_timestamp() -> tuple:
    """Time stamped on every zip entry: SOURCE_DATE_EPOCH if set, else a fixed date; a moment a
    zip cannot date, the nearest it can (as zipfile dates such a file without strict timestamps)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        moment = dt.datetime.fromtimestamp(min(int(epoch), ZIP_LAST_SECOND), dt.timezone.utc)
        return max((moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second), ZIP_EPOCH)
    return ZIP_EPOCH


def deflated(data: bytes) -> tuple[int, bytes]:
    """(CRC-32, raw deflate stream) of ``data`` as zipfile writes it; equal data is compressed once."""
    found = _deflated.get(data)
    if found is not None:
        _deflated.move_to_end(data)
        return found
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    found = (zlib.crc32(data), compressor.compress(data) + compressor.flush())
    if len(data) <= DEFLATED_LARGEST:
        _keep(data, found)
    return found


def _keep(data: bytes, found: tuple[int, bytes]) -> None:
    _deflated[data] = found
    _kept[0] += len(data) + len(found[1])
    while _kept[0] > DEFLATED_KEPT:
        old, (_, packed) = _deflated.popitem(last=False)
        _kept[0] -= len(old) + len(packed)


def dos_stamp(moment: tuple) -> tuple[int, int]:
    """(time, date) of ``moment`` (year, month, day, hour, minute, second) in MS-DOS form."""
    year, month, day, hour, minute, second = moment
    return hour << 11 | minute << 5 | second // 2, (year - 1980) << 9 | month << 5 | day


def encoded_name(name: str) -> tuple[bytes, int]:
    """The entry name as stored, and the flag bits it asks for (as zipfile names entries)."""
    name = name.split("\0", 1)[0]
    try:
        return name.encode("ascii"), 0
    except UnicodeEncodeError:
        return name.encode("utf-8"), UTF8_NAME


class PackedZip:
    """A zip being written to ``out`` (a binary file), entry by entry, closed on leaving ``with``."""

    def __init__(self, out):
        self.out, self.central = out, []
        self.time, self.date = dos_stamp(zip_timestamp())

    def add(self, name: str, data: bytes) -> None:
        crc, packed = deflated(data)
        encoded, flags = encoded_name(name)
        common = (flags, DEFLATED, self.time, self.date, crc, len(packed), len(data), len(encoded))
        self.central.append(CENTRAL_HEADER.pack(b"PK\x01\x02", ZIP_VERSION, 0, ZIP_VERSION, 0, *common, 0, 0, 0, 0,
                                                FILE_ATTRIBUTES, self.out.tell()) + encoded)
        self.out.write(LOCAL_HEADER.pack(b"PK\x03\x04", ZIP_VERSION, 0, *common, 0) + encoded)
        self.out.write(packed)

    def close(self) -> None:
        start, directory = self.out.tell(), b"".join(self.central)
        self.out.write(directory)
        count = len(self.central)
        self.out.write(END_RECORD.pack(b"PK\x05\x06", 0, 0, count, count, len(directory), start, 0))

    def __enter__(self) -> "PackedZip":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
