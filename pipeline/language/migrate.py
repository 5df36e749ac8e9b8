"""Rewriting a configured text of the older Jinja templates into the statement language.

``{{ x }}``, ``{{ x.y }}``, ``{{ x['y'] }}`` and ``{{ period.… }}`` stay names; the Jinja filters
become named formats (``|percent`` → ``|百分比``, ``|join('、')`` → ``|列举``, ``|length`` → ``|个数``,
``x or ''`` → ``|空则不写`` …); ``{% if x %}…{% else %}…{% endif %}`` becomes a ``when:`` statement
and ``{% for f in x %}…{% endfor %}`` an ``each:`` one (the loop's separator, ``{{ '、' if not
loop.last else '' }}``, its ``join``). What has no equivalent (arithmetic, calls, ``{% set %}``,
comparisons) is refused with the line of the text it is on. Jinja is only read here, never run.
"""

from __future__ import annotations

from jinja2 import Environment, TemplateSyntaxError, nodes

from .errors import LanguageError
from .formats import BUILT_IN, chinese_number
from .sentence import JINJA_FILTERS

ALONE = {"findings": "unit"}
COMPARISONS = {"eq": "==", "ne": "!=", "lt": "<", "lteq": "<=", "gt": ">", "gteq": ">=", "in": "in", "notin": "not in"}  # a loop over these rows: the row itself printed is this column


class MigrationError(LanguageError):
    """A Jinja text with no statement-language equivalent; ``line`` counts within the text."""


def migrated(text: str, statements: bool = True):
    """``text`` in the statement language: a sentence (str) or, where ``statements``, one
    statement (a dict for ``sentence:``/``evidence:``); MigrationError saying what cannot be."""
    try:
        tree = Environment().parse(str(text))
    except TemplateSyntaxError as exc:
        raise MigrationError(f"不是有效的 Jinja 模板（{exc.message}），无法改写", str(text), line=exc.lineno) from None
    pieces = _Translator(str(text)).block(tree.body)
    return shaped(pieces, statements, str(text))


def shaped(pieces: list, statements: bool, source: str):
    """Pieces (sentence text and statements) as one value: a sentence, or one statement."""
    if all(isinstance(p, str) for p in pieces):
        return "".join(pieces)
    if not statements:
        raise MigrationError("此处只能写一句（不能写语句），其中的 {% if %} / {% for %} 无法改写：请手改为一句——删去条件、只留每期都要写的文字，"
                             "或在本期 bulletin.yaml 中按期改写这一句；要按条件成段的文字，写在 sections 的 items 中（可写 when）", source, line=1)
    if len(pieces) == 1:
        return pieces[0]
    if len(pieces) <= 3 and _around_each(pieces):
        return _with_around(pieces)
    first = pieces[0] if isinstance(pieces[0], str) else ""
    return {**({"text": first} if first else {}), "items": pieces[1:] if first else pieces}


def _around_each(pieces: list) -> bool:
    """One ``each`` with only text before or after it: written as its ``before``/``after``."""
    loops = [p for p in pieces if isinstance(p, dict)]
    return len(loops) == 1 and "each" in loops[0] and "before" not in loops[0] and \
        (len(pieces) < 3 or isinstance(pieces[0], str))


def _with_around(pieces: list) -> dict:
    at = next(i for i, p in enumerate(pieces) if isinstance(p, dict))
    loop, before, after = dict(pieces[at]), "".join(pieces[:at]), "".join(pieces[at + 1:])
    loop.update({k: v for k, v in (("before", before), ("after", (loop.pop("after", "") or "") + after)) if v})
    return loop


def _joined(pieces: list) -> list:
    """Adjacent pieces of text as one."""
    out: list = []
    for piece in pieces:
        if isinstance(piece, str) and out and isinstance(out[-1], str):
            out[-1] += piece
        elif piece != "":
            out.append(piece)
    return out


