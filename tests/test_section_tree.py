"""The section tree built into a real bulletin: topic headings, numbered items that close up when
one drops out, sub-sections, prose naming figures, a period overriding one section by id, and
the evidence of every sentence that names a figure."""

from __future__ import annotations

import re

import csv
import io
import shutil
from pathlib import Path

import pytest
from docx import Document

from .conftest import FIXTURE_INPUTS, PERIOD, TEMPLATES, run_cli

SECTIONS = """
figures:
  覆盖: {derive: rows, dataset: coverage}
  整改: {derive: rows, dataset: rectifications}
sections:
  - id: overview
    heading: 总体情况
    body:
      - text: "{{ period.full_name }}，共统计{{ 覆盖|个数 }}个部门的监管事项。"
      - file: 概述.md
  - id: topics
    heading: 分项情况
    items:
      - topic: 监管覆盖
        items:
          - when: 整改
            text: "整改事项{{ 整改|个数 }}项。"
          - each: 覆盖
            join: "、"
            before: "各部门已覆盖事项："
            text: "{{ unit }}{{ covered }}项"
            after: "。"
          - lead: 分部门
            body:
              - each: 覆盖
                text: "{{ unit }}共{{ total }}项"
                join: "，"
                after: "。"
            items:
              - each: 覆盖
                when: 整改
                text: "{{ unit }}已覆盖{{ covered }}项。"
      - topic: 整改情况
        when: 整改
        body:
          - text: "共{{ 整改|个数 }}项。"
      - lead: 小结
        body:
          - text: "以上{{ 覆盖|等N个 }}。"
  - heading: 存在问题
    type: problems
"""

COVERED = "各部门已覆盖事项：发改局36项、生态环境局20项、自然资源和规划局27项、教育局19项。"
PER_UNIT = "分部门。发改局共40项，生态环境局共50项，自然资源和规划局共30项，教育局共20项。"
SUMMARY = "小结。以上发改局、生态环境局、自然资源和规划局等4个单位。"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE_INPUTS, tmp_path / "inputs")
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    kind = tmp_path / "templates" / "assessment" / "kind.yaml"
    text = kind.read_text(encoding="utf-8")
    kind.write_text(text[: text.index("\nsections:")] + SECTIONS, encoding="utf-8")
    period = tmp_path / "inputs" / PERIOD
    (period / "概述.md").write_text("本期继续推进{{ office }}的各项工作。\n\n第二段，整改{{ 整改.unit }}。\n", encoding="utf-8")
    return tmp_path


def empty_rectifications(project: Path) -> None:
    path = project / "inputs" / PERIOD / "整改事项.csv"
    path.write_text(path.read_text(encoding="utf-8-sig").splitlines()[0] + "\n", encoding="utf-8-sig")


def build(project: Path):
    result = run_cli("build", "--period", PERIOD, "--inputs", str(project / "inputs"),
                     "--templates", str(project / "templates"), "--outputs", str(project / "outputs"))
    return result


def built(project: Path) -> tuple[list, list]:
    """The body paragraphs (text, style of each run's character style) and the evidence rows."""
    result = build(project)
    assert result.exit_code == 0, result.output
    folder = project / "outputs" / PERIOD
    docx = Document(str(next(folder.glob("*通报*.docx"))))
    rows = list(csv.reader(io.StringIO(next(folder.glob("*_问题依据.csv")).read_text(encoding="utf-8-sig"))))
    return docx.paragraphs, rows


def texts(paragraphs) -> list[str]:
    return [p.text for p in paragraphs]


def styled(paragraph) -> list[tuple[str, str]]:
    return [(r.text, r.style.name if r.style is not None else "") for r in paragraph.runs if r.text]


def test_topic_headings_stand_alone_and_items_are_numbered(project):
    paragraphs, _ = built(project)
    shown = texts(paragraphs)
    start = shown.index("二、分项情况")
    assert shown[start + 1: start + 12] == [
        "（一）监管覆盖",
        "1．整改事项2项。",
        "2．" + COVERED,
        "3．" + PER_UNIT,
        "（1）发改局已覆盖36项。",
        "（2）生态环境局已覆盖20项。",
        "（3）自然资源和规划局已覆盖27项。",
        "（4）教育局已覆盖19项。",
        "（二）整改情况",
        "共2项。",
        "（三）" + SUMMARY,
    ]
    heading = paragraphs[start + 1]
    assert styled(heading) == [("（一）监管覆盖", "二级标题字符")]  # 楷体, on its own line, no full stop
    assert heading.style.name == "二级标题"  # kept with the next paragraph, in the navigation pane
    assert styled(paragraphs[start + 2]) == [("1．整改事项2项。", "三级标题字符")]  # a numbered sentence: bold
    assert styled(paragraphs[start + 4])[0] == ("3．分部门。", "三级标题字符")  # bold inline lead
    assert styled(paragraphs[start + 5]) == [("（1）发改局已覆盖36项。", "Default Paragraph Font")]  # （1） plain 仿宋
    assert paragraphs[start + 5].style.name == paragraphs[start + 4].style.name == "公文正文"


