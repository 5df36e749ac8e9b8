"""Shared helpers for the format tests: the 2024Q1 sample bulletin, built once per session,
and ways to open a copy of it, edit it with python-docx and check it again."""

from __future__ import annotations

import io
import shutil
from functools import lru_cache
from pathlib import Path

from docx import Document

from pipeline.run.build import build_bulletin
from pipeline.check import check_document

from .conftest import INPUTS, ROOT, TEMPLATES

PERIOD = "2024Q1"


@lru_cache(maxsize=None)
def sample_docx() -> bytes:
    """The .docx of the sample bulletin, as `make bulletin` builds it."""
    return build_bulletin(PERIOD, INPUTS, TEMPLATES).docx


def sample_document():
    """A fresh python-docx Document of the sample bulletin, to edit."""
    return Document(io.BytesIO(sample_docx()))


def saved_and_checked(document, folder: Path) -> list:
    """Save ``document`` as a real file, open it again and check it."""
    path = folder / "edited.docx"
    document.save(str(path))
    return check_document(Document(str(path)))


def copy_inputs(folder: Path) -> Path:
    """A copy of inputs/ (the sample period and the registries) to change for one test."""
    target = folder / "inputs"
    shutil.copytree(INPUTS, target)
    return target
