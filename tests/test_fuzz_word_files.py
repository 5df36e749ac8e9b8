"""A structure-aware fuzzer over edited bulletins: parts missing, relationships dangling, parts
huge, zip entries odd, XML broken, text edited. For every case `bulletin check`, `bulletin
verify` and a build over it end with a message and exit 0 or 1 — never a traceback — and a
build never loses the file: it is refused and left as it was, or kept (as it was, or as a
修改稿 copy), or it held nothing but what the build generated.

CI runs a bounded number of examples (the same every time); BULLETIN_FUZZ_EXAMPLES=2000
runs more, at random.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import NamedTuple

import pytest
from hypothesis import event, example, given
from hypothesis import strategies as st

from pipeline.word import opener as wordfile

from .conftest import PERIOD, run, run_cli, snapshot
from .test_fuzz_workbooks import FUZZ, Period

SMALL_LIMIT = 1 << 20  # the part size limit during the fuzz, so that a "huge" part takes 2 MB, not 300
REL_TYPES = ["image", "header", "footer", "customXml", "comments", "hyperlink"]
DIGESTED_OUT = (".rels", "[Content_Types].xml")


def _entries(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return [(name, package.read(name)) for name in package.namelist()]


def _zip(entries: list[tuple[str, bytes]], method=zipfile.ZIP_DEFLATED, comment: bytes = b"") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as package:
        package.comment = comment
        for name, data in entries:
            package.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), data, method)
    return buffer.getvalue()


class Mutation(NamedTuple):
    """One change to the package: its kind, the part it touches, where to cut, what to add."""

    kind: str
    target: str = "word/document.xml"
    cut: float = 0.5
    rel_type: str = "image"
    odd: str = "../../evil.xml"


KINDS = ["drop", "dangle", "huge", "duplicate", "odd_name", "empty_part", "broken_xml", "dtd", "edit_text", "stored",
         "comment", "truncate", "garbage_tail", "directory"]
BOMB = b'<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'


def _changed_entries(m: Mutation, entries: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    def each(change):
        return [(n, change(d) if n == m.target else d) for n, d in entries]

    if m.kind == "drop":
        return [(n, d) for n, d in entries if n != m.target]
    if m.kind == "dangle":
        rel = (f'<Relationship Id="rIdFuzz" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
               f'{m.rel_type}" Target="missing/{m.rel_type}.xml"/></Relationships>').encode()
        return [(n, d.replace(b"</Relationships>", rel) if n == "word/_rels/document.xml.rels" else d) for n, d in entries]
    added = {"huge": ("word/media/huge.bin", bytes(SMALL_LIMIT * 2)), "duplicate": (m.target, b"<x/>"),
             "odd_name": (m.odd, b"<x/>"), "directory": ("word/extra/", b"")}
    if m.kind in added:
        return entries + [added[m.kind]]
    if m.kind == "empty_part":
        return each(lambda d: b"")
    if m.kind == "broken_xml":
        return each(lambda d: d[: int(len(d) * m.cut)])
    if m.kind == "dtd":
        return each(lambda d: d.replace(b"?>", b"?>" + BOMB, 1) if d.startswith(b"<?xml") else d)
    if m.kind == "edit_text":  # a clerk's edit: a character added to the body's first text
        return [(n, d.replace(b"<w:t>", b"<w:t>\xe4\xbf\xae", 1) if n == "word/document.xml" else d) for n, d in entries]
    return entries


def _changed_bytes(m: Mutation, data: bytes) -> bytes:
    if m.kind == "stored":
        return _zip(_entries(data), zipfile.ZIP_STORED)
    if m.kind == "comment":
        return _zip(_entries(data), comment=b"\xff" * 100)
    if m.kind == "truncate":
        return data[: int(len(data) * m.cut)]
    if m.kind == "garbage_tail":
        return data + b"\x00garbage" * 10
    return data


def mutated(data: bytes, mutations: list[Mutation]) -> bytes:
    for m in mutations:
        try:
            entries = _entries(data)
        except (zipfile.BadZipFile, ValueError, EOFError):
            entries = None
        if m.kind in ("truncate", "garbage_tail"):
            data = _changed_bytes(m, data)
        elif entries is not None:  # the rest change a package: none left after a cut
            data = _zip(_changed_entries(m, entries)) if m.kind not in ("stored", "comment") else _changed_bytes(m, data)
    return data


def _generated_parts_only(candidate: bytes, built: bytes) -> bool:
    """True if ``candidate`` holds nothing but what the build wrote (relationships, content types aside)."""
    try:
        parts = {n: d for n, d in _entries(candidate) if not n.endswith(DIGESTED_OUT) and not n.startswith("customXml/")}
    except (zipfile.BadZipFile, ValueError, EOFError, KeyError):
        return False
    original = {n: d for n, d in _entries(built) if not n.endswith(DIGESTED_OUT) and not n.startswith("customXml/")}
    return parts == original


NAMES = ["word/document.xml", "word/styles.xml", "word/_rels/document.xml.rels", "[Content_Types].xml", "_rels/.rels",
         "customXml/item1.xml", "word/settings.xml", "word/footer1.xml", "docProps/core.xml", "word/numbering.xml"]


MUTATIONS = st.builds(Mutation, st.sampled_from(KINDS), st.sampled_from(NAMES), st.floats(0.05, 0.95),
                      st.sampled_from(REL_TYPES),
                      st.sampled_from(["../../evil.xml", "/abs.xml", "word\\document.xml", "word/media/图片 1.png", "x" * 200]))


@pytest.mark.filterwarnings("ignore:Duplicate name")
@FUZZ
@given(mutations=st.lists(MUTATIONS, min_size=1, max_size=3))
# what the fuzzer found, kept: each was a traceback before
@example(mutations=[Mutation("duplicate", "word/document.xml")])  # the second document.xml, no w:body
@example(mutations=[Mutation("drop", "word/_rels/document.xml.rels")])  # footers named by r:id, no relationships
@example(mutations=[Mutation("drop", "word/footer1.xml")])
@example(mutations=[Mutation("dtd", "word/document.xml"), Mutation("huge")])
def test_fuzzed_edited_bulletins_never_crash_and_are_never_lost(mutations, good_outputs):
    period = Period(good_outputs)
    limit = wordfile.MAX_PART_BYTES
    wordfile.MAX_PART_BYTES = SMALL_LIMIT
    try:
        path = period.docx()
        built = path.read_bytes()
        data = mutated(built, mutations)
        path.write_bytes(data)
        event(", ".join(sorted({m.kind for m in mutations})))

        checked = run_cli("check", str(path))
        assert checked.exit_code in (0, 1) and str(path) in checked.output
        verified = run_cli("verify", str(path), "--period", PERIOD, "--inputs", str(period.inputs), "--templates",
                           str(Path(__file__).resolve().parent.parent / "templates"))
        assert verified.exit_code in (0, 1), verified.output

        before = snapshot(period.outputs)
        result = period.build()  # asserts exit 0 or 1, and nothing changed when 1
        event(f"build exit {result.exit_code}")
        if result.exit_code == 0:
            kept = [p.read_bytes() for p in (period.outputs / PERIOD).glob("*_修改稿_*.docx")]
            assert path.read_bytes() == data or data in kept or _generated_parts_only(data, built), \
                "the edited file was replaced without a copy of it"
        else:
            assert snapshot(period.outputs) == before
    finally:
        wordfile.MAX_PART_BYTES = limit
        period.close()
