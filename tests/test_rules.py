"""Each rule check, with the cases on either side of its threshold."""

import datetime as dt
from .rule_helpers import run_rule

D = dt.date


# 监管事项覆盖率 --------------------------------------------------------------

def coverage(*rows):
    return {"coverage": [{"unit": u, "total": t, "covered": c} for u, t, c in rows]}


def test_coverage_exactly_at_the_threshold_is_not_a_problem():
    assert run_rule("coverage_below_threshold", coverage(("气象局", 10, 8)), {"threshold": 80}) == []


def test_coverage_just_below_the_threshold_is_a_problem():
    found = run_rule("coverage_below_threshold", coverage(("气象局", 1000, 799)), {"threshold": 80})
    assert [(str(f), f"{f['rate']}%") for f in found] == [("气象局", "79.90%")]


def test_coverage_compares_exact_figures_not_rounded_ones():
    # 7999/10000 = 79.99% → below 80 although it rounds to 80.0 at one place
    found = run_rule("coverage_below_threshold", coverage(("气象局", 10000, 7999)), {"threshold": 80})
    assert len(found) == 1


def test_coverage_rates_are_rounded_half_up_and_ordered_as_configured():
    data = coverage(("环保局", 15, 7), ("住建局", 45, 7), ("文旅局", 83, 18), ("气象局", 10, 9))
    found = run_rule("coverage_below_threshold", data, {"threshold": 80})  # the kind declares order: [-rate]
    assert [(str(f), f"{f['rate']}%") for f in found] == [("生态环境局", "46.67%"), ("文旅局", "21.69%"), ("住建局", "15.56%")]
    assert found[0].evidence[0].row == 2 and "7项" in found[0].evidence[0].detail


def test_coverage_threshold_comes_from_configuration():
    assert run_rule("coverage_below_threshold", coverage(("气象局", 10, 8)), {"threshold": 85}) != []


# 监管动态 / 曝光台 monthly quota ----------------------------------------------

def monthly(rows):
    return {"postings_monthly": [{"unit": u, "month": m, "dynamics": d, "exposures": e} for u, m, d, e in rows]}


FULL_QUARTER = [("气象局", m, 2, 1) for m in ("2024-01", "2024-02", "2024-03")]


def test_quota_met_in_every_month():
    assert run_rule("monthly_posting_quota", monthly(FULL_QUARTER)) == []


def test_quota_missed_in_one_month_only_names_that_month_and_what_was_missed():
    rows = FULL_QUARTER[:2] + [("气象局", "2024-03", 2, 0)]
    found = run_rule("monthly_posting_quota", monthly(rows))
    assert [(str(f), f["shortfall_text"]) for f in found] == [("气象局", "3月曝光台0条")]
    assert found[0].evidence[0].row == 4


def test_a_month_with_no_row_counts_as_nothing_posted():
    found = run_rule("monthly_posting_quota", monthly(FULL_QUARTER[:2]))
    assert found[0]["shortfalls"] == ["3月监管动态0条", "3月曝光台0条"]


def test_quota_thresholds_come_from_configuration():
    found = run_rule("monthly_posting_quota", monthly(FULL_QUARTER), {"min_dynamics": 3})
    assert len(found[0]["shortfalls"]) == 3


def test_quota_from_the_raw_list_of_postings():
    posts = []
    for month in (1, 2, 3):
        posts += [{"unit": "文旅局", "posted_on": D(2024, month, 5), "column": "监管动态"}] * 2
        if month != 2:
            posts.append({"unit": "文旅局", "posted_on": D(2024, month, 9), "column": "曝光台"})
    found = run_rule("monthly_posting_quota", {"postings": posts})
    assert [(str(f), f["shortfall_text"]) for f in found] == [("文旅局", "2月曝光台0条")]


def test_quota_for_a_whole_group_flags_units_with_no_rows_at_all():
    found = run_rule("monthly_posting_quota", monthly(FULL_QUARTER), {"group": "市直部门"})
    assert {str(f) for f in found} == {"生态环境局", "文旅局", "住建局"}


# 超时办件 ----------------------------------------------------------------------

def case(applied, limit, completed=None, unit_name="住建局", matter="建筑起重机械设备备案"):
    return {"case_id": f"{applied}-{limit}", "unit": unit_name, "matter": matter, "applicant": "企业",
            "channel": "网上", "applied_on": applied, "limit_days": limit, "completed_on": completed}


def overdue(*cases, cutoff=D(2024, 6, 7)):
    return run_rule("overdue_cases", {"cases": list(cases)}, cutoff=cutoff)


