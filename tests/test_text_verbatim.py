"""Text from the inputs appears in the bulletin exactly as typed and is never run as a template.

Unit names, the clerk's prose and text cells (事项名称, 评价内容) go through configured
sentences and the Word template; whatever they contain — ``&``, ``<``, quotes,
``{{ x }}``, ``{% %}``, docxtpl's own ``{_{`` markers, emoji, 𠮷, very long names —
the .docx must stay valid and show it verbatim.
"""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import docx
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from .fixtures import tables
from pipeline.run.build import build_bulletin
from pipeline.core.registry import name_key

from .conftest import FIXTURE_INPUTS, PERIOD, TEMPLATES, change_bulletin

OLD_NAMES = ["发改局", "生态环境局", "自然资源和规划局", "教育局", "东城街办", "西城街办", "南湖镇"]
DEPARTMENTS, TOWNS = OLD_NAMES[:4], OLD_NAMES[4:]
# What the department score table calls them (alias, space inside): mapped to the same unit.
SPELLINGS = {"环保局": "生态环境局", "自然资源和 规划局": "自然资源和规划局"}

NASTY = [
    "&", "<", ">", '"', "'", "&amp;", "&#95;", "{{ x }}", "{% if true %}", "{# c #}", "{_{", "}_}", "{_%", "%_}",
    "{{r x }}", "{%p endfor %}", "__class__", "😀", "👨‍👩‍👧", "𠮷", "８７．５", "／", "\u3000", "\\", "]]>", "</w:t>",
]


def unmarked(prose: str) -> str:
    """``prose`` as a narrative may hold it: a narrative prints as typed, so a {{ }}, {% %} or {# #}
    typed there is refused at its line (tests/test_nothing_silent.py); the hand-written 存在问题
    entry carries the marks themselves through."""
    for mark in ("{{", "{%", "{#", "%}"):
        prose = prose.replace(mark, mark[0] + " " + mark[1])
    return prose


def write_period(root: Path, names: list[str], prose: str, matter: str, reason: str) -> Path:
    """A copy of the fixture period whose units are called ``names``, carrying the given texts."""
    inputs = root / "periods"  # a copy of the fixture period, never the live inputs/
    if inputs.exists():
        shutil.rmtree(inputs)
    shutil.copytree(FIXTURE_INPUTS, inputs)
    rename = dict(zip(OLD_NAMES, names))
    rename.update({alias: rename[short] for alias, short in SPELLINGS.items()})

    def renamed(rows):
        return [rows[0]] + [[rename.get(c, c) if isinstance(c, str) else c for c in row] for row in rows[1:]]

    groups = {
        "市直部门": [{"name": f"全称{i}{n}", "short": n} for i, n in enumerate(names[:4])],
        "镇街": [{"name": f"全称{i}{n}", "short": n} for i, n in enumerate(names[4:], start=4)],
    }
    registry = inputs / "registries" / "测试市.yaml"
    registry.write_text(yaml.safe_dump({"groups": groups}, allow_unicode=True), encoding="utf-8")
    folder = inputs / PERIOD
    cases = tables.changed(tables.CASES, 2, 2, matter)
    evaluations = tables.changed(tables.EVALUATIONS, 2, 5, reason)
    evaluations = [[c.date().isoformat() if hasattr(c, "date") else c for c in row] for row in evaluations]
    for name, rows in {
        "市直部门考核得分.csv": tables.DEPARTMENT_SCORES[:-1],
        "镇街考核得分.csv": tables.TOWN_SCORES,
        "监管事项覆盖情况.csv": tables.COVERAGE,
        "监管动态和曝光台发布情况.csv": tables.POSTINGS,
        "办件记录.csv": cases,
        "好差评记录.csv": evaluations,
        "整改事项.csv": tables.RECTIFICATIONS,
    }.items():
        tables.write_csv(folder / name, renamed(rows))
    change_bulletin(
        inputs,
        {"files": {"evaluations": "好差评记录.csv"}, "scoring": {"市直部门": {"file": "市直部门考核得分.csv"}}},
    )
    (folder / "总体情况.md").write_text(unmarked(prose) + "\n", encoding="utf-8")
    entries = yaml.safe_load((folder / "存在问题.yaml").read_text(encoding="utf-8"))
    entries.append({"heading": "手写问题", "text": prose})
    (folder / "存在问题.yaml").write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
    return inputs


