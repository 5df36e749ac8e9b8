"""Prose documents: a section's text written by the clerk in Markdown or Word, with figures named in
it, 公文 headings, statement blocks; every refusal at its file and line (a Word file's paragraph);
the yearly 政务服务工作情况通报 built from the fixture copy, its figures found in the document."""

from __future__ import annotations

import io
import shutil
import textwrap
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
import pytest
import yaml
from docx import Document
from docx.enum.text import WD_COLOR_INDEX

from .conftest import FIXTURE_INPUTS, PERIOD, TEMPLATES, run_cli

YEAR = "2024"
SUMMARY = "年度工作总结.docx"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the fixture periods and of the bulletin kinds, to change."""
    shutil.copytree(FIXTURE_INPUTS, tmp_path / "periods")
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    return tmp_path


def build(project: Path, period: str, *extra: str):
    return run_cli("build", "--period", period, "--inputs", str(project / "periods"), "--templates",
                   str(project / "templates"), "--outputs", str(project / "outputs"), *extra)


def built(project: Path, period: str) -> Document:
    (path,) = (project / "outputs" / period).glob("*.docx")
    return Document(str(path))


def texts(document: Document) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in document.paragraphs if p.text.strip()]


def word_file(path: Path, paragraphs: list) -> Path:
    """A .docx as Word saves it: each item a paragraph's text, or (text, style), or a list of runs."""
    document = Document()
    for item in paragraphs:
        if isinstance(item, tuple):
            document.add_paragraph(item[0], style=item[1])
        elif isinstance(item, list):
            paragraph = document.add_paragraph()
            for run in item:
                paragraph.add_run(run)
        else:
            document.add_paragraph(item)
    document.save(str(path))
    return path


def summary(project: Path) -> Path:
    return project / "periods" / YEAR / SUMMARY


def refused(result, expected: str) -> None:
    assert result.exit_code == 1, result.output
    assert expected in result.output, result.output
    assert "Traceback" not in result.output


# --- the yearly kind, from the fixture copy -------------------------------------------------------


def percent(part: int, whole: int) -> str:
    """As the 百分比 format writes a rate: two places half-up, trailing zeros dropped."""
    value = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{value.normalize():f}%"


def indicator_rows(project: Path) -> list[dict]:
    book = openpyxl.load_workbook(project / "periods" / YEAR / "政务服务指标.xlsx", read_only=True)
    rows = list(book["各单位"].iter_rows(values_only=True))
    return [dict(zip(rows[0], row)) for row in rows[1:]]


def test_the_yearly_kind_builds_and_checks_with_its_figures_in_the_text(project):
    result = build(project, YEAR, "--check")
    assert result.exit_code == 0, result.output
    assert "格式检查通过" in result.output
    rows = indicator_rows(project)
    items, online = sum(r["进驻事项数"] for r in rows), sum(r["全程网办事项数"] for r in rows)
    cases, last = sum(r["办件量"] for r in rows), sum(r["上年办件量"] for r in rows)
    body = "\n".join(text for _, text in texts(built(project, YEAR)))
    assert f"进驻政务服务事项{items}项，其中全程网办事项{online}项，全程网办率{percent(online, items)}" in body
    assert f"共受理办件{cases}件，较上年的{last}件增长{percent(cases - last, last)}" in body
    top = [r["单位"] for r in sorted(rows, key=lambda r: -r["办件量"])][:5]
    assert f"全年办件量居前五位的单位依次为：{'、'.join(top)}。" in body
    assert "{{" not in body and "==" not in body


def test_the_yearly_kinds_headings_are_公文_headings_of_their_level(project):
    assert build(project, YEAR).exit_code == 0
    shown = texts(built(project, YEAR))
    assert ("一级标题", "一、总体情况") in shown and ("一级标题", "三、2025年工作打算") in shown  # period.next_year
    assert ("二级标题", "（一）市直部门和镇街") in shown
    assert ("二级标题", "（二）主要工作举措") in shown  # a Word "Heading 2" with no number typed
    paragraph = next(p for p in built(project, YEAR).paragraphs if p.text.startswith("1．深化"))
    lead = [run.text for run in paragraph.runs if run.style.name == "三级标题字符"]  # bold 仿宋, as the tree's 1． leads
    assert "".join(lead) == "1．深化“一网通办”。" and paragraph.text.startswith("1．深化“一网通办”。推动")


