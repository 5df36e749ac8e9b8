"""The package's own zip writer (word/packed_zip.py) writes, for any entries, exactly the bytes
zipfile.ZipFile writes for them with the fixed time and attributes — names ASCII or not, data
empty, random or repeated, any SOURCE_DATE_EPOCH — and compresses equal data once, keeping a
bounded amount of it."""

from __future__ import annotations

import io
import os
import zipfile
from contextlib import contextmanager

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.word import packed_zip, zipped

from .conftest import FIXTURE_INPUTS, PERIOD, run

NAMES = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\0"), min_size=1, max_size=40)
DATA = st.one_of(st.binary(max_size=3000), st.text(max_size=3000).map(str.encode),
                 st.sampled_from([b"", b"<w:p/>" * 500, bytes(range(256)) * 20]))
EPOCHS = st.one_of(st.none(), st.integers(0, 4_000_000_000).map(str), st.sampled_from(["", "abc", " 1700000000 "]))


@contextmanager
def source_date_epoch(value: str | None):
    before = os.environ.pop("SOURCE_DATE_EPOCH", None)
    if value is not None:
        os.environ["SOURCE_DATE_EPOCH"] = value
    try:
        yield
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
        if before is not None:
            os.environ["SOURCE_DATE_EPOCH"] = before


def written(writer, entries) -> bytes:
    out = io.BytesIO()
    with writer(out) as target:
        for name, data in entries:
            target.add(name, data)
    return out.getvalue()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(NAMES, DATA), max_size=12, unique_by=lambda entry: entry[0]), EPOCHS)
def test_the_writer_writes_what_zipfile_writes_byte_for_byte(entries, epoch):
    with source_date_epoch(epoch):
        ours = written(packed_zip.PackedZip, entries)
        assert ours == written(zipped.NormalZip, entries)
        again = written(packed_zip.PackedZip, entries)  # each data compressed once, reused
    assert again == ours
    with zipfile.ZipFile(io.BytesIO(ours)) as package:
        assert package.testzip() is None
        assert [(i.filename, package.read(i)) for i in package.infolist()] == list(entries)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(NAMES, DATA), min_size=1, max_size=8, unique_by=lambda entry: entry[0]))
def test_normalising_any_zip_gives_what_zipfile_gives(entries):
    source = io.BytesIO()
    with zipfile.ZipFile(source, "w", zipfile.ZIP_STORED) as package:
        for name, data in entries:
            package.writestr(name, data)
    assert zipped.normalise_zip(source.getvalue()) == written(zipped.NormalZip, entries)


def test_a_package_needing_zip64_records_is_left_to_zipfile():
    assert isinstance(zipped._writer(io.BytesIO(), [zipfile.ZIP64_LIMIT]), zipped.NormalZip)
    assert isinstance(zipped._writer(io.BytesIO(), [1] * (zipfile.ZIP_FILECOUNT_LIMIT + 1)), zipped.NormalZip)
    assert isinstance(zipped._writer(io.BytesIO(), [10_000] * 20), packed_zip.PackedZip)


def test_the_most_entries_a_zip_holds_without_zip64_are_written_as_zipfile_writes_them():
    entries = [(f"word/p{i}.xml", b"<w:p/>") for i in range(zipfile.ZIP_FILECOUNT_LIMIT)]  # 65,535: no ZIP64 end record yet
    assert isinstance(zipped._writer(io.BytesIO(), [len(data) for _, data in entries]), packed_zip.PackedZip)
    assert written(packed_zip.PackedZip, entries) == written(zipped.NormalZip, entries)
    assert isinstance(zipped._writer(io.BytesIO(), [6] * (len(entries) + 1)), zipped.NormalZip)


def test_compressed_data_kept_for_reuse_stays_within_its_bound(monkeypatch):
    monkeypatch.setattr(packed_zip, "DEFLATED_KEPT", 50_000)
    for n in range(200):
        packed_zip.deflated(os.urandom(1000) + str(n).encode())
    assert 0 < packed_zip._kept[0] <= 50_000
    assert packed_zip._kept[0] == sum(len(d) + len(p) for d, (_, p) in packed_zip._deflated.items())
    large = b"x" * (packed_zip.DEFLATED_LARGEST + 1)
    packed_zip.deflated(large)
    assert large not in packed_zip._deflated


@pytest.mark.parametrize("epoch, stamped", [("4354819199", (2107, 12, 31, 23, 59, 58)),  # the last second a zip can date
                                            ("4354819200", (2107, 12, 31, 23, 59, 58)),  # 2108: later than a zip can date
                                            ("99999999999999", (2107, 12, 31, 23, 59, 58)),  # past any calendar
                                            ("0", (1980, 1, 1, 0, 0, 0))])  # before the first date a zip has
def test_a_source_date_epoch_a_zip_cannot_hold_dates_the_files_at_the_nearest_it_can(tmp_path, epoch, stamped):
    outputs = tmp_path / "outputs"
    with source_date_epoch(epoch):
        result = run("build", PERIOD, FIXTURE_INPUTS, outputs)
    assert result.exit_code == 0, result.output
    for path in outputs.rglob("*.docx"):
        with zipfile.ZipFile(path) as package:
            assert {info.date_time for info in package.infolist()} == {stamped}
