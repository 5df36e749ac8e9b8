"""A 表注 stays on the page where its table ends, in LibreOffice as in Word: the 2023Q2 好差评
annex ends at the foot of a page, so its data rows are set a little closer and its note fits under them."""

from __future__ import annotations

import io
import subprocess

import pytest
from docx import Document
from docx.oxml.ns import qn

from .conftest import INPUTS, TEMPLATES
from pipeline.run.build import build_bulletin
from pipeline.check import check_document
from pipeline.render.note_fit import CLOSER_LINES, NOTE_SPARE
from pipeline.standard.pages import PageCounter, position_before
from pipeline.write.pdf import docx_to_pdf, font_environment
from pipeline.standard.measures import TABLE_LINE

NOTE = "注：投票率"


@pytest.fixture(scope="module")
def built():
    return build_bulletin("2023Q2", INPUTS, TEMPLATES).docx


def _note_and_table(document):
    note = next(p for p in document.paragraphs if p.style.name == "表注")
    return note, note._p.getprevious()


def test_note_fits_under_the_last_row_in_the_line_count(built):
    document = Document(io.BytesIO(built))
    note, tbl = _note_and_table(document)
    position, geometry = position_before(document, note._p)
    height = PageCounter(document).paragraph_height(note._p, geometry.width)
    assert position.used + height + NOTE_SPARE <= geometry.height


def test_data_rows_closer_alike_header_rows_as_styled(built):
    document = Document(io.BytesIO(built))
    _, tbl = _note_and_table(document)
    rows = tbl.findall(qn("w:tr"))
    lines = {p.find(qn("w:pPr") + "/" + qn("w:spacing")).get(qn("w:line"))
             for tr in rows if tr.find(qn("w:trPr") + "/" + qn("w:tblHeader")) is None for p in tr.iter(qn("w:p"))}
    assert len(lines) == 1 and int(lines.pop()) in CLOSER_LINES  # one line for every data row, 18–19.5 pt
    assert all(p.find(qn("w:pPr") + "/" + qn("w:spacing")) is None for p in rows[0].iter(qn("w:p")))
    assert all(p.find(qn("w:pPr") + "/" + qn("w:keepNext")) is not None for p in rows[-1].iter(qn("w:p")))
    assert check_document(document) == []


def test_other_bulletins_keep_the_table_line():
    document = Document(io.BytesIO(build_bulletin("2024Q1", INPUTS, TEMPLATES).docx))
    for table in document.tables:
        assert all(p.paragraph_format.line_spacing is None for row in table.rows for c in row.cells for p in c.paragraphs)
    assert TABLE_LINE not in CLOSER_LINES


def test_libreoffice_sets_the_note_on_the_page_of_the_last_row(built, tmp_path):
    (tmp_path / "b.pdf").write_bytes(docx_to_pdf(built))
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "b.pdf"), "-"], capture_output=True, text=True,
                          env=font_environment(), check=True).stdout
    page = next(p for p in text.split("\f") if NOTE in p)
    assert "教育分中心" in page  # the last row of the annex