class _Translator:
    """Walks the Jinja syntax tree; ``loops`` are the loop variables in scope, innermost last."""

    def __init__(self, source: str):
        self.source, self.loops = source, []

    def refuse(self, node, what: str) -> MigrationError:
        return MigrationError(f"{what}：语句中没有对应的写法，无法自动改写，请按语句的写法（text、each、when）手工改写",
                              self.source, line=getattr(node, "lineno", None))

    def block(self, body: list) -> list:
        return _joined([piece for node in body for piece in self.statement(node)])

    def statement(self, node) -> list:
        if isinstance(node, nodes.Output):
            return [self.output(child) for child in node.nodes]
        if isinstance(node, nodes.If):
            return [self.condition(node)]
        if isinstance(node, nodes.For):
            return [self.loop(node)]
        raise self.refuse(node, f"“{_shown(node)}”")

    def output(self, node) -> str:
        if isinstance(node, nodes.TemplateData):
            return node.data
        if isinstance(node, nodes.Const) and isinstance(node.value, (str, int)) and not isinstance(node.value, bool):
            return str(node.value)
        if _is_cn_of_number(node):
            return chinese_number(node.node.value)
        return "{{ " + self.value(node) + " }}"

    # ---- values: a dotted name and its formats ----

    def value(self, node) -> str:
        if isinstance(node, nodes.Filter):
            return self.filtered(node)
        if isinstance(node, nodes.Or) and _is_blank(node.right):
            return self.name(node.left) + "|空则不写"
        if isinstance(node, nodes.CondExpr) and _is_respectively(node):
            return self.name(node.test.expr.node) + "|分别"
        return self.name(node)

    def name(self, node) -> str:
        if isinstance(node, nodes.Name):
            return self.bare(node)
        if isinstance(node, nodes.Getattr) or (isinstance(node, nodes.Getitem) and _is_text(node.arg)):
            base = node.node
            field = node.attr if isinstance(node, nodes.Getattr) else node.arg.value
            if isinstance(base, nodes.Name) and self.bound(base.name):
                return field  # a column of the row being gone through
            return self.name(base) + "." + field
        raise self.refuse(node, f"“{_shown(node)}”")

    def bare(self, node: nodes.Name) -> str:
        if node.name == "loop":
            raise self.refuse(node, "loop 的属性")
        loop = self.bound(node.name)
        if loop is None:
            return node.name
        if loop[1] in ALONE:
            return ALONE[loop[1]]
        raise self.refuse(node, f"逐项的“{node.name}”本身（应写成它的某一列，如 {node.name}.name）")

    def bound(self, name: str):
        return next((loop for loop in reversed(self.loops) if loop[0] == name), None)

    def filtered(self, node: nodes.Filter) -> str:
        inner = node.node
        if node.name == "join" and _args_are(node, ["、"]):
            if isinstance(inner, nodes.Filter) and inner.name == "map" and _attribute_of(inner):
                return self.name(inner.node) + "." + _attribute_of(inner) + "|列举"
            return self.value(inner) + "|列举"
        if node.name == "sum" and _attribute_of(node) and not node.args:
            return self.name(inner) + "." + _attribute_of(node) + "|合计"
        if node.name == "map" and _attribute_of(node) and not node.args:
            return self.name(inner) + "." + _attribute_of(node)
        formats = {**JINJA_FILTERS, **{name: name for name in BUILT_IN}}
        if node.name in formats and not node.args and not node.kwargs:
            return self.value(inner) + "|" + formats[node.name]
        raise self.refuse(node, f"筛选器“{_filter_shown(node)}”")

    # ---- blocks: if and for ----

    def subject(self, node) -> tuple[str, bool]:
        """The name an ``{% if %}`` looks at, and whether it is negated (``not x``)."""
        if isinstance(node, nodes.Not):
            name, negated = self.subject(node.node)
            return name, not negated
        if isinstance(node, (nodes.Name, nodes.Getattr, nodes.Getitem)):
            return self.name(node), False
        return self.expression(node), False

    def expression(self, node, inner: bool = False) -> str:
        """A condition in the figure expression language: ``completed_on and completed_on <= cutoff``."""
        if isinstance(node, (nodes.And, nodes.Or)):
            word = " and " if isinstance(node, nodes.And) else " or "
            text = f"{self.expression(node.left, True)}{word}{self.expression(node.right, True)}"
            return f"({text})" if inner else text
        if isinstance(node, nodes.Not):
            return f"not {self.expression(node.node, True)}"
        if isinstance(node, nodes.Compare) and all(op.op in COMPARISONS for op in node.ops):
            return self.expression(node.expr) + "".join(f" {COMPARISONS[op.op]} {self.expression(op.expr)}" for op in node.ops)
        if isinstance(node, nodes.Const) and isinstance(node.value, (int, float, str)) and not isinstance(node.value, bool):
            return repr(node.value)
        if isinstance(node, (nodes.List, nodes.Tuple)):
            return "[" + ", ".join(self.expression(item) for item in node.items) + "]"
        name = self.name(node) if isinstance(node, (nodes.Name, nodes.Getattr, nodes.Getitem)) else ""
        if name and ("." not in name or name in ("unit.group", "unit.name")):
            return name
        raise self.refuse(node, f"条件中的“{_shown(node)}”（条件只能写名称、数字、'文字'、比较和 and or not）")

    def condition(self, node: nodes.If) -> dict:
        if node.elif_:
            raise self.refuse(node, "{% elif %}")
        name, negated = self.subject(node.test)
        shown, instead = self.block(node.body), self.block(node.else_)
        if negated:
            shown, instead = instead, shown
        statement = {"when": name, **_said(shown)}
        if instead:
            if len(instead) != 1 or not isinstance(instead[0], str):
                raise self.refuse(node, "{% else %} 中的 {% if %} / {% for %}（when_empty 只能写一句）")
            statement["when_empty"] = instead[0]
        return statement

    def loop(self, node: nodes.For) -> dict:
        if not isinstance(node.target, nodes.Name) or node.else_ or node.test is not None or node.recursive:
            raise self.refuse(node, "这种 {% for %}（只能写 {% for 名称 in 派生数据 %}）")
        figure = self.name(node.iter)
        body, join, after = _separator(node.body)
        self.loops.append((node.target.name, figure))
        try:
            said = _said(self.block(body))
        finally:
            self.loops.pop()
        return {"each": figure, **said, "join": join, **({"after": after} if after else {})}