def test_the_statement_block_of_the_word_file_says_each_group(project):
    assert build(project, YEAR).exit_code == 0
    body = "\n".join(text for _, text in texts(built(project, YEAR)))
    registry = yaml.safe_load((project / "periods/registries/测试市.yaml").read_text(encoding="utf-8"))
    group_of = {u["short"]: group for group, members in registry["groups"].items() for u in members}
    rows = indicator_rows(project)
    town = sum(r["办件量"] for r in rows if group_of[r["单位"]] == "镇街")
    assert f"；镇街办件{town}件，按时办结率" in body
    low = [r["单位"] for r in rows if Decimal(r["全程网办事项数"]) * 100 / r["进驻事项数"] < 80]
    assert ("全程网办率低于全市80%标准的有" in body) == bool(low)


def sheet_rows(project: Path, sheet: str) -> list[tuple]:
    book = openpyxl.load_workbook(project / "periods" / YEAR / "政务服务指标.xlsx", read_only=True)
    return list(book[sheet].iter_rows(values_only=True))[1:]


def body_of(project: Path) -> str:
    return "\n".join(text for _, text in texts(built(project, YEAR)))


def test_the_indicator_sheets_values_and_the_rates_between_its_rows_are_in_the_text(project):
    assert build(project, YEAR).exit_code == 0
    value = dict(sheet_rows(project, "年度指标"))
    body = body_of(project)
    assert (f"全年受理群众诉求{value['热线受理量']}件，办结{value['热线办结量']}件，"
            f"办结率{percent(value['热线办结量'], value['热线受理量'])}。") in body
    assert (f"收集意见建议{value['意见建议条数']}条，已整改{value['已整改条数']}条，"
            f"整改完成率{percent(value['已整改条数'], value['意见建议条数'])}。") in body
    assert f"梳理集成“一件事”主题服务{value['一件事主题数']}个" in body


def test_the_two_groups_are_compared_by_conditional_measures(project):
    assert build(project, YEAR).exit_code == 0
    registry = yaml.safe_load((project / "periods/registries/测试市.yaml").read_text(encoding="utf-8"))
    group_of = {u["short"]: group for group, members in registry["groups"].items() for u in members}
    rows = indicator_rows(project)
    said = []
    for group, spoken in (("市直部门", "个市直部门"), ("镇街", "个镇（街道）")):
        mine = [r for r in rows if group_of[r["单位"]] == group]
        cases, ontime = sum(r["办件量"] for r in mine), sum(r["按时办结件数"] for r in mine)
        said.append(f"{len(mine)}{spoken}进驻事项{sum(r['进驻事项数'] for r in mine)}项，办件{cases}件，"
                    f"按时办结率{percent(ontime, cases)}")
    assert "；".join(said) + "。" in body_of(project)


def test_the_busiest_month_is_the_first_of_the_months_with_the_most_cases(project):
    months = sheet_rows(project, "各月")
    most = max(cases for _, cases, _ in months)
    first = next(month for month, cases, _ in months if cases == most)
    assert build(project, YEAR).exit_code == 0
    assert f"办件最多的是{first}，共{most}件。" in body_of(project)


def test_a_tie_for_the_busiest_month_is_given_to_the_earlier_month(project):
    path = project / "periods" / YEAR / "政务服务指标.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book["各月"]
    sheet.cell(row=4, column=2).value = sheet.cell(row=11, column=2).value = 900000  # 3月 and 10月
    book.save(path)
    assert build(project, YEAR).exit_code == 0
    assert "办件最多的是3月，共900000件。" in body_of(project)


def test_a_month_the_sheet_misspells_is_refused_at_its_row(project):
    path = project / "periods" / YEAR / "政务服务指标.xlsx"
    book = openpyxl.load_workbook(path)
    book["各月"].cell(row=3, column=1).value = "2月份"
    book.save(path)
    result = build(project, YEAR)
    refused(result, "第3行")
    refused(result, "2月")


