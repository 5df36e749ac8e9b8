"""The section tree: body statements, numbered items under topic headings, numbers closing up.

Levels (GB/T 9704 7.3.3): the section's 一、, then items （一） (楷体 heading), 1． (bold
heading), （1）. An item is a ``topic`` (a heading on its own line, no full stop, with its
``body`` and ``items`` under it), a ``lead`` (an inline heading: （二）满意率。 then the first
paragraph of its body) or a statement (numbered itself). An item whose statements all drop
out disappears with its heading, and the items after it close up.
"""

from __future__ import annotations

import re

from ..config.declared import SECTIONS
from ..config.view import Settings
from ..language.formats import chinese_number
from .document import Paragraph
from .prose import document_paragraphs
from ..language.statements import Speaker, is_empty, say, subject

SENTENCE_END = re.compile(r"[。！？]")
HEADING_LEVELS = (2, 3, 4)  # （一）, 1．, （1）
FIRST_LEVEL = {"（一）": 2, "1．": 3}  # a section's ``numbering``: the level its items start at


def number_of(level: int, n: int) -> str:
    return {2: f"（{chinese_number(n)}）", 3: f"{n}．", 4: f"（{n}）"}[level]


def body_paragraphs(statements, speaker: Speaker) -> list[Paragraph]:
    return [p for statement in statements or [] for p in statement_paragraphs(statement, speaker)]


def statement_paragraphs(statement, speaker: Speaker) -> list[Paragraph]:
    """What one statement of a body prints; a prose document (``file:``) with its headings."""
    if not (isinstance(statement, dict) and statement.get("file")):
        return [Paragraph(text=text) for text in say(statement, speaker)]
    value, has_subject = subject(statement, speaker)
    if has_subject and is_empty(value):
        return [Paragraph(text=speaker.fill(statement["when_empty"]))] if statement.get("when_empty") else []
    return document_paragraphs(speaker.prose[statement["file"]], speaker)


def items_paragraphs(items, level: int, speaker: Speaker) -> list[Paragraph]:
    """The items at ``level``, numbered in order after those that dropped out are gone."""
    made = [made for item in items or [] for made in _item(item, level, speaker)]
    paragraphs = []
    for n, build in enumerate(made, start=1):
        paragraphs += build(number_of(level, n))
    return paragraphs


def _empty(item: dict, speaker: Speaker) -> bool:
    """``when: 名称`` on a topic, lead or section: that figure has no rows."""
    if not item.get("when"):
        return False
    value, _ = subject({"when": item["when"]}, speaker)
    return is_empty(value)


def _item(item, level: int, speaker: Speaker) -> list:
    """Builders (number → paragraphs) of one configured item: none when it drops out; one per
    row for an ``each`` item without ``join``."""
    if isinstance(item, str) or not (item.get("topic") or item.get("lead")):
        texts = say(item, speaker.within(_short(item)))
        return [_numbered(text, level) for text in texts]
    empty = _empty(item, speaker)
    if empty and not item.get("when_empty"):
        return []
    name = speaker.scope.fill(str(item.get("topic") or item.get("lead")))
    inner = speaker.within(name)
    if empty:  # the heading stays, with the other sentence under it
        body, below = [Paragraph(text=inner.fill(item["when_empty"]))], []
    else:
        body = body_paragraphs(item.get("body"), inner)
        below = items_paragraphs(item.get("items"), level + 1, inner) if level < HEADING_LEVELS[-1] else []
    if not body and not below:
        return []
    if item.get("topic"):
        return [lambda number: [_heading(number + name, level)] + body + below]
    return [lambda number: _with_lead(number + _stopped(name), level, body) + below]


def _short(item) -> str:
    """What an item is called in the evidence file: its sentence, or the figure a row-by-row one reads."""
    text = item if isinstance(item, str) else str(item.get("text") or item.get("each") or item.get("file") or "")
    if "{{" in text and not isinstance(item, str) and item.get("each"):
        text = str(item["each"])
    return text if len(text) <= 20 else text[:20] + "…"


def _numbered(text: str, level: int):
    """A numbered statement: at （一） and 1． its first sentence is the heading (楷体 / bold), as
    GB/T 9704 reads a paragraph opening with the number; at （1） plain."""
    return lambda number: [_first_sentence_lead(number + text, level)]


def _first_sentence_lead(text: str, level: int) -> Paragraph:
    if level == 4:
        return Paragraph(text=text)
    match = SENTENCE_END.search(text)
    end = match.end() if match else len(text)
    return Paragraph(text=text[end:], lead=text[:end], level=level)


def _heading(text: str, level: int) -> Paragraph:
    """A stand-alone heading: 楷体 at （一）, bold 仿宋 at 1．, plain at （1）."""
    if level == 4:
        return Paragraph(text=text)
    return Paragraph(text="", lead=text, level=level)


def _with_lead(lead: str, level: int, body: list[Paragraph]) -> list[Paragraph]:
    if level == 4:
        return [Paragraph(text=lead + (body[0].text if body else ""))] + body[1:]
    if not body:
        return [Paragraph(text="", lead=lead, level=level)]
    return [Paragraph(text=body[0].text, lead=lead, level=level)] + body[1:]


def _stopped(text: str) -> str:
    return text if text[-1:] in "。！？：" else text + "。"


def tree_paragraphs(section: dict, speaker: Speaker) -> list[Paragraph]:
    """A section's body, then its numbered items; nothing when its ``when`` figure is empty."""
    if _empty(section, speaker):
        return [Paragraph(text=speaker.fill(section["when_empty"]))] if section.get("when_empty") else []
    level = FIRST_LEVEL[Settings(section, SECTIONS).value("numbering")]
    return body_paragraphs(section.get("body"), speaker) + items_paragraphs(section.get("items"), level, speaker)


def prose_files(node) -> list[str]:
    """The clerk's prose files (``file:``) a section's statements name, at any depth."""
    if isinstance(node, list):
        return [name for item in node for name in prose_files(item)]
    if not isinstance(node, dict):
        return []
    own = [str(node["file"])] if node.get("file") and node.get("type") not in ("narrative", "document") else []
    return own + prose_files(node.get("body")) + prose_files(node.get("items"))