def _said(pieces: list) -> dict:
    """Pieces as a statement's ``text`` and ``items``."""
    if not pieces:
        return {}
    if len(pieces) == 1 and isinstance(pieces[0], str):
        return {"text": pieces[0]}
    first = pieces[0] if isinstance(pieces[0], str) else ""
    return {**({"text": first} if first else {}), "items": pieces[1:] if first else pieces}


def _separator(body: list) -> tuple[list, str, str]:
    """A loop's body without its separator at the end, the separator, and what follows the last row."""
    last = body[-1] if body else None
    if isinstance(last, nodes.Output) and last.nodes and _is_last_test(last.nodes[-1]):
        cond = last.nodes[-1]
        rest = [nodes.Output(last.nodes[:-1], lineno=last.lineno)] if last.nodes[:-1] else []
        return body[:-1] + rest, cond.expr1.value, cond.expr2.value if cond.expr2 is not None else ""
    if isinstance(last, nodes.If) and _is_not_last(last.test) and _is_plain(last.body) and not last.else_ and not last.elif_:
        return body[:-1], last.body[0].nodes[0].data, ""
    return body, "", ""


def _is_last_test(node) -> bool:
    """``'、' if not loop.last else ''``."""
    return isinstance(node, nodes.CondExpr) and _is_not_last(node.test) and _is_text(node.expr1) and \
        (node.expr2 is None or _is_text(node.expr2))


def _is_not_last(node) -> bool:
    return isinstance(node, nodes.Not) and isinstance(node.node, nodes.Getattr) and \
        isinstance(node.node.node, nodes.Name) and node.node.node.name == "loop" and node.node.attr == "last"


def _is_plain(body: list) -> bool:
    return len(body) == 1 and isinstance(body[0], nodes.Output) and len(body[0].nodes) == 1 and \
        isinstance(body[0].nodes[0], nodes.TemplateData)


def _is_respectively(node: nodes.CondExpr) -> bool:
    """``'分别' if x|length > 1 else ''``."""
    test = node.test
    return _is_text(node.expr1) and node.expr1.value == "分别" and (node.expr2 is None or _is_blank(node.expr2)) and \
        isinstance(test, nodes.Compare) and isinstance(test.expr, nodes.Filter) and test.expr.name == "length" and \
        len(test.ops) == 1 and test.ops[0].op == "gt" and isinstance(test.ops[0].expr, nodes.Const) and test.ops[0].expr.value == 1


def _is_cn_of_number(node) -> bool:
    return isinstance(node, nodes.Filter) and node.name == "cn" and isinstance(node.node, nodes.Const) and \
        isinstance(node.node.value, int)


def _is_text(node) -> bool:
    return isinstance(node, nodes.Const) and isinstance(node.value, str)


def _is_blank(node) -> bool:
    return _is_text(node) and node.value == ""


def _args_are(node: nodes.Filter, values: list) -> bool:
    return not node.kwargs and len(node.args) == len(values) and all(
        _is_text(a) and a.value == v for a, v in zip(node.args, values))


def _attribute_of(node: nodes.Filter) -> str:
    """The ``attribute='x'`` of ``map``/``sum``, if that is all it is given."""
    pairs = [(k.key, k.value) for k in node.kwargs]
    if len(pairs) == 1 and pairs[0][0] == "attribute" and _is_text(pairs[0][1]) and not node.args:
        return pairs[0][1].value
    return ""


def _filter_shown(node: nodes.Filter) -> str:
    args = [repr(a.value) if isinstance(a, nodes.Const) else "…" for a in node.args]
    args += [f"{k.key}={k.value.value!r}" if isinstance(k.value, nodes.Const) else f"{k.key}=…" for k in node.kwargs]
    return node.name + (f"({', '.join(args)})" if args else "")


def _shown(node) -> str:
    """A node as its kind of Jinja (for messages)."""
    names = {"Assign": "{% set %}", "Call": "调用", "BinExpr": "运算", "Add": "运算", "Sub": "运算", "Mul": "运算",
             "Div": "运算", "Compare": "比较", "CondExpr": "… if … else …", "Getitem": "下标", "And": "and", "Or": "or",
             "List": "列表", "Tuple": "列表", "Macro": "{% macro %}", "With": "{% with %}"}
    return names.get(type(node).__name__, type(node).__name__)
