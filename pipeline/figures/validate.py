"""Declared figures and checks checked before any data is read, each problem at its file and line:
an expression outside the language, a column that does not exist (with the nearest name), a
``from`` naming nothing, a cycle of chains, a registry attribute that does not exist."""

from __future__ import annotations

from ..config.declared import QUERY
from ..config.view import Settings
from ..core.errors import Problem
from ..core.suggest import suggestion
from ..language.expressions import ExpressionError, names_in, parse
from . import pivot_checks as pivot
from .lookup import REGISTRY, REGISTRY_COLUMNS
from .query import key_name
from .choices import choice_problems
from .steps import GROUP_ORDERS

LITERALS = ("period_start", "period_end", "cutoff")
SECTIONS = ("figures", "checks")


def declarations(settings: Settings) -> dict[tuple[str, str], dict]:
    """Every declared query: (section, name) -> its declaration (figures with ``derive:`` are Python)."""
    found = {}
    for section in SECTIONS:
        for name, spec in settings.value(section).items():
            if isinstance(spec, dict) and "derive" not in spec:
                found[(section, str(name))] = spec
    return found


MAX_DECLARED = 500  # figures and checks one configuration may declare
MAX_CHAIN = 50  # figures read one from another (a from b from c …)


def dependency_order(declared: dict, datasets, place) -> tuple[list[tuple[str, str]], list[Problem]]:
    """Declarations in an order where each comes after the figure it reads; problems for an unknown
    ``from``, for cycles and for chains longer than MAX_CHAIN (walked without recursion)."""
    figures = {name for (section, name) in declared if section == "figures"}
    problems, order, done = [], [], set()
    if len(declared) > MAX_DECLARED:
        first = list(declared)[MAX_DECLARED]
        return [], [_problem(place, first, "from", f"共声明 {len(declared):,} 项派生数据和规则检查，超过上限 {MAX_DECLARED}")]
    for key in declared:
        chain = _chain(key, declared, figures, done)
        problems += _chain_problems(chain, declared, datasets, figures, done, place)
        for link in reversed(chain):
            if link not in done:
                done.add(link)
                order.append(link)
    return order, problems or _depth_problems(order, declared, place)


def _depth_problems(order: list, declared: dict, place) -> list[Problem]:
    depth: dict = {}
    for key in order:
        depth[key] = 1 + depth.get(("figures", str(declared[key].get("from"))), 0)
        if depth[key] > MAX_CHAIN:
            return [_problem(place, key, "from", f"派生数据层层引用超过 {MAX_CHAIN} 层（此项是第 {depth[key]} 层）")]
    return []


def _chain(key, declared: dict, figures: set, done: set) -> list:
    """``key``, the figure it reads, the one that reads, … up to a dataset, a figure already
    ordered, or the first repeat (a cycle)."""
    chain, seen = [], set()
    while key not in done:
        if key in seen:
            return chain + [key]  # back to a figure of the chain: a cycle
        chain.append(key)
        seen.add(key)
        source = str(declared[key].get("from"))
        if source not in figures:
            break
        key = ("figures", source)
    return chain


def _chain_problems(chain: list, declared: dict, datasets, figures: set, done: set, place) -> list[Problem]:
    if not chain:
        return []
    if len(chain) > 1 and chain[-1] in chain[:-1]:  # back to a figure of the chain: a cycle
        cycle = chain[chain.index(chain[-1]):]
        chain.pop()
        return [_problem(place, cycle[0], "from", f"派生数据循环引用：{' → '.join(n for _, n in cycle)}")]
    last = chain[-1]
    source = str(declared[last].get("from"))
    if source in figures or source in datasets:
        return []
    known = sorted(set(datasets) | figures)
    return [_problem(place, last, "from", f"“{source}”既不是数据表也不是派生数据{suggestion(source, known)}（可用：{'、'.join(known)}）")]


def _problem(place, key, field: str, message: str) -> Problem:
    section, name = key
    file, line = place(section, name, *field.split("."))
    return Problem(file, f"{section}.{name}.{field}：{message}", row=line)


def column_problems(declared: dict, order: list, settings: Settings, place) -> list[Problem]:
    """Expressions that do not parse or name a column that does not exist, in dependency order."""
    outputs, problems = {}, []
    datasets = settings.value("datasets")
    params = set(settings.value("params")) | set(LITERALS)
    for key in order:
        spec = declared[key]
        source = str(spec.get("from"))
        if ("figures", source) in outputs:
            known = outputs[("figures", source)]
        elif source == REGISTRY and source not in datasets:
            known = set(REGISTRY_COLUMNS)
        else:  # a dataset's declared columns; a Python figure's columns are known only when it runs
            known = set((datasets[source].get("columns") or {})) if isinstance(datasets.get(source), dict) else None
        if known is None:
            outputs[key] = None
            continue
        figures = {str(n): outputs.get(("figures", str(n))) for n in settings.value("figures")} if spec.get("lookup") else {}
        outputs[key] = _checked(key, spec, known, params | set(spec.get("params") or {}), (datasets, figures), place, problems)
    return problems


