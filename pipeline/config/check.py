"""Checking a configuration file against the declarations, every problem at its line.

``kind.yaml`` and ``bulletin.yaml`` are checked each on its own (types, unknown keys with
the nearest valid name, sentences that do not parse); a key one file leaves out may come
from the other, so a required key is missing only when neither file has it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import yaml

from ..core.errors import Problem
from ..core.yamlio import line_of
from ..core.suggest import suggestion
from ..core.yamlio import text_line
from ..language.sentence import ANY_FORMAT, phrase_problem
from ..language.formats import slots_problem
from ..core.passwords import password_in
from ..language.formats import MAX_TEXT_CHARS
from ..language.expressions import ExpressionError, parse, rows_problem
from .types import KEY_ADVICE, Anything, Choice, ListOf, MapOf, OneOf, Record, Scalar, Variant

IGNORED_KEYS = {"<<"}  # YAML merge keys
PASSWORD_REFUSED = ("含有密码：配置文件会提交到仓库、出现在 CI 日志中，密码不能写在文件里；"
                    "请用环境变量 PGPASSWORD 或 ~/.pgpass，连接字符串中去掉“:密码@”或 password=")


def _is_password_key(path: tuple, node) -> bool:
    return bool(path) and str(path[-1]).lower() in ("password", "passwd", "pwd") and \
        not (isinstance(node, yaml.ScalarNode) and node.value in ("", "~", "null"))


def text_place(node) -> tuple[int, int]:
    """(line, column), 1-based, of a value: the line of its text (a block's first line of text) and the
    column the value is written at (for a ``>-``/``|`` block, its indicator's)."""
    return text_line(node), node.start_mark.column + 1


def show_path(path: tuple) -> str:
    return ".".join(f"第{p + 1}项" if isinstance(p, int) else str(p) for p in path) or "文件"


@dataclass
class FileCheck:
    """One file being checked: its shown name, the problems found, where each key is."""

    file: str
    problems: list[Problem] = field(default_factory=list)
    lines: dict = field(default_factory=dict)  # path -> line
    sentences: dict = field(default_factory=dict)  # sentence as written -> (line, column)
    key_lines: dict = field(default_factory=dict)  # path -> line of the key itself
    phrases: dict = field(default_factory=dict)  # statement-language sentence -> (node, path), formats checked once merged
    constructor: yaml.constructor.SafeConstructor = field(default_factory=yaml.constructor.SafeConstructor)

    def add(self, node, path: tuple, message: str) -> None:
        self.problems.append(Problem(self.file, f"{show_path(path)}：{message}", row=text_line(node)))

    def value(self, node):
        return self.constructor.construct_object(node, deep=True)

    def check(self, node, kind, path: tuple, base, optional: bool = True) -> None:
        self.lines[path] = line_of(node)
        if isinstance(node, yaml.ScalarNode) and self.value(node) is None:
            if not optional and not isinstance(kind, Anything):  # a list item or a named entry left empty
                self.add(node, path, f"应为{kind.name}，不能为空")
            return  # an empty key counts as not given
        if isinstance(node, yaml.ScalarNode) and password_in(node.value) or _is_password_key(path, node):
            self.add(node, path, PASSWORD_REFUSED)  # the value itself is never repeated
            return
        checker = CHECKS[type(kind)]
        checker(self, node, kind, path, base)


def _pairs(check: FileCheck, node) -> list[tuple[str, object, object]]:
    return [(str(check.value(k)), k, v) for k, v in node.value if str(check.value(k)) not in IGNORED_KEYS]


def _key_lines(check: FileCheck, node, path: tuple) -> None:
    for key, key_node, _ in _pairs(check, node):
        check.key_lines[path + (key,)] = line_of(key_node)


def _expect(check: FileCheck, node, path, wanted: str, shape) -> bool:
    if isinstance(node, shape):
        return True
    shown = check.value(node) if isinstance(node, yaml.ScalarNode) else ("列表" if isinstance(node, yaml.SequenceNode) else "映射")
    check.add(node, path, f"应为{wanted}，实为“{shown}”")
    return False


def _scalar(check: FileCheck, node, kind: Scalar, path, base) -> None:
    if not _expect(check, node, path, kind.name, yaml.ScalarNode):
        return
    value = check.value(node)
    if not kind.accepts(value):
        check.add(node, path, f"应为{kind.name}，实为“{_shown(value)}”{_quote_advice(node, value, kind)}")
    elif isinstance(value, str) and len(value) > MAX_TEXT_CHARS:
        check.add(node, path, f"文字长 {len(value):,} 字，超过上限 {MAX_TEXT_CHARS:,} 字")
    elif kind.kind in ("int", "number") and kind.out_of_range(value):
        check.add(node, path, f"应为{kind.name}，实为 {_shown(value)}")
    elif kind.slots:
        problem = slots_problem(value, kind.slots)
        if problem:
            check.add(node, path, problem)
    elif kind.kind == "expression":
        check.sentences.setdefault(value, text_place(node))
        problem = rows_problem(value)
        if problem:
            check.add(node, path, problem)
    elif kind.kind == "condition":
        check.sentences.setdefault(value, text_place(node))
        problem = condition_problem(value)
        if problem:
            check.add(node, path, problem)
    elif kind.kind == "name":
        check.sentences.setdefault(value, text_place(node))
        problem = phrase_problem("{{ " + value + " }}", ANY_FORMAT)
        if problem or "|" in value:
            check.add(node, path, f"“{value}”应为名称（派生数据或设置的名称，可写 名称.列）")
    elif kind.kind in ("phrase", "sentence"):
        check.sentences.setdefault(value, text_place(node))
        problem = phrase_problem(value, ANY_FORMAT)
        if problem:
            check.add(node, path, problem)
        else:  # its formats are checked once both files' formats: are known
            check.phrases.setdefault(value, (node, path))


READ_AS = ((bool, "真假值（yes/no/true/false/on/off）"), ((int, float), "数字"), (dt.date, "日期"))


def _quote_advice(node, value, kind: Scalar) -> str:
    """How to write as text a plain value YAML reads otherwise (no, yes, 1, 2024-06-01) where text is wanted."""
    what = next((word for types, word in READ_AS if isinstance(value, types)), None)
    if what is None or node.style or not kind.accepts(str(node.value)):
        return ""
    return f"：YAML 把不加引号的 {node.value} 读作{what}；如确是文字，请加引号（'{node.value}'）"


def condition_problem(value: str) -> str | None:
    """Why ``value`` is neither a name (``低于标准``, ``rows.reason``) nor an expression, or None."""
    if phrase_problem("{{ " + value + " }}", ANY_FORMAT) is None and "|" not in value:
        return None
    try:
        parse(value)
    except ExpressionError as exc:
        return f"“{value}”应为名称（派生数据或设置的名称，可写 名称.列）或条件：{exc}"
    return None


def _shown(value) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:40] + "…"


def _choice(check: FileCheck, node, kind: Choice, path, base) -> None:
    if not _expect(check, node, path, kind.name, yaml.ScalarNode):
        return
    value = check.value(node)
    if value not in kind.values:
        check.add(node, path, f"应为 {kind.name}，实为“{value}”{suggestion(value, kind.values)}")


def _list(check: FileCheck, node, kind: ListOf, path, base) -> None:
    if _expect(check, node, path, kind.name, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            check.check(item, kind.item, path + (i,), None, optional=False)


def _map(check: FileCheck, node, kind: MapOf, path, base) -> None:
    if _expect(check, node, path, kind.name, yaml.MappingNode):
        _key_lines(check, node, path)
        for key, key_node, value in _pairs(check, node):
            if kind.key_pattern and not re.fullmatch(kind.key_pattern, key):
                advice = _comma_advice(node, key) or KEY_ADVICE.get(kind.key_pattern, '')
                check.add(key_node, path + (key,), f"“{_shown(key)}”应为{kind.key_meaning}{advice}")
                continue
            check.check(value, kind.value, path + (key,), base.get(key) if isinstance(base, dict) else None, optional=False)


def _comma_advice(node, key: str) -> str:
    """Where a key of a {…} mapping is the rest of a value a comma cut off (``mean(x, where=…)``), how to write it."""
    if not node.flow_style or not re.search(r"[=()'\"]", key):
        return ""
    return ("：看来是 {…} 中含逗号的值被逗号断开了，逗号后的部分被读成了另一个键；含逗号的值须加引号，"
            "如 名称: \"mean(得分, where=…)\"，或不用 {…}、每项另起一行写")


def _record(check: FileCheck, node, kind: Record, path, base) -> None:
    if not _expect(check, node, path, kind.name, yaml.MappingNode):
        return
    given = {}
    for key, key_node, value in _pairs(check, node):
        given[key] = check.value(value)
        if key in kind.keys:
            check.check(value, kind.keys[key].type, path + (key,), base.get(key) if isinstance(base, dict) else None)
        elif not kind.open:
            check.add(key_node, path + (key,), f"未知的配置项“{key}”{suggestion(key, kind.keys)}（可用：{'、'.join(kind.keys)}）")
    if path == ():  # the whole file: required keys are checked on the two files merged
        return
    other = base if isinstance(base, dict) else {}
    missing = [k for k, d in kind.keys.items() if d.required and given.get(k) is None and other.get(k) is None]
    for key in missing:
        check.add(node, path, f"缺少必填项 {key}（{kind.keys[key].meaning}）")


def _variant(check: FileCheck, node, kind: Variant, path, base) -> None:
    if not _expect(check, node, path, kind.name, yaml.MappingNode):
        return
    pairs = {key: value for key, _, value in _pairs(check, node)}
    chosen = check.value(pairs[kind.on]) if kind.on in pairs else (base or {}).get(kind.on) if isinstance(base, dict) else None
    chosen = kind.default if chosen is None else str(chosen)
    if chosen is None:
        check.add(node, path, f"缺少必填项 {kind.on}（可用：{'、'.join(kind.variants)}）")
    elif chosen not in kind.variants:
        where = pairs.get(kind.on, node)
        check.add(where, path + (kind.on,), f"应为 {'、'.join(kind.variants)} 之一，实为“{chosen}”{suggestion(chosen, kind.variants)}")
    else:
        _record(check, node, kind.variants[chosen], path, base)


def _one_of(check: FileCheck, node, kind: OneOf, path, base) -> None:
    shapes = {yaml.MappingNode: (Record, Variant, MapOf), yaml.SequenceNode: (ListOf,), yaml.ScalarNode: (Scalar, Choice)}
    fitting = [o for o in kind.options if isinstance(o, shapes[type(node)])]
    if not fitting:
        _expect(check, node, path, kind.name, ())
        return
    check.check(node, fitting[0], path, base)


CHECKS = {Scalar: _scalar, Choice: _choice, ListOf: _list, MapOf: _map, Record: _record, Variant: _variant,
          OneOf: _one_of, Anything: lambda *args: None}


def check_file(file: str, root, kind, base) -> FileCheck:
    """The problems of one composed YAML document (``root``) declared as ``kind``."""
    check = FileCheck(file)
    if root is not None:
        check.check(root, kind, (), base)
    return check
