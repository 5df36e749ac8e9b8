"""The configuration language: every key declared, checked at its file and line, published.

Each case changes a copy of the project's kind.yaml or of the small valid period and runs
the command a clerk runs; the message must name the file, the line and what was expected.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml

from pipeline.findings.base import RULES
from pipeline.config.declared import RULE_PARAMS
from pipeline.config.published import REFERENCE_FILE, SCHEMA_FILE, published_files

from .conftest import FIXTURE_INPUTS, INPUTS, PERIOD, ROOT, TEMPLATES, run_cli

KIND = "assessment/kind.yaml"
BULLETIN = f"{PERIOD}/bulletin.yaml"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the small valid period and of the bulletin kinds, to change."""
    shutil.copytree(FIXTURE_INPUTS, tmp_path / "inputs")
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    return tmp_path


def edit(path: Path, old: str, new: str) -> int:
    """Replace ``old`` (once) in ``path``; the line (1-based) where the change is."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def kind_file(project: Path) -> Path:
    return project / "templates" / KIND


def bulletin_file(project: Path) -> Path:
    return project / "inputs" / BULLETIN


def validate(project: Path):
    """``bulletin validate`` on the changed copy: exceptions propagate (no traceback may hide)."""
    return run_cli("validate", "--period", PERIOD, "--inputs", str(project / "inputs"),
                   "--templates", str(project / "templates"))


def refused_with(project: Path, expected: str) -> str:
    result = validate(project)
    assert result.exit_code == 1, result.output
    assert f"  - {expected}" in result.output.splitlines(), result.output
    return result.output


def test_a_misspelt_section_type_is_named_with_the_nearest_type(project):
    line = edit(kind_file(project), "    type: narrative\n    file: 总体情况.md", "    type: narative\n    file: 总体情况.md")
    refused_with(project, f"{KIND}，第{line}行：sections.第2项.type：应为 text、narrative、problems、document 之一，实为“narative”，是否为“narrative”？")


def test_a_narrative_section_without_its_file_is_refused_at_the_section(project):
    line = edit(kind_file(project), "  - id: overview\n    heading: 总体情况\n    type: narrative\n    file: 总体情况.md\n",
                "  - id: overview\n    heading: 总体情况\n    type: narrative\n")
    refused_with(project, f"{KIND}，第{line}行：sections.第2项：缺少必填项 file（本期文件夹中写这一部分文字的 .md 文件）")


def test_a_ranking_count_in_words_is_refused_at_its_line(project):
    text = bulletin_file(project).read_text(encoding="utf-8")
    bulletin_file(project).write_text(text + "ranking_count: three\n", encoding="utf-8")
    line = text.count("\n") + 1
    refused_with(project, f"{BULLETIN}，第{line}行：ranking_count：应为整数（0 到 100），实为“three”")


def test_an_annex_group_missing_from_scoring_is_refused_with_the_groups_there_are(project):
    line = edit(bulletin_file(project), "  - group: 镇街\n", "  - group: 镇街道\n")
    refused_with(project, f"{BULLETIN}，第{line}行：annexes.第2项.group：评分组“镇街道”不在 scoring 中，是否为“镇街”？（scoring 中有：市直部门、镇街）")


def test_an_unknown_column_type_is_one_configuration_error_not_one_per_row(project):
    line = edit(kind_file(project), "total: {header: 监管事项总数, type: int, min: 1}", "total: {header: 监管事项总数, type: integer, min: 1}")
    output = refused_with(
        project,
        f"{KIND}，第{line}行：datasets.coverage.columns.total.type：应为 text、int、number、score、date、month、unit、choice 之一，"
        "实为“integer”，是否为“int”？",
    )
    assert output.splitlines()[0].startswith("输入有误，共 1 处"), output
    assert "监管事项覆盖情况.csv" not in output


def test_a_broken_sentence_in_kind_yaml_is_reported_against_kind_yaml(project):
    line = edit(kind_file(project), "考核排名前{{ ranking_count|中文 }}位的镇（街道）为：", "考核排名前{{ ranking_count|中文 }位的镇（街道）为：")
    output = refused_with(project, next(
        row[4:] for row in validate(project).output.splitlines() if row.startswith(f"  - {KIND}，第{line}行：sections.第1项.body.第1项.text：句子“考核排名前")
    ))
    assert "不是允许的写法" in output and "bulletin.yaml" not in output


def test_a_sentence_of_kind_yaml_that_names_an_unknown_value_is_reported_at_its_line(project):
    line = edit(kind_file(project), "{{ rankings.镇街.top|列举 }}，排名后", "{{ rankingz.镇街.top|列举 }}，排名后")
    result = validate(project)
    assert result.exit_code == 1
    problem = result.output.splitlines()[1]
    assert problem.startswith(f"  - {KIND}，第{line}行：句子“考核排名前"), result.output
    assert "名称“rankingz”不存在，是否为“rankings”？" in problem


def test_a_misspelt_rule_parameter_is_named_with_the_nearest_parameter(project):
    line = edit(kind_file(project), "params: {min_dynamics: 2, min_exposures: 1}", "params: {min_dynamcs: 2, min_exposures: 1}")
    refused_with(project, f"{KIND}，第{line}行：rules.monthly_posting_quota.params.min_dynamcs：未知的配置项“min_dynamcs”，"
                          "是否为“min_dynamics”？（可用：min_dynamics、min_exposures、group、order）")


def test_a_misspelt_rule_parameter_in_the_problem_list_is_named_too(project):
    problems = project / "inputs" / PERIOD / "存在问题.yaml"
    edit(problems, "    - rule: coverage_below_threshold\n", "    - rule: coverage_below_threshold\n      params: {treshold: 60}\n")
    refused_with(project, "存在问题.yaml：第1条问题：规则“coverage_below_threshold”没有参数“treshold”，是否为“threshold”？（可用：threshold）")


def test_an_unknown_top_level_key_gets_the_nearest_name(project):
    text = bulletin_file(project).read_text(encoding="utf-8")
    bulletin_file(project).write_text(text + "ranking_cout: 5\n", encoding="utf-8")
    output = refused_with(project, next(
        row[4:] for row in validate(project).output.splitlines() if "未知的配置项“ranking_cout”" in row))
    assert f"{BULLETIN}，第{text.count(chr(10)) + 1}行：ranking_cout：未知的配置项“ranking_cout”，是否为“ranking_count”？" in output


def test_rule_defaults_come_from_the_declarations_alone(project):
    """Every registered rule declares its parameters; a kind that leaves them out gets the declared defaults."""
    assert set(RULES) == set(RULE_PARAMS)
    for path in (ROOT / "pipeline" / "rules").glob("*.py"):
        assert not re.search(r"params\.get\([^)]*,", path.read_text(encoding="utf-8")), f"{path.name} keeps a default of its own"
    edit(kind_file(project), "    params: {min_dynamics: 2, min_exposures: 1}\n", "")
    result = validate(project)
    assert result.exit_code == 0, result.output


def test_a_period_may_name_where_its_records_live_and_how_to_connect(project):
    edit(bulletin_file(project), "kind: assessment\n", "kind: assessment\npostgres: {host: db.local, port: 5432, database: zwfw}\nspark: {master: \"local[2]\"}\n")
    result = validate(project)
    assert result.exit_code == 0, result.output


def test_a_misspelt_connection_setting_is_named_with_the_nearest_setting(project):
    line = edit(bulletin_file(project), "kind: assessment\n", "kind: assessment\npostgres: {host: db.local, prot: 5432}\n")
    refused_with(project, f"{BULLETIN}，第{line + 1}行：postgres.prot：未知的配置项“prot”，是否为“port”？"
                          "（可用：host、port、database、user、password）")


def test_a_small_table_named_without_a_file_is_refused_at_bulletin_yaml(project):
    edit(bulletin_file(project), "  coverage: 监管事项覆盖情况.csv\n", "  coverage: {sheet: 表1}\n")
    refused_with(project, f"{BULLETIN}：files 中的“coverage”缺少 file（写出文件名或数据库中的表）")


def test_the_schema_and_the_reference_page_are_current():
    for name, text in published_files().items():
        assert (ROOT / name).read_text(encoding="utf-8") == text, f"{name} is stale: run `bulletin schema`"


def test_the_schema_command_writes_both_files(tmp_path):
    result = run_cli("schema", "--root", str(tmp_path))
    assert result.exit_code == 0, result.output
    for name in (SCHEMA_FILE, REFERENCE_FILE):
        assert (tmp_path / name).read_bytes() == (ROOT / name).read_bytes()


def as_json(value):
    """YAML data as an editor's schema checker sees it: dates are strings."""
    if isinstance(value, dict):
        return {str(k): as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    return value.isoformat() if isinstance(value, dt.date) else value


CONFIG_FILES = sorted(TEMPLATES.glob("*/kind.yaml")) + sorted(FIXTURE_INPUTS.glob("*/bulletin.yaml")) + sorted(INPUTS.glob("*/bulletin.yaml"))


@pytest.mark.parametrize("path", CONFIG_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_the_shipped_configuration_files_satisfy_the_schema(path):
    schema = json.loads((ROOT / SCHEMA_FILE).read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    jsonschema.validate(as_json(yaml.safe_load(path.read_text(encoding="utf-8"))), schema)


def test_the_schema_underlines_what_the_checker_refuses():
    schema = json.loads((ROOT / SCHEMA_FILE).read_text(encoding="utf-8"))
    kind = yaml.safe_load((TEMPLATES / KIND).read_text(encoding="utf-8"))
    for broken in ({"sections": [{"heading": "总体情况", "type": "narative", "file": "a.md"}]},
                   {"sections": [{"heading": "总体情况", "type": "narrative"}]},
                   {"ranking_count": "three"},
                   {"rules": {"monthly_posting_quota": {"params": {"min_dynamcs": 2}}}}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(as_json({**kind, **broken}), schema)


JUNK = ["[1, 2]", "{a: 1}", "3", "null", '"x"', "2024-01-01", "true", "[]", "{}", "-1", "narrative"]


@pytest.mark.parametrize("seed", range(30))
def test_any_value_put_anywhere_is_refused_with_its_place_or_accepted(project, seed):
    """One key of kind.yaml or bulletin.yaml given a value of another shape: exit 0 or 1, never a traceback."""
    chance = random.Random(seed)
    target = chance.choice([kind_file(project), bulletin_file(project)])
    lines = target.read_text(encoding="utf-8").splitlines()
    number = chance.choice([i for i, line in enumerate(lines) if ":" in line and not line.lstrip().startswith("#")])
    lines[number] = lines[number].partition(":")[0] + ": " + chance.choice(JUNK)
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = validate(project)
    assert result.exit_code in (0, 1), result.output
    if result.exit_code == 1:
        assert result.output.startswith("输入有误，共 "), result.output  # the one handler's located list