def test_the_yearly_kind_needs_no_problems_file(project):
    assert not (project / "periods" / YEAR / "存在问题.yaml").exists()
    assert "type: problems" not in (project / "templates/annual/kind.yaml").read_text(encoding="utf-8")


# --- new-period: the wording carries over, the marked passages are emptied ------------------------


def test_new_period_keeps_the_word_files_wording_and_empties_the_highlighted_passage(project):
    result = run_cli("new-period", "2025", "--from", YEAR, "--inputs", str(project / "periods"),
                     "--templates", str(project / "templates"))
    assert result.exit_code == 0, result.output
    assert f"{SUMMARY}：沿用上期的文字，数字由本期数据填入；标记为本期文字的 1 处已清空为“请填写”" in result.output
    assert f"规则条目；{SUMMARY}沿用上期的文字；日期和数据已清空。" in result.output  # nothing the clerk wrote is emptied
    assert "撰写的文字已清空" not in result.output
    carried = Document(str(project / "periods/2025" / SUMMARY))
    old = Document(str(summary(project)))
    assert [p.text for p in carried.paragraphs if "体验员" not in p.text] == [p.text for p in old.paragraphs if "体验员" not in p.text]
    marked = next(p for p in carried.paragraphs if "体验员" in p.text)
    assert marked.text.startswith("3．开展“政务服务体验员”活动。全年组织体验员走流程{{ 年度指标.体验员走流程场次 }}场次")
    assert marked.text.endswith("整改完成率{{ 年度指标.整改完成率|百分比 }}。请填写")
    assert marked.runs[-1].font.highlight_color == WD_COLOR_INDEX.YELLOW


def test_a_passage_left_to_fill_is_refused_at_its_paragraph(project):
    run_cli("new-period", "2025", "--from", YEAR, "--inputs", str(project / "periods"), "--templates", str(project / "templates"))
    folder = project / "periods/2025"
    shutil.copy(project / "periods" / YEAR / "政务服务指标.xlsx", folder)
    text = (folder / "bulletin.yaml").read_text(encoding="utf-8")
    text = text.replace("issued_on:", "issued_on: 2026-01-15  #").replace("cutoff:", "cutoff: 2025-12-31  #")
    (folder / "bulletin.yaml").write_text(text, encoding="utf-8")
    refused(build(project, "2025"), "2025/年度工作总结.docx：第20段（“3．开展“政务服务体验员…”）：还有本期待填写的文字“请填写”")
    assert not (project / "outputs/2025").exists()


# --- refusals in a Word file, each at its paragraph -----------------------------------------------


def test_a_misspelt_figure_in_a_word_paragraph_is_refused_with_the_nearest_name(project):
    word_file(summary(project), [("一、总体情况", "Heading 1"), "全年办件{{ 全市.办件量 }}件。", "全程网办率{{ 全是.全程网办率 }}。"])
    refused(build(project, YEAR), f"{YEAR}/{SUMMARY}：第3段（“全程网办率{{{{ 全是.全…”）：")
    refused(build(project, YEAR), "名称“全是”不存在，是否为“全市”？")


def test_an_unknown_format_in_a_word_paragraph_is_refused_before_any_figure(project):
    word_file(summary(project), [("一、总体情况", "Heading 1"), "全程网办率{{ 全市.全程网办率|百分数 }}。"])
    refused(build(project, YEAR), f"{YEAR}/{SUMMARY}：第2段（“全程网办率{{{{ 全市.全…”）：")
    refused(build(project, YEAR), "没有名为“百分数”的格式，是否为“百分比”？")


def test_a_statement_block_left_open_is_refused_at_its_first_line(project):
    word_file(summary(project), [("一、总体情况", "Heading 1"), "```", "- each: 各组", "  text: “{{ group }}”"])
    refused(build(project, YEAR), f"{YEAR}/{SUMMARY}：第2段（“```”）：语句块没有结束")


def test_a_wrong_key_in_a_statement_block_is_refused_at_its_paragraph(project):
    word_file(summary(project), [("一、总体情况", "Heading 1"), "```", "- each: 各组", "  txt: 甲", "```"])
    refused(build(project, YEAR), f"{YEAR}/{SUMMARY}：第4段（“txt: 甲”）：语句块中：")
    refused(build(project, YEAR), "未知的配置项“txt”，是否为“text”？")


