"""A bulletin's configuration: the period's ``bulletin.yaml`` over its kind's ``kind.yaml``.

The kind (``templates/<kind>/``) declares what is common to every bulletin of that kind:
the Word template, the input tables' schemas, the rule checks with their default
thresholds and sentences, the sections and the annex tables. The period's folder
(``inputs/<period>/``) says what is particular to one issue: the office, dates, files,
scoring schemes, wording overrides, the clerk's prose.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from ..core.yamlio import Loader, YAMLError, key_lines, parse_yaml

from .document_parts import parts_problems
from ..core.errors import InputError, Problem, confined, yaml_problem
from ..core.encoding import UnknownEncoding, decode_text
from ..core.period import Period, PeriodError
from ..core.registry import NameClash, Registry
from ..language.sentence import phrase_problem
from ..language.formats import base_problem, unused_parameters, unused_problem
from .declared import ANNEXES, RULE_PARAMS, SETTINGS
from .check import check_file
from ..core.suggest import suggestion
from .check import show_path, text_line
from .view import Settings

CONFIG_FILE = "bulletin.yaml"
KIND_FILE = "kind.yaml"

REQUIRED_KEYS = tuple(name for name, key in SETTINGS.keys.items() if key.required)


@dataclass(frozen=True)
class Office:
    """One office (区县) of a bulletin built per office: its key under ``offices:`` (its output
    folder) and how the shared record table's office column writes it."""

    key: str
    value: str
    line: int | None = None  # of its key under ``offices:`` in bulletin.yaml


@dataclass
class BulletinConfig:
    """Everything needed to build one bulletin, before any data is read."""

    period: Period
    input_dir: Path
    kind_dir: Path
    _settings: dict  # kind.yaml merged with bulletin.yaml (the period wins): read through ``view``
    registry: Registry
    sentences: dict = field(default_factory=dict)  # sentence as written -> (file shown, line, column)
    lines: dict = field(default_factory=dict)  # key path, e.g. ("figures", "各单位", "where") -> (file shown, line)

    def place(self, *path) -> tuple[str, int | None]:
        """The file and line where the key at ``path`` is written (the period's file wins), or of its
        nearest written parent."""
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path, (f"{self.kind_dir.name}/{KIND_FILE}", None))
    office: Office | None = None  # set on each office's configuration when ``offices:`` is declared

    @property
    def view(self) -> Settings:
        """The whole configuration, read through its declarations (see view.py)."""
        return Settings(self._settings, SETTINGS)

    def value(self, path: str):
        """The setting at the dotted ``path``, its declared default when neither file writes it."""
        return self.view.value(path)

    def given(self, path: str) -> bool:
        return self.view.given(path)

    def section(self, path: str) -> Settings:
        return self.view.section(path)

    def items(self, path: str) -> list:
        return self.view.items(path)

    def with_overrides(self, overrides: dict) -> BulletinConfig:
        """This configuration with one office's settings over it (``offices:`` itself left out)."""
        settings = {k: v for k, v in deep_merge(self._settings, overrides).items() if k != "offices"}
        return replace(self, _settings=settings)

    def output_dir(self, outputs_root: Path) -> Path:
        """Where the bulletin's files go: ``outputs/<period>/``, or ``outputs/<period>/<office>/``."""
        folder = Path(outputs_root) / self.period.code
        return folder / self.office.key if self.office else folder

    @property
    def template_path(self) -> Path:
        return self.confined(self.kind_dir, self.value("template"), "通报类型文件夹", ("template",))

    @property
    def issued_on(self) -> dt.date:
        return self.value("issued_on")  # 成文日期

    @property
    def cutoff(self) -> dt.date:
        return self.value("cutoff")  # 统计截止日

    def input_file(self, name: str) -> Path:
        """A data file the period names: in the inputs folder (a shared table may be in ../shared/)."""
        return self.confined(self.input_dir.parent, name, "输入文件夹", start=self.input_dir)

    def period_file(self, name: str) -> Path:
        """A file of the period's own folder (its prose): in that folder or a subfolder of it."""
        return self.confined(self.input_dir, name, f"本期文件夹 {self.period.code}/")

    def confined(self, root: Path, name: str, what: str, path: tuple | None = None, start: Path | None = None) -> Path:
        """``start / name`` if it stays inside ``root`` (links resolved), else refused at the key naming it."""
        file, row = self.place(*(path or _key_holding(self._settings, str(name)) or ()))
        return confined(root, name, file, row, what, start)


