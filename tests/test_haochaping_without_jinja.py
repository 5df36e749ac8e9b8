"""The 好差评 kind and its sample period are written in the statement language: every sentence
has only names and named formats — no ``{% %}``, no Jinja filter, no method call, no literal."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from pipeline.language.sentence import phrase_problem

from .conftest import INPUTS, TEMPLATES, run_cli
from .test_kinds_in_language import strings

KIND = TEMPLATES / "haochaping" / "kind.yaml"
FILES = [KIND] + [INPUTS / "2023Q2" / name for name in ("bulletin.yaml", "存在问题.yaml")]  # the sample, as its copy for tests


def _sentences(node):
    """(key path, text) of every string with a {{ }} or {% %} in it, at any depth."""
    return [(path, text) for path, text in strings(node) if "{{" in text or "{%" in text]


def office_formats() -> dict:
    return yaml.safe_load(KIND.read_text(encoding="utf-8")).get("formats") or {}


@pytest.mark.parametrize("file", FILES, ids=lambda f: f"{f.parent.name}/{f.name}")
def test_every_sentence_has_only_names_and_named_formats(file: Path):
    found = [(path, text) for path, text in _sentences(yaml.safe_load(file.read_text(encoding="utf-8")))]
    problems = [f"{path}: {problem}" for path, text in found if (problem := phrase_problem(text, office_formats()))]
    assert problems == []
    assert all("{%" not in text for _, text in found)


def test_the_check_refuses_what_is_not_a_name_or_a_named_format():
    """The same check finds what the kind used to be written with."""
    assert "{%" in phrase_problem("{% for f in findings %}{{ f }}{% endfor %}", {})
    assert "sum" in phrase_problem("{{ findings|sum(attribute='count') }}", {})
    assert phrase_problem("{{ votes.total('政务服务大厅') }}", {})
    assert phrase_problem("{{ top|length }}", {})
    assert phrase_problem("{{ 办件量前五|个数 }}", {}) is None
    assert phrase_problem("{{ findings.count|合计 }}", {}) is None


def test_the_sentences_are_found_at_any_depth():
    kind = yaml.safe_load(KIND.read_text(encoding="utf-8"))
    paths = [path for path, _ in _sentences(kind)]
    assert "checks.overdue_case_counts.sentence.before" in paths
    assert "sections[0].items[0].items[0].items[2].text" in paths  # the per-row condition, three levels down


def test_a_check_sentence_written_as_a_statement_reads_for_one_unit_in_its_notice():
    """A 整改通知 says the rule's statement over that unit's findings only."""
    import datetime as dt

    from pipeline.compose.notices import unit_entries
    from pipeline.core.period import Period
    from pipeline.findings.problems import ProblemEntry, RulePart
    from pipeline.core.registry import Unit
    from pipeline.findings.base import Finding

    kind = yaml.safe_load(KIND.read_text(encoding="utf-8"))
    a, b = Unit("人社局", "人社局", "政务服务大厅", 0), Unit("医保局", "医保局", "政务服务大厅", 1)
    found = [Finding("overdue_case_counts", a, {"count": 7}), Finding("overdue_case_counts", b, {"count": 3})]
    part = RulePart("overdue_case_counts", kind["checks"]["overdue_case_counts"]["sentence"], {}, found)
    entries = [ProblemEntry("", "", found, parts=[part])]
    [entry] = unit_entries(entries, b, None, Period.parse("2023Q2"), dt.date(2023, 6, 30))
    assert entry.body == "超期办件情况依然存在，4-6月份市上反馈我县超期办件3件，其中：医保局3件。"


@pytest.mark.parametrize("written, wrong, found", [
    ("          - when: expected\n", "          - when: expectd\n", "名称“expectd”不存在，是否为“expected”？"),
    ("      each: findings\n", "      each: findngs\n", "名称“findngs”不存在，是否为“findings”？"),
    ("findings.count|合计", "findings.count|合记", "没有名为“合记”的格式，是否为“合计”？"),
])
def test_a_misspelt_row_column_or_format_is_refused_at_its_line(tmp_path, written, wrong, found):
    """A row's condition and the check's statement are checked like any sentence: file, line, nearest name."""
    shutil.copytree(INPUTS, tmp_path / "inputs")
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    kind = tmp_path / "templates" / "haochaping" / "kind.yaml"
    text = kind.read_text(encoding="utf-8")
    line = text[:text.index(written)].count("\n") + 1
    kind.write_text(text.replace(written, wrong, 1), encoding="utf-8")
    result = run_cli("build", "--period", "2023Q2", "--inputs", str(tmp_path / "inputs"), "--templates",
                     str(tmp_path / "templates"), "--outputs", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert f"haochaping/kind.yaml，第{line}行" in result.output and found in result.output
    assert not (tmp_path / "out" / "2023Q2").exists() or not any((tmp_path / "out" / "2023Q2").iterdir())
