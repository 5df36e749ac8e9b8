"""A bulletin of about 10,000 pages: the sample's body paragraphs repeated, for the checker's
running time."""

from __future__ import annotations

import copy
import io
from pathlib import Path

from docx import Document

from pipeline.standard.measures import BODY_STYLE

from .bulletin_files import sample_docx


def body_paragraphs(document) -> list:
    """The sample's plain 正文 paragraphs with text (the ones a long bulletin has many of)."""
    return [p._p for p in document.paragraphs if p.style.name == BODY_STYLE and len(p.text) > 60]


def write_big_bulletin(path: Path, copies: int) -> Path:
    """The sample bulletin with ``copies`` more 正文 paragraphs after its own, saved at ``path``."""
    document = Document(io.BytesIO(sample_docx()))
    originals = body_paragraphs(document)
    anchor = originals[-1]
    for number in range(copies):
        clone = copy.deepcopy(originals[number % len(originals)])
        anchor.addnext(clone)
        anchor = clone
    document.save(str(path))
    return path
