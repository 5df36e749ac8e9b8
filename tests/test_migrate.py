"""``bulletin migrate``: an office's files of the Jinja era rewritten into the statement language, in
place, and then built into the same bulletin; what cannot be rewritten is left and listed at its line;
a text still in Jinja is refused by the build at its line, pointing to the command."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from docx import Document

from pipeline.config.migrate import migrate_text
from pipeline.language.migrate import MigrationError, migrated

from .conftest import FIXTURES, INPUTS, TEMPLATES, run_cli

PERIOD = "2024Q1"
JINJA_ERA = FIXTURES / "jinja_era"


def project(root: Path, jinja: bool) -> Path:
    """A copy of the samples and the kinds; with ``jinja``, the Jinja-era kind and period laid over them."""
    shutil.copytree(INPUTS, root / "periods")
    shutil.copytree(TEMPLATES, root / "templates")
    if jinja:
        shutil.copytree(JINJA_ERA / "templates", root / "templates", dirs_exist_ok=True)
        shutil.copytree(JINJA_ERA / "periods", root / "periods", dirs_exist_ok=True)
    return root


def build(root: Path):
    return run_cli("build", "--period", PERIOD, "--inputs", str(root / "periods"), "--templates", str(root / "templates"),
                   "--outputs", str(root / "outputs"))


def paragraphs(root: Path) -> list[str]:
    folder = root / "outputs" / PERIOD
    documents = [Document(str(path)) for path in sorted(folder.glob("*.docx"))]
    notices = [Document(str(path)) for path in sorted((folder / "整改通知").glob("*.docx"))]
    return [p.text for d in documents + notices for p in d.paragraphs]


def test_a_jinja_era_kind_and_period_migrate_and_build_the_same_bulletin(tmp_path):
    old = project(tmp_path / "old", jinja=True)
    refused = build(old)
    assert refused.exit_code == 1 and "bulletin migrate" in refused.output and "Traceback" not in refused.output
    assert not (old / "outputs").exists()
    kind, period = old / "templates" / "assessment", old / "periods" / PERIOD
    result = run_cli("migrate", str(kind), str(period))
    assert result.exit_code == 0, result.output
    assert "assessment/kind.yaml，第" in result.output and "存在问题.yaml，第" in result.output
    assert build(old).exit_code == 0
    new = project(tmp_path / "new", jinja=False)
    assert build(new).exit_code == 0
    assert paragraphs(old) == paragraphs(new)
    assert any("未在规定的时间及时整改" in p for p in paragraphs(new))
    evidence = [next((root / "outputs" / PERIOD).glob("*_问题依据.csv")).read_bytes() for root in (old, new)]
    assert evidence[0] == evidence[1]


def test_migrate_keeps_the_comments_and_layout_of_the_file(tmp_path):
    kind = project(tmp_path, jinja=True) / "templates" / "assessment" / "kind.yaml"
    before = kind.read_text(encoding="utf-8")
    assert run_cli("migrate", str(kind)).exit_code == 0
    after = kind.read_text(encoding="utf-8")
    assert [l for l in before.splitlines() if l.lstrip().startswith("#")] == \
        [l for l in after.splitlines() if l.lstrip().startswith("#")]
    kept = set(after.splitlines())  # every line but the rewritten values (and their block headers) stays
    assert all("{{" in line or "{%" in line or line.endswith(">-") for line in before.splitlines() if line not in kept)
    assert "{%" not in after and "|join(" not in after and "|month_day" not in after
    assert "考核排名前{{ ranking_count|中文 }}位的镇（街道）为：{{ rankings.镇街.top|列举 }}" in after
    assert run_cli("migrate", "--check", str(kind)).output.startswith("没有需要改写")


def test_check_lists_what_would_change_and_writes_nothing(tmp_path):
    period = project(tmp_path, jinja=True) / "periods" / PERIOD
    before = {p.name: p.read_bytes() for p in period.glob("*.yaml")}
    result = run_cli("migrate", "--check", str(period))
    assert result.exit_code == 1
    problems = (period / "存在问题.yaml").read_text(encoding="utf-8")
    line = problems[: problems.index("|join(")].count("\n") + 1
    assert f"应改写：{period / '存在问题.yaml'}，第{line}行：sentence：" in result.output
    assert "{{ findings|join('、') }}未在规定的时间及时… → …{{ findings|列举 }}未在规定的时间及时…" in result.output  # the change, not the same start twice
    assert {p.name: p.read_bytes() for p in period.glob("*.yaml")} == before


def test_what_cannot_be_rewritten_is_listed_at_its_line_and_left(tmp_path):
    path = tmp_path / "kind.yaml"
    path.write_text("# 旧写法\ntitle: 通报\nchecks:\n  x:\n    sentence: >-\n      {% set n = findings|length %}共{{ n * 2 }}个\n"
                    "    evidence: \"{{ due|date }}前\"\n", encoding="utf-8")
    result = run_cli("migrate", str(path))
    assert result.exit_code == 1
    assert f"无法改写：{path}，第6行：sentence：“{{% set %}}”" in result.output
    assert f"已改写：{path}，第7行：evidence：" in result.output
    text = path.read_text(encoding="utf-8")
    assert "{% set n = findings|length %}共{{ n * 2 }}个" in text and 'evidence: "{{ due|日期 }}前"' in text


@pytest.mark.parametrize("jinja, statement", [
    ("{{ x }}与{{ x.y }}", "{{ x }}与{{ x.y }}"),
    ("{{ rate|percent }}，{{ d|date }}，{{ d|month_day }}，{{ n|cn }}，{{ rows|length }}",
     "{{ rate|百分比 }}，{{ d|日期 }}，{{ d|月日 }}，{{ n|中文 }}，{{ rows|个数 }}"),
    ("{{ period.ordinal_name }}{{ lists['红榜'].postings }}", "{{ period.ordinal_name }}{{ lists.红榜.postings }}"),
    ("{{ findings|join('、') }}{{ 退单较多|map(attribute='unit')|join('、') }}", "{{ findings|列举 }}{{ 退单较多.unit|列举 }}"),
    ("{{ findings|sum(attribute='count') }}件{{ reason or '' }}", "{{ findings.count|合计 }}件{{ reason|空则不写 }}"),
    ("{{ 3|cn }}个单位{{ '分别' if findings|length > 1 else '' }}", "三个单位{{ findings|分别 }}"),
])
def test_a_sentence_is_rewritten_slot_by_slot(jinja, statement):
    assert migrated(jinja) == statement


def test_if_and_else_become_a_when_statement():
    assert migrated("{% if idle %}零办件{{ idle|length }}个{% else %}无{% endif %}") == \
        {"when": "idle", "text": "零办件{{ idle|个数 }}个", "when_empty": "无"}
    assert migrated("{% if a > 1 or not (b and c == '甲') %}多{% endif %}") == \
        {"when": "a > 1 or not (b and c == '甲')", "text": "多"}
    assert migrated("{% if not stars %}无明星{% endif %}") == {"when": "stars", "when_empty": "无明星"}


def test_a_loop_becomes_an_each_statement_joined_by_its_separator():
    assert migrated("其中：{% for f in findings %}{{ f }}{{ f.count }}件{{ '、' if not loop.last else '。' }}{% endfor %}") == \
        {"each": "findings", "text": "{{ unit }}{{ count }}件", "join": "、", "before": "其中：", "after": "。"}
    nested = migrated("{% for g in lists.红榜.groups %}{{ g.units|map(attribute='text_name')|join('、') }}窗口"
                      "{% if g.count %}{{ g.count }}次{% endif %}{% if not loop.last %}，{% endif %}{% endfor %}")
    assert nested == {"each": "lists.红榜.groups", "text": "{{ units.text_name|列举 }}窗口",
                      "items": [{"when": "count", "text": "{{ count }}次"}], "join": "，"}


@pytest.mark.parametrize("jinja, why", [
    ("{% set a = 1 %}{{ a }}", "{% set %}"),
    ("{{ a * 2 }}", "运算"),
    ("{{ votes.busiest('大厅', 5) }}", "调用"),
    ("{% if rows|length > 1 %}多{% endif %}", "条件中的“Filter”"),
    ("{{ a|join('%、') }}", "筛选器“join('%、')”"),
    ("{% for i in items %}{{ loop.index }}{% endfor %}", "loop 的属性"),
    ("{{ a }", "不是有效的 Jinja 模板"),
])
def test_what_has_no_statement_is_refused_saying_what(jinja, why):
    with pytest.raises(MigrationError) as refused:
        migrated(jinja)
    assert why in str(refused.value)


def test_a_plain_sentence_cannot_take_a_statement():
    with pytest.raises(MigrationError, match="此处只能写一句"):
        migrated("{% if a %}甲{% endif %}", statements=False)


def test_a_statement_is_written_in_flow_style_where_the_sentence_was():
    text = "rules:\n  x:\n    # 说明\n    sentence: \"{% for f in findings %}{{ f }}{% endfor %}\"  # 行尾注释\n  y: 1\n"
    new, changed, refused = migrate_text(text, "kind.yaml")
    assert not refused and [p.row for p in changed] == [4]
    assert new == "rules:\n  x:\n    # 说明\n    sentence: {each: \"findings\", text: \"{{ unit }}\", join: \"\"}  # 行尾注释\n  y: 1\n"
    assert yaml.safe_load(new)["rules"]["x"]["sentence"] == {"each": "findings", "text": "{{ unit }}", "join": ""}


# conditions: a when: is a name, or a condition of the figure expression language -------------------

def test_a_when_condition_is_evaluated_over_the_row():
    from pipeline.language.sentence import Scope
    from pipeline.language.statements import said

    statement = {"each": "units", "join": "、", "items": [
        {"when": "rate < limit and unit != '乙'", "text": "{{ unit }}偏低", "when_empty": "{{ unit }}正常"}]}
    rows = [{"unit": "甲", "rate": 80}, {"unit": "乙", "rate": 70}, {"unit": "丙", "rate": 95}]
    assert said(statement, Scope({"units": rows, "limit": 90})) == "甲偏低、乙正常、丙正常"


def test_a_condition_that_is_no_expression_is_refused_at_its_line(inputs, tmp_path):
    from .conftest import change_bulletin, run

    change_bulletin(inputs, {"sections": {"ranking": {"when": "ranking_count >"}}})
    result = run("build", "2024Q1", inputs, tmp_path / "out")
    text = (inputs / "2024Q1" / "bulletin.yaml").read_text(encoding="utf-8")
    line = text[: text.index("ranking_count >")].count("\n") + 1
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"2024Q1/bulletin.yaml，第{line}行：" in result.output and "应为名称" in result.output and "表达式" in result.output
    assert not (tmp_path / "out").exists()


def test_an_aliased_sentence_is_rewritten_once_where_it_is_written():
    text = "base: &s \"{{ d|date }}前\"\nother: *s\n"
    new, changed, refused = migrate_text(text, "bulletin.yaml")
    assert new == "base: &s \"{{ d|日期 }}前\"\nother: *s\n" and len(changed) == 1 and not refused


def test_a_file_that_is_not_yaml_is_listed_and_left(tmp_path):
    path = tmp_path / "bulletin.yaml"
    path.write_text("title: \"{{ a|date }}\n  bad: [\n", encoding="utf-8")
    result = run_cli("migrate", str(path))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"无法改写：{path}，第" in result.output and "YAML" in result.output
    assert path.read_text(encoding="utf-8") == "title: \"{{ a|date }}\n  bad: [\n"


def test_a_language_error_carries_the_file_line_and_column_its_text_was_read_at(inputs):
    from pipeline.config.bulletin import load_config
    from pipeline.language.errors import LanguageError
    from pipeline.language.sentence import Scope
    from pipeline.run.build import wording_problem

    config = load_config("2024Q1", inputs, TEMPLATES)
    opening = config.value("opening")
    with pytest.raises(LanguageError) as raised:
        Scope({}).fill(opening)
    problem = wording_problem(config, "bulletin.yaml", raised.value)
    text = (inputs / "2024Q1" / "bulletin.yaml").read_text(encoding="utf-8")
    line = text[: text.index(opening[:20])].count("\n") + 1  # a >- block: its text begins a line below the key
    column = text.splitlines()[line - 2].index(">-") + 1
    assert (raised.value.file, raised.value.line, raised.value.column) == ("2024Q1/bulletin.yaml", line, column)
    assert problem.file == "2024Q1/bulletin.yaml" and problem.row == line


def test_a_folder_without_yaml_files_is_refused(tmp_path):
    result = run_cli("migrate", str(tmp_path))
    assert result.exit_code == 1 and f"无法改写：{tmp_path}：文件夹中没有 YAML 文件" in result.output


@pytest.mark.parametrize("closing", ["请于{{ rectification_deadline|month_day }}前反馈。", "{% if contact %}联系电话：{{ contact.phone }}{% endif %}",
                                     "{{ contact.phone or '' }}"])
def test_a_text_still_in_jinja_is_refused_at_its_line_pointing_to_migrate(closing, inputs, tmp_path):
    from .conftest import change_bulletin, run

    change_bulletin(inputs, {"closing": closing})
    result = run("build", PERIOD, inputs, tmp_path / "out")
    text = (inputs / PERIOD / "bulletin.yaml").read_text(encoding="utf-8")
    line = next(n for n, l in enumerate(text.splitlines(), 1) if l.startswith("closing:"))
    assert result.exit_code == 1 and "Traceback" not in result.output and not (tmp_path / "out").exists()
    assert f"{PERIOD}/bulletin.yaml，第{line}行：closing：" in result.output, result.output
    assert "请运行 bulletin migrate" in result.output


def test_the_jinja_engine_is_not_on_the_build_path():
    """Only the Word template's own tags (docxtpl, in render/) and migrate, which reads older text
    to rewrite it and runs none of it, touch jinja2; only the command line reaches migrate."""
    import ast

    package = Path(__file__).resolve().parent.parent / "pipeline"
    jinja, migrating = set(), set()
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            shown = str(path.relative_to(package))
            if any(n.split(".")[0] == "jinja2" for n in names):
                jinja.add(shown)
            if any(n.endswith("migrate") for n in names) and not shown.startswith(("config/migrate", "language/migrate")):
                migrating.add(shown)
    assert jinja == {"language/migrate.py", "render/docx_writer.py"}
    assert migrating == {"cli/commands.py"}
