"""Rendering the Word template with docxtpl, and writing byte-identical .docx files."""

from __future__ import annotations

import datetime as dt
import functools
import io
from pathlib import Path
from typing import Callable

from docxtpl import DocxTemplate
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from ..compose import Document
from ..word.zipped import normalise_zip, xml_safe
from . import body, imprint, justify, list_annex, note_fit, parts, properties, sections, signature, tables
from .context import RenderContext
from .passes import run_passes

# The modules whose passes the writer runs: loading them registers their passes (render/passes.py).
PASS_MODULES = (parts, list_annex, tables, body, signature, imprint, sections, note_fit, justify, properties)


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


class _TemplateEnvironment(SandboxedEnvironment):
    """Compiles each text once per process: a batch fills the same template parts again and
    again. The key is the whole text, so a changed template is compiled anew."""

    def from_string(self, source, globals=None, template_class=None):
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        return self._compiled(source)

    @functools.lru_cache(maxsize=64)
    def _compiled(self, source: str):
        return super().from_string(source)


@functools.cache
def template_environment() -> SandboxedEnvironment:
    """The sandboxed, autoescaping Jinja environment the Word template is rendered in."""
    return _TemplateEnvironment(autoescape=True, finalize=xml_text)


def render_docx(template: Path, document: Document, issued_on: dt.date, finish: Callable | None = None) -> bytes:
    """The bulletin as .docx bytes: the template filled with ``document``, then every registered
    render pass over it in order (render/passes.py).

    ``finish``, if given, is called with the python-docx document just before it is saved
    (the build uses it to put in the record of what was generated).
    """
    tpl = DocxTemplate(str(template))
    tpl.render({"doc": document}, jinja_env=template_environment(), autoescape=True)
    run_passes(RenderContext(tpl.docx, document, issued_on))
    if finish is not None:
        finish(tpl.docx)
    buffer = io.BytesIO()
    tpl.docx.save(buffer)
    return normalise_zip(buffer.getvalue())
