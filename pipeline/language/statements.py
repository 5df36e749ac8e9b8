"""Statements: what a section or an item says, from figures, each printed row kept as evidence.

    - text: "…{{ 全市.工单数 }}…"                    one sentence
    - each: 低于标准                                 one paragraph per row (row columns are names)
      text: "{{ unit }}按期办结率{{ 按期办结率|百分比 }}"
      join: "、"                                     or one paragraph, rows joined, with
      before: "…" / after: "…"                       sentences around the joined list
    - each: 超时办件                                 rows grouped by a column, one sentence a group;
      group: unit                                    ``rows`` is the group's rows for its items
      text: "{{ unit }}出现{{ rows|个数 }}起超时办件，"
      items: [{each: rows, text: "…", join: "；", after: "。"}]
    - when: 低于标准                                 left out when that figure is empty …
      when_empty: "各单位均达到标准。"                 … or this sentence instead
    - each: 窗口                                     a row's ``items`` follow its text; their
      text: "{{ name }}投票情况。"                     ``when`` may name a column of the row:
      items: [{when: expected, text: "…", when_empty: 无办件。}]   a count of 0 counts as empty
    - file: 总体情况.md                              the clerk's prose document (.md or .docx, prose.py)
"""

from __future__ import annotations

import dataclasses
from collections import ChainMap
from dataclasses import dataclass, field
from decimal import Decimal

from .formats import FormatError, plain
from .expressions import ExpressionError, evaluate, parse
from .prose import PERIOD_MARK, Block, block_statements, where
from .sentence import ANY_FORMAT, Scope, SentenceError, is_table, phrase_problem, slots

ROWS = "rows"  # inside a group: the group's rows


@dataclass(frozen=True)
class StatementEvidence:
    """One row of a figure a sentence printed, with the section and item it was printed in."""

    section: str  # 一、 as numbered in the document
    place: str  # section heading › topic › item
    figure: str
    title: str
    label: str  # the row's name (its label column)
    detail: str  # its other columns: 列=值；…
    file: str = ""
    row: int | None = None


@dataclass
class Speaker:
    """What statements are said with: the names, the clerk's prose files, where evidence goes."""

    scope: Scope
    prose: dict = field(default_factory=dict)  # file name -> text
    evidence: list = field(default_factory=list)  # StatementEvidence, ``section`` filled in when numbered
    place: tuple = ()  # heading › topic › … of what is being said

    def within(self, name: str) -> "Speaker":
        return Speaker(self.scope, self.prose, self.evidence, self.place + (name,))

    def apart(self, name: str) -> "Speaker":
        """Speaking for one section or entry, whose evidence is kept on its own."""
        return Speaker(self.scope, self.prose, [], self.place + (name,))

    def with_scope(self, scope: Scope) -> "Speaker":
        return Speaker(scope, self.prose, self.evidence, self.place)

    def fill(self, source: str) -> str:
        """A sentence written out, and every figure it names kept as evidence."""
        text = self.scope.fill(source)
        for name, rows in self.scope.tables(source):
            self.keep(name, rows)
        return text

    def keep(self, name: str, rows: list) -> None:
        """Each printed row once, however many sentences of the statement name its figure."""
        for row in rows:
            item = evidence_row(name, rows, row, " › ".join(self.place))
            if item not in self.evidence:
                self.evidence.append(item)


def evidence_row(name: str, table: list, row: dict, place: str) -> StatementEvidence:
    label = getattr(table, "label", None)
    columns = [c for c in (getattr(table, "columns", None) or row) if c != label and not str(c).startswith("_")]
    detail = "；".join(f"{c}={_shown(row.get(c))}" for c in columns)
    return StatementEvidence("", place, getattr(table, "name", "") or name, getattr(table, "title", ""),
                             _shown(row.get(label)) if label else "", detail, str(row.get("_file") or ""), row.get("_row"))


def _shown(value) -> str:
    """A value as the evidence file shows it: lists joined with 、, units by their short names."""
    if value is None:
        return ""
    try:
        return plain(value)
    except FormatError:
        return str(value)


def is_empty(value) -> bool:
    """A figure with no rows counts as empty, and a value that is not there, a column none of whose
    values is filled, and in a row a count of zero or a false condition (``when: 未开展评价``)."""
    if isinstance(value, (list, tuple)) and not is_table(value):  # a column's values: empty when none is filled
        return all(v is None or v == "" for v in value)
    if isinstance(value, (bool, int, Decimal)):
        return not value
    return value is None or value == "" or (isinstance(value, (list, tuple, dict)) and not value)


def subject(statement: dict, speaker: Speaker):
    """What a ``when``/``when_empty`` looks at: ``when`` (a name, or a condition of the figure
    expression language: ``按期办结率 < 90``), else the ``each`` figure."""
    name = statement.get("when") or statement.get("each")
    if not name:
        return None, False
    if statement.get("when") and not is_name(str(name)):
        return condition_holds(str(name), speaker.scope), True
    return named(speaker, name), True


def is_name(text: str) -> bool:
    """``覆盖``, ``rows.reason``: a name of the sentence language, not a condition."""
    return phrase_problem("{{ " + text + " }}", ANY_FORMAT) is None and "|" not in text


def condition_holds(text: str, scope: Scope) -> bool:
    """A ``when:`` condition evaluated over the names in scope (a row's columns first)."""
    try:
        return bool(evaluate(parse(text), ChainMap(*scope.layers)))
    except ExpressionError as exc:
        raise ExpressionError(f"when：{exc}", text) from None