def test_a_heading_that_skips_a_level_is_refused(project):
    word_file(summary(project), [("一、总体情况", "Heading 1"), "1．办件情况", "全年办件{{ 全市.办件量 }}件。"])
    refused(build(project, YEAR), f"{YEAR}/{SUMMARY}：第2段（“1．办件情况”）：标题跳级：“1．”级标题之前没有“（一）”级标题")


def test_a_heading_style_that_contradicts_its_number_is_refused(project):
    word_file(summary(project), [("一、总体情况", "Heading 1"), ("1．办件情况", "Heading 2"), "正文。"])
    refused(build(project, YEAR), "第2段（“1．办件情况”）：样式为2级标题，文字却以3级标题的编号开头")


def test_text_before_the_first_section_heading_is_refused(project):
    word_file(summary(project), ["2024年，全市政务服务工作取得新进展。", ("一、总体情况", "Heading 1"), "正文。"])
    refused(build(project, YEAR), "第1段（“2024年，全市政务服务…”）：第一个“一、”级标题之前的文字不属于任何一部分")


def test_a_file_that_is_not_a_word_file_is_refused(project):
    summary(project).write_text("这不是 Word 文件", encoding="utf-8")
    refused(build(project, YEAR), f"{YEAR}/{SUMMARY}：无法作为 Word 文件打开")


def test_a_table_in_the_word_file_is_refused_not_dropped(project):
    document = Document()
    document.add_paragraph("一、总体情况", style="Heading 1")
    document.add_table(rows=1, cols=2)
    document.save(str(summary(project)))
    refused(build(project, YEAR), "第1段之后有一个表格：正文文件中不能放表格")


# --- how Word keeps text --------------------------------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def tracked(path: Path) -> None:
    """Rewrite the file's second paragraph as Word keeps tracked changes: a deletion and an insertion."""
    with zipfile.ZipFile(path) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    xml = parts["word/document.xml"].decode("utf-8")
    change = ('<w:p><w:r><w:t>全年办件</w:t></w:r><w:del w:id="1" w:author="a" w:date="2025-01-01T00:00:00Z"><w:r>'
              '<w:delText>{{ 全市.办件 }}</w:delText></w:r></w:del><w:ins w:id="2" w:author="a" w:date="2025-01-01T00:00:00Z">'
              '<w:r><w:t>{{ 全市.办件量 }}</w:t></w:r></w:ins><w:r><w:t>件。</w:t></w:r></w:p>')
    xml = xml.replace("<w:p><w:r><w:t>TRACKED</w:t></w:r></w:p>", change)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, data in parts.items():
            package.writestr(name, xml.encode("utf-8") if name == "word/document.xml" else data)
    path.write_bytes(buffer.getvalue())


def test_tracked_changes_count_as_accepted_and_split_runs_read_as_one(project):
    word_file(summary(project), [("一、总体情况", "Heading 1"), "TRACKED", ["评价", "{{ 全", "市.评价数 }}", "条。"]])
    tracked(summary(project))
    assert build(project, YEAR).exit_code == 0
    rows = indicator_rows(project)
    shown = [text for _, text in texts(built(project, YEAR))]
    assert f"全年办件{sum(r['办件量'] for r in rows)}件。" in shown
    assert f"评价{sum(r['评价数'] for r in rows)}条。" in shown


# --- a Markdown prose file in a section of the assessment kind ------------------------------------

PROSE = """# 总体情况的说明

（一）推进改革

本季度全市12345热线以外的数字：{{ period.full_name }}，考核前{{ ranking_count|中文 }}位==由文秘撰写的本期文字==。

```
- when: ranking_count
  text: 共{{ ranking_count }}位。
```

1．分项情况。{{ rankings.镇街.top|列举 }}。
"""