def _key_holding(node, value: str, path: tuple = ()) -> tuple | None:
    """The key path of the first setting whose value is ``value`` (to place a refusal at its line)."""
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, child in items:
        if child == value:
            return path + (key,)
        found = _key_holding(child, value, path + (key,))
        if found:
            return found
    return None


FILES_KEPT = 64  # configuration files one process keeps parsed (a batch reads the same kind.yaml again and again)
_parsed: dict[bytes, tuple] = {}


def _read_yaml(path: Path) -> tuple[dict, yaml.Node]:
    """The data of a configuration file and its composed nodes (which know their lines); its
    problems named by its folder and name (2024Q1/bulletin.yaml, assessment/kind.yaml).
    A file is parsed once per process for the same bytes; each reader gets its own copy of the data."""
    shown = f"{path.parent.name}/{path.name}"
    try:
        raw = path.read_bytes()
        data, root = _parsed_yaml(raw)
    except FileNotFoundError:
        raise InputError([Problem(str(path), "文件不存在")]) from None
    except UnknownEncoding as exc:
        raise InputError([Problem(shown, str(exc))]) from None
    except YAMLError as exc:
        raise InputError([yaml_problem(shown, exc, decode_text(raw))]) from None
    if not isinstance(data, dict):
        raise InputError([Problem(shown, "应为键值形式的配置（YAML 映射）")])
    return copy.deepcopy(data), root


def _parsed_yaml(raw: bytes) -> tuple[object, yaml.Node]:
    """(data, composed nodes) of a file's bytes, parsed the first time only (refusals are not kept)."""
    if raw not in _parsed:
        text = decode_text(raw)
        parsed = parse_yaml(text), yaml.compose(text, Loader=Loader)
        if len(_parsed) >= FILES_KEPT:
            _parsed.clear()
        _parsed[raw] = parsed
    return _parsed[raw]


def checked_settings(kind_file: tuple[str, Path], period_file: tuple[str, Path]) -> tuple[dict, dict]:
    """``kind.yaml`` merged with ``bulletin.yaml``, each checked against the declarations;
    InputError naming the file and line of every problem. Also: each sentence's place."""
    (kind_name, kind_path), (period_name, period_path) = kind_file, period_file
    kind, kind_root = _read_yaml(kind_path)
    period, period_root = _read_yaml(period_path)
    checks = [check_file(kind_name, kind_root, SETTINGS, period), check_file(period_name, period_root, SETTINGS, sections_by_id(kind))]
    merged = without_empty(deep_merge(kind, period))
    merged["sections"] = merge_sections(kind.get("sections"), period.get("sections"), period_name, checks[1])
    problems = [p for c in checks for p in c.problems] + cross_problems(merged, checks)
    template = merged.get("template") or SETTINGS.keys["template"].default
    file, line = _place(checks, ("template",))
    if not problems:
        confined(kind_path.parent, str(template), file, line, "通报类型文件夹")
    if not problems and not (kind_path.parent / str(template)).is_file():
        problems.append(Problem(file, f"template：找不到 Word 模板“{template}”（应在 {kind_path.parent} 中）", row=line))
    if problems:
        raise InputError(problems)
    lines = {path: (c.file, line) for c in checks for path, line in c.lines.items()}
    return merged, {text: (c.file, *place) for c in checks for text, place in c.sentences.items()}, lines


def without_empty(settings: dict, top: bool = True) -> dict:
    """Nested mappings without their empty keys (``key:`` with nothing after it counts as not given);
    at the top an empty key stays, so that a sentence using an empty date can say so."""
    return {k: without_empty(v, False) if isinstance(v, dict) else v for k, v in settings.items() if top or v is not None}


