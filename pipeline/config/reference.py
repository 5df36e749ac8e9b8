"""docs/configuration.md: every key described once, with its type, default, meaning and an example.

A declared record (a column, a statement, an annex …) is described where the walk from the
top first meets it; every other place that uses it links there. A key a record shares with
one described before it (the statement keys, a 区县's settings) is named with a link, not
described again. Each key's example is ``key: value`` as written in YAML; the tests put it at
its place in a file and check it like any configuration file.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import yaml

from .declared import SETTINGS
from .types import NO_DEFAULT, Choice, Key, ListOf, MapOf, OneOf, Record, Scalar, Variant

TOP = "通报配置"
CALENDAR_YEAR = "2027"  # a placeholder key where keys must be years
PLACEHOLDER = "示例"  # a placeholder key where the configuration names its keys
FIRST = ("files", "datasets", "figures", "sections", "checks", "annexes")  # met first: the order the tutorial writes them


@dataclass(frozen=True)
class Place:
    """A record and where a reader finds it: the shown path and the steps that lead there."""

    record: Record
    path: str
    steps: tuple  # ("key", name) | ("map", key) | ("list",) | ("variant", on, value, is_default)


def anchor(heading: str) -> str:
    """The anchor a Markdown heading gets (GitHub's rule, as tests/test_docs.py applies it)."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower().replace("`", ""))
    return text.replace(" ", "-")


def _below(kind, path: str, steps: tuple) -> list[Place]:
    """The records under ``kind``, each with the path a reader finds it at."""
    if isinstance(kind, Record):
        return [Place(kind, path, steps)] if kind.keys else []
    if isinstance(kind, Variant):
        return [Place(r, f"{path}（{kind.on}: {v}）", steps + (("variant", kind.on, v, v == kind.default),))
                for v, r in kind.variants.items()]
    if isinstance(kind, ListOf):
        return _below(kind.item, f"{path}[…]", steps + (("list",),))
    if isinstance(kind, MapOf):
        key = PLACEHOLDER if re.fullmatch(kind.key_pattern or ".*", PLACEHOLDER) else CALENDAR_YEAR
        return _below(kind.value, f"{path}.<{kind.key_meaning}>", steps + (("map", key),))
    if isinstance(kind, OneOf):
        return [found for option in kind.options for found in _below(option, path, steps)]
    return []


def _walked(place: Place) -> list:
    """The keys of ``place`` in the order the walk follows them: at the top, the ones a new kind writes first."""
    keys = list(place.record.keys.items())
    if place.path != TOP:
        return keys
    return sorted(keys, key=lambda item: FIRST.index(item[0]) if item[0] in FIRST else len(FIRST))


def places() -> list[Place]:
    """Every declared record once, in the order a reader meets them from the top."""
    found, seen, queue = [], set(), [Place(SETTINGS, TOP, ())]
    while queue:
        place = queue.pop(0)
        if id(place.record) in seen:
            continue
        seen.add(id(place.record))
        found.append(place)
        for name, key in _walked(place):
            path = name if place.path == TOP else f"{place.path}.{name}"
            queue += _below(key.type, path, place.steps + (("key", name),))
    return found


def heading(place: Place) -> str:
    return TOP if place.path == TOP else f"`{place.path}`"


def same_key(a: Key, b: Key) -> bool:
    """Two declarations of one key (a 区县's setting is the period's, made optional)."""
    optional = b.default is NO_DEFAULT and not b.required
    return a.type == b.type and a.meaning == b.meaning and (a.default == b.default or optional)


def example(key: Key, place: Place | None = None, name: str = "") -> str | None:
    """The example value of ``key`` (``name`` in ``place``): declared, the kind of entry ``place`` is
    where the key says it (``type: table``), or the obvious one of a choice or a yes/no."""
    if key.example is not None:
        return key.example
    chosen = [step[2] for step in (place.steps[-1:] if place else ()) if step[0] == "variant" and step[1] == name]
    if chosen:
        return _written(chosen[0])
    if isinstance(key.type, Choice):
        return _written(next((v for v in key.type.values if v != key.default), key.type.values[0]))
    if isinstance(key.type, Scalar) and key.type.kind == "bool":
        return "false" if key.default is True else "true"
    return None


def _written(value) -> str:
    """``value`` as YAML writes it: a word YAML would read as a number or a yes/no is quoted."""
    return str(value) if yaml.safe_load(str(value)) == value else json.dumps(value, ensure_ascii=False)


def described_keys() -> list[tuple[Place, str, Key]]:
    """Every key described on the page, with the record it is described in."""
    described: list[tuple[Place, str, Key]] = []
    for place in places():
        for name, key in place.record.keys.items():
            if _first(described, name, key) is None:
                described.append((place, name, key))
    return described


def _first(described: list, name: str, key: Key) -> Place | None:
    return next((place for place, n, k in described if n == name and same_key(k, key)), None)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _default(key: Key) -> str:
    if key.default is NO_DEFAULT:
        return "必填" if key.required else ""
    return _cell("`" + json.dumps(key.default, ensure_ascii=False) + "`")


def _type(kind, where: dict) -> str:
    """The type of a key as the page says it, linked to the sections of the records it holds."""
    if isinstance(kind, Record) and id(kind) in where:
        return f"[{_cell(kind.title)}](#{anchor(heading(where[id(kind)]))})"
    linked = list({id(p.record): where[id(p.record)] for p in _below(kind, "", ()) if id(p.record) in where}.values())
    links = "、".join(f"[{_cell(p.record.title)}](#{anchor(heading(p))})" for p in linked)
    return _cell(kind.name) + (f"（见{links}）" if links else "")


def _row(place: Place, name: str, key: Key, where: dict) -> str:
    shown = example(key, place, name)
    cells = [f"`{name}`", _type(key.type, where), _default(key), _cell(key.meaning),
             _cell(f"`{name}: {shown}`") if shown is not None else ""]
    return "| " + " | ".join(cells) + " |"


def _section(place: Place, described: list, where: dict) -> list[str]:
    lines = [f"## {heading(place)}", ""] + ([f"**{place.record.title}**", ""] if place.path != TOP else [])
    shared: dict[int, list[str]] = {}
    rows = []
    for name, key in place.record.keys.items():
        home = _first(described, name, key)
        if home.record is place.record:
            rows.append(_row(place, name, key, where))
        else:
            shared.setdefault(id(home.record), []).append(name)
    if rows:
        lines += ["| 键 | 类型 | 默认 | 说明 | 例 |", "|---|---|---|---|---|", *rows]
    for record_id, names in shared.items():
        home = where[record_id]
        lines += ["", f"另可写 {'、'.join(f'`{n}`' for n in names)}：同[{heading(home).strip('`')}](#{anchor(heading(home))})中的同名项。"]
    return lines + [""]


INTRODUCTION = [
    "# 通报配置参考（kind.yaml 与 bulletin.yaml）",
    "",
    "本页由 `pipeline/config/declared.py` 生成，请勿手改：运行 `bulletin schema` 重新生成。",
    "通报类型的 `templates/<类型>/kind.yaml` 写这一类通报的共同部分，每一期的 `inputs/<周期>/bulletin.yaml`",
    "写本期的内容，可覆盖 kind.yaml 中的任何一项（映射逐键合并，列表整体替换）。",
    "写错的键、类型或句子在生成前报告，指明文件和行号；未知的键给出最接近的正确写法。",
    "",
    "每个键只在一处说明：下面每节是一种映射，标题为它在文件中的位置（`[…]` 为列表的一项，`<…>` 为自己起的名称）；",
    "别处用到同一种映射时链接到这里。“例”一列是这个键在该位置的写法，测试逐条按配置检查它。",
    "例如 `datasets.<数据表名>.columns.<字段名>` 一节中的 `header: 承办单位` 写在文件中是：",
    "",
    "```yaml",
    "datasets:",
    "  tickets:            # <数据表名>",
    "    columns:",
    "      unit:           # <字段名>",
    "        header: 承办单位",
    "```",
    "",
    "句子中可写的周期名称（`{{ period.full_name }}` 等）见 [period-attributes.md](period-attributes.md)。",
    "另外两种文件不在本页：单位名录见 [data.md](data.md#units-and-registries)，`存在问题.yaml` 见 [findings.md](findings.md#存在问题yaml)。",
    "第一次写一种通报，请先读[教程](tutorial.md)。",
]


def reference_page(schema_file: str) -> str:
    """docs/configuration.md: every key once, record by record, each with an example."""
    found, described = places(), described_keys()
    where = {id(p.record): p for p in found}
    lines = INTRODUCTION + [f"编辑器可用 `{schema_file}` 补全和检查。", ""]
    for place in found:
        lines += _section(place, described, where)
    return "\n".join(lines).rstrip() + "\n"
