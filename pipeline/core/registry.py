"""The office's unit registry (单位名录): one name per unit, whatever the source data calls it."""

from __future__ import annotations

from .suggest import nearest

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import BulletinError
from .invisible import is_invisible, show_invisible
from .yamlio import Loader, line_of, parse_yaml


def name_key(text: str) -> str:
    """The form two spellings of one name share: width-folded, without spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text)))


@dataclass(frozen=True)
class Unit:
    """A department, town or other unit the office assesses."""

    full_name: str  # 全称: 宜城市生态环境局
    short_name: str  # 简称, used in tables and text: 生态环境局
    group: str  # 市直部门 / 镇街 / …
    order: int  # position in the registry
    aliases: tuple[str, ...] = field(default=())
    text: str = ""  # 正文用名, where running text differs from tables (县市场监管局)

    @property
    def text_name(self) -> str:
        """The name running text uses: ``text`` if the registry gives one, else the short name."""
        return self.text or self.short_name

    def __str__(self) -> str:
        return self.short_name


class UnknownUnit(BulletinError, KeyError):
    """A name that matches no unit of the registry."""

    def __init__(self, name: str, suggestion: str | None):
        self.name = name
        self.suggestion = suggestion
        hint = f"，是否为“{suggestion}”？" if suggestion else ""
        if any(is_invisible(ch) for ch in name):
            hint = f"：名称中含有看不见的字符（⟦⟧ 中所示，多半随复制粘贴带入），删除后即可{hint}"
        super().__init__(f"单位“{show_invisible(name)}”不在单位名录中{hint}")

    def __str__(self) -> str:
        return self.args[0]


class NameClash(BulletinError, ValueError):
    """One spelling (简称或别名) given to two units of the registry, at the line of its second use."""

    def __init__(self, spelling: str, first: Unit, second: Unit, line: int | None):
        self.line = line
        super().__init__(
            f"名称“{spelling}”同时属于“{first.full_name}”和“{second.full_name}”两个单位："
            f"一个简称或别名只能指一个单位，否则按它统计的记录会算到另一个单位名下"
        )

    def __str__(self) -> str:
        return self.args[0]


def spelling_lines(text: str) -> dict[tuple[int, str], int]:
    """(unit's position, spelling) → line in the registry file (1-based), from the YAML nodes."""
    lines: dict[tuple[int, str], int] = {}
    try:
        root = yaml.compose(text, Loader=Loader)
    except yaml.YAMLError:
        return lines
    groups = next((v for k, v in getattr(root, "value", []) if getattr(k, "value", None) == "groups"), None)
    order = 0
    for _, members in getattr(groups, "value", []) or []:
        for entry in members.value if isinstance(members, yaml.SequenceNode) else []:
            for node in _scalars(entry):
                lines.setdefault((order, str(node.value)), line_of(node))
            order += 1
    return lines


def _scalars(node) -> list:
    """The scalar values of an entry's mapping (name, short, aliases' items), in order."""
    if isinstance(node, yaml.ScalarNode):
        return [node]
    if isinstance(node, yaml.MappingNode):
        return [s for _, v in node.value for s in _scalars(v)]
    if isinstance(node, yaml.SequenceNode):
        return [s for v in node.value for s in _scalars(v)]
    return []


class Registry:
    """Looks units up by full name, short name or alias."""

    def __init__(self, units: list[Unit], source: str = "单位名录", lines: dict | None = None):
        self.units = units
        self.source = source
        self._by_key: dict[str, Unit] = {}
        for unit in units:
            for spelling in (unit.full_name, unit.short_name, unit.text, *unit.aliases):
                if spelling:
                    self._add(spelling, unit, lines or {})

    def _add(self, spelling: str, unit: Unit, lines: dict) -> None:
        """Files ``spelling`` under ``unit``; NameClash if another unit already has it."""
        owner = self._by_key.setdefault(name_key(spelling), unit)
        if owner is not unit:
            raise NameClash(spelling, owner, unit, lines.get((unit.order, spelling)))

    @classmethod
    def from_yaml(cls, path: Path) -> "Registry":
        return cls.from_text(Path(path).read_text(encoding="utf-8-sig"), Path(path).name)

    @classmethod
    def from_text(cls, text: str, source: str) -> "Registry":
        """The registry a file called ``source`` holds as ``text``."""
        data = parse_yaml(text) or {}
        units: list[Unit] = []
        for group, members in (data.get("groups") or {}).items():
            for entry in members or []:
                units.append(
                    Unit(
                        full_name=str(entry["name"]),
                        short_name=str(entry.get("short") or entry["name"]),
                        group=str(group),
                        order=len(units),
                        aliases=tuple(str(a) for a in entry.get("aliases") or ()),
                        text=str(entry.get("text") or ""),
                    )
                )
        return cls(units, source=source, lines=spelling_lines(text))

    def resolve(self, name: str) -> Unit:
        """The unit a spelling refers to; raises UnknownUnit with the nearest name."""
        key = name_key(name)
        if key in self._by_key:
            return self._by_key[key]
        close = nearest(key, self._by_key)
        suggestion = self._by_key[close].short_name if close else None
        raise UnknownUnit(str(name).strip(), suggestion)

    def group(self, group: str) -> list[Unit]:
        """The units of one group in registry order."""
        return [u for u in self.units if u.group == group]

    def __iter__(self):
        return iter(self.units)