def test_case_finished_on_the_last_working_day_is_on_time():
    # 4月3日 + 3 working days over the 清明 holiday: due 4月9日
    assert overdue(case(D(2024, 4, 3), 3, D(2024, 4, 9))) == []


def test_case_finished_the_next_working_day_is_overdue():
    found = overdue(case(D(2024, 4, 3), 3, D(2024, 4, 10)))
    assert found[0]["rows"][0]["days_late"] == 1
    assert found[0]["rows"][0]["completed_on"] == D(2024, 4, 10)
    assert found[0].evidence[0].detail.endswith("2024年4月10日办结，超时1个工作日")


def test_holiday_inside_the_limit_extends_the_due_date():
    # without the holiday 4月3日 + 3 would be 4月8日; the case finishing 4月8日 is on time either way,
    # but one still open on 4月9日 is not yet overdue because 4月4日–6日 do not count
    assert overdue(case(D(2024, 4, 3), 3), cutoff=D(2024, 4, 9)) == []
    assert len(overdue(case(D(2024, 4, 3), 3), cutoff=D(2024, 4, 10))) == 1


def test_open_case_past_its_due_date_at_the_cutoff_is_overdue():
    found = overdue(case(D(2024, 4, 2), 5))
    assert [str(f) for f in found] == ["住建局"]
    assert found[0]["rows"][0]["completed_on"] is None
    assert found[0]["rows"][0]["applied_on"] == D(2024, 4, 2)
    assert "2024年4月10日" in found[0].evidence[0].detail


def test_open_case_due_on_the_cutoff_is_not_yet_overdue():
    assert overdue(case(D(2024, 6, 6), 1)) == []


def test_overdue_cases_are_counted_per_unit():
    found = overdue(case(D(2024, 4, 2), 5), case(D(2024, 4, 12), 2, matter="施工许可"), case(D(2024, 3, 1), 2, unit_name="文旅局"))
    assert [(str(f), f["count"]) for f in found] == [("住建局", 2), ("文旅局", 1)]


# 不满意 evaluations -------------------------------------------------------------

def evaluation(day, grade, reason=None):
    return {"evaluated_on": day, "unit": "王集镇", "place": "便民服务中心", "window": "公安窗口", "grade": grade, "reason": reason}


def test_dissatisfied_evaluations_in_the_period():
    data = {"evaluations": [evaluation(D(2024, 3, 14), "不满意", "服务态度"), evaluation(D(2024, 3, 15), "满意"),
                            evaluation(D(2024, 3, 20), "不满意", "服务态度")]}
    found = run_rule("dissatisfied_evaluations", data)
    assert [(str(f), f["window"], f["count"], [r["reason"] for r in f["rows"]]) for f in found] == [("王集镇", "公安窗口", 2, ["服务态度"] * 2)]
    assert [e.row for e in found[0].evidence] == [2, 4]


def test_evaluations_outside_the_period_are_ignored():
    data = {"evaluations": [evaluation(D(2024, 4, 1), "不满意", "x"), evaluation(D(2023, 12, 31), "不满意", "y")]}
    assert run_rule("dissatisfied_evaluations", data) == []


def test_basic_satisfaction_is_not_a_complaint():
    assert run_rule("dissatisfied_evaluations", {"evaluations": [evaluation(D(2024, 2, 1), "基本满意")]}) == []


# 整改 --------------------------------------------------------------------------

def item(deadline, completed=None, unit_name="文旅局"):
    return {"unit": unit_name, "issue": "栏目未更新", "deadline": deadline, "completed_on": completed}


def test_open_item_past_its_deadline_is_a_problem():
    found = run_rule("rectification_overdue", {"rectifications": [item(D(2024, 5, 31))]})
    assert [str(f) for f in found] == ["文旅局"]


def test_item_closed_before_the_cutoff_is_not():
    assert run_rule("rectification_overdue", {"rectifications": [item(D(2024, 5, 31), D(2024, 6, 3))]}) == []


def test_item_whose_deadline_has_not_passed_is_not():
    assert run_rule("rectification_overdue", {"rectifications": [item(D(2024, 6, 7)), item(D(2024, 6, 30))]}) == []


def test_item_closed_after_the_cutoff_was_still_open_at_the_cutoff():
    found = run_rule("rectification_overdue", {"rectifications": [item(D(2024, 5, 31), D(2024, 6, 20))]})
    assert len(found) == 1


def test_units_are_listed_once_in_input_order():
    items = [item(D(2024, 5, 1), unit_name="住建局"), item(D(2024, 5, 1)), item(D(2024, 5, 2), unit_name="住建局")]
    found = run_rule("rectification_overdue", {"rectifications": items})
    assert [(str(f), f["count"]) for f in found] == [("住建局", 2), ("文旅局", 1)]