def cross_problems(merged: dict, checks: list) -> list[Problem]:
    """What one key says about another: an annex's scoring group must be declared under scoring."""
    groups = merged.get("scoring") if isinstance(merged.get("scoring"), dict) else {}
    annexes = merged.get("annexes") if isinstance(merged.get("annexes"), list) else []
    problems = []
    for i, annex in enumerate(annexes):
        if not isinstance(annex, dict) or annex.get("type", ANNEXES.default) != "scores":
            continue
        group = annex.get("group")
        if group is not None and str(group) not in map(str, groups):
            file, line = _place(checks, ("annexes", i, "group"))
            problems.append(Problem(file, f"annexes.第{i + 1}项.group：评分组“{group}”不在 scoring 中{suggestion(group, groups)}（scoring 中有：{'、'.join(map(str, groups)) or '无'}）", row=line))
    return (problems + parts_problems(merged, lambda path: _place(checks, path)) + _notice_rule_problems(merged, checks)
            + format_problems(merged, checks))


def _notice_rule_problems(merged: dict, checks: list) -> list[Problem]:
    """A notice may list the findings of the rule checks the configuration knows, and no others."""
    notices = merged.get("notices") if isinstance(merged.get("notices"), dict) else {}
    rules = notices.get("rules") if isinstance(notices.get("rules"), list) else []
    known = set(RULE_PARAMS) | set(merged.get("rules") or {}) | set(merged.get("checks") or {})
    problems = []
    for i, name in enumerate(rules):
        if str(name) not in known:
            file, line = _place(checks, ("notices", "rules", i))
            problems.append(Problem(file, f"notices.rules.第{i + 1}项：未知的规则“{name}”{suggestion(name, known)}（可用：{'、'.join(sorted(known))}）", row=line))
    return problems


def format_problems(merged: dict, checks: list) -> list[Problem]:
    """A statement-language sentence naming a format neither built in nor declared under ``formats:``."""
    declared = merged.get("formats") if isinstance(merged.get("formats"), dict) else {}
    problems = []
    for check in checks:
        for text, (node, path) in check.phrases.items():
            problem = phrase_problem(text, declared)
            if problem:
                problems.append(Problem(check.file, f"{show_path(path)}：{problem}", row=text_line(node)))
    return problems + _unused_parameter_problems(declared, checks)


def _unused_parameter_problems(declared: dict, checks: list) -> list[Problem]:
    """A declared format's parameter its base format never reads (``show:`` on 不重复), at its line."""
    problems = []
    for name, spec in declared.items():
        missing = base_problem(str(name), spec) if isinstance(spec, dict) else None
        if missing:
            file, line = _place(checks, ("formats", name))
            problems.append(Problem(file, f"formats.{name}：{missing}", row=line))
        for key in unused_parameters(str(name), spec) if isinstance(spec, dict) else ():
            file, line = _place(checks, ("formats", name, key))
            problems.append(Problem(file, f"formats.{name}.{key}：{unused_problem(str(name), spec, key)}", row=line))
    return problems


def _place(checks: list, path: tuple) -> tuple[str, int | None]:
    """The file and line of ``path``: the period's file when it has the key, else the kind's."""
    for check in reversed(checks):
        if path in check.lines:
            return check.file, check.lines[path]
    return checks[-1].file, None


def sections_by_id(kind: dict) -> dict:
    """``kind`` with its sections as {id: section}, the base a period's override is checked against."""
    sections = kind.get("sections")
    if not isinstance(sections, list):
        return kind
    return {**kind, "sections": {str(s["id"]): s for s in sections if isinstance(s, dict) and s.get("id") is not None}}


def merge_sections(kind_sections, period_sections, period_name: str, check) -> list:
    """The kind's sections with those a period overrides by id (``sections: {id: {…}}``) merged in;
    a period's list replaces the kind's. An id the kind does not have is refused at its line."""
    if not isinstance(period_sections, dict):
        return period_sections if period_sections is not None else kind_sections
    sections = list(kind_sections or []) if isinstance(kind_sections, list) else []
    ids = [str(s.get("id")) for s in sections if isinstance(s, dict) and s.get("id") is not None]
    for key, override in period_sections.items():
        if str(key) not in ids:
            raise InputError([Problem(period_name, f"sections.{key}：通报类型中没有 id 为“{key}”的部分{suggestion(key, ids)}（有：{'、'.join(ids) or '无'}）",
                                      row=check.key_lines.get(("sections", key)))])
        at = ids.index(str(key))
        sections[at] = deep_merge(sections[at], override) if isinstance(override, dict) else sections[at]
    return sections


