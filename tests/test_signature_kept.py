"""The 发文机关署名 and 成文日期 never stand alone on a page (GB/T 9704 7.3.5): the last
paragraph of text goes over with them. Checked in the .docx and in LibreOffice's pages."""

from __future__ import annotations

import subprocess

from docx import Document

from pipeline.write.pdf import docx_to_pdf

from .conftest import run


def _text(paragraph) -> str:
    return paragraph.text.strip()


def test_the_last_text_the_blank_lines_and_the_signature_keep_with_what_follows(inputs, tmp_path):
    result = run("build", "2024Q1", inputs, tmp_path / "out")
    assert result.exit_code == 0, result.output
    for path in [*(tmp_path / "out" / "2024Q1").glob("*.docx"), *(tmp_path / "out" / "2024Q1" / "整改通知").glob("*.docx")]:
        paragraphs = Document(str(path)).paragraphs
        first = next(i for i, p in enumerate(paragraphs) if p.style.name in ("发文机关署名", "成文日期"))
        text = max(i for i in range(first) if _text(paragraphs[i]))
        kept = paragraphs[text:first] + [p for p in paragraphs[first:] if p.style.name == "发文机关署名"]
        assert all(p.paragraph_format.keep_with_next for p in kept), path.name


def test_a_notice_whose_signature_would_fall_alone_on_the_next_page_takes_its_last_paragraph_along(inputs, tmp_path):
    """A short notice whose text ends near the foot of page 1: its 成文日期's page also holds text."""
    result = run("build", "2024Q1", inputs, tmp_path / "out")
    assert result.exit_code == 0, result.output
    for path in sorted((tmp_path / "out" / "2024Q1" / "整改通知").glob("*.docx"))[:3]:
        date = next(p.text for p in Document(str(path)).paragraphs if p.style.name == "成文日期")
        pdf = tmp_path / f"{path.stem}.pdf"
        pdf.write_bytes(docx_to_pdf(path.read_bytes()))
        pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split("\f")
        dated = next(page for page in pages if date in page.replace(" ", ""))
        lines = [line.strip() for line in dated.splitlines() if line.strip() and not line.strip().startswith("—")]
        assert len(lines) > 3, f"{path.name}: 成文日期的那一页只有署名和日期：{lines}"
