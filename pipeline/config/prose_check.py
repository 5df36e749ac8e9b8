"""A clerk's prose document checked as the configuration is: every sentence in the statement
language with the kind's formats, every statement block against the declarations of kind.yaml's
statements, headings that do not skip a level, no passage left to fill — each at its line (for a
Word file, its paragraph).
"""

from __future__ import annotations

import yaml

from ..core.errors import Problem, yaml_problem
from ..core.yamlio import YAMLError, parse_yaml
from ..language.prose import PERIOD_MARK, TO_FILL, Block, Heading, block_source, ProseDocument, ProseError, ProseLine, level_problems, where
from ..language.sentence import phrase_problem
from ..core.yamlio import Loader
from .check import check_file
from .declared import STATEMENTS
from .types import OneOf

STATEMENT_ONLY = ("text", "each", "items", "join", "before", "after", "group")  # what a ``file:`` statement cannot also say
FILE_ONLY_IN_SECTIONS = ("不能写 file：文字稿（.md、.docx）只能在 kind.yaml 或 bulletin.yaml 的 sections 中引用"
                         "（type: document，或某部分 body 中的 file 语句）；{what}请写作句子或语句（text、each、when）")


def prose_problems(shown: str, document: ProseDocument, formats: dict, first: int) -> list[Problem]:
    """Every problem of ``document`` (shown as ``shown``); its headings start at level ``first``."""
    found = [_problem(shown, error) for error in level_problems(document, first)]
    for part in document.parts:
        if isinstance(part, Block):
            found += block_problems(shown, part, formats)
            continue
        text = part.text + (part.rest if isinstance(part, Heading) else "")
        problem = phrase_problem(text, formats) or _unfilled(text)
        if problem:
            found.append(_at(shown, part.line, problem))
    return found


def _unfilled(text: str) -> str | None:
    if any(mark.strip() in ("", TO_FILL) for mark in PERIOD_MARK.findall(text)):
        return f"还有本期待填写的文字“{TO_FILL}”（Word 中突出显示、.md 中 ==…== 标记的文字）：请写上本期的文字"
    return None


def _at(shown: str, line: ProseLine, message: str) -> Problem:
    return Problem(shown, where(line) + message, row=line.row)


def _problem(shown: str, error: ProseError) -> Problem:
    return Problem(shown, str(error), row=error.line)


def block_problems(shown: str, block: Block, formats: dict) -> list[Problem]:
    """A block that is no YAML, or whose statements are not those kind.yaml's ``body:`` may hold."""
    source = block_source(block)
    try:
        parse_yaml(source)
        root = yaml.compose(source, Loader=Loader)
    except YAMLError as exc:
        return [_moved(shown, block, yaml_problem(shown, exc))]
    if root is None:
        return [_at(shown, block.line, "语句块是空的：请写语句，或删去这两行 ```")]
    kind = STATEMENTS if isinstance(root, yaml.SequenceNode) else OneOf(STATEMENTS.item.options)
    check = check_file(shown, root, kind, None)
    check.problems += [Problem(shown, f"{text}：{problem}", row=node.start_mark.line + 1)
                       for text, (node, _) in check.phrases.items() if (problem := phrase_problem(text, formats))]
    check.problems += _combined(shown, root)
    return [_moved(shown, block, problem) for problem in check.problems]


def _combined(shown: str, root) -> list[Problem]:
    """A ``file:`` in a block: refused (a prose document names no other file)."""
    return [Problem(shown, "不能写 file（文件只能在 kind.yaml 的 sections 中引用）", row=node.start_mark.line + 1)
            for node in _mappings(root) if "file" in [k.value for k, _ in node.value]]


def _mappings(node) -> list:
    """Every mapping node at or under ``node``."""
    if isinstance(node, yaml.SequenceNode):
        return [found for item in node.value for found in _mappings(item)]
    if isinstance(node, yaml.MappingNode):
        return [node] + [found for _, value in node.value for found in _mappings(value)]
    return []


def file_with_other_keys(keys) -> str | None:
    """Why a statement naming a ``file`` cannot also have these keys, or None."""
    other = [k for k in keys if k in STATEMENT_ONLY]
    if not other:
        return None
    return (f"file 与 {'、'.join(other)} 不能写在同一条语句中（file 的文字照文件印出，其余各项无处可写）："
            f"请把 {'、'.join(other)} 写成下一条语句")


def _moved(shown: str, block: Block, problem: Problem) -> Problem:
    """A problem at a line of the block's YAML, moved to that line of the document."""
    row = problem.row
    line = block.lines[row - 1] if row and row <= len(block.lines) else block.line
    return Problem(shown, where(line) + "语句块中：" + problem.message, row=line.row)


def file_statements(value, path: tuple = ()) -> list[tuple]:
    """The path of the ``file`` key of every statement at or under ``value`` (dicts and lists as read)."""
    if isinstance(value, dict):
        own = [path + ("file",)] if "file" in value else []
        return own + [found for key, item in value.items() for found in file_statements(item, path + (key,))]
    if isinstance(value, list):
        return [found for number, item in enumerate(value) for found in file_statements(item, path + (number,))]
    return []


def rule_file_problems(checks: dict, rules: dict, place) -> list[Problem]:
    """A ``file:`` statement in a check's sentence or evidence or a rule's sentence (kind.yaml,
    bulletin.yaml): refused at its line before any data is read (a prose file belongs to a section).
    ``place(*path)``: the file and line a key is written at."""
    sentences = [(("checks", name, key), spec.get(key)) for name, spec in checks.items() if isinstance(spec, dict)
                 for key in ("sentence", "evidence")]
    sentences += [(("rules", name, "sentence"), spec.get("sentence")) for name, spec in rules.items() if isinstance(spec, dict)]
    problems = []
    for start, sentence in sentences:
        for path in file_statements(sentence, start):
            file, line = place(*path)
            problems.append(Problem(file, f"{show_key(path[:-1])}：" + FILE_ONLY_IN_SECTIONS.format(what="规则的句子"), row=line))
    return problems


def show_key(path: tuple) -> str:
    """A key's path as the messages write it: checks.超时办件.sentence.items[0].file."""
    return "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in path).lstrip(".")
