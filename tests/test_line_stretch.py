"""A justified line is not spread with wide gaps before a Latin string too long for the rest of
it (an e-mail address, kept whole): that paragraph is set flush left, its text unchanged."""

from __future__ import annotations

import re
import subprocess

from docx import Document

from .bulletin_files import sample_docx, sample_document, saved_and_checked
from pipeline.render.justify import STRETCH_CHARS, unstretch_lines
from pipeline.standard.pages import count_lines, line_ends
from pipeline.write.pdf import docx_to_pdf, font_environment
from pipeline.standard.measures import BODY_STYLE, SIZE_3, TEXT_WIDTH, condensed_spacing

ADDRESS = "ycxzspjsgg@163.com"
CONTACT = ("请各地各部门主要领导高度重视，针对通报的问题及时安排整改落实，整改情况汇总后专报市领导。"
           f"联系电话：18162362361，报送邮箱：{ADDRESS}。")
PLAIN = "请各地各部门主要领导高度重视，针对通报的问题及时安排整改落实，整改情况汇总后专报市领导，确保各项工作落到实处。"


def _gaps(text: str) -> list[float]:
    room = TEXT_WIDTH - 2 * SIZE_3 * 20  # 首行缩进二字
    return [gap / (SIZE_3 * 20) for gap, wrapped in line_ends(text, room, TEXT_WIDTH, SIZE_3, condensed_spacing()) if wrapped]


def test_only_the_line_before_a_long_address_is_left_wide():
    assert max(_gaps(CONTACT)) > STRETCH_CHARS
    assert max(_gaps(PLAIN)) < 1.5  # Chinese text breaks between any two characters


def test_every_line_reported_once_and_a_line_break_ends_a_run_of_text():
    room = TEXT_WIDTH - 2 * SIZE_3 * 20
    assert count_lines(CONTACT, room, TEXT_WIDTH, SIZE_3, condensed_spacing()) == len(_gaps(CONTACT)) + 1 == 3
    assert [wrapped for _, wrapped in line_ends("一\n二", 1000, 1000, SIZE_3, 0)] == [False, False]


def _with_paragraph(text: str) -> Document:
    document = sample_document()
    closing = next(p for p in document.paragraphs if p.style.name == BODY_STYLE and p.text.startswith("请"))
    closing.insert_paragraph_before(text, style=BODY_STYLE)
    return document


def _paragraph(document, text):
    return next(p for p in document.paragraphs if text in p.text)


def test_sample_paragraph_before_the_address_is_set_flush_left(tmp_path):
    document = sample_document()
    assert _paragraph(document, ADDRESS).paragraph_format.alignment == 0  # LEFT
    assert ADDRESS in _paragraph(document, ADDRESS).text  # the text as it was, the address whole
    assert saved_and_checked(document, tmp_path) == []  # and still may not break (DOC-WRAP-01)


def test_paragraph_without_a_stretched_line_stays_justified():
    document = _with_paragraph(PLAIN)
    unstretch_lines(document)
    assert _paragraph(document, PLAIN).paragraph_format.alignment is None  # justified by its style


def _line_ends_in_pdf(pdf: bytes, folder) -> dict[str, float]:
    """Right edge (points) of each line of the PDF's text, by its text."""
    (folder / "b.pdf").write_bytes(pdf)
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(folder / "b.pdf"), "-"], capture_output=True, text=True,
                         env=font_environment(), check=True).stdout
    lines = re.findall(r'<line xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">(.*?)</line>', xml, re.S)
    return {"".join(re.findall(r">([^<]*)</word>", body)): float(x) for x, body in lines}


def test_libreoffice_ends_the_line_before_the_address_short(tmp_path):
    ends = _line_ends_in_pdf(docx_to_pdf(sample_docx()), tmp_path)
    before = next(x for text, x in ends.items() if text.endswith("报送邮箱："))
    full = next(x for text, x in ends.items() if text.startswith("请各地各部门"))  # the paragraph's first, full line
    assert full - before > STRETCH_CHARS * SIZE_3  # ends short, not spread to the margin (it was at 521 pt)
    assert any(text.startswith(ADDRESS) for text in ends)  # the address whole on the next line
