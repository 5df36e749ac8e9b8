"""A clerk's .docx (saved by Word or WPS) as the lines of a prose document.

Each paragraph of the body is one line, its runs' text joined (Word splits ``{{ 名称 }}`` over
runs when it spell-checks or autocorrects; joined, it reads as typed). Tracked changes count as
accepted: inserted text is read, deleted text is not; comments, bookmarks and field codes are not
text (a field's shown result is). Highlighted text is a passage the period supplies, read as
``==…==``. A heading style (Heading 1–4, 标题 1–4, or an outline level 1–4 on the paragraph or its
style) gives the paragraph its heading level. A table in the text is refused: a table belongs in
an annex, declared in kind.yaml.
"""

from __future__ import annotations

import io
import re

from ..language.prose import PERIOD_MARK, TO_FILL, ProseLine
from .opener import WordFileError, open_word

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*([1-4])$", re.I)
SKIPPED = {W + "del", W + "moveFrom", W + "instrText", W + "delText", W + "commentReference", W + "footnoteReference"}
PLACE_CHARS = 12  # how much of a paragraph a message shows
MAX_BASED_ON = 10  # styles based on styles: as deep as any template goes


def docx_lines(data: bytes, name: str) -> list[ProseLine]:
    """The paragraphs of the .docx ``data``; WordFileError naming ``name`` for a file Word cannot be."""
    document = open_word(data, name)
    lines, number = [], 0
    for child in _blocks(document.element.body):
        if child.tag == W + "tbl":
            raise WordFileError(name, f"第{number}段之后有一个表格：正文文件中不能放表格（表格请在 kind.yaml 中声明为附件）")
        if child.tag == W + "p":
            number += 1
            text = paragraph_text(child)
            lines.append(ProseLine(text, None, _place(number, text), heading_level(child, document)))
    return lines


def _blocks(container):
    """The paragraphs and tables of the body in order, those inside content controls (w:sdt) too."""
    for child in container.iterchildren():
        if child.tag == W + "sdt":
            content = child.find(W + "sdtContent")
            yield from _blocks(content) if content is not None else ()
        else:
            yield child


def _place(number: int, text: str) -> str:
    """第3段（“开头……”）: the paragraph as Word counts them, and its first characters as shown."""
    shown = PERIOD_MARK.sub(r"\1", text).strip()
    return f"第{number}段（“{shown[:PLACE_CHARS]}{'…' if len(shown) > PLACE_CHARS else ''}”）"


def paragraph_text(paragraph) -> str:
    """The paragraph as shown with changes accepted: runs joined, highlighted runs as ==…==."""
    pieces, marked = [], False
    for run in _runs(paragraph):
        text = _run_text(run)
        if not text:
            continue
        highlighted = is_highlighted(run)
        if highlighted != marked:
            pieces.append("==")
            marked = highlighted
        pieces.append(text)
    return "".join(pieces + (["=="] if marked else []))


def is_highlighted(run) -> bool:
    """A run in a highlight colour (Word writes ``none`` for one taken off)."""
    mark = run.find(f"{W}rPr/{W}highlight")
    return mark is not None and mark.get(W + "val") != "none"


def _runs(paragraph):
    """The paragraph's runs in order, those inside insertions, hyperlinks and fields too, none deleted."""
    for element in paragraph.iter(W + "r"):
        if not any(a.tag in SKIPPED for a in element.iterancestors()):
            yield element


def _run_text(run) -> str:
    text = []
    for child in run:
        if child.tag == W + "t":
            text.append(child.text or "")
        elif child.tag == W + "tab":
            text.append("\t")
    return "".join(text)


def heading_level(paragraph, document) -> int | None:
    """1–4 for a heading paragraph: an outline level on it, else its style's (a heading style's name,
    or an outline level), looked for up the styles it is based on."""
    level = _outline(paragraph.find(f"{W}pPr"))
    style_id = paragraph.find(f"{W}pPr/{W}pStyle")
    style = document.styles.element.get_by_id(style_id.get(W + "val")) if style_id is not None else None
    for _ in range(MAX_BASED_ON):
        if level is not None or style is None:
            break
        match = HEADING_STYLE.match(style.name_val or "")
        level = int(match.group(1)) if match else _outline(style.find(f"{W}pPr"))
        style = document.styles.element.get_by_id(style.basedOn_val) if style.basedOn_val else None
    return level


def _outline(properties) -> int | None:
    found = properties.find(f"{W}outlineLvl") if properties is not None else None
    if found is None:
        return None
    value = found.get(W + "val", "9").strip()
    level = int(value) + 1 if value.isascii() and value.isdigit() else None  # not a number Word writes: body text
    return level if level is not None and 1 <= level <= 4 else None


def cleared_docx(data: bytes, name: str) -> tuple[bytes, int]:
    """The .docx with each highlighted passage (the period's own text) replaced by 请填写, still
    highlighted, the rest as the clerk wrote it; and how many passages there were."""
    from .zipped import normalise_zip

    document = open_word(data, name)
    passages = 0
    for paragraph in document.element.body.iter(W + "p"):
        marked = False
        for run in _runs(paragraph):
            highlighted = is_highlighted(run)
            if highlighted and not _run_text(run):
                continue
            if highlighted:
                _set_text(run, "" if marked else TO_FILL)
                passages += 0 if marked else 1
            marked = highlighted
    buffer = io.BytesIO()
    document.save(buffer)
    return normalise_zip(buffer.getvalue()), passages


def _set_text(run, text: str) -> None:
    texts = [child for child in run if child.tag in (W + "t", W + "tab")]
    for child in texts[1:]:
        run.remove(child)
    if texts:
        texts[0].tag = W + "t"
        texts[0].text = text