def test_an_empty_item_and_an_empty_topic_drop_out_and_the_rest_close_up(project):
    empty_rectifications(project)
    paragraphs, _ = built(project)
    shown = texts(paragraphs)
    start = shown.index("二、分项情况")
    assert shown[start + 1: start + 5] == [
        "（一）监管覆盖",
        "1．" + COVERED,
        "2．" + PER_UNIT,
        "（二）" + SUMMARY,
    ]
    assert not any(t.endswith("整改情况") for t in shown)  # no orphan heading


def test_prose_names_figures_and_sits_beside_computed_sentences(project):
    paragraphs, _ = built(project)
    shown = texts(paragraphs)
    start = shown.index("一、总体情况")
    assert shown[start + 1: start + 4] == ["2024年一季度，共统计4个部门的监管事项。",
                                           "本期继续推进测试市“放管服”改革协调小组办公室的各项工作。", "第二段，整改发改局、教育局。"]


def test_a_period_overrides_one_section_by_its_id(project):
    bulletin = project / "inputs" / PERIOD / "bulletin.yaml"
    bulletin.write_text(bulletin.read_text(encoding="utf-8") + "\nsections:\n  overview:\n    heading: 本期概况\n"
                        "    body:\n      - text: 本期另写。\n", encoding="utf-8")
    shown = texts(built(project)[0])
    assert "一、本期概况" in shown and "本期另写。" in shown
    assert "二、分项情况" in shown and "（一）监管覆盖" in shown  # the other sections as the kind has them


def test_an_override_of_an_unknown_id_is_refused_at_its_line(project):
    bulletin = project / "inputs" / PERIOD / "bulletin.yaml"
    text = bulletin.read_text(encoding="utf-8")
    bulletin.write_text(text + "\nsections:\n  overveiw:\n    heading: 本期概况\n", encoding="utf-8")
    result = build(project)
    assert result.exit_code == 1
    line = bulletin.read_text(encoding="utf-8").splitlines().index("  overveiw:") + 1
    assert f"{PERIOD}/bulletin.yaml，第{line}行：sections.overveiw：通报类型中没有 id 为“overveiw”的部分，是否为“overview”？" in result.output


def test_every_sentence_naming_a_figure_writes_its_rows_to_the_evidence_file(project):
    _, rows = built(project)
    printed = [r for r in rows if r[2] == "覆盖"]
    assert ["一、", "总体情况", "覆盖", "", "发改局", "total=40；covered=36", "监管事项覆盖情况.csv", "2"] in printed
    assert any(r[0] == "二、" and r[1].startswith("分项情况 › 监管覆盖") and r[4] == "教育局" and r[7] == "5" for r in printed)
    assert {r[2] for r in rows if r[0] == "二、"} == {"覆盖", "整改"}
    assert {(r[2], r[4]) for r in rows if r[0] == "一、" and r[2] == "整改"} == {("整改", "发改局"), ("整改", "教育局")}  # named in prose


def test_a_prose_block_formats_figures_as_the_kinds_sentences_do(project):
    (project / "inputs" / PERIOD / "概述.md").write_text("第一段。\n\n共{{ 覆盖|个数 }}个部门。\n", encoding="utf-8")
    shown = texts(built(project)[0])
    counted = next(re.search(r"共统计(\d+)个部门", text) for text in shown if "共统计" in text).group(1)
    assert f"共{counted}个部门。" in shown  # the same count the kind's own sentence prints


def test_a_prose_block_naming_an_unknown_format_is_refused_at_its_line(project):
    (project / "inputs" / PERIOD / "概述.md").write_text("第一段。\n\n共{{ 覆盖|个数字 }}个。\n", encoding="utf-8")
    result = build(project)
    assert result.exit_code == 1
    assert f"{PERIOD}/概述.md，第3行：“{{{{ 覆盖|个数字 }}}}”：没有名为“个数字”的格式，是否为“个数”？" in result.output


@pytest.mark.parametrize(("sentence", "shown"), [
    ("共{{ 覆盖|length }}个", "没有名为“length”的格式"),
    ("共{{ 覆盖 | count() }}个", "中的“{{ 覆盖 | count() }}”不是允许的写法"),
    ("{% for x in 覆盖 %}{{ x }}{% endfor %}", "中的“{% %}”不是允许的写法"),
])
def test_a_refused_sentence_is_located_at_its_line_in_kind_yaml(project, sentence, shown):
    kind = project / "templates" / "assessment" / "kind.yaml"
    text = kind.read_text(encoding="utf-8")
    old = '"以上{{ 覆盖|等N个 }}。"'
    kind.write_text(text.replace(old, "'" + sentence + "'"), encoding="utf-8")
    result = build(project)
    assert result.exit_code == 1
    line = text[: text.index(old)].count("\n") + 1
    assert f"assessment/kind.yaml，第{line}行：sections.第2项.items.第3项.body.第1项.text：" in result.output
    assert shown in result.output


