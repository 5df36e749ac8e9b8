"""The PDF of the 2024Q1 bulletin through LibreOffice with the free stand-in faces: its pages,
its text, its fonts and its preview images. Skipped only where LibreOffice is absent
(.ci/run installs it)."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter

import pytest
from click.testing import CliRunner

from .bulletin_files import INPUTS, PERIOD, ROOT, copy_inputs, sample_docx
from pipeline.run.build import build_bulletin
from pipeline.cli import main
from pipeline.write.pdf import docx_to_pdf, font_environment, pdf_text, pdf_to_pngs

pytestmark = [
    pytest.mark.soffice,
    pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                       reason="LibreOffice (soffice) and poppler-utils are not installed"),
]

# 正文 and 附件说明 (5 pages), 附件1 on two landscape pages, 附件2 on page 8 with the 版记 at its foot
EXPECTED_PAGES = 8


@pytest.fixture(scope="module")
def pdf(tmp_path_factory):
    path = tmp_path_factory.mktemp("pdf") / "bulletin.pdf"
    path.write_bytes(docx_to_pdf(sample_docx()))
    return path


@pytest.fixture(scope="module")
def pages(pdf):
    return pdf_text(pdf).split("\f")[:-1]


@pytest.fixture(scope="module")
def document():
    return build_bulletin(PERIOD, INPUTS, ROOT / "templates").document


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_page_count_and_page_numbers(pages):
    assert len(pages) == EXPECTED_PAGES
    for number, page in enumerate(pages, start=1):
        assert re.search(rf"—\s*{number}\s*—", page), f"page {number} has no “— {number} —”"


def test_body_pages_keep_the_22_by_28_grid(pages):
    lines = [squeeze(line) for line in pages[1].splitlines() if line.strip()]
    text_lines = [line for line in lines if not re.fullmatch(r"—\d+—", line)]
    assert len(text_lines) == 22
    assert Counter(len(line) for line in text_lines).most_common(1)[0][0] == 28


def test_text_carries_title_and_every_heading(pages, document):
    text = squeeze("".join(pages))
    assert squeeze(document.title) in text
    for section in document.sections:
        assert squeeze(section.number + section.heading) in text
        for paragraph in section.paragraphs:
            if paragraph.lead:
                assert squeeze(paragraph.lead) in text


def test_every_annex_row_is_on_one_line(pages, document):
    lines = [squeeze(line) for page in pages for line in page.splitlines()]
    for annex in document.annexes:
        for row in annex.rows:
            wanted = [cell for cell in row if cell not in ("", "/")]
            assert any(line.startswith(squeeze(wanted[0] + wanted[1])) and line.endswith(wanted[-1]) for line in lines), row


def test_annexes_start_their_own_pages_and_imprint_is_last(pages, document):
    for annex in document.annexes:
        starts = [i for i, page in enumerate(pages) if squeeze(page).startswith(f"附件{annex.number}")]
        assert len(starts) == 1, annex.number
    assert "印发" in pages[-1]
    assert squeeze(document.printed_on + "印发") in squeeze(pages[-1])


def test_wide_annex_is_landscape(pdf):
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", str(EXPECTED_PAGES), str(pdf)], capture_output=True,
                          text=True, check=True).stdout
    sizes = re.findall(r"Page\s+(\d+) size:\s+([\d.]+) x ([\d.]+)", info)
    landscape = [int(n) for n, w, h in sizes if float(w) > float(h)]
    assert landscape == [6, 7]  # 附件1, the 14-column 市直部门 table


def test_pdf_uses_the_stand_in_faces(pdf):
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True,
                           env=font_environment()).stdout
    for face in ("FandolFang", "FandolHei", "FandolKai", "FandolSong", "NotoSerifCJK"):
        assert face in fonts, fonts


def test_preview_writes_one_png_per_page(pdf, tmp_path):
    images = pdf_to_pngs(pdf, tmp_path / "preview")
    assert [p.name for p in images] == [f"page-{n}.png" for n in range(1, EXPECTED_PAGES + 1)]
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in images)


def test_build_command_writes_pdf_beside_docx(tmp_path):
    inputs = copy_inputs(tmp_path)
    result = CliRunner().invoke(main, ["build", "--period", PERIOD, "--pdf", "--inputs", str(inputs),
                                       "--templates", str(ROOT / "templates"), "--outputs", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    pdfs = list((tmp_path / "out" / PERIOD).glob("*.pdf"))
    assert len(pdfs) == 1 and pdfs[0].read_bytes().startswith(b"%PDF")
    assert pdfs[0].with_suffix(".docx").exists()
