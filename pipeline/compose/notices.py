"""One document per unit (整改通知), when a kind asks for it: each unit with findings gets its
own notice listing only its own findings, their sentences rendered with that unit's findings
alone, and its own evidence file. In ``kind.yaml`` (any key may be overridden in ``bulletin.yaml``)::

    notices:
      title: 关于{{ unit.short_name }}存在问题的整改通知
      opening: 根据{{ period.ordinal_name }}考核情况，你单位存在以下问题：
      closing: 请于{{ rectification_deadline|month_day }}前将整改情况报送……
      rules: [coverage_below_threshold, overdue_cases]   # whose findings; default: every rule's
      document: {imprint: false}                          # the notice's own parts

A notice is a 公文 of its own, in the kind's Word template: 主送 the unit's full name, the
entries of 存在问题.yaml that found something in the unit, numbered （一）（二）…. The findings
are whatever the rule checks found for the unit (``Finding.unit``): how a check is defined
does not matter here.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import Document, Section, problem_paragraphs
from ..findings.problems import ProblemEntry, render_part
from ..config.view import Settings
from ..core.registry import Unit
from ..language.formats import chinese_number
from ..language.sentence import Scope
from .frame import frame


@dataclass
class Notice:
    """One unit's notice: what it says, and the entries (with only the unit's findings) behind it."""

    unit: Unit
    document: Document
    entries: list[ProblemEntry]


def units_with_findings(entries: list[ProblemEntry], rules: list[str] | None) -> list[Unit]:
    """Every unit some selected rule found something in, in registry order."""
    units = {f.unit for e in entries for p in e.parts if rules is None or p.rule in rules for f in p.findings}
    return sorted(units, key=lambda unit: unit.order)


def unit_entries(entries: list[ProblemEntry], unit: Unit, rules: list[str] | None, period, cutoff) -> list[ProblemEntry]:
    """The entries as they read for ``unit`` alone: each selected rule part's sentence rendered
    with the unit's findings only; entries that found nothing in the unit left out."""
    result = []
    for entry in entries:
        sentences, findings = [], []
        for part in entry.parts:
            own = [f for f in part.findings if f.unit == unit]
            if own and (rules is None or part.rule in rules):
                sentences.append(render_part(part, own, period, cutoff))
                findings.extend(own)
        if findings:  # a sentence written to run on into hand-written text ends the entry here
            body = "".join(sentences)
            body = body[:-1] + "。" if body[-1:] in "；，、" else body
            result.append(ProblemEntry(entry.heading, body, findings, entry.key))
    return result


def notice_document(settings: Settings, values: dict, entries: list[ProblemEntry], issued_on) -> Document:
    """The notice of one unit (``values["unit"]``) as a Document for the kind's template."""
    notices = settings.section("notices")
    fill = Scope(values, formats=settings.value("formats")).fill
    heading = fill(notices.value("heading") or "")
    section = Section(f"{chinese_number(1)}、", heading, problem_paragraphs(entries), 1, "problems")
    return Document(**frame(settings, notices, fill, issued_on), sections=[section], annexes=[])


def compose_notices(config, document: Document, entries: list[ProblemEntry]) -> list[Notice]:
    """The notices the kind asks for (none without ``notices:``), one per unit with findings."""
    settings = config.view
    if not settings.section("notices").given():
        return []
    rules = settings.value("notices.rules") if settings.given("notices.rules") else None
    shared = {key: settings.value(key) for key in ("office", "contact", "rectification_deadline")}
    shared.update(period=config.period, cutoff=config.cutoff, issued_on=config.issued_on, bulletin_title=document.title)
    notices = []
    for unit in units_with_findings(entries, rules):
        own = unit_entries(entries, unit, rules, config.period, config.cutoff)
        values = {**shared, "unit": unit, "findings": [f for e in own for f in e.findings]}
        notices.append(Notice(unit, notice_document(settings, values, own, config.issued_on), own))
    return notices


def notice_stem(config, notice: Notice) -> str:
    """The file name (without extension) of a unit's notice: ``output_name``, by default the unit's short name."""
    pattern = config.value("notices.output_name")
    return Scope({"unit": notice.unit, "period": config.period, "title": notice.document.title}).fill(pattern)


def notice_folder(config) -> str:
    return str(config.value("notices.folder"))