def _checked(key, spec: dict, known: set, params: set, tables: tuple, place, problems: list) -> set | None:
    """The columns ``spec`` gives (None: known when it runs), its problems, the pivot-table
    declarations' (lookup, indicators, a grouping's order) among them, added to ``problems``;
    ``tables``: (the declared datasets, figure name -> its columns where known)."""
    datasets, figures = tables
    added, found = pivot.lookup_problems(spec, datasets, known, figures)
    found += pivot.group_order_problems(spec, datasets)
    found += pivot.indicator_problems(spec, known) if spec.get("indicators") else []
    problems += [_problem(place, key, field, message) for field, message in found]
    if not spec.get("indicators"):
        return _check_one(key, spec, known | added, params, place, problems)
    if spec.get("where"):  # it picks indicator rows; the row made of them has the columns the table names
        _check_one(key, {"where": spec["where"]}, known, params, place, problems)
    return None


def _check_one(key, spec: dict, known: set, params: set, place, problems: list) -> set:
    """The columns ``spec`` gives (for the figures that read it), adding its problems to ``problems``."""
    def check(field, text, allowed, path=()):
        try:
            tree = parse(text) if not isinstance(text, dict) else key_name(text)[1]
        except ExpressionError as exc:
            problems.append(_problem(place, key, ".".join((field,) + path), str(exc)))
            return None
        own = sorted(params - set(LITERALS))  # the check's thresholds (params), usable beside the columns
        for unknown in sorted(names_in(tree) - allowed - params):
            near = suggestion(unknown, sorted(allowed) + own)
            usable = "、".join(sorted(allowed)) + (f"；参数：{'、'.join(own)}" if own else "")
            problems.append(_problem(place, key, ".".join((field,) + path), f"没有名为“{unknown}”的列{near}（可用：{usable}）"))
        return tree

    for name, text in (spec.get("columns") or {}).items():
        check("columns", text, known, (str(name),))
        known = known | {str(name)}
    if spec.get("where"):
        check("where", spec["where"], known)
    group_by = spec.get("group_by")
    entries = group_by if isinstance(group_by, list) else ([group_by] if group_by else [])
    keys = []
    for entry in entries:
        if check("group_by", entry, known) is not None:
            keys.append(key_name(entry)[0])
    if not (entries or spec.get("measures")):
        out = set(known)
    else:
        out = set(keys)
        for name, text in (spec.get("measures") or {}).items():
            check("measures", text, known | out, (str(name),))
            out.add(str(name))
    if spec.get("having"):
        check("having", spec["having"], out)
    rank = spec.get("rank") if isinstance(spec.get("rank"), dict) else None
    if rank:
        _named(key, "rank.by", [rank.get("by")], out, place, problems)
        out.add(str(Settings(rank, QUERY.keys["rank"].type).value("as")))
    order = spec.get("order") if spec.get("order") not in GROUP_ORDERS else None  # a grouping's order: pivot_checks
    if spec.get("per"):  # a check's findings: order may name the rows' count
        out = out | {"count"}
    _named(key, "order", order if isinstance(order, list) else [order] if order else [], out, place, problems)
    compare = spec.get("compare") if isinstance(spec.get("compare"), dict) else None
    if compare:
        _named(key, "compare.measures", compare.get("measures") or [], set(spec.get("measures") or {}), place, problems)
        suffix = "_上期" if Settings(compare, QUERY.keys["compare"].type).value("with") == "previous" else "_上年同期"
        out |= {f"{m}{suffix}" for m in compare.get("measures") or spec.get("measures") or {}}
    return out


def _named(key, field: str, names: list, allowed: set, place, problems: list) -> None:
    """Column names (``-name`` for descending) that must be among ``allowed``."""
    for name in names:
        column = str(name).lstrip("-")
        if column not in allowed:
            problems.append(_problem(place, key, field, f"没有名为“{column}”的列{suggestion(column, sorted(allowed))}（可用：{'、'.join(sorted(allowed))}）"))


def declaration_problems(settings: Settings, place) -> tuple[list[tuple[str, str]], list[Problem]]:
    """(evaluation order, problems) of the declared figures and checks of a configuration."""
    declared = declarations(settings)
    python_figures = {str(n) for n, s in settings.value("figures").items() if isinstance(s, dict) and "derive" in s}
    datasets = set(settings.value("datasets")) | python_figures | {REGISTRY}  # from: registry, every unit
    order, problems = dependency_order(declared, datasets, place)
    figures = {str(n) for n in settings.value("figures")}
    problems += [_problem(place, ("checks", name), "title", f"规则检查“{name}”与派生数据同名（figures.{name}），请改用另一个名称")
                 for section, name in declared if section == "checks" and name in figures]
    problems += [_problem(place, key, field, message) for key, field, message in pivot.lookup_cycles(declared)]
    if not problems:
        problems = column_problems(declared, order, settings, place) + choice_problems(declared, settings, place)
    return order, problems
