"""The last passes before the file is saved: document properties, a clean package, and the record
of the parts the document has."""

from __future__ import annotations

import datetime as dt

from ..standard.package import clean_package
from ..standard.parts_record import write_parts
from ..word.zipped import xml_safe
from .passes import render_pass


@render_pass("文档属性", 1500)
def document_properties(context) -> None:
    """Title and office in the properties; the dates are the 成文日期, not the build time."""
    document, props = context.document, context.docx.core_properties
    props.title = xml_safe(document.title)
    props.author = xml_safe(document.office)
    props.last_modified_by = xml_safe(document.office)
    props.comments = ""
    props.revision = 1
    issued = dt.datetime.combine(context.issued_on, dt.time())
    props.created = issued
    props.modified = issued


@render_pass("清理文件包", 1600)
def package(context) -> None:
    """No stale parts, the compatibility settings, font table and page count of the finished document."""
    clean_package(context.docx, context.pages, company=xml_safe(context.document.office))


@render_pass("公文要素记录", 1700)
def parts_record(context) -> None:
    """The parts the document declares, carried inside it for the format checker."""
    write_parts(context.docx, context.document.parts)
