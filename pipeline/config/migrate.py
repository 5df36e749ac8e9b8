"""``bulletin migrate``: a kind's or a period's YAML files rewritten from the older Jinja text into the
statement language, in place.

Only the text values written in Jinja change, each where it stands (its quotes or block kept where
they still fit): comments, key order and layout of the file stay as they were. A value that cannot be
rewritten (language/migrate.py says why) is left as it was and listed at its line.
"""

from __future__ import annotations

import os

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..core.encoding import UnknownEncoding, decode_text
from ..core.errors import Problem, yaml_problem
from ..core.outputs import replace_file
from ..core.yamlio import YAMLError, text_line
from ..language.migrate import MigrationError, migrated
from ..language.sentence import is_jinja

STATEMENT_KEYS = ("sentence", "evidence")  # where a text may become a statement (each:, when:)


@dataclass
class Migration:
    """What migrating some files did (or, checking only, would do)."""

    changed: list[Problem] = field(default_factory=list)  # file, line: before → after
    refused: list[Problem] = field(default_factory=list)  # file, line: why it cannot be rewritten
    files: dict = field(default_factory=dict)  # path -> new text, for the files that change


def migration_files(path: Path) -> list[Path]:
    """The YAML files of ``path``: the file itself, or a kind's or period's folder's ``*.yaml``."""
    path = Path(path)
    return [path] if path.is_file() else sorted(p for p in path.glob("*.yaml") if p.is_file())


def migrate_paths(paths, write: bool) -> Migration:
    """Every YAML file of ``paths`` migrated; the changed ones written (each atomically) if ``write``."""
    migration = Migration()
    for path in paths:
        files = migration_files(path)
        if not files:
            migration.refused.append(Problem(str(path), "文件夹中没有 YAML 文件：应为通报类型文件夹（如 templates/assessment）、"
                                                        "周期文件夹（如 inputs/2024Q1）或一个 YAML 文件"))
        for file in files:
            migrate_file(file, migration)
    if write:
        for path, text in migration.files.items():
            replace_file(path, text.encode("utf-8"))
    return migration


def migrate_file(path: Path, migration: Migration) -> None:
    """One file migrated into ``migration``; one that cannot be read or parsed is listed as refused."""
    try:
        text = decode_text(path.read_bytes())  # UTF-8 or GBK, as Notepad and WPS save it; written back as UTF-8
        new, changed, refused = migrate_text(text, str(path))
    except (OSError, UnknownEncoding) as exc:
        migration.refused.append(Problem(str(path), f"无法读取（{exc}）"))
        return
    except YAMLError as exc:
        migration.refused.append(yaml_problem(str(path), exc))
        return
    migration.changed += changed
    migration.refused += refused
    if new != text:
        migration.files[path] = new


def migrate_text(text: str, file: str) -> tuple[str, list[Problem], list[Problem]]:
    """``text`` with every Jinja value rewritten in place, what changed, and what could not be."""
    edits, changed, refused = [], [], []
    for node, key in jinja_values(yaml.compose(text, Loader=yaml.SafeLoader)):
        try:
            new = migrated(node.value, statements=key in STATEMENT_KEYS)
        except MigrationError as exc:
            refused.append(Problem(file, f"{key}：{exc}（未改动）", row=_line(node, exc.line)))
            continue
        edits.append((node, written(node, new, text)))
        changed.append(Problem(file, f"{key}：{_change(node.value, new if isinstance(new, str) else flow(new))}",
                               row=text_line(node)))
    for node, replacement in sorted(edits, key=lambda e: e[0].start_mark.index, reverse=True):
        text = text[:value_start(node, text)] + replacement + text[node.end_mark.index:]
    return text, changed, refused


def jinja_values(root) -> list[tuple[yaml.ScalarNode, str]]:
    """(node, the key it is under) of every text value written in the older Jinja, in file order."""
    found, stack, seen = [], [(root, "")], set()
    while stack:
        node, key = stack.pop()
        if id(node) in seen:  # an alias (*name) of a node already walked: rewritten once, where it is written
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:str" and is_jinja(node.value):
            found.append((node, key))
        elif isinstance(node, yaml.MappingNode):
            stack += [(v, str(k.value)) for k, v in reversed(node.value)]
        elif isinstance(node, yaml.SequenceNode):
            stack += [(item, key) for item in reversed(node.value)]
    return found


def value_start(node, text: str) -> int:
    """Where the value itself begins: after an anchor (``&name``) or a tag (``!!str``) written before it."""
    start = node.start_mark.index
    while text[start] in "&!":
        start = re.match(r"[&!]\S*\s+", text[start:]).end() + start
    return start


def _line(node, line_in_text: int | None) -> int:
    """The file's line of a line of the value (a ``|`` block keeps its lines; others are one)."""
    return text_line(node) + ((line_in_text or 1) - 1 if node.style == "|" else 0)


def _change(before: str, after: str, around: int = 12) -> str:
    """“before → after” around what changed: the text both share before and after it cut to ``around``
    characters, so a long sentence shows its changed words, not the same first 60 characters twice."""
    before, after = " ".join(before.split()), " ".join(after.split())
    head = len(os.path.commonprefix([before, after]))
    tail = len(os.path.commonprefix([before[head:][::-1], after[head:][::-1]]))
    start = max(head - around, 0)
    return f"{_cut(before, start, tail, around)} → {_cut(after, start, tail, around)}"


def _cut(text: str, start: int, tail: int, around: int) -> str:
    end = len(text) - max(tail - around, 0)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def written(node: yaml.ScalarNode, value, text: str) -> str:
    """``value`` as YAML in the place of ``node``: a statement in flow style, a sentence in the
    node's own style where it still reads back the same."""
    if not isinstance(value, str):
        return flow(value) + _trailing(node, text)
    if node.style == "|" or (node.style == ">" and "\n" not in value):
        return _block(node, value, text)
    if node.style is None and _reads_plain(value):
        return value
    if node.style == "'" and "\n" not in value:
        return "'" + value.replace("'", "''") + "'"
    return json.dumps(value, ensure_ascii=False) + _trailing(node, text)


def flow(value) -> str:
    """A statement in YAML's flow style, on one line: ``{each: findings, text: "…", join: "、"}``."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {flow(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(flow(item) for item in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def _reads_plain(value: str) -> bool:
    try:
        return value == value.strip() and "\n" not in value and yaml.safe_load(f"k: {value}") == {"k": value}
    except YAMLError:
        return False


def _block(node, value: str, text: str) -> str:
    """A ``>-``/``|`` block with its header kept and ``value`` as its text (its lines, in a ``|`` block)."""
    start = value_start(node, text)
    header = text[start:text.index("\n", start)]
    first = text[text.index("\n", start) + 1:]
    indent = first[:len(first) - len(first.lstrip(" "))]
    lines = "\n".join(f"{indent}{line}" if line else "" for line in value.split("\n"))
    return f"{header}\n{lines}" + _trailing(node, text)


def _trailing(node, text: str) -> str:
    """The line ends a block value's span takes with it (kept, so the next key stays on its line)."""
    span = text[value_start(node, text):node.end_mark.index]
    return span[len(span.rstrip("\n")):] if node.style in ("|", ">") else ""
