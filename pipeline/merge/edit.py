"""Changing a clerk's Word file in place without disturbing what the clerk did.

Text is changed run by run, token by token, so that the formatting of untouched words
(the 楷体 lead of an entry, a word the clerk made bold) stays as it was.
"""

from __future__ import annotations

import copy
from difflib import SequenceMatcher

from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from .match import tokens

COMMENT_AUTHOR = "通报生成"


def _token_opcodes(old: str, new: str) -> list[tuple[int, int, str]]:
    """(start, end, replacement) in character offsets of ``old``."""
    a, b = tokens(old), tokens(new)
    starts_a = [0]
    for t in a:
        starts_a.append(starts_a[-1] + len(t))
    changes = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag != "equal":
            changes.append((starts_a[i1], starts_a[i2], "".join(b[j1:j2])))
    return changes


def _run_at(texts: list[str], position: int, inserting: bool) -> tuple[int, int]:
    """(run index, offset in that run) for a character position; an insertion joins the run before it."""
    start = 0
    for index, text in enumerate(texts):
        end = start + len(text)
        if text and (start <= position < end or (inserting and position == end and position > 0)):
            return index, position - start
        start = end
    last = max((i for i, t in enumerate(texts) if t), default=len(texts) - 1)
    return last, len(texts[last]) if texts else 0


def set_paragraph_text(paragraph: Paragraph, new: str) -> bool:
    """Make the paragraph read ``new``, editing only the runs whose words change.

    Returns False, changing nothing, where the paragraph's text is not all in plain runs
    (a hyperlink): the caller then offers the new text as a comment instead.
    """
    runs = paragraph.runs
    texts = [run.text for run in runs]
    if "".join(texts) != paragraph.text:
        return False
    if not runs:
        paragraph.add_run(new)
        return True
    for start, end, replacement in reversed(_token_opcodes("".join(texts), new)):
        index, offset = _run_at(texts, start, inserting=start == end)
        # remove start..end, which may run on over following runs
        remaining, k, off = end - start, index, offset
        while remaining > 0 and k < len(texts):
            take = min(remaining, len(texts[k]) - off)
            texts[k] = texts[k][:off] + texts[k][off + take:]
            remaining -= take
            k, off = k + 1, 0
        texts[index] = texts[index][:offset] + replacement + texts[index][offset:]
    for run, text in zip(runs, texts):
        if run.text != text:
            run.text = text
    return True


def cell_paragraph(docx, tc) -> Paragraph:
    """The first paragraph of a table cell, where the annex puts its value."""
    return Paragraph(tc.find(qn("w:p")), docx)


def _style_ids_by_name(docx) -> dict[str, str]:
    return {style.name: style.style_id for style in docx.styles}


def adopt(element, source_docx, target_docx):
    """A copy of ``element`` from ``source_docx`` whose style references fit ``target_docx``.

    Styles are matched by name: a file saved by another program may have renamed their ids.
    """
    copied = copy.deepcopy(element)
    source_names = {style.style_id: style.name for style in source_docx.styles}
    target_ids = _style_ids_by_name(target_docx)
    for tag in ("w:pStyle", "w:rStyle", "w:tblStyle"):
        for ref in copied.iter(qn(tag)):
            name = source_names.get(ref.get(qn("w:val")))
            if name in target_ids:
                ref.set(qn("w:val"), target_ids[name])
    return copied


def add_comment(docx, paragraph: Paragraph, text: str) -> None:
    """A Word comment (批注) over the whole paragraph."""
    runs = [run for run in paragraph.runs if run.text]
    if not runs:
        runs = [paragraph.add_run("")]
    comment = docx.add_comment(runs, text=text, author=COMMENT_AUTHOR, initials="通报")
    comment._comment_elm.date = None  # no clock time: the same merge gives the same file


def remove(element) -> None:
    element.getparent().remove(element)