def with_prose_statement(project: Path, statement: dict) -> None:
    kind = project / "templates/assessment/kind.yaml"
    text = kind.read_text(encoding="utf-8")
    extra = yaml.safe_dump([{"id": "prose", "heading": "说明", "body": [statement]}], allow_unicode=True)
    kind.write_text(text.replace("\nsections:\n", "\nsections:\n" + textwrap.indent(extra, "  "), 1), encoding="utf-8")


def test_a_section_heading_in_a_prose_file_under_a_kinds_heading_is_refused(project):
    (project / "periods" / PERIOD / "说明.md").write_text(PROSE, encoding="utf-8")
    with_prose_statement(project, {"file": "说明.md"})
    refused(build(project, PERIOD), f"{PERIOD}/说明.md，第1行：“一、”级标题不能写在此处")


def test_a_markdown_prose_file_in_a_section(project):
    (project / "periods" / PERIOD / "说明.md").write_text(PROSE.split("\n", 2)[2], encoding="utf-8")
    with_prose_statement(project, {"file": "说明.md"})
    result = build(project, PERIOD, "--check")
    assert result.exit_code == 0, result.output
    assert "格式检查通过" in result.output
    shown = texts(built(project, PERIOD))
    assert ("二级标题", "（一）推进改革") in shown
    body = [text for _, text in shown]
    assert "本季度全市12345热线以外的数字：2024年一季度，考核前三位由文秘撰写的本期文字。" in body
    assert "共3位。" in body
    assert any(text.startswith("1．分项情况。") and "、" in text for text in body)


def test_a_file_statement_with_items_is_refused_at_its_line(project):
    (project / "periods" / PERIOD / "说明.md").write_text("正文。\n", encoding="utf-8")
    with_prose_statement(project, {"file": "说明.md", "items": ["甲"]})
    refused(build(project, PERIOD), "file 与 items 不能写在同一条语句中")
    result = build(project, PERIOD)
    assert "assessment/kind.yaml，第" in result.output


def test_an_unknown_format_in_a_markdown_file_is_refused_at_its_line(project):
    (project / "periods" / PERIOD / "说明.md").write_text("甲\n\n乙{{ ranking_count|中文字 }}。\n", encoding="utf-8")
    with_prose_statement(project, {"file": "说明.md"})
    refused(build(project, PERIOD), f"{PERIOD}/说明.md，第3行：“{{{{ ranking_count|中文字 }}}}”：没有名为“中文字”的格式，是否为“中文”？")


def test_a_jinja_tag_in_a_markdown_file_is_refused_at_its_line_with_the_statement_way(project):
    (project / "periods" / PERIOD / "说明.md").write_text("甲。\n\n{% if ranking_count %}乙。{% endif %}\n", encoding="utf-8")
    with_prose_statement(project, {"file": "说明.md"})
    for command in ("validate", "build"):
        result = run_cli(command, "--period", PERIOD, "--inputs", str(project / "periods"),
                         "--templates", str(project / "templates"), *(("--outputs", str(project / "out")) if command == "build" else ()))
        refused(result, f"{PERIOD}/说明.md，第3行：这一段中的“{{% %}}”是旧的模板写法，文字稿中不能写。条件和列表写作语句块")
        assert "- when: 名称" in result.output and "bulletin migrate" not in result.output
        assert result.output.count("旧的模板写法") == 1


def test_a_jinja_tag_in_a_word_paragraph_is_refused_at_its_paragraph(project):
    word_file(summary(project), [("一、总体情况", "Heading 1"), "全年办件{{ 全市.办件量 }}件。", ["全程网办{# 注 #}", "率。"]])
    refused(build(project, YEAR), f"{YEAR}/{SUMMARY}：第3段（“全程网办{{# 注 #}}率…”）：这一段中的“{{# #}}”是旧的模板写法")


def test_a_jinja_tag_inside_a_statement_block_is_refused_at_its_line(project):
    word_file(summary(project), [("一、总体情况", "Heading 1"), "```", "- text: 共{% for u in 各单位 %}{{ u }}{% endfor %}", "```"])
    refused(build(project, YEAR), f"{YEAR}/{SUMMARY}：第3段（“- text: 共{{% …”）：这一段中的“{{% %}}”")


