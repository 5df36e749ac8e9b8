"""存在问题 entries: the clerk's list, with rule-derived sentences filled in from the findings.

``存在问题.yaml`` in the period folder lists the entries in the order they are printed::

    - heading: 超时办件依然存在
      parts:
        - rule: overdue_cases          # a check; its sentence comes from the kind
    - heading: 政务公开更新力度不足、整改力度低
      parts:
        - rule: rectification_overdue
          sentence: "针对上级反馈的问题清单，{{ findings|列举 }}未在规定的时间及时整改；"
        - text: 经济开发区、乡村振兴局未及时更新本部门平台的栏目。
        - each: 低于标准                 # a statement over a figure (see statements.py)
          text: "{{ unit }}"
          join: "、"
          after: "按期办结率低于标准。"
    - heading: 政务服务大数据应用场景不足      # a hand-written entry
      text: 除住建局……

A rule part with no findings prints nothing, nor a statement whose figure is empty; an entry
left with nothing is dropped and the rest are numbered （一）（二）… without a gap. Statements
are said once the figures are known (``pending``), before the document is composed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..core.errors import Problem
from .base import RULES, Finding
from ..load.inputs import RuleContext
from ..figures.table import FigureTable
from ..language.statements import said
from ..language.sentence import Scope, phrase_problem
from ..config.declared import RULE_PARAMS, rule_defaults
from ..config.view import Settings
from ..config.prose_check import FILE_ONLY_IN_SECTIONS, file_statements
from ..core.suggest import suggestion
from ..figures.choices import overridden_problems


@dataclass(frozen=True)
class RulePart:
    """One rule part of an entry as derived: its sentence, its parameters and what it found."""

    rule: str
    sentence: str | dict  # a template, or a statement over ``findings``
    params: dict
    findings: list[Finding]


@dataclass
class ProblemEntry:
    """One numbered 存在问题 entry as printed, with the findings behind it."""

    heading: str
    body: str
    findings: list[Finding] = field(default_factory=list)
    key: str = ""  # what stays the same when the wording changes: see entry_key
    parts: list[RulePart] = field(default_factory=list)  # its rule parts with findings, in order
    pending: list = field(default_factory=list)  # the body's pieces while statements wait for the figures
    evidence: list = field(default_factory=list)  # figure rows the statements printed


def rule_sentence(part: RulePart, ctx: RuleContext) -> str:
    """A rule part's sentence over all it found (a notice says it over one unit's findings)."""
    return render_part(part, part.findings, ctx.period, ctx.cutoff)


def render_part(part: RulePart, findings: list[Finding], period, cutoff) -> str:
    """A rule part's sentence about ``findings`` (all it found, or one unit's: see notices.py).
    In the sentence language ``findings`` is a table, a row per finding (``unit`` and its figures)."""
    table = FigureTable([{"unit": f.unit, **f.figures} for f in findings], name=part.rule, label="unit")
    names = {**part.params, "findings": table, "params": part.params, "period": period, "cutoff": cutoff}
    return said(part.sentence, Scope(names))


def is_statement(part) -> bool:
    """A part that is a statement over a figure (``each:`` or ``when:``), not a rule or the clerk's text."""
    return isinstance(part, dict) and any(key in part for key in ("each", "when"))


def entry_key(entry: dict) -> str:
    """An entry's identity across rebuilds: its ``id`` if configured, else the rules it runs
    (so rewording the heading of a derived entry is still the same entry), else its heading."""
    if entry.get("id"):
        return f"id:{entry['id']}"
    rules = [part["rule"] for part in entry.get("parts") or [] if isinstance(part, dict) and "rule" in part]
    return "rules:" + "+".join(rules) if rules else str(entry.get("heading") or "").strip()


def param_problems(rule: str, params) -> list[str]:
    """Parameters of a rule in 存在问题.yaml that the rule does not declare, with the nearest declared name."""
    declared = RULE_PARAMS.get(rule, {})
    unknown = [str(k) for k in (params or {}) if k not in declared] if isinstance(params, dict) else []
    return [f"没有参数“{k}”{suggestion(k, declared)}（可用：{'、'.join(declared)}）" for k in unknown]


def check_entries(entries: list, rule_settings: Settings, datasets: dict, source: str, require_heading: bool = True,
                  formats: dict | None = None, checks: dict | None = None, figures=()) -> list[Problem]:
    """Configuration problems in the entry list: unknown rules, missing inputs.

    Entries of an unnumbered problems section (``numbered: false``) need no heading. ``checks``
    are the declared checks (``checks:``), usable by name like the Python rules; ``figures`` the
    names of figures a check may read instead of a dataset.
    """
    checks = checks or {}
    problems = []
    if not isinstance(entries, list):
        return [Problem(source, "应为问题条目的列表（每条以“- heading:”开头）")]
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or (require_heading and not entry.get("heading")):
            problems.append(Problem(source, f"第{number}条问题缺少 heading（标题）"))
            continue
        for part in entry.get("parts") or []:
            name = part.get("rule") if isinstance(part, dict) else None
            if is_statement(part):
                problems += [Problem(source, f"第{number}条问题：{p}") for p in statement_problems(part, formats)]
                continue
            if name is None:
                if not (isinstance(part, dict) and "text" in part):
                    problems.append(Problem(source, f"第{number}条问题的 parts 只能包含 rule、text 或语句（each、when）"))
                continue
            if name in checks:
                problems += _declared_check_problems(number, name, part, checks[name], source)
                table = str(checks[name].get("from"))
                if table not in datasets and table not in figures:
                    problems.append(Problem(source, f"第{number}条问题：规则“{name}”需要数据表 {table}，请在 bulletin.yaml 的 files 中配置"))
                continue
            if name not in RULES:
                known = sorted(set(RULES) | set(checks))
                problems.append(Problem(source, f"第{number}条问题：未知的规则“{name}”{suggestion(name, known)}（可用：{'、'.join(known)}）"))
                continue
            if not any(d in datasets for d in RULES[name].datasets):
                problems.append(
                    Problem(
                        source,
                        f"第{number}条问题：规则“{name}”需要数据表 {' 或 '.join(RULES[name].datasets)}，请在 bulletin.yaml 的 files 中配置",
                    )
                )
            problems += [Problem(source, f"第{number}条问题：规则“{name}”{message}") for message in param_problems(name, part.get("params"))]
            if not (part.get("sentence") or rule_settings.entry(name).value("sentence")):
                problems.append(Problem(source, f"第{number}条问题：规则“{name}”没有配置 sentence（句子模板）"))
    return problems


