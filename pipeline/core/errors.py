"""The one error model: every refusal derives from BulletinError, which knows its exit code and
how it is shown; located problems in the inputs are collected across a whole run and reported together."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .invisible import show_invisible
from .passwords import scrubbed


class BulletinError(Exception):
    """A refusal the product makes (as click's ClickException): the exit status it ends a command
    with and the lines it is shown as, on standard error, located where it has a place (``file``,
    ``line`` or ``row``, ``column``), passwords hidden. Subclasses keep their own ``__init__``."""

    exit_code = 1  # 退出码: 1 the inputs or the result, 2 the outputs cannot be written, 3 not applicable
    file: str | None = None

    def shown(self) -> list[str]:
        """The lines a clerk reads; none for an error whose command has printed what failed already."""
        message = str(self)
        if not message:
            return []
        if not self.file:
            return [scrubbed(message)]
        return [str(Problem(self.file, message, getattr(self, "sheet", None), _line_of(self), getattr(self, "column", None)))]


def _line_of(error: Exception) -> int | None:
    """The line (or row) an error names, if any."""
    line = getattr(error, "line", None)
    return line if line is not None else getattr(error, "row", None)


class ProgramFault(Exception):
    """A fault of the program, not of the inputs (code asking for what does not exist): never a
    refusal; the command line tells it as an internal error (exit code 70)."""


class CommandFailed(BulletinError):
    """A command that has said what went wrong (findings, disagreements) and ends with ``exit_code``."""

    def __init__(self, message: str = "", exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the inputs, with where it is and what was expected."""

    file: str
    message: str
    sheet: str | None = None
    row: int | None = None  # row number as Excel shows it (header is row 1)
    column: str | None = None

    def __str__(self) -> str:
        place = [self.file]
        if self.sheet:
            place.append(f"工作表“{self.sheet}”")
        if self.row is not None:
            place.append(f"第{self.row}行")
        if self.column:
            place.append(f"“{self.column}”列")
        return scrubbed(show_invisible("，".join(place) + "：" + self.message))  # never two names that look the same


def in_reading_order(problems: list[Problem]) -> list[Problem]:
    """Problems grouped by file (and sheet) in the order the files were first met, each in line
    order: a clerk fixes a file from top to bottom."""
    files: dict = {}
    for problem in problems:
        files.setdefault((problem.file, problem.sheet), len(files))
    return sorted(problems, key=lambda p: (files[(p.file, p.sheet)], p.row or 0))


def summarised(problems: list[Problem], keep: int = 3) -> list[str]:
    """Problems as lines to print; the same message in one column on many rows is shown
    ``keep`` times, then as one line naming the other rows (a whole column from last
    quarter's file is one thing to fix, not sixty)."""
    groups: dict[tuple, list[Problem]] = {}
    for problem in problems:
        groups.setdefault((problem.file, problem.sheet, problem.column, problem.message), []).append(problem)
    lines = []
    for (file, sheet, column, message), members in groups.items():
        lines += [str(p) for p in members[:keep]]
        rest = [p.row for p in members[keep:]]
        if rest:
            shown = "、".join(str(r) for r in rest[:8]) + ("…" if len(rest) > 8 else "")
            where = "，".join(x for x in (file, f"工作表“{sheet}”" if sheet else "", f"“{column}”列" if column else "") if x)
            lines.append(scrubbed(show_invisible(f"{where}：另有 {len(rest)} 行同样的问题（第{shown}行）：{message}")))
    return lines


# What PyYAML says, as a clerk reads it (its text kept after the translation, for a search)
YAML_PROBLEMS = {
    "found character that cannot start any token": "此处的字符不能开始一个值（常见原因：用了制表符 Tab 缩进，YAML 只能用空格；"
                                                   "或以 @、` 开头的文字未加引号）",
    "mapping values are not allowed": "此处不能再有“键: 值”（一行中有两个“: ”，或上一行的引号未闭合）",
    "could not find expected ':'": "缺少冒号“:”",
    "did not find expected key": "缩进不一致，找不到下一个键",
    "did not find expected '-' indicator": "列表各项的缩进不一致",
    "found unexpected end of stream": "文件在引号或括号闭合之前就结束了",
    "found undefined alias": "引用（*名称）没有对应的锚点（&名称）",
    "expected <block end>, but found": "缩进不一致",
}


def _in_chinese(detail: str) -> str:
    """PyYAML's English problem in Chinese, its own words kept after it."""
    for english, chinese in YAML_PROBLEMS.items():
        if detail.startswith(english):
            return f"{chinese}（{detail}）"
    return detail


UNQUOTED_SLOT = re.compile(r"(?:^\s*-|:)\s+\{\{")  # text: {{ unit }}…, - {{ x }}…: YAML reads a { as a mapping


def _unquoted_slot(text: str | None, start, mark) -> str:
    """Where a value between the two marks begins with {{ unquoted, what to write instead."""
    if text is None or mark is None:
        return ""
    lines = text.splitlines()
    first = start.line if start is not None else mark.line
    found = [n for n in range(first, min(mark.line, len(lines) - 1) + 1) if UNQUOTED_SLOT.search(lines[n])]
    return f"（第{found[0] + 1}行的值以 {{{{ 开头，须加引号，如 text: \"{{{{ unit }}}}……\"）" if found else ""


def _tab_indent(text: str | None, mark) -> str:
    """Where the line the parser stopped at is indented with a Tab, that said plainly."""
    if text is None or mark is None:
        return ""
    lines = text.splitlines()
    line = lines[mark.line] if mark.line < len(lines) else ""
    indent = line[:len(line) - len(line.lstrip(" \t-"))]  # list dashes too: "-\theading:"
    if "\t" not in indent:
        return ""
    return "此行行首有制表符 Tab：YAML 只能用空格缩进，请把 Tab 换成空格，与上下行的缩进对齐"


def yaml_problem(file: str, exc: Exception, text: str | None = None) -> Problem:
    """A YAML file that does not parse, with the line the parser stopped at and the usual causes
    (``text``, the file's, to name a value that begins with {{ unquoted)."""
    mark = getattr(exc, "problem_mark", None)
    start = getattr(exc, "context_mark", None)
    english = getattr(exc, "problem", None) or str(exc)
    tab = _tab_indent(text, mark)
    if tab:
        return Problem(file, f"YAML 格式错误：{tab}（{english}）", row=mark.line + 1)
    detail = _in_chinese(english)
    if start is not None and mark is not None and start.line != mark.line:
        detail += f"（出错的内容从第{start.line + 1}行开始）"
    detail += _unquoted_slot(text, start, mark)
    kind = getattr(exc, "heading", "YAML 格式错误（常见原因：缩进不一致、冒号后缺少空格、引号或括号未闭合）")
    return Problem(
        file,
        f"{kind}：{detail}",
        row=mark.line + 1 if mark else None,
    )


class InputError(BulletinError):
    """Raised when the inputs cannot be used; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def shown(self) -> list[str]:
        """Every problem of the run, one per line, with file, sheet, row and column."""
        heading = f"输入有误，共 {len(self.problems)} 处，未生成或改动任何文件："
        return [heading, *(f"  - {line}" for line in summarised(in_reading_order(self.problems)))]


@dataclass
class ProblemLog:
    """Collects problems so that one run reports all of them, not the first alone."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, file: str, message: str, *, sheet=None, row=None, column=None) -> None:
        self.problems.append(Problem(file, message, sheet, row, column))

    def raise_if_any(self) -> None:
        if self.problems:
            raise InputError(self.problems)

    def __bool__(self) -> bool:
        return bool(self.problems)


def confined(root: Path, name: str, file: str, row: int | None, what: str, start: Path | None = None) -> Path:
    """``start / name`` (``start`` defaults to ``root``) with every symbolic link resolved, if it
    stays inside ``root``; else InputError at ``file`` and ``row`` (a configured path may name a
    file of its folder or of a subfolder, never one elsewhere: ``..``, an absolute path and a link
    leading out are all refused)."""
    base = Path(root).resolve()
    path = (Path(start or root).resolve() / str(name)).resolve()
    if path != base and base not in path.parents:
        raise InputError([Problem(file, f"“{name}”不在{what}中（不能用 ..、绝对路径或指向外面的链接），未读取也未写入", row=row)])
    if Path(str(name)).is_absolute():  # inside today, elsewhere once the folders are moved or copied
        raise InputError([Problem(file, f"“{name}”是绝对路径：请写成相对于{what}的路径，未读取也未写入", row=row)])
    return path
