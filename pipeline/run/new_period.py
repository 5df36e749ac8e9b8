"""A new period's folder from the last one: what carries over, what the clerk must fill in.

``bulletin new-period 2024Q2 --from 2024Q1`` copies ``bulletin.yaml`` as it is written
(comments, registry reference, scoring schemes, wording, file names), with its dates
emptied; ``存在问题.yaml`` with its rule entries and without the hand-written text; each
narrative file empty; each prose document (figures named in it) as written, the passages marked
as the period's own emptied to 请填写. Data tables are not copied. What is left for the clerk is returned as
a list of located tasks, the dates with the range the period allows.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..config.bulletin import CONFIG_FILE, BulletinConfig, load_config
from ..config.view import Settings
from ..config.dates import CUTOFF, DEADLINE, ISSUED, PRINTED
from ..core.yamlio import key_lines
from ..findings.problems import entry_key
from ..core.errors import InputError, Problem
from ..compose.tree import prose_files
from ..findings.problems import is_statement
from ..core.encoding import decode_text
from ..core.period import Period, PeriodError, format_date
from ..core.yamlio import parse_yaml
from .period_words import old_period_words
from ..language.prose import TO_FILL, cleared_markdown
from ..word.prose_docx import cleared_docx

DATE_KEYS = {field.path[-1]: field for field in (ISSUED, PRINTED, CUTOFF, DEADLINE)}
DATE_LINE = re.compile(r"^(?P<indent>[ \t]*)(?P<key>" + "|".join(DATE_KEYS) + r")\s*:[^\n#]*(#[^\n]*)?$", re.M)


@dataclass(frozen=True)
class Task:
    """Something the clerk must fill in before the new period builds."""

    file: str
    what: str
    line: int | None = None
    wording: str = ""  # "emptied": the last period's wording taken out; "kept": carried over as written

    def __str__(self) -> str:
        return f"{self.file}{f'第{self.line}行' if self.line else ''}：{self.what}"


def _date_guidance(period: Period) -> dict[str, str]:
    end, start = format_date(period.end), format_date(period.start)
    return {
        "issued_on": f"成文日期，不早于{end}",
        "printed_on": "印发日期，不早于成文日期",
        "cutoff": f"统计截止日，不早于{start}、不晚于成文日期",
        "rectification_deadline": "整改反馈期限，不早于成文日期",
    }


def cleared_config(text: str, period: Period) -> str:
    """``bulletin.yaml`` as written, every date emptied and commented with what it must be."""
    guidance = _date_guidance(period)
    return DATE_LINE.sub(lambda m: f"{m['indent']}{m['key']}:    # 请填写：{guidance[m['key']]}", text)


def _rule_parts(entry: dict) -> list:
    """The parts derived from data: rule checks and statements over figures."""
    return [p for p in entry.get("parts") or [] if isinstance(p, dict) and ("rule" in p or is_statement(p))]


def cleared_problems(text: str) -> tuple[str, list[str], int]:
    """``存在问题.yaml`` with its rule entries and without hand-written text: the text, the
    headings of the entries dropped, and how many text parts were taken out of kept entries."""
    entries = parse_yaml(text) or []
    kept, dropped, parts_dropped = [], [], 0
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict):
            continue
        parts = _rule_parts(entry)
        if not parts:
            dropped.append(str(entry.get("heading") or entry_key(entry) or "无标题的手写段落"))
            continue
        parts_dropped += len(entry.get("parts") or []) - len(parts) + ("text" in entry)
        kept.append({k: v for k, v in entry.items() if k not in ("parts", "text")} | {"parts": parts})
    comments = "".join(line + "\n" for line in text.splitlines() if line.startswith("#"))
    if dropped or parts_dropped:
        comments += (f"# 上期撰写的文字已清空（本期如仍有，请重新撰写）：手写条目 {len(dropped)} 条"
                     + (f"（{'；'.join(dropped)}）" if dropped else "") + f"，规则条目中的文字 {parts_dropped} 段\n")
    body = yaml.safe_dump(kept, allow_unicode=True, sort_keys=False, width=1000) if kept else "[]\n"
    return comments + body, dropped, parts_dropped


def _columns(spec: dict) -> str:
    names = [c["header"] + ("（可无）" if c.get("required") is False else "") for c in spec["columns"].values()]
    return "、".join(names)


def _data_tasks(config: BulletinConfig) -> list[Task]:
    """One task per data table the period names, with the columns it must have; with ``offices:``,
    one per office's own table (named with its 区县) and one for each table the offices share."""
    offices = config.value("offices")
    if not offices:
        return _tables_tasks(config.view, config.value("files"))
    tasks, seen = [], {}
    for key, overrides in offices.items():
        settings = config.with_overrides(dict(overrides or {})).view
        for task in _tables_tasks(settings, settings.value("files")):
            if task.file in seen:  # one table several offices read: said once, naming each
                seen[task.file].append(str(key))
                continue
            seen[task.file] = [str(key)]
            tasks.append(task)
    shared = _shared_files(config.view)
    return [Task(t.file, f"{_whose(t.file, seen[t.file], shared, len(offices))}{t.what}") for t in tasks]


def _shared_files(settings: Settings) -> set[str]:
    return {str(e["file"]) for e in settings.value("files").values() if isinstance(e, dict) and e.get("office_column") and e.get("file")}


