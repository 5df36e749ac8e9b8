"""Rendering the Word template with docxtpl, and writing byte-identical .docx files."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import zipfile
from pathlib import Path

from docxtpl import DocxTemplate
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

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


# Characters XML 1.0 cannot carry (C0 controls other than tab and newline, lone
# surrogates, U+FFFE/U+FFFF): a vertical tab is Word's manual line break, the rest is noise.
_NOT_XML = re.compile("[\x00-\x08\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value) -> Markup:
    """A value from the data as literal text inside the rendered WordprocessingML.

    Escapes ``& < > " '``; writes ``_`` as a character reference because docxtpl turns
    ``{_{``, ``}_}``, ``{_%`` and ``%_}`` in the rendered XML into ``{{ }} {% %}``
    after rendering; keeps tab and newline (docxtpl prints them as a tab and a line
    break) and drops characters XML cannot hold, which would corrupt the file.
    Template syntax in data is never parsed: it arrives here as a value.
    """
    if hasattr(value, "__html__"):  # already WordprocessingML (docxtpl RichText, Listing): the template chose it
        return Markup(value.__html__())
    return Markup(str(escape(xml_safe(value))).replace("_", "&#95;"))


def xml_safe(value) -> str:
    """``value`` as text XML can hold: line ends as newlines, impossible characters dropped."""
    text = "" if value is None else str(value)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n")
    return _NOT_XML.sub("", text)


def template_environment() -> SandboxedEnvironment:
    """The sandboxed, autoescaping Jinja environment the Word template is rendered in."""
    return SandboxedEnvironment(autoescape=True, finalize=xml_text)


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
    tpl.render({"doc": document}, jinja_env=template_environment(), autoescape=True)
    docx = tpl.docx
    _fit_annex_tables(docx, document)
    props = docx.core_properties
    props.title = xml_safe(document.title)
    props.author = xml_safe(document.office)
    props.last_modified_by = xml_safe(document.office)
    props.comments = ""
    props.revision = 1
    issued = dt.datetime.combine(issued_on, dt.time())  # document properties carry the 成文日期, not the build time
    props.created = issued
    props.modified = issued
    buffer = io.BytesIO()
    docx.save(buffer)
    return normalise_zip(buffer.getvalue())