def deep_merge(base: dict, override: dict) -> dict:
    """``override`` over ``base``, merging nested mappings key by key."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def load_config(period_code: str, inputs_root: Path, templates_root: Path) -> BulletinConfig:
    """Read and check the configuration of one period's bulletin."""
    try:
        period = Period.parse(period_code)
    except PeriodError as exc:
        raise InputError([Problem("命令行参数 --period", str(exc))]) from None
    input_dir = Path(inputs_root) / period.code
    if not input_dir.is_dir():
        known = sorted(p.name for p in Path(inputs_root).glob("*/") if (p / CONFIG_FILE).is_file())
        hint = f"（已有：{'、'.join(known)}）" if known else ""
        raise InputError([Problem(str(input_dir), f"找不到统计周期 {period.code} 的输入文件夹{hint}")])
    settings, root = _read_yaml(input_dir / CONFIG_FILE)
    problems = []
    missing = [k for k in REQUIRED_KEYS if settings.get(k) in (None, "")]
    if missing:
        problems.append(Problem(f"{period.code}/{CONFIG_FILE}", f"缺少配置项：{'、'.join(missing)}"))
    for key in ("issued_on", "cutoff"):
        if settings.get(key) not in (None, "") and not isinstance(settings[key], dt.date):
            problems.append(
                Problem(f"{period.code}/{CONFIG_FILE}", f"配置项 {key} 应为日期（如 2024-06-12），实为“{settings[key]}”")
            )
    if problems:
        raise InputError(problems)
    kind_line = key_lines(root).get(("kind",))
    kind_dir = confined(templates_root, str(settings["kind"]), f"{period.code}/{CONFIG_FILE}", kind_line, "通报类型的模板文件夹")
    if not (kind_dir / KIND_FILE).is_file():
        kinds = sorted(p.parent.name for p in Path(templates_root).glob(f"*/{KIND_FILE}"))
        raise InputError([Problem(
            f"{period.code}/{CONFIG_FILE}", f"kind：未知的通报类型“{settings['kind']}”{suggestion(str(settings['kind']), kinds)}"
            f"（{Path(templates_root).name}/ 中有：{'、'.join(kinds) or '无'}；找不到 {kind_dir / KIND_FILE}）", row=kind_line)])
    merged, sentences, lines = checked_settings((f"{kind_dir.name}/{KIND_FILE}", kind_dir / KIND_FILE),
                                         (f"{period.code}/{CONFIG_FILE}", input_dir / CONFIG_FILE))
    registry = load_registry(input_dir, str(settings["registry"]), period.code)
    return BulletinConfig(period, input_dir, kind_dir, merged, registry, sentences, lines)


def load_registry(input_dir: Path, name: str, period_code: str) -> Registry:
    """The registry (单位名录) ``name``, relative to the period's folder; InputError if unusable."""
    registry_path = confined(input_dir.parent, name, f"{period_code}/{CONFIG_FILE}", None, "输入文件夹", input_dir)
    if not registry_path.is_file():
        raise InputError([Problem(f"{period_code}/{CONFIG_FILE}", f"找不到单位名录 {name}")])
    try:
        return _registry(registry_path.name, registry_path.read_bytes())
    except YAMLError as exc:  # a file YAML cannot read, or one beyond its limits: at its line
        raise InputError([yaml_problem(registry_path.name, exc, registry_path.read_text(encoding="utf-8", errors="replace"))]) from None
    except NameClash as exc:  # one alias for two units: one unit's records would count for the other
        raise InputError([Problem(registry_path.name, str(exc), row=exc.line)]) from None
    except (KeyError, TypeError, AttributeError, UnicodeDecodeError) as exc:
        reason = f"缺少 {exc}" if isinstance(exc, KeyError) else exc.__class__.__name__
        raise InputError(
            [Problem(registry_path.name, f"单位名录格式有误（{reason}）：应为 groups: 下按组列出 {{name: 全称, short: 简称, aliases: [别名]}}")]
        ) from None


_registries: dict[tuple[str, bytes], Registry] = {}


def _registry(name: str, raw: bytes) -> Registry:
    """The registry of these bytes, read once per process (a Registry is not changed by its readers)."""
    key = (name, raw)
    if key not in _registries:
        if len(_registries) >= FILES_KEPT:
            _registries.clear()
        _registries[key] = Registry.from_text(raw.decode("utf-8-sig"), name)
    return _registries[key]