def named(speaker: Speaker, name) -> object:
    """The value of a figure named in a key (``each: 覆盖``, ``when: 低于标准``)."""
    return speaker.scope.value(slots("{{ " + str(name) + " }}")[0], str(name))


def say(statement, speaker: Speaker) -> list[str]:
    """The paragraphs one statement gives (none when it drops out)."""
    if isinstance(statement, str):
        return [speaker.fill(statement)]
    value, has_subject = subject(statement, speaker)
    if has_subject and is_empty(value):
        return [speaker.fill(statement["when_empty"])] if statement.get("when_empty") else []
    if statement.get("file"):
        if statement["file"] not in speaker.prose:
            raise SentenceError(f"file：“{statement['file']}”——文件只能在 kind.yaml（或 bulletin.yaml）的 sections 中引用", str(statement["file"]))
        return file_texts(speaker.prose[statement["file"]], speaker)
    if statement.get("each"):
        return _each(statement, named(speaker, statement["each"]), speaker)
    sentence = _sentence(statement, speaker)
    return [sentence] if sentence else []


def file_texts(document, speaker: Speaker) -> list[str]:
    """A prose document said where only text goes (a rule's sentence, an item): its headings as
    typed, its paragraphs and blocks written out."""
    texts = []
    for part in document.parts:
        if isinstance(part, Block):
            texts += [text for statement in block_statements(part) for text in say(statement, speaker)]
            continue
        try:
            texts.append(speaker.fill(PERIOD_MARK.sub(r"\1", part.line.text)))
        except SentenceError as exc:
            raise SentenceError(where(part.line) + str(exc), part.line.text, document.name, part.line.row) from None
    return texts


def _sentence(statement: dict, speaker: Speaker) -> str:
    """``text`` followed by what its ``items`` say, in one paragraph."""
    head = speaker.fill(statement["text"]) if statement.get("text") else ""
    return head + "".join(text for item in statement.get("items") or [] for text in say(item, speaker))


def _rows(statement: dict, value) -> list:
    """The rows ``each`` goes through: a figure's rows, or a list of objects read by their fields."""
    if is_table(value):
        return value
    if isinstance(value, (list, tuple)) and not isinstance(value, str):
        return [row_of(item) for item in value]
    raise SentenceError(f"each：“{statement['each']}”不是派生数据的表（应为逐行的数据）", str(statement["each"]))


def row_of(item) -> dict:
    """An object as a row: its fields (a dataclass) or its attributes."""
    if dataclasses.is_dataclass(item):
        return {f.name: getattr(item, f.name) for f in dataclasses.fields(item)}
    return {k: v for k, v in vars(item).items() if not k.startswith("_")} if hasattr(item, "__dict__") else {"value": item}


def _each(statement: dict, value, speaker: Speaker) -> list[str]:
    rows = _rows(statement, value)
    if statement["each"] != ROWS:  # a group's rows are kept with the figure they came from
        speaker.keep(str(statement["each"]), rows)
    if statement.get("group"):
        texts = [_group(statement, key, members, rows, speaker) for key, members in groups(rows, statement["group"])]
    else:
        texts = [_sentence(statement, speaker.with_scope(speaker.scope.inner(row))) for row in rows]
    return _joined(statement, texts, speaker)


def _joined(statement: dict, texts: list[str], speaker: Speaker) -> list[str]:
    if statement.get("join") is None:
        return texts
    before = speaker.fill(statement["before"]) if statement.get("before") else ""
    after = speaker.fill(statement["after"]) if statement.get("after") else ""
    return [before + str(statement["join"]).join(texts) + after]


def groups(rows: list, column: str) -> list[tuple]:
    """Rows grouped by ``column``, groups in the order they first appear."""
    columns = getattr(rows, "columns", None) or (list(rows[0]) if rows else [])
    if column not in columns:
        raise SentenceError(f"group：没有“{column}”这一列（可用：{'、'.join(map(str, columns))}）", str(column))
    found: dict = {}
    for row in rows:
        found.setdefault(row.get(column), []).append(row)
    return list(found.items())


def part_of(table: list, rows: list) -> list:
    """Some rows of ``table``, keeping its name, title, columns and label."""
    part = list.__new__(type(table))
    list.__init__(part, rows)
    part.__dict__.update(getattr(table, "__dict__", {}))
    return part


def _group(statement: dict, key, members: list, table, speaker: Speaker) -> str:
    rows = part_of(table, members)
    inner = speaker.with_scope(speaker.scope.inner({**members[0], statement["group"]: key, ROWS: rows}))
    return _sentence(statement, inner)


def said(sentence, scope: Scope) -> str:
    """A sentence, a statement or a list of them said as one run of text outside any section:
    a rule part's sentence over its ``findings``, a check's evidence line over one row."""
    speaker = Speaker(scope)
    statements = sentence if isinstance(sentence, list) else [sentence]
    return "".join(text for statement in statements for text in say(statement, speaker))


def complete_entries(entries: list, speaker: Speaker) -> list:
    """存在问题 entries with their statements said (the figures are known now); an entry that says
    nothing at all is left out. Each keeps the figure rows its statements printed."""
    done = []
    for entry in entries:
        if entry.pending:
            said = speaker.apart(entry.heading)
            entry.body = "".join(_piece(piece, said) for piece in entry.pending)
            entry.evidence, entry.pending = said.evidence, []
        if entry.body or entry.findings:
            done.append(entry)
    return done


def _piece(piece, speaker: Speaker) -> str:
    """One piece of an entry: the clerk's text (or a rule's sentence, said already), or a statement."""
    return piece if isinstance(piece, str) else "".join(say(piece, speaker))
