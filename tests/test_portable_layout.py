"""The delivered .docx, converted as it is by LibreOffice (no patched copy): 28 characters a
line, 22 lines a page, the 版记 at the foot of an even last page, the pages where the
bulletin's own line count puts them; and pandoc reads its headings."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile

import pytest
from docx import Document

from .bulletin_files import copy_inputs, sample_docx
from .conftest import INPUTS, TEMPLATES
from pipeline.run.build import build_bulletin
from pipeline.standard.pages import page_count
from pipeline.write.pdf import docx_to_pdf, pdf_text
from pipeline.standard.measures import chars_in

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                                   reason="LibreOffice (soffice) and poppler-utils are not installed")

SAMPLES = {"2024Q1": sample_docx, "2023Q2": lambda: build_bulletin("2023Q2", INPUTS, TEMPLATES).docx}


@pytest.fixture(scope="module", params=sorted(SAMPLES))
def converted(request, tmp_path_factory):
    """(docx bytes, pages of text) of a sample converted by LibreOffice."""
    docx = SAMPLES[request.param]()
    path = tmp_path_factory.mktemp("lo") / "bulletin.pdf"
    path.write_bytes(docx_to_pdf(docx))
    return docx, pdf_text(path).split("\f")[:-1], path


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.soffice
@needs_soffice
def test_body_lines_hold_28_characters(converted):
    _, pages, _ = converted
    lines = [squeeze(line) for line in pages[1].splitlines() if line.strip()]
    text_lines = [line for line in lines if not re.fullmatch(r"—\d+—", line)]
    assert len(text_lines) == 22
    body = [squeeze(line) for page in pages[1:4] for line in page.splitlines() if line.strip()]
    widths = [chars_in(line) for line in body if not re.fullmatch(r"—\d+—", line)]  # digits count half
    assert max(widths) <= 29  # adjacent marks （，“ may be set closer, a closing mark may hang
    assert sum(width == 28 for width in widths) >= 10  # full lines hold 28 characters, not 16


@pytest.mark.soffice
@needs_soffice
def test_imprint_closes_an_even_last_page_where_the_line_count_puts_it(converted):
    docx, pages, path = converted
    assert len(pages) % 2 == 0
    assert len(pages) == page_count(Document(io.BytesIO(docx)))
    with zipfile.ZipFile(io.BytesIO(docx)) as package:  # app.xml tells the same count
        assert f"<Pages>{len(pages)}</Pages>" in package.read("docProps/app.xml").decode("utf-8")
    last = [squeeze(line) for line in pages[-1].splitlines() if line.strip()]
    printed = next(i for i, line in enumerate(last) if line.endswith("印发"))
    assert printed >= len(last) - 2  # only the page number, if any, below it
    boxes = subprocess.run(["pdftotext", "-bbox", "-f", str(len(pages)), "-l", str(len(pages)), str(path), "-"],
                           capture_output=True, text=True, check=True).stdout
    bottom = max(float(y) for y in re.findall(r'yMax="([\d.]+)">[^<]*印发', boxes))
    assert bottom > 841.9 - 99.2 - 2 * 28.95  # within two lines of the text block's foot (下白边 35 mm)


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
def test_pandoc_sees_the_headings(tmp_path):
    path = tmp_path / "bulletin.docx"
    path.write_bytes(sample_docx())
    markdown = subprocess.run(["pandoc", "-t", "markdown", str(path)], capture_output=True, text=True,
                              check=True).stdout
    headings = [line for line in markdown.splitlines() if line.startswith("# ")]
    assert [h.split(" {")[0] for h in headings] == ["# 一、考核排名情况", "# 二、总体情况", "# 三、存在问题"]


@pytest.mark.soffice
@needs_soffice
def test_a_blank_page_before_the_imprint_and_the_imprint_page_carry_no_number(converted):
    docx, pages, _ = converted
    last = Document(io.BytesIO(docx)).sections[-1]
    if "PAGE" in last.footer._element.xml:  # the 版记 shares the last annex page or follows an odd page
        assert re.search(rf"—\s*{len(pages)}\s*—", pages[-1])
        return
    assert not pages[-2].strip()  # 空白页
    assert not re.search(r"—\s*\d+\s*—", pages[-1]) and "印发" in pages[-1]
    assert re.search(rf"—\s*{len(pages) - 2}\s*—", pages[-3])


PROSE = "各窗口要对照标准逐项整改，确保群众办事便利。" * 3  # three lines of 正文


@pytest.mark.soffice
@needs_soffice
@pytest.mark.parametrize("extra", [1, 3, 8])
def test_imprint_stays_on_an_even_page_as_the_prose_grows(extra, tmp_path):
    """More prose moves the annexes a page on: the 版记 follows to the next even page, sharing,
    alone, or after a blank page, and LibreOffice's pages agree with the count."""
    inputs = copy_inputs(tmp_path)
    notes = inputs / "2023Q2" / "工作动态.md"
    notes.write_text(notes.read_text(encoding="utf-8") + ("\n\n" + PROSE) * extra, encoding="utf-8")
    docx = build_bulletin("2023Q2", inputs, TEMPLATES).docx
    path = tmp_path / "bulletin.pdf"
    path.write_bytes(docx_to_pdf(docx))
    pages = pdf_text(path).split("\f")[:-1]
    assert len(pages) == page_count(Document(io.BytesIO(docx))) and len(pages) % 2 == 0
    assert "印发" in pages[-1]
