"""Section composition: each configured section of the kind, filled from the figures."""

from __future__ import annotations

from dataclasses import replace

from ..config.bulletin import BulletinConfig
from ..findings.problems import ProblemEntry
from ..derive.scores import ScoringScheme
from ..config.view import Settings
from ..language.sentence import Scope
from ..language.formats import chinese_number
from ..language.expressions import rows_of
from .annexes import compose_annexes
from .document import Document, Paragraph, Ranking, Section
from .frame import frame
from .prose import document_sections, narrative_paragraphs, split_lead
from ..language.statements import Speaker
from .tree import tree_paragraphs


def problem_paragraphs(entries: list[ProblemEntry], numbered: bool = True) -> list[Paragraph]:
    """Entries numbered （一）（二）… with the heading as lead; or, unnumbered, one paragraph each."""
    if not numbered:
        return [Paragraph(text=(f"{e.heading}" if e.heading else "") + e.body) for e in entries]
    result = []
    for i, entry in enumerate(entries, start=1):
        heading = entry.heading if entry.heading[-1:] in "。！？" else entry.heading + "。"
        result.append(Paragraph(text=entry.body, lead=f"（{chinese_number(i)}）{heading}"))
    return result


def _paragraph_texts(paragraph, values: dict, speaker: Speaker) -> list[str]:
    """A configured paragraph: a sentence, or ``{each: <rows>, text: <sentence>}`` giving one
    paragraph per item (``item``, and ``index`` counting from 1)."""
    if not isinstance(paragraph, dict):
        return [speaker.fill(paragraph)]
    items = rows_of(paragraph["each"], values)
    scope = speaker.scope
    return [scope.inner({"item": item, "index": i}).fill(paragraph["text"]) for i, item in enumerate(items, start=1)]


def is_tree(section: Settings) -> bool:
    """A section in the statement language (``body``/``items``), not a Jinja ``paragraphs`` one."""
    return section.value("type") == "text" and bool(section.value("body") or section.value("items"))


def section_paragraphs(section: Settings, values: dict, entries: list[ProblemEntry], prose: dict, speaker: Speaker) -> list[Paragraph]:
    """The paragraphs of one section, by its type; a ``text`` section's legacy ``paragraphs`` first."""
    kind = section.value("type")
    if kind == "narrative":
        return narrative_paragraphs(prose[section.value("file")])
    if kind == "problems":
        return problem_paragraphs(entries, section.value("numbered"))
    legacy = [split_lead(text) for p in section.value("paragraphs") for text in _paragraph_texts(p, values, speaker)]
    return legacy + (tree_paragraphs(section.as_written, speaker) if is_tree(section) else [])


def _heading(section: Settings, values: dict, speaker: Speaker) -> str:
    return speaker.scope.fill(section.value("heading"))


def _document_sections(document, speaker: Speaker, sections: list[Section], place: int) -> list:
    """The sections a prose document gives (``type: document``), numbered after those before them;
    the evidence of what they printed."""
    evidence = []
    for part, (heading, paragraphs, said) in enumerate(document_sections(document, speaker.apart), start=1):
        if paragraphs:
            number = chinese_number(len(sections) + 1) + "、"
            sections.append(Section(number, heading, paragraphs, f"{place}.{part}", "document"))
            evidence += [replace(row, section=number) for row in said.evidence]
    return evidence


def document_values(config: BulletinConfig, rankings: dict[str, Ranking], figures: dict | None) -> dict:
    """The names a sentence may use: the period, dates, settings, rankings and every figure."""
    return {
        "period": config.period,
        "rankings": rankings,
        "cutoff": config.cutoff,
        "issued_on": config.issued_on,
        "ranking_count": config.value("ranking_count"),
        "params": config.value("params"),  # the kind's thresholds (全市标准), as the period sets them
        **{k: config.value(k) for k in ("office", "title", "contact", "rectification_deadline") if config.given(k)},
        **(figures or {}),  # derived figures declared under figures: in kind.yaml
    }


def speaker_for(config: BulletinConfig, values: dict, prose: dict | None = None) -> Speaker:
    return Speaker(Scope(values, formats=config.value("formats")), prose or {})


def compose_document(
    config: BulletinConfig,
    rankings: dict[str, Ranking],
    schemes: dict[str, ScoringScheme],
    entries: list[ProblemEntry],
    prose: dict[str, str],
    figures: dict | None = None,
) -> Document:
    """Fill the kind's sections and annexes from the derived figures."""
    values = document_values(config, rankings, figures)
    speaker = speaker_for(config, values, prose)
    sections, evidence = [], []
    for place, section in enumerate(config.items("sections"), start=1):
        if section.value("type") == "document":  # the file's 一、 headings are sections of their own
            evidence += _document_sections(prose[section.value("file")], speaker, sections, place)
            continue
        said = speaker.apart(str(section.value("heading") or ""))
        paragraphs = section_paragraphs(section, values, entries, prose, said)
        if paragraphs or section.value("keep_empty"):
            number = chinese_number(len(sections) + 1) + "、"
            sections.append(Section(number, _heading(section, values, speaker), paragraphs, place, section.value("type")))
            evidence += [replace(row, section=number) for row in said.evidence]

    fill = speaker.scope.fill
    annexes = compose_annexes(config.items("annexes"), values, rankings, schemes, fill)
    return Document(**frame(config.view, config.view, fill, config.issued_on), sections=sections, evidence=evidence, annexes=annexes)