def test_a_narrative_with_a_stand_alone_heading_prints_it_as_a_heading(project):
    path = project / "periods" / PERIOD / "总体情况.md"
    path.write_text("（一）推进改革\n\n全市推进改革。\n", encoding="utf-8")
    result = build(project, PERIOD, "--check")
    assert result.exit_code == 0, result.output
    assert ("二级标题", "（一）推进改革") in texts(built(project, PERIOD))


def test_a_file_statement_among_numbered_items_is_refused_at_its_line(project):
    (project / "periods" / PERIOD / "说明.md").write_text("正文。\n", encoding="utf-8")
    kind = project / "templates/assessment/kind.yaml"
    extra = yaml.safe_dump([{"id": "prose", "heading": "说明", "items": [{"file": "说明.md"}]}], allow_unicode=True)
    text = kind.read_text(encoding="utf-8")
    kind.write_text(text.replace("\nsections:\n", "\nsections:\n" + textwrap.indent(extra, "  "), 1), encoding="utf-8")
    line = kind.read_text(encoding="utf-8").splitlines().index("    - file: 说明.md") + 1
    refused(build(project, PERIOD), f"assessment/kind.yaml，第{line}行：sections.第1项.items.第1项：file 只能写在 body 中")


def test_a_file_named_inside_a_statement_block_is_refused(project):
    word_file(summary(project), [("一、总体情况", "Heading 1"), "```", "- when: 全市", "  items:", "    - file: 其他.md", "```"])
    refused(build(project, YEAR), f"{YEAR}/{SUMMARY}：第5段（“- file: 其他.m…”）：语句块中：不能写 file")


def validated(project: Path, period: str = PERIOD):
    return run_cli("validate", "--period", period, "--inputs", str(project / "periods"), "--templates", str(project / "templates"))


def test_a_file_statement_in_a_problem_entry_is_refused_at_check_time_even_when_not_said(project):
    problems = project / "periods" / PERIOD / "存在问题.yaml"
    lines = problems.read_text(encoding="utf-8").splitlines()
    lines += ["- heading: 文字稿", "  parts:", "    - when: ranking_count > 1000", "      file: 总体情况.md"]
    problems.write_text("\n".join(lines) + "\n", encoding="utf-8")
    entry = sum(line.startswith("- heading:") for line in lines)
    for result in (validated(project), build(project, PERIOD)):
        refused(result, f"{PERIOD}/存在问题.yaml，第{len(lines)}行：第{entry}条问题：不能写 file：文字稿（.md、.docx）只能在 kind.yaml")
        assert "存在问题的文字请写作句子或语句" in result.output
    assert not (project / "outputs").exists()


def test_a_file_statement_in_a_checks_sentence_is_refused_at_its_line(project):
    kind = project / "templates/assessment/kind.yaml"
    lines = kind.read_text(encoding="utf-8").splitlines()
    at = next(n for n, line in enumerate(lines) if line.strip().startswith("- each: rows"))
    lines.insert(at, lines[at].replace("- each: rows", "- file: 总体情况.md").split("#")[0].rstrip())
    kind.write_text("\n".join(lines) + "\n", encoding="utf-8")
    refused(validated(project), f"assessment/kind.yaml，第{at + 1}行：checks.overdue_cases.sentence.items[0]：不能写 file")


def test_a_file_statement_in_a_rules_sentence_of_bulletin_yaml_is_refused_at_its_line(project):
    config = project / "periods" / PERIOD / "bulletin.yaml"
    text = config.read_text(encoding="utf-8").rstrip("\n")
    extra = "rules:\n  monthly_posting_quota:\n    sentence:\n      - file: 总体情况.md\n"
    config.write_text(text + "\n" + extra, encoding="utf-8")
    line = len(text.splitlines()) + 4
    refused(validated(project), f"{PERIOD}/bulletin.yaml，第{line}行：rules.monthly_posting_quota.sentence[0]：不能写 file")


