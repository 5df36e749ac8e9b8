"""Rendering the Word template with docxtpl, and writing byte-identical .docx files.

A template is parsed once per process (keyed by its bytes: a changed file is parsed anew) and
every document starts from it (word/package_parts.py: its own copies of the parts a render
changes, the template's styles shared), so the bulletin and each of its notices do not open,
unzip and parse the same file again; the template's text prepared for Jinja is
kept the same way, and so is the compiled Jinja template (:class:`_TemplateEnvironment`).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from pathlib import Path
from typing import Callable

from docxtpl import DocxTemplate
from jinja2 import TemplateError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from ..compose import Document
from ..core.errors import BulletinError
from ..word.package_parts import parsed_template, seal, started_from, unseal
from ..word.zipped import package_zip, xml_safe
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


class FillInError(BulletinError):
    """A fill-in marker of the Word template ({{ }}, {% %}) that cannot be filled in (填写标记有误)."""

    def __init__(self, template: Path, error: TemplateError):
        super().__init__(f"{template}：模板中的填写标记有误（{error.__class__.__name__}：{error.message or error}），"
                         "请在 Word 中检查 {{ }} 与 {% %} 是否成对、所写的名称是否存在")


TEMPLATES_KEPT = 8  # parsed templates one process keeps (a batch's kinds)


class _ParsedTemplate(DocxTemplate):
    """A docxtpl template whose document starts from the template parsed once, and whose
    parts' text is prepared for Jinja once (docxtpl's patch_xml, a pure function of the text)."""

    def __init__(self, template: Path):
        super().__init__(str(template))
        self._bytes = Path(template).read_bytes()

    def init_docx(self, reload: bool = True):
        if not self.docx or (self.is_rendered and reload):
            self.docx = started_from(_parsed(self._bytes, str(self.template_file)))
            self.is_rendered = False

    def patch_xml(self, src_xml):
        return _patched(src_xml)

    def resolve_listing(self, xml):
        """docxtpl's tabs, line and page breaks written into the text, worked out only in the
        paragraphs whose XML has one of those characters: docxtpl leaves every other as it is."""
        resolve = super().resolve_listing
        return _PARAGRAPH.sub(lambda m: resolve(m.group(0)) if _LISTING.search(m.group(0)) else m.group(0), xml)


_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)  # as docxtpl's resolve_listing finds paragraphs
_LISTING = re.compile("[\t\a\n\f]")  # what docxtpl's resolve_listing turns into tabs and breaks


_templates: dict[bytes, object] = {}


def _parsed(data: bytes, name: str = "Word 模板"):
    """The template of these bytes as python-docx opens it, parsed once (never changed: each document
    starts from it); WordFileError naming ``name`` if it is no Word document."""
    if data not in _templates:
        if len(_templates) >= TEMPLATES_KEPT:
            _templates.clear()
        _templates[data] = parsed_template(data, name)
    return _templates[data]


@functools.lru_cache(maxsize=64)
def _patched(src_xml: str) -> str:
    return DocxTemplate.patch_xml(None, src_xml)


def render_docx(template: Path, document: Document, issued_on: dt.date, finish: Callable | None = None) -> bytes:
    """The bulletin as .docx bytes: the template filled with ``document``, then every registered
    render pass over it in order (render/passes.py).

    ``finish``, if given, is called with the python-docx document just before it is saved
    (the build uses it to put in the record of what was generated). The bytes of the XML parts
    are taken once, after the last pass: ``finish`` may add parts and change parts that are not
    XML, and reads the parts' bytes through word/package_parts.part_bytes.
    """
    tpl = _ParsedTemplate(template)
    try:
        tpl.render({"doc": document}, jinja_env=template_environment(), autoescape=True)
    except TemplateError as error:  # a marker the clerk's edit of the template broke: the template's fault, not the program's
        raise FillInError(template, error) from None
    run_passes(RenderContext(tpl.docx, document, issued_on))
    seal(tpl.docx)
    try:
        if finish is not None:
            finish(tpl.docx)
        return package_zip(tpl.docx)
    finally:
        unseal(tpl.docx)
