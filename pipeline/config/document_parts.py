"""Which parts of a 公文 a document has (GB/T 9704-2012): the red 版头, 发文字号 and 签发人,
主送机关, 发文机关署名 and 版记, as a kind or a period declares them under ``document:``::

    document:
      red_header: true                 # 红色发文机关标志和分隔线
      doc_number: 宜放管服办〔{{ period.year }}〕3号   # 发文字号（不写则无）
      signer: 张三                      # 签发人（上行文）：与发文字号同一行
      recipients: true                 # 主送机关（recipients 的文字）
      signature: true                  # 发文机关署名
      imprint: false                   # 版记

A document whose configuration declares its parts carries them inside the .docx
(render/parts_record.py), so that the format checker asks for those parts and no others.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core.errors import Problem
from .declared import DOCUMENT
from .view import Settings


@dataclass(frozen=True)
class DocumentParts:
    """The parts a document has; the defaults (those declared for ``document:``) are a full 公文
    as GB/T 9704 describes it."""

    red_header: bool = DOCUMENT.keys["red_header"].default  # 版头：发文机关标志 and the red rule under it
    doc_number: str = ""  # 发文字号
    signer: str = ""  # 签发人
    recipients: bool = DOCUMENT.keys["recipients"].default  # 主送机关
    signature: bool = DOCUMENT.keys["signature"].default  # 发文机关署名
    imprint: bool = DOCUMENT.keys["imprint"].default  # 版记
    declared: bool = False  # the configuration says so: the .docx carries the record


def document_parts(declared: Settings, recipients: str, render) -> DocumentParts:
    """The parts the ``document:`` record ``declared`` says (its declared defaults for the rest);
    ``recipients`` is the 主送机关 text (none is printed when it is empty) and ``render`` renders a
    sentence (the 发文字号)."""
    doc_number = declared.value("doc_number")
    return DocumentParts(
        red_header=declared.value("red_header") is not False,
        doc_number=render(doc_number).strip() if doc_number else "",
        signer=str(declared.value("signer") or "").strip(),
        recipients=declared.value("recipients") is not False and bool(recipients.strip()),
        signature=declared.value("signature") is not False,
        imprint=declared.value("imprint") is not False,
        declared=declared.given(),
    )


def parts_problems(settings: dict, place) -> list[Problem]:
    """What the ``document:`` record asks that cannot be printed: a 发文字号 or 签发人 without the
    版头 they stand in, a 签发人 without a 发文字号 to share its line. ``place(path)`` gives the
    (file, line) a key is written at."""
    given = settings.get("document") if isinstance(settings.get("document"), dict) else {}
    problems = []
    if given.get("signer") and not given.get("doc_number"):
        problems.append(_problem(place, "signer", "签发人与发文字号排在同一行：请同时写 doc_number（发文字号）"))
    for key, name in (("doc_number", "发文字号"), ("signer", "签发人")):
        if given.get(key) and given.get("red_header") is False:
            problems.append(_problem(place, key, f"{name}排在版头中（GB/T 9704 7.2）：red_header 为 false 时不能印{name}"))
    return problems


def _problem(place, key: str, message: str) -> Problem:
    file, line = place(("document", key))
    return Problem(file, f"document.{key}：{message}", row=line)