def test_new_period_empties_the_marked_passages_of_a_markdown_prose_file(project):
    prose = project / "periods" / PERIOD / "说明.md"
    prose.write_text("全市{{ ranking_count|中文 }}位。==本季度开展培训3次。==\n\n第二段。\n", encoding="utf-8")
    with_prose_statement(project, {"file": "说明.md"})
    result = run_cli("new-period", "2024Q2", "--from", PERIOD, "--inputs", str(project / "periods"),
                     "--templates", str(project / "templates"))
    assert result.exit_code == 0, result.output
    assert (project / "periods/2024Q2/说明.md").read_text(encoding="utf-8") == "全市{{ ranking_count|中文 }}位。==请填写==\n\n第二段。\n"
    assert "说明.md：沿用上期的文字，数字由本期数据填入；标记为本期文字的 1 处已清空为“请填写”" in result.output


def test_the_built_yearly_bulletin_verifies_against_its_data(project):
    assert build(project, YEAR).exit_code == 0
    (path,) = (project / "outputs" / YEAR).glob("*.docx")
    result = run_cli("verify", str(path), "--period", YEAR, "--inputs", str(project / "periods"),
                     "--templates", str(project / "templates"))
    assert result.exit_code == 0, result.output
    assert "所有数字、排名和单位均与 2024 的数据一致" in result.output


def outline(path: Path, paragraph: int, level: int) -> None:
    """Give one paragraph an outline level (大纲级别) as WPS does for its own heading styles."""
    document = Document(str(path))
    properties = document.paragraphs[paragraph]._p.get_or_add_pPr()
    element = properties.makeelement(f"{{{W}}}outlineLvl", {f"{{{W}}}val": str(level - 1)})
    properties.append(element)
    document.save(str(path))


def test_an_outline_level_makes_a_heading_as_a_heading_style_does(project):
    word_file(summary(project), ["总体情况", "全年办件{{ 全市.办件量 }}件。", "窗口建设", "加强窗口建设。"])
    outline(summary(project), 0, 1)
    outline(summary(project), 2, 2)
    assert build(project, YEAR).exit_code == 0
    shown = texts(built(project, YEAR))
    assert ("一级标题", "一、总体情况") in shown and ("二级标题", "（一）窗口建设") in shown


def test_a_style_based_on_a_heading_style_is_a_heading_of_its_level(project):
    from docx.enum.style import WD_STYLE_TYPE

    document = Document()
    own = document.styles.add_style("本单位标题", WD_STYLE_TYPE.PARAGRAPH)
    own.base_style = document.styles["Heading 2"]
    document.add_paragraph("一、总体情况", style="Heading 1")
    document.add_paragraph("推进改革", style="本单位标题")
    document.add_paragraph("全年办件{{ 全市.办件量 }}件。")
    document.save(str(summary(project)))
    assert build(project, YEAR).exit_code == 0
    assert ("二级标题", "（一）推进改革") in texts(built(project, YEAR))


def test_a_highlight_taken_off_is_no_mark_and_a_highlighted_run_is_one(tmp_path):
    from pipeline.word.prose_docx import docx_lines

    document = Document()
    paragraph = document.add_paragraph("全年")
    paragraph.add_run("开展培训3次").font.highlight_color = WD_COLOR_INDEX.YELLOW
    taken_off = paragraph.add_run("，")
    taken_off._r.get_or_add_rPr().append(taken_off._r.makeelement(f"{{{W}}}highlight", {f"{{{W}}}val": "none"}))
    paragraph.add_run("收集意见。")
    buffer = io.BytesIO()
    document.save(buffer)
    (line,) = docx_lines(buffer.getvalue(), "a.docx")
    assert line.text == "全年==开展培训3次==，收集意见。" and line.place == "第1段（“全年开展培训3次，收集意…”）"


def test_a_block_typed_in_word_with_a_chinese_input_method_reads_as_yaml(project):
    word_file(summary(project), [("一、总体情况", "Heading 1"), "···", "- when：网办率偏低",
                                 "\ttext：“共{{ 网办率偏低|个数 }}个单位低于标准”", "\twhen_empty：各单位均达到标准。", "···"])
    assert build(project, YEAR).exit_code == 0
    rows = indicator_rows(project)
    low = sum(1 for r in rows if Decimal(r["全程网办事项数"]) * 100 / r["进驻事项数"] < 80)
    expected = f"共{low}个单位低于标准" if low else "各单位均达到标准。"
    assert expected in [text for _, text in texts(built(project, YEAR))]
