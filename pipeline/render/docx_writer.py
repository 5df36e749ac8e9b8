"""Rendering the Word template with docxtpl, and writing byte-identical .docx files."""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from pathlib import Path

from docxtpl import DocxTemplate
from jinja2.sandbox import SandboxedEnvironment

from ..compose import Document
from . import ooxml
from .template_builder import TEXT_WIDTH_MM

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def zip_timestamp() -> tuple:
    """Time stamped on every zip entry: SOURCE_DATE_EPOCH if set, else a fixed date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        moment = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
        return max((moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second), ZIP_EPOCH)
    return ZIP_EPOCH


def normalise_zip(data: bytes) -> bytes:
    """The same package with fixed entry times and attributes, so equal content gives equal bytes."""
    stamp = zip_timestamp()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            entry.create_system = 0
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def _fit_annex_tables(docx, document: Document) -> None:
    """Column widths in proportion to each annex's content, filling the text block."""
    total = ooxml.mm_to_twips(TEXT_WIDTH_MM)
    for table, annex in zip(docx.tables, document.annexes):
        weights = annex.widths or [1] * len(annex.header)
        widths = [total * w // sum(weights) for w in weights]
        widths[-1] += total - sum(widths)
        ooxml.set_table_width(table, widths)


def render_docx(template: Path, document: Document, issued_on: dt.date) -> bytes:
    """The bulletin as .docx bytes: the template filled with ``document``."""
    tpl = DocxTemplate(str(template))
    env = SandboxedEnvironment(autoescape=True)
    tpl.render({"doc": document}, jinja_env=env, autoescape=True)
    docx = tpl.docx
    _fit_annex_tables(docx, document)
    props = docx.core_properties
    props.title = document.title
    props.author = document.office
    props.last_modified_by = document.office
    props.comments = ""
    props.revision = 1
    issued = dt.datetime.combine(issued_on, dt.time())  # document properties carry the 成文日期, not the build time
    props.created = issued
    props.modified = issued
    buffer = io.BytesIO()
    docx.save(buffer)
    return normalise_zip(buffer.getvalue())
