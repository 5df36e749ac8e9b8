"""The assessment kind's rule sentences and evidence lines, rewritten from Jinja templates into
the statement language, print what the templates printed — over every branch the templates had
(several units, several rows, a case finished late and one never finished, no channel, no
applicant, evaluations with and without reasons) — and, for a 整改通知, one unit's findings alone."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
import yaml

from pipeline.language.formats import FormatError, apply_format
from pipeline.core.period import Period
from pipeline.findings.problems import RulePart, render_part
from pipeline.config.declared import rule_defaults
from pipeline.language.migrate import MigrationError, migrated
from pipeline.language.sentence import is_jinja

from .conftest import FIXTURE_INPUTS, FIXTURES, PERIOD, TEMPLATES, run_cli
from .rule_helpers import KIND, run_rule

D = dt.date
CUTOFF = D(2024, 6, 7)

# the sentences as the kind wrote them in Jinja before (the Jinja-era kind of the fixtures), migrated:
# the reference the kind's statements must match
JINJA_ERA = yaml.safe_load((FIXTURES / "jinja_era" / "templates" / "assessment" / "kind.yaml").read_text(encoding="utf-8"))
JINJA = {rule: spec["sentence"] for part in ("checks", "rules") for rule, spec in JINJA_ERA[part].items()
         if is_jinja(str(spec.get("sentence")))}
JINJA_EVIDENCE = {rule: spec["evidence"] for rule, spec in JINJA_ERA["checks"].items() if is_jinja(str(spec["evidence"]))}
# as the kind once wrote them, with what the statement language has no equivalent of
UNTRANSLATABLE = {
    "{% for f in findings %}{% set reasons = f.rows|map(attribute='reason')|select|unique|list %}{{ f }}{% endfor %}": "{% set %}",
    "{% for f in findings %}{% if f.rows|length > 1 %}多起{% endif %}{% endfor %}": "条件中的“Filter”",
    "{{ findings|map(attribute='rate')|join('%、') }}%": "筛选器“join('%、')”",
}


def case(unit, applied, limit, completed=None, matter="施工许可", applicant="企业", channel="网上"):
    return {"case_id": f"{unit}{applied}{matter}", "unit": unit, "matter": matter, "applicant": applicant,
            "channel": channel, "applied_on": applied, "limit_days": limit, "completed_on": completed}


def evaluation(unit, day, reason=None, place="便民服务中心", window="公安窗口"):
    return {"evaluated_on": day, "unit": unit, "place": place, "window": window, "grade": "不满意", "reason": reason}


DATA = {
    "coverage_below_threshold": {"coverage": [{"unit": "生态环境局", "total": 15, "covered": 7},
                                              {"unit": "文旅局", "total": 83, "covered": 18},
                                              {"unit": "气象局", "total": 10, "covered": 9}]},
    "overdue_cases": {"cases": [
        case("住建局", D(2024, 4, 2), 5),                                         # never finished
        case("住建局", D(2024, 4, 3), 3, D(2024, 4, 10), matter="竣工验收备案"),   # finished a day late
        case("住建局", D(2024, 4, 8), 2, D(2024, 6, 20), applicant=None, channel=None),  # finished after the cutoff
        case("文旅局", D(2024, 3, 1), 2, D(2024, 3, 20), channel=None),
    ]},
    "dissatisfied_evaluations": {"evaluations": [
        evaluation("王集镇", D(2024, 3, 14), "服务态度"), evaluation("王集镇", D(2024, 3, 15)),
        evaluation("王集镇", D(2024, 3, 20), "服务态度"), evaluation("王集镇", D(2024, 3, 21), "等候时间长"),
        evaluation("气象局", D(2024, 2, 1), None, place=None, window=None),
    ]},
    "rectification_overdue": {"rectifications": [
        {"unit": u, "issue": "栏目未更新", "deadline": D(2024, 5, 31), "completed_on": None} for u in ("文旅局", "住建局")]},
    "monthly_posting_quota": {"postings_monthly": [
        {"unit": "气象局", "month": m, "dynamics": 2, "exposures": 0 if m == "2024-03" else 1} for m in ("2024-01", "2024-02", "2024-03")]
        + [{"unit": "文旅局", "month": m, "dynamics": 1, "exposures": 0} for m in ("2024-01", "2024-02", "2024-03")]},
}


def sentence_of(rule: str) -> str:
    return (KIND["checks"].get(rule) or KIND["rules"].get(rule))["sentence"]


def params_of(rule: str) -> dict:
    declared = KIND["checks"].get(rule) or KIND["rules"].get(rule)
    return {**(rule_defaults(rule) if rule in KIND["rules"] else {}), **(declared.get("params") or {})}


def said(rule: str, findings: list, sentence) -> str:
    return render_part(RulePart(rule, sentence, params_of(rule), findings), findings, Period.parse("2024Q1"), CUTOFF)


@pytest.mark.parametrize("rule", sorted(JINJA))
def test_the_rewritten_sentence_prints_what_the_template_printed(rule):
    found = run_rule(rule, DATA[rule], cutoff=CUTOFF)
    assert len(found) >= 2  # more than one unit: the joins and 分别 are exercised
    assert "{%" not in str(sentence_of(rule))
    assert said(rule, found, sentence_of(rule)) == said(rule, found, migrated(JINJA[rule]))


@pytest.mark.parametrize("rule", sorted(JINJA))
def test_one_units_findings_alone_for_its_notice(rule):
    found = run_rule(rule, DATA[rule], cutoff=CUTOFF)
    own = [f for f in found if f.unit == found[-1].unit]
    text = said(rule, own, sentence_of(rule))
    assert text == said(rule, own, migrated(JINJA[rule]))
    assert str(found[-1].unit) in text and str(found[0].unit) not in text


def test_the_sentences_say_each_branch():
    found = run_rule("overdue_cases", DATA["overdue_cases"], cutoff=CUTOFF)
    assert said("overdue_cases", found, sentence_of("overdue_cases")) == (
        "住建局出现3起超时办件，企业于4月2日在网上申请的《施工许可》事项一直未审批，造成超时；"
        "企业于4月3日在网上申请的《竣工验收备案》事项于4月10日才办结，超时1个工作日；"
        "于4月8日申请的《施工许可》事项一直未审批，造成超时。"
        "文旅局出现1起超时办件，企业于3月1日申请的《施工许可》事项于3月20日才办结，超时11个工作日。")  # due 3月5日; 3月6日–20日: 11 working days
    found = run_rule("dissatisfied_evaluations", DATA["dissatisfied_evaluations"], cutoff=CUTOFF)
    assert said("dissatisfied_evaluations", found, sentence_of("dissatisfied_evaluations")) == (
        "王集镇便民服务中心公安窗口因服务态度、等候时间长产生“不满意”评价4条；气象局产生“不满意”评价1条。")


@pytest.mark.parametrize("rule", sorted(JINJA_EVIDENCE))
def test_the_rewritten_evidence_line_prints_what_the_template_printed(rule):
    found = run_rule(rule, DATA[rule], cutoff=CUTOFF)
    check = KIND["checks"][rule]
    assert "{%" not in str(check["evidence"])
    lines = [e.detail for f in found for e in f.evidence]
    reference = [e.detail for f in run_rule_with(rule, migrated(JINJA_EVIDENCE[rule])) for e in f.evidence]
    assert lines == reference and len(lines) >= 2


# as the kind first wrote it: its condition becomes a when: of the figure expression language
OVERDUE_AS_FIRST_WRITTEN = (
    "{% for f in findings %}{{ f }}出现{{ f.count }}起超时办件，{% for c in f.rows %}{{ c.applicant or '' }}于{{ c.applied_on|month_day }}"
    "{% if c.channel %}在{{ c.channel }}{% endif %}申请的《{{ c.matter }}》事项{% if c.completed_on and c.completed_on <= cutoff %}"
    "于{{ c.completed_on|month_day }}才办结，超时{{ c.days_late }}个工作日{% else %}一直未审批，造成超时{% endif %}"
    "{{ '；' if not loop.last else '' }}{% endfor %}。{% endfor %}")


def test_a_condition_of_the_older_sentence_becomes_a_when_expression():
    statement = migrated(OVERDUE_AS_FIRST_WRITTEN)
    assert "completed_on and completed_on <= cutoff" in str(statement)
    found = run_rule("overdue_cases", DATA["overdue_cases"], cutoff=CUTOFF)
    assert said("overdue_cases", found, statement) == said("overdue_cases", found, sentence_of("overdue_cases"))


def test_the_jinja_era_covers_the_kinds_sentences():
    assert set(JINJA) == {"coverage_below_threshold", "overdue_cases", "rectification_overdue", "monthly_posting_quota"}
    assert set(JINJA_EVIDENCE) == {"overdue_cases", "dissatisfied_evaluations", "rectification_overdue"}


@pytest.mark.parametrize("jinja", sorted(UNTRANSLATABLE))
def test_what_the_older_sentences_had_beyond_the_language_is_refused(jinja):
    with pytest.raises(MigrationError) as refused:
        migrated(jinja)
    assert UNTRANSLATABLE[jinja] in str(refused.value)


def run_rule_with(rule: str, evidence) -> list:
    """The check run with its evidence line as the Jinja template wrote it (migrated)."""
    saved = KIND["checks"][rule]["evidence"]
    KIND["checks"][rule]["evidence"] = evidence
    try:
        return run_rule(rule, DATA[rule], cutoff=CUTOFF)
    finally:
        KIND["checks"][rule]["evidence"] = saved


# a misspelt name in a rule's statements is placed at its line of kind.yaml ----------------------

@pytest.fixture
def project(tmp_path):
    shutil.copytree(FIXTURE_INPUTS, tmp_path / "inputs")
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    return tmp_path


def refused(project, old: str, new: str) -> tuple[int, str]:
    kind = project / "templates" / "assessment" / "kind.yaml"
    text = kind.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    kind.write_text(text.replace(old, new), encoding="utf-8")
    result = run_cli("build", "--period", PERIOD, "--inputs", str(project / "inputs"), "--templates",
                     str(project / "templates"), "--outputs", str(project / "outputs"))
    assert result.exit_code == 1 and not (project / "outputs").exists(), result.output
    return text[: text.index(old)].count("\n") + 1, result.output


def test_a_misspelt_column_in_a_rule_sentence_is_located(project):
    line, output = refused(project, "{{ unit }}出现{{ count }}起", "{{ unit }}出现{{ cuont }}起")
    assert f"assessment/kind.yaml，第{line}行：" in output and "名称“cuont”不存在，是否为“count”？" in output


def test_a_misspelt_column_in_an_evidence_statement_is_located(project):
    line, output = refused(project, "        - when: completed\n          text: \"{{ completed_on|日期 }}办结\"",
                           "        - when: completd\n          text: \"{{ completed_on|日期 }}办结\"")
    assert f"assessment/kind.yaml，第{line}行：名称“completd”不存在，是否为“completed”？" in output


# the formats the rewrite needed ------------------------------------------------------------------

def test_formats_for_optional_values_and_evidence_dates():
    assert apply_format("不重复", ["服务态度", None, "服务态度", "", "等候时间长"]) == "服务态度、等候时间长"
    assert apply_format("空则不写", None) == "" and apply_format("空则不写", "网上") == "网上"
    assert apply_format("数字日期", D(2024, 3, 4)) == "2024-03-04"
    with pytest.raises(FormatError):
        apply_format("数字日期", "3月4日")