def _whose(file: str, keys: list[str], shared: set[str], count: int) -> str:
    """Whose table ``file`` is: the offices' shared one, or one office's (or a few offices') own."""
    if file in shared:
        return "各区县共用的记录表（在本期文件夹之外，仍是上期的文件：请换成本期的，或在 bulletin.yaml 的 files 中改指本期的表）；"
    return f"{'、'.join(keys)}：" if len(keys) < count or count == 1 else "各区县共用："


def _tables_tasks(settings: Settings, files: dict) -> list[Task]:
    tasks = []
    specs = settings.value("datasets")
    for name, entry in files.items():
        file = entry.get("file") if isinstance(entry, dict) else entry
        if name in specs and file:
            tasks.append(Task(str(file), f"本期数据（{specs[name].get('title', name)}），列：{_columns(specs[name])}"))
    for group, scheme in settings.items("scoring"):
        file = scheme.value("file.file") if isinstance(scheme.value("file"), dict) else scheme.value("file")
        items = "、".join(str(i) for i in scheme.value("items"))
        tasks.append(Task(str(file), f"本期{group}考核得分，列：{scheme.value('unit_header')}、{items}、加分项（可无）、扣分项（可无）"))
    return tasks


def _narratives(config: BulletinConfig) -> list[tuple[str, str]]:
    """(file, section heading) of each narrative section's file: the period's own text, emptied."""
    return [(s.value("file"), s.value("heading")) for s in config.items("sections") if s.value("type") == "narrative"]


def _documents(config: BulletinConfig) -> list[str]:
    """The prose documents (document sections, files statements name): their wording carries over."""
    sections = config.items("sections")
    found = [s.value("file") for s in sections if s.value("type") == "document"]
    return found + [name for s in sections if s.value("type") == "text" for name in prose_files(s.as_written)]


def carried_document(config: BulletinConfig, name: str) -> tuple[bytes | str, Task]:
    """A prose document for the new period: as written, each passage marked as the period's own
    (==…==, in Word highlighted) emptied to 请填写; and the task that says so."""
    data = config.period_file(name).read_bytes()
    if name.lower().endswith(".docx"):
        kept, passages = cleared_docx(data, f"{config.period.code}/{name}")
    else:
        kept, passages = cleared_markdown(decode_text(data))
    if passages:
        return kept, Task(name, f"沿用上期的文字，数字由本期数据填入；标记为本期文字的 {passages} 处已清空为“{TO_FILL}”，请写上本期的文字",
                          wording="kept")
    return kept, Task(name, "沿用上期的文字，数字由本期数据填入；请通读，改写本期不同的文字", wording="kept")


def new_period_files(config: BulletinConfig, period: Period) -> tuple[dict[str, str], list[Task]]:
    """The files of the new period's folder, and what the clerk must fill in."""
    source = config.input_dir
    text = cleared_config(decode_text((source / CONFIG_FILE).read_bytes()), period)
    lines = key_lines(text)
    guidance = _date_guidance(period)
    words = [Task(CONFIG_FILE, what, line) for line, what in old_period_words(text, config.period, period)]
    tasks = sorted([*(Task(CONFIG_FILE, f"{'.'.join(f.path)}（{guidance[f.path[-1]]}）", lines[f.path])
                      for f in (ISSUED, CUTOFF, PRINTED, DEADLINE) if f.path in lines), *words], key=lambda t: t.line)
    if ("document", "doc_number") in lines:  # kept as written: the clerk gives this issue its number
        tasks.append(Task(CONFIG_FILE, "document.doc_number（发文字号，沿用了上期的写法，请改为本期的字号）",
                          lines[("document", "doc_number")]))
    files = {CONFIG_FILE: text}
    for name, heading in _narratives(config):
        config.period_file(name)  # carried over into the new folder: never a file outside the period's
        files[name] = ""
        tasks.append(Task(name, f"本期“{heading}”的文字（上期文字已清空；空文件则通报中不出现这一节）", wording="emptied"))
    for name in _documents(config):
        files[name], task = carried_document(config, name)
        tasks.append(task)
    problems_name = str(config.value("problems_file"))
    if config.period_file(problems_name).is_file():
        files[problems_name], dropped, parts = cleared_problems(decode_text(config.period_file(problems_name).read_bytes()))
        if dropped or parts:
            tasks.append(Task(problems_name, f"上期撰写的文字已清空（手写条目 {len(dropped)} 条、规则条目中的文字 {parts} 段；"
                                             "规则条目保留），本期如有请重写", wording="emptied"))
        tasks += [Task(problems_name, what, line) for line, what in old_period_words(files[problems_name], config.period, period)]
    return files, tasks + _data_tasks(config)


def create_period(code: str, source_code: str, inputs_root: Path, templates_root: Path) -> tuple[Path, list[Task]]:
    """Create ``inputs/<code>/`` from ``inputs/<source_code>/``; InputError if it exists or cannot be made."""
    try:
        period = Period.parse(code)
    except PeriodError as exc:
        raise InputError([Problem("命令行参数 PERIOD", str(exc))]) from None
    target = Path(inputs_root) / period.code
    if target.exists():
        raise InputError([Problem(str(target), "文件夹已存在，未作任何改动（如要重新生成，请先移走该文件夹）")])
    config = load_config(source_code, inputs_root, templates_root)
    if config.period.code == period.code:
        raise InputError([Problem("命令行参数 --from", "新周期与来源周期相同")])
    files, tasks = new_period_files(config, period)
    staging = Path(tempfile.mkdtemp(prefix=f".{period.code}.", dir=inputs_root))
    try:
        for name, text in files.items():
            (staging / name).parent.mkdir(parents=True, exist_ok=True)  # a prose file in a subfolder keeps it
            (staging / name).write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target, tasks
