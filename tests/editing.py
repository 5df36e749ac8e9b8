"""Edits a clerk makes, done on real files: Word documents with python-docx, Excel with openpyxl."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
from docx import Document
from docx.text.paragraph import Paragraph


def body_paragraphs(document) -> list[Paragraph]:
    return [Paragraph(e, document) for e in document.element.body.iterchildren() if e.tag.endswith("}p")]


def texts(document) -> list[str]:
    return [p.text for p in body_paragraphs(document) if p.text.strip()]


def paragraph_with(document, fragment: str) -> Paragraph:
    (found,) = [p for p in body_paragraphs(document) if fragment in p.text]
    return found


def paragraph_reading(document, text: str) -> Paragraph:
    (found,) = [p for p in body_paragraphs(document) if p.text == text]
    return found


def replace_text(paragraph: Paragraph, old: str, new: str) -> None:
    """Replace ``old`` inside one run, as typing over a word does."""
    for run in paragraph.runs:
        if old in run.text:
            run.text = run.text.replace(old, new)
            return
    raise AssertionError(f"{old!r} not in one run of {paragraph.text!r}")


def insert_after(paragraph: Paragraph, text: str) -> Paragraph:
    """A new paragraph in the same style right after ``paragraph``."""
    new = paragraph.insert_paragraph_before(text, style=paragraph.style)
    paragraph._p.addnext(new._p)
    return new


def delete(paragraph: Paragraph) -> None:
    paragraph._p.getparent().remove(paragraph._p)


def row_of(table, unit: str):
    (row,) = [r for r in table.rows if any(c.text == unit for c in r.cells)]
    return row


def column_of(table, header: str) -> int:
    return [c.text.replace("\n", "") for c in table.rows[0].cells].index(header)  # headers broken into lines


def set_cell(cell, text: str) -> None:
    cell.paragraphs[0].runs[0].text = text


def comments_text(path: Path) -> str:
    with zipfile.ZipFile(path) as package:
        names = [n for n in package.namelist() if n.endswith("comments.xml")]
        return "".join(package.read(n).decode("utf-8") for n in names)


def set_score(path: Path, unit: str, header: str, value) -> None:
    """Change one cell of a score or record table, found by unit and column header."""
    book = openpyxl.load_workbook(path)
    sheet = book.active
    rows = list(sheet.iter_rows())
    (header_row,) = [r for r in rows if any(c.value == header for c in r)]
    col = [c.value for c in header_row].index(header)
    unit_col = [c.value for c in header_row].index(next(v.value for v in header_row if v.value in ("单位", "部门", "镇（街道）")))
    (row,) = [r for r in rows if r[unit_col].value == unit]
    row[col].value = value
    book.save(path)


def add_row(path: Path, values: tuple) -> None:
    book = openpyxl.load_workbook(path)
    book.active.append(values)
    book.save(path)


def add_overdue_case(path: Path, case_id: str, unit: str, matter: str) -> None:
    """A case applied for on 1 March with a 3-working-day limit, still not completed."""
    add_row(path, (case_id, unit, matter, "群众", "窗口", dt.datetime(2024, 3, 1), 3, None))


def regrade(path, old: str, new: str, rows: list[int] | None = None) -> list[int]:
    """Change evaluations graded ``old`` to ``new`` (好差评记录), in ``rows`` if given; the rows changed."""
    book = openpyxl.load_workbook(path)
    sheet = book.active
    column = [c.value for c in sheet[1]].index("评价结果")
    changed = []
    for row in sheet.iter_rows(min_row=2):
        if row[column].value == old and (rows is None or row[column].row in rows):
            row[column].value = new
            changed.append(row[column].row)
    book.save(path)
    return changed


def libreoffice_round_trip(source: Path, folder: Path) -> Path:
    """The file as LibreOffice saves it (``soffice --headless --convert-to docx``)."""
    folder.mkdir(parents=True, exist_ok=True)
    profile = folder / "lo-profile"
    subprocess.run(
        [shutil.which("soffice"), f"-env:UserInstallation=file://{profile}", "--headless",
         "--convert-to", "docx", "--outdir", str(folder), str(source)],
        check=True, capture_output=True, timeout=180,
    )
    return folder / source.name


def open_docx(path: Path):
    return Document(str(path))