def test_an_unknown_name_is_located_at_its_sentence(project):
    kind = project / "templates" / "assessment" / "kind.yaml"
    text = kind.read_text(encoding="utf-8")
    kind.write_text(text.replace('"以上{{ 覆盖|等N个 }}。"', '"以上{{ 复盖|等N个 }}。"'), encoding="utf-8")
    result = build(project)
    assert result.exit_code == 1
    line = text[: text.index("以上{{ 覆盖")].count("\n") + 1
    assert f"assessment/kind.yaml，第{line}行：" in result.output and "名称“复盖”不存在，是否为“覆盖”？" in result.output


ENTRY = """- heading: 整改事项较多
  parts:
    - each: 整改
      text: "{{ unit }}"
      join: "、"
      after: "共有整改事项{{ 整改|个数 }}项。"
"""


def add_entry(project: Path) -> None:
    problems = project / "inputs" / PERIOD / "存在问题.yaml"
    text = problems.read_text(encoding="utf-8")
    problems.write_text(text.replace("- heading: 大数据应用场景不足", ENTRY + "- heading: 大数据应用场景不足"), encoding="utf-8")


def test_a_problem_entry_may_be_a_statement_over_a_figure_with_its_evidence(project):
    add_entry(project)
    paragraphs, rows = built(project)
    shown = texts(paragraphs)
    assert "（五）整改事项较多。发改局、教育局共有整改事项2项。" in shown
    assert "（六）大数据应用场景不足。多数单位未主动应用数据平台。" in shown
    assert ["5", "整改事项较多", "整改", "", "教育局"] == next(r for r in rows if r[0] == "5" and r[4] == "教育局")[:5]


def test_a_problem_entry_whose_figure_is_empty_drops_out_and_the_rest_close_up(project):
    add_entry(project)
    empty_rectifications(project)
    shown = texts(built(project)[0])
    assert not any("整改事项较多" in t for t in shown)
    assert "（四）大数据应用场景不足。多数单位未主动应用数据平台。" in shown


def test_a_statement_in_the_problem_list_is_checked_before_anything_is_built(project):
    problems = project / "inputs" / PERIOD / "存在问题.yaml"
    problems.write_text(problems.read_text(encoding="utf-8") + ENTRY.replace("{{ unit }}", "{{ unit|upper }}"), encoding="utf-8")
    result = build(project)
    assert result.exit_code == 1
    assert "存在问题.yaml：第6条问题：“{{ unit|upper }}”：没有名为“upper”的格式" in result.output


def test_the_next_period_keeps_the_statements_and_the_prose_blocks_wording(project):
    add_entry(project)
    result = run_cli("new-period", "2024Q2", "--from", PERIOD, "--inputs", str(project / "inputs"),
                     "--templates", str(project / "templates"))
    assert result.exit_code == 0, result.output
    folder = project / "inputs" / "2024Q2"
    assert "each: 整改" in (folder / "存在问题.yaml").read_text(encoding="utf-8")
    assert (folder / "概述.md").read_text(encoding="utf-8") == (project / "inputs" / PERIOD / "概述.md").read_text(encoding="utf-8")
    assert "概述.md：沿用上期的文字，数字由本期数据填入" in result.output


def test_an_office_format_declared_in_kind_yaml_is_used_and_checked(project):
    kind = project / "templates" / "assessment" / "kind.yaml"
    text = kind.read_text(encoding="utf-8").replace("以上{{ 覆盖|等N个 }}", "以上{{ 覆盖|名单 }}")
    kind.write_text(text + "formats:\n  名单: {base: 等N个, show: 2, unit: 部门}\n", encoding="utf-8")
    assert "（三）小结。以上发改局、生态环境局等4个部门。" in texts(built(project)[0])
    kind.write_text(text + "formats:\n  名单: {base: 等n个, show: 2}\n", encoding="utf-8")
    result = build(project)
    assert result.exit_code == 1
    line = text.count("\n") + 2
    assert f"assessment/kind.yaml，第{line}行：formats.名单.base：应为 列举、等N个" in result.output
    assert "是否为“等N个”？" in result.output


def test_a_misspelt_figure_under_each_is_located_at_its_line(project):
    kind = project / "templates" / "assessment" / "kind.yaml"
    line = edit_first(kind, "          - each: 覆盖\n", "          - each: 复盖\n")
    result = build(project)
    assert result.exit_code == 1
    assert f"assessment/kind.yaml，第{line}行：名称“复盖”不存在，是否为“覆盖”？" in result.output, result.output


def edit_first(path: Path, old: str, new: str) -> int:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def test_a_name_missing_in_a_prose_block_is_placed_at_its_line_there(project):
    (project / "inputs" / PERIOD / "概述.md").write_text("第一段。\n\n\n共{{ 复盖 }}个。\n", encoding="utf-8")
    result = build(project)
    assert result.exit_code == 1
    assert f"{PERIOD}/概述.md，第4行：句子“共{{{{ 复盖 }}}}个。”中的名称“复盖”不存在，是否为“覆盖”？" in result.output
