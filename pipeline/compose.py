"""The document's content, as plain data for the Word template: a pure function of the
configuration, the derived figures and the clerk's prose."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from .config import BulletinConfig
from .problems import ProblemEntry
from .derive.scores import RankedScore, ScoringScheme, bottom, top
from .period import format_date
from .table_annex import table_annex
from .text import chinese_number, evaluate, render_text

# inline headings that open a paragraph: level 2 （一）…。 and level 3 1．…。 (GB/T 9704 7.3.3)
LEADS = (
    (2, re.compile(r"^(（[一二三四五六七八九十]+）[^。！？]*[。！？])")),
    (3, re.compile(r"^([0-9]+[．.][^。！？0-9][^。！？]*[。！？])")),
)


@dataclass
class Paragraph:
    """A body paragraph; ``lead`` is an inline heading before ``text``: 楷体 at level 2, bold at 3."""

    text: str
    lead: str = ""
    level: int = 2


@dataclass
class Section:
    number: str  # 一、
    heading: str
    paragraphs: list[Paragraph]
    place: int = 0  # position in the kind's ``sections`` (stable when an empty section is left out)
    kind: str = "text"  # text | narrative | problems


@dataclass
class AnnexTable:
    number: int
    title: str
    header: list[str]
    rows: list[list[str]]
    only: bool = False  # the bulletin's one annex: GB/T 9704 gives it no number
    note: str = ""  # 表注 under the table (注：…), where the kind declares one
    groups: list[str] = field(default_factory=list)  # per column, the label of a header row above it ("" for none)

    @property
    def label(self) -> str:
        """附件 label over the annex: 附件2, or 附件 alone for a single annex."""
        return "附件" if self.only else f"附件{self.number}"

    @property
    def note_item(self) -> str:
        """The annex as 附件说明 lists it: 2．名称, or the name alone for a single annex."""
        return self.title if self.only else f"{self.number}．{self.title}"


@dataclass
class Ranking:
    """One group's ranking as the text names it."""

    group: str
    ranked: list[RankedScore]
    top: list[str]
    bottom: list[str]


@dataclass
class Document:
    office: str
    title: str
    subtitle: str
    recipients: str
    opening: str
    sections: list[Section]
    closing: str
    annexes: list[AnnexTable]
    signature: list[str]
    date: str
    copy_to: str
    printed_by: str
    printed_on: str


def split_lead(text: str) -> Paragraph:
    """A paragraph that opens with （一）…。 or 1．…。 gets that sentence as its lead."""
    for level, pattern in LEADS:
        match = pattern.match(text)
        if match:
            return Paragraph(text=text[match.end():], lead=match.group(1), level=level)
    return Paragraph(text=text)


def narrative_paragraphs(markdown: str) -> list[Paragraph]:
    """Clerk-written prose: paragraphs separated by blank lines; lines of one paragraph join."""
    paragraphs = []
    for block in re.split(r"\n\s*\n", markdown.replace("\r\n", "\n")):
        lines = [line.strip() for line in block.splitlines() if line.strip() and not line.lstrip().startswith("<!--")]
        if lines:
            paragraphs.append(split_lead("".join(lines)))
    return paragraphs


def problem_paragraphs(entries: list[ProblemEntry], numbered: bool = True) -> list[Paragraph]:
    """Entries numbered （一）（二）… with the heading as lead; or, unnumbered, one paragraph each."""
    if not numbered:
        return [Paragraph(text=(f"{e.heading}" if e.heading else "") + e.body) for e in entries]
    result = []
    for i, entry in enumerate(entries, start=1):
        heading = entry.heading if entry.heading[-1:] in "。！？" else entry.heading + "。"
        result.append(Paragraph(text=entry.body, lead=f"（{chinese_number(i)}）{heading}"))
    return result


def rankings_of(groups: dict[str, list[RankedScore]], count: int) -> dict[str, Ranking]:
    return {
        group: Ranking(group, ranked, [str(r.unit) for r in top(ranked, count)], [str(r.unit) for r in bottom(ranked, count)])
        for group, ranked in groups.items()
    }


def format_number(value: Decimal, number_format: str) -> str:
    """A figure as the annex prints it: ``0.00`` always two places; ``0`` whole numbers."""
    places = number_format.split(".")[1] if "." in number_format else ""
    return f"{value:.{len(places)}f}"


def _column_format(values: list[Decimal], number_format: str) -> str:
    """``auto``: whole numbers if every value in the column is whole, else two places."""
    if number_format != "auto":
        return number_format
    return "0" if all(v == v.to_integral_value() for v in values) else "0.00"


