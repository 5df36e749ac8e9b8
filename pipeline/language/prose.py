"""A prose document: the text a clerk writes in Markdown or Word, read as the parts a bulletin prints.

A document is a list of lines (a Markdown paragraph, a Word paragraph), each with where it is
(``第12行``, ``第3段（“二、主要工作……”）``). Its parts are:

- headings (标题) of the four 公文 levels 一、 （一） 1． （1）: a line that opens with that number and
  has no full stop (stand-alone), a line whose Word style is a heading (Heading 1–4, 标题 1–4), or —
  at （一） and 1． — the first sentence of a paragraph (an inline heading, its paragraph after it);
  the numbers are the product's, in order, whatever was typed;
- paragraphs of text with ``{{ 名称 }}``, ``{{ 名称|格式 }}`` and ``{{ 名称.列 }}``;
- statement blocks between two lines of three backticks (```), YAML in the statement language of
  kind.yaml, where a list or a condition is needed;
- passages the period must supply, marked ``==…==`` (in Word: highlighted), printed without the
  marks; ``bulletin new-period`` empties them to ``==请填写==``, which a build refuses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..core.yamlio import parse_yaml
from .errors import LanguageError

CHINESE_NUMBER = "一二三四五六七八九十百零"
LEVEL_NUMBER = (  # level → the typed number that opens a heading of that level
    (1, re.compile(rf"^[{CHINESE_NUMBER}]+、")),
    (2, re.compile(rf"^[（(][{CHINESE_NUMBER}]+[）)]")),
    (3, re.compile(r"^[0-9]+[．.](?![0-9])")),
    (4, re.compile(r"^[（(][0-9]+[）)]")),
)
SENTENCE_END = re.compile(r"[。！？]")
FENCES = ("```", "···", "｀｀｀")  # three backticks; a Chinese input method types the same key as ···
PERIOD_MARK = re.compile(r"==(.*?)==")  # a passage the period supplies (本期填写)
TO_FILL = "请填写"  # what new-period leaves in a mark
LEVEL_NAMES = {1: "一、", 2: "（一）", 3: "1．", 4: "（1）"}
QUOTED = ("“", "”")  # Word's automatic quotes around a whole value, read as YAML's
FULL_WIDTH_KEY = re.compile(r"^(-?\s*)(text|each|when|when_empty|join|before|after|group|items|file)\s*：\s*")
MAX_HEADING_CHARS = 60  # a stand-alone heading is one short line
JINJA_MARK = re.compile(r"\{%|%\}|\{#")  # the older templates' tags, not the statement language
JINJA_IN_PROSE = ("中的“{mark}”是旧的模板写法，文字稿中不能写。条件和列表写作语句块：一行 ```，其下写语句，再一行 ```，"
                  "如“- when: 名称”“  text: 有时的句子”“  when_empty: 没有时的句子”，或“- each: 名称”“  text: 每一行的句子”“  join: 、”")


class ProseError(LanguageError):
    """A prose document that cannot be read: at its file and line (or paragraph)."""


@dataclass(frozen=True)
class ProseLine:
    """One paragraph as the clerk wrote it: its text, where it is, and its Word heading level."""

    text: str
    row: int | None  # Markdown: the line number
    place: str = ""  # Word: 第3段（“开头……”）
    style_level: int | None = None  # Word's heading style (Heading 2 → 2), or a Markdown ## heading


@dataclass(frozen=True)
class Heading:
    level: int
    text: str  # without the number typed before it
    rest: str  # an inline heading: the paragraph after it ("" for a stand-alone one)
    line: ProseLine


@dataclass(frozen=True)
class Text:
    text: str
    line: ProseLine


@dataclass(frozen=True)
class Block:
    """A statement block: its YAML source, the line of its opening fence, and its lines."""

    source: str
    line: ProseLine
    lines: tuple = ()  # ProseLine of each line of the YAML, in order


@dataclass
class ProseDocument:
    name: str
    parts: list = field(default_factory=list)


def where(line: ProseLine) -> str:
    """How a message names a line: 第3段（“……”） for Word (the row of Markdown goes to the problem)."""
    return f"{line.place}：" if line.place else ""


def refuse(name: str, line: ProseLine, message: str) -> ProseError:
    return ProseError(where(line) + message, "", name, line.row)


def typed_number(text: str) -> tuple[int, str] | None:
    """(level, text after it) of a paragraph opening with a heading number."""
    for level, pattern in LEVEL_NUMBER:
        match = pattern.match(text)
        if match:
            return level, text[match.end():].lstrip()
    return None


def heading_of(line: ProseLine, name: str) -> Heading | None:
    """The heading a line is, or None for a paragraph of text."""
    typed = typed_number(line.text)
    if line.style_level:
        if typed and typed[0] != line.style_level:
            raise refuse(name, line, f"样式为{line.style_level}级标题，文字却以{typed[0]}级标题的编号开头"
                                     f"（{line.style_level}级标题的编号形如“{LEVEL_NAMES[line.style_level]}”）")
        return Heading(line.style_level, typed[1] if typed else line.text, "", line)
    if not typed:
        return None
    level, after = typed
    end = SENTENCE_END.search(after)
    if not end:  # 一、 alone on its line: a heading only when short (一、二季度…… is a sentence)
        return Heading(level, after, "", line) if level > 1 or len(after) <= MAX_HEADING_CHARS else None
    if level in (2, 3):
        return Heading(level, after[:end.end()], after[end.end():], line)
    return Heading(4, after, "", line) if level == 4 else None


def is_fence(text: str) -> bool:
    """A line of three backticks (``` or ```yaml), opening or closing a statement block."""
    stripped = text.strip()
    return any(stripped.startswith(f) and re.fullmatch(r"[A-Za-z语句]*", stripped[len(f):]) for f in FENCES)


def parse_prose(name: str, lines: list[ProseLine], statements: bool = True) -> ProseDocument:
    """The parts of a document; ProseError at the first line that cannot be read
    (``statements``: fences open statement blocks; else they are text, printed as typed)."""
    document, block = ProseDocument(name), None
    for line in lines:
        _no_jinja(name, line)
        if statements and is_fence(line.text):
            block = _closed(block, document) if block else (line, [])
        elif block:
            block[1].append(line)
        elif line.text.strip():
            document.parts.append(heading_of(line, name) or Text(line.text, line))
    if block:
        raise refuse(name, block[0], "语句块没有结束：以一行 ``` 开始的语句块，须以另一行 ``` 结束")
    return document


def _no_jinja(name: str, line: ProseLine) -> None:
    """A {% %} (or {# #}) refused at its line, with how the statement language says it."""
    mark = JINJA_MARK.search(line.text)
    if mark:
        shown = "{# #}" if mark.group(0) == "{#" else "{% %}"
        raise refuse(name, line, "这一段" + JINJA_IN_PROSE.format(mark=shown))


def _closed(block: tuple, document: ProseDocument) -> None:
    opening, body = block
    document.parts.append(Block("\n".join(line.text for line in body), opening, tuple(body)))
    return None


def level_problems(document: ProseDocument, first: int) -> list[ProseError]:
    """Headings that skip a level (1． with no （一） above it), or above ``first`` (一、 in a section)."""
    found, deepest = [], first - 1
    for part in document.parts:
        if not isinstance(part, Heading):
            continue
        if part.level < first:
            found.append(refuse(document.name, part.line, f"“{LEVEL_NAMES[part.level]}”级标题不能写在此处："
                                "这一部分的标题已由 kind.yaml 给出，文件中的标题从（一）起；"
                                "要让文件给出各部分，请在 kind.yaml 中写 type: document"))
        elif part.level > deepest + 1:
            found.append(refuse(document.name, part.line, f"标题跳级：“{LEVEL_NAMES[part.level]}”级标题之前没有"
                                f"“{LEVEL_NAMES[part.level - 1]}”级标题"))
        deepest = max(part.level, first) if part.level >= first else deepest
    return found


def markdown_lines(text: str) -> list[ProseLine]:
    """The paragraphs of a Markdown file: blocks between blank lines (lines joined), a heading line
    (``## …`` or a stand-alone 一、/（一） line) on its own, each fenced line on its own; comment
    lines <!-- … --> left out."""
    found, lines, fenced = [], [], False
    for number, raw in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        if is_fence(raw):
            found += _flushed(lines)
            found.append(ProseLine(raw.strip(), number))
            fenced, lines = not fenced, []
        elif fenced:
            found.append(ProseLine(raw.rstrip(), number))
        elif not raw.strip():
            found += _flushed(lines)
        elif raw.lstrip().startswith("<!--"):
            continue
        elif _own_line(raw):
            found += _flushed(lines) + [_markdown_heading(raw.strip(), number)]
        else:
            lines.append((number, raw.strip()))
    return found + _flushed(lines)


def _own_line(raw: str) -> bool:
    """A Markdown heading (# …) or a stand-alone numbered heading, which needs no blank line around it."""
    text = raw.strip()
    if text.startswith("#"):
        return True
    typed = typed_number(text)
    return bool(typed) and not SENTENCE_END.search(typed[1]) and len(typed[1]) <= MAX_HEADING_CHARS


def _markdown_heading(text: str, number: int) -> ProseLine:
    marks = len(text) - len(text.lstrip("#"))
    if marks and 1 <= marks <= 4 and text[marks:marks + 1] in (" ", "\t"):
        return ProseLine(text[marks:].strip(), number, style_level=marks)
    return ProseLine(text, number)


def _flushed(lines: list) -> list[ProseLine]:
    """The lines gathered so far as one paragraph at the line it starts on."""
    if not lines:
        return []
    found = [ProseLine("".join(text for _, text in lines), lines[0][0])]
    lines.clear()
    return found


def cleared_markdown(text: str) -> tuple[str, int]:
    """The Markdown with each ==…== passage (the period's own text) emptied to ==请填写==; and how many."""
    return PERIOD_MARK.subn(f"=={TO_FILL}==", text)


def block_source(block: Block) -> str:
    """The YAML of a statement block, Word's automatic quotes around a whole value made YAML's."""
    return "\n".join(_straight(line.text) for line in block.lines)


def _straight(text: str) -> str:
    """A line of a block as YAML reads it: indentation typed with tabs or 全角 spaces made spaces,
    a statement key's full-width colon (text：) made YAML's, “…” around a whole value made "…"."""
    indent = len(text) - len(text.lstrip(" \t\u3000"))
    text = text[:indent].replace("\t", "  ").replace("\u3000", "  ") + FULL_WIDTH_KEY.sub(r"\1\2: ", text[indent:])
    head, colon, value = text.partition(": ")
    value = value.strip()
    if colon and value.startswith(QUOTED[0]) and value.endswith(QUOTED[1]) and value.count(QUOTED[0]) == 1:
        return head + colon + '"' + value[1:-1].replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text


def block_statements(block: Block) -> list:
    """The statements of a block (one statement written alone is a list of one)."""
    data = parse_yaml(block_source(block))
    return data if isinstance(data, list) else [data] if data is not None else []