def _declared_check_problems(number: int, name: str, part: dict, check: dict, source: str) -> list[Problem]:
    declared = check.get("params") or {}
    params = part.get("params") if isinstance(part.get("params"), dict) else {}
    problems = [Problem(source, f"第{number}条问题：规则“{name}”没有参数“{k}”{suggestion(k, declared)}（可用：{'、'.join(declared) or '无'}）")
                for k in params if k not in declared]
    if not (part.get("sentence") or check.get("sentence")):
        problems.append(Problem(source, f"第{number}条问题：规则“{name}”没有配置 sentence（句子模板）"))
    return problems


def derive_entries(entries: list, rule_settings: Settings, ctx: RuleContext, checks: dict | None = None,
                   run_check=None) -> list[ProblemEntry]:
    """The entries to print, in configured order, with rule sentences rendered. A declared check
    (in ``checks``) is run by ``run_check(name, params)``."""
    checks = checks or {}
    result = []
    for entry in entries:
        sentences, findings, parts = [], [], []
        has_rule_part = False
        for part in entry.get("parts") or []:
            if is_statement(part):
                sentences.append(part)
                continue
            if "rule" not in part:
                sentences.append(str(part["text"]).strip())
                continue
            has_rule_part = True
            if part["rule"] in checks:
                defaults = checks[part["rule"]]
                found = run_check(part["rule"], part.get("params") or {})
                params = {**(defaults.get("params") or {}), **(part.get("params") or {})}
            else:
                defaults = rule_settings.entry(part["rule"]).as_written or {}
                params = {**rule_defaults(part["rule"]), **(defaults.get("params") or {}), **(part.get("params") or {})}
                found = RULES[part["rule"]].function(ctx, params)
            if not found:
                continue
            findings.extend(found)
            parts.append(RulePart(part["rule"], part.get("sentence") or defaults["sentence"], params, found))
            sentences.append(rule_sentence(parts[-1], ctx))
        if entry.get("text"):
            sentences.append(str(entry["text"]).strip())
        pending = any(isinstance(s, dict) for s in sentences)
        if has_rule_part and not findings and not pending and not any("text" in p for p in entry.get("parts") or []) and not entry.get("text"):
            continue
        if not sentences:
            continue
        body = "" if pending else "".join(sentences)
        result.append(ProblemEntry(str(entry.get("heading") or "").strip(), body, findings, entry_key(entry),
                                   parts=parts, pending=sentences if pending else []))
    return result


def entry_choice_problems(entries, declared: dict, settings: Settings, place) -> list[Problem]:
    """An entry's parameter of a declared check that makes it compare a choice column with a value
    the column cannot hold (``params: {counted_grade: 好}``): its check would find nothing.
    ``place(value)``: the file and line a text value of 存在问题.yaml is written at."""
    problems = []
    for number, entry in enumerate(entries if isinstance(entries, list) else [], start=1):
        for part in (entry.get("parts") or []) if isinstance(entry, dict) else []:
            check = ("checks", str(part.get("rule"))) if isinstance(part, dict) else None
            if check in declared and isinstance(part.get("params"), dict):
                for param, message in overridden_problems(declared[check], part["params"], declared, settings):
                    file, line = place(part["params"][param])
                    problems.append(Problem(file, f"第{number}条问题：规则“{check[1]}”的 params.{param}：{message}", row=line))
    return problems


def statement_problems(part: dict, formats: dict | None = None) -> list[str]:
    """Sentences of a statement part that are not in the statement language."""
    found = [phrase_problem(str(part[k]), formats) for k in ("text", "before", "after", "when_empty") if part.get(k)]
    return [p for p in found if p]


def entry_file_problems(entries, place) -> list[Problem]:
    """A ``file:`` statement in an entry of 存在问题.yaml (its text, a statement, a rule's sentence):
    refused at its line before any data is read, said or not. ``place(value)``: the file and line
    a text value is written at."""
    problems = []
    for number, entry in enumerate(entries if isinstance(entries, list) else [], start=1):
        for path in file_statements(entry):
            holder = _at_path(entry, path[:-1])
            file, line = place(holder["file"])
            problems.append(Problem(file, f"第{number}条问题：" + FILE_ONLY_IN_SECTIONS.format(what="存在问题的文字"), row=line))
    return problems


def _at_path(value, path: tuple):
    for key in path:
        value = value[key]
    return value