def annex_table(number: int, title: str, scheme: ScoringScheme, ranked: list[RankedScore], settings: dict) -> AnnexTable:
    """A score table in rank order, with the columns the annex settings name."""
    columns = settings.get("columns") or ["rank", "unit", "items", "bonus", "penalty", "earned", "percent"]
    number_format = str(settings.get("number_format", "0.00"))
    header: list[str] = []
    cells: list[list[str]] = [[] for _ in ranked]

    def add(title_text: str, values: list, fmt_values=True):
        header.append(title_text)
        decimals = [v for v in values if isinstance(v, Decimal)]
        fmt = _column_format(decimals, number_format)
        for row, value in zip(cells, values):
            if value is None:
                row.append("/")
            elif isinstance(value, Decimal):
                row.append("" if value == 0 and not fmt_values else format_number(value, fmt))
            else:
                row.append(str(value))

    for column in columns:
        if column == "rank":
            add(settings.get("rank_header", "排名"), [r.rank for r in ranked])
        elif column == "unit":
            names = [str(r.unit) for r in ranked]
            add(settings.get("unit_header", "单位"), names)
        elif column == "items":
            for i, item in enumerate(scheme.items):
                add(item.header, [r.row.item_scores[i] for r in ranked])
        elif column == "bonus":
            add("加分项", [r.row.bonus for r in ranked], fmt_values=False)
        elif column == "penalty":
            add("扣分项", [r.row.penalty for r in ranked], fmt_values=False)
        elif column == "earned":
            add("实得分", [r.earned for r in ranked])
        elif column == "percent":
            add("百分制得分", [r.percent for r in ranked])
        else:
            raise ValueError(f"未知的附件表列“{column}”")
    return AnnexTable(number, title, header, cells)


def _paragraph_texts(paragraph, values: dict) -> list[str]:
    """A configured paragraph: a sentence, or ``{each: <list expression>, text: <sentence>}``
    giving one paragraph per item (``item``, and ``index`` counting from 1)."""
    if not isinstance(paragraph, dict):
        return [render_text(paragraph, **values)]
    items = evaluate(paragraph["each"], **values)
    return [render_text(paragraph["text"], **values, item=item, index=i) for i, item in enumerate(items, start=1)]


def compose_document(
    config: BulletinConfig,
    rankings: dict[str, Ranking],
    schemes: dict[str, ScoringScheme],
    entries: list[ProblemEntry],
    prose: dict[str, str],
    figures: dict | None = None,
) -> Document:
    """Fill the kind's sections and annexes from the derived figures."""
    s = config.settings
    values = {
        "period": config.period,
        "rankings": rankings,
        "cutoff": config.cutoff,
        "issued_on": config.issued_on,
        **{k: v for k, v in s.items() if k in ("office", "title", "contact", "rectification_deadline")},
        **(figures or {}),  # derived figures declared under figures: in kind.yaml
    }
    sections = []
    for place, section in enumerate(s.get("sections") or [], start=1):
        kind = section.get("type", "text")
        if kind == "text":
            paragraphs = [split_lead(text) for p in section.get("paragraphs") or [] for text in _paragraph_texts(p, values)]
        elif kind == "narrative":
            paragraphs = narrative_paragraphs(prose[section["file"]])
        elif kind == "problems":
            paragraphs = problem_paragraphs(entries, section.get("numbered", True))
        else:
            raise ValueError(f"未知的章节类型“{kind}”")
        if paragraphs or section.get("keep_empty"):
            number = chinese_number(len(sections) + 1) + "、"
            sections.append(Section(number, render_text(section["heading"], **values), paragraphs, place, kind))

    annexes = []
    for annex in s.get("annexes") or []:
        number = len(annexes) + 1
        if annex.get("type") == "table":  # rows of a derived figure (see table_annex.py)
            annexes.append(AnnexTable(number, *table_annex(annex, values)))
            annexes[-1].groups = [str(c.get("group") or "") for c in annex["columns"]]
        else:
            group = annex["group"]
            annexes.append(annex_table(number, render_text(annex["title"], **values), schemes[group],
                                       rankings[group].ranked, annex))
        annexes[-1].note = render_text(annex["note"], **values) if annex.get("note") else ""
    if len(annexes) == 1:
        annexes[0].only = True

    signature = s.get("signature") or [s["office"]]
    imprint = s.get("imprint") or {}
    return Document(
        office=s["office"],
        title=render_text(s["title"], **values),
        subtitle=render_text(s["subtitle"], **values),
        recipients=render_text(s.get("recipients") or "", **values),
        opening=render_text(s.get("opening") or "", **values),
        sections=sections,
        closing=render_text(s.get("closing") or "", **values),
        annexes=annexes,
        signature=[signature] if isinstance(signature, str) else list(signature),
        date=format_date(config.issued_on),
        copy_to=render_text(imprint.get("copy_to") or "", **values),
        printed_by=render_text(imprint.get("printed_by") or s["office"], **values),
        printed_on=format_date(imprint.get("printed_on") or config.issued_on),
    )