def built_texts(inputs: Path) -> tuple[list[str], list[str]]:
    """Build in memory; check every XML part parses strictly; the paragraphs' and cells' text."""
    data = build_bulletin(PERIOD, inputs, TEMPLATES).docx
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in package.namelist():
            if name.endswith(".xml") or name.endswith(".rels"):
                etree.fromstring(package.read(name))  # raises on anything not well-formed
    document = docx.Document(io.BytesIO(data))
    paragraphs = [p.text for p in document.paragraphs]
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return paragraphs, cells


def assert_verbatim(inputs: Path, names: list[str], prose: str, matter: str, reason: str) -> None:
    paragraphs, cells = built_texts(inputs)
    for name in names:
        assert name in cells, f"unit name {name!r} not in the annex tables"
    body = "\n".join(paragraphs)
    assert any(prose in p for p in paragraphs), f"prose {prose!r} not in a paragraph"
    assert f"《{matter}》" in body
    assert reason in body
    # 排名前三位的镇（街道）: the ranking sentence carries names from the data as typed too.
    assert "、".join(names[4:]) in body


def test_awkward_text_survives_every_path(tmp_path):
    names = [
        "发改局&<科技>",
        "{{ 7*7 }}局",
        "{% raw %}生态{_{环境}_}局",
        "自然资源和规划局" * 20,  # a very long name
        "东城'街办\"😀",
        "西城{_%街%_}办",
        "𠮷家镇",
    ]
    prose = "（一）总体良好。" + "".join(NASTY) + "结尾"
    matter = "{{ doc.title }}&《审批》"
    reason = "<等候>{% for x in y %}太久"
    assert_verbatim(write_period(tmp_path, names, prose, matter, reason), names, prose, matter, reason)


def test_control_characters_are_dropped_not_fatal_and_line_breaks_kept(tmp_path):
    names = ["发改局\x07", "生态环境局", "自然资源和规划局", "教育局", "东城街办", "西城街办", "南湖镇"]
    inputs = write_period(tmp_path, names, "正文\x0c分页", "事项\x1b名称", "等候\r\n时间长")
    paragraphs, cells = built_texts(inputs)
    assert "发改局" in cells
    assert any("正文分页" in p for p in paragraphs)
    assert any("《事项名称》" in p for p in paragraphs)
    assert any("因等候\n时间长产生" in p for p in paragraphs)  # Alt+Enter in a cell: a line break in the paragraph


_CHAR = st.characters(blacklist_categories=("Cc", "Cs", "Cn", "Zl", "Zp"))
_TEXT = st.lists(st.one_of(_CHAR, st.sampled_from(NASTY)), min_size=1, max_size=12).map("".join)


def _one_line(text: str) -> str:
    return " ".join(text.split())


_NAME = _TEXT.map(_one_line).filter(lambda s: s and not s.startswith("<!--"))
_NAMES = st.lists(_NAME, min_size=7, max_size=7, unique_by=name_key).filter(
    lambda names: len({name_key(n) for n in names}) == 7 and all(name_key(n) for n in names)
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(names=_NAMES, prose=_NAME, matter=_NAME, reason=_NAME)
def test_random_names_and_prose_appear_verbatim(tmp_path, names, prose, matter, reason):
    inputs = write_period(tmp_path, names, prose, matter, reason)
    assert_verbatim(inputs, names, prose, matter, reason)
