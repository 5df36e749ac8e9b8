"""A bulletin's dates against its period, and records dated after the cut-off."""

from __future__ import annotations

import shutil
from datetime import date as D

from openpyxl import load_workbook

from .conftest import FIXTURE_INPUTS, INPUTS, PERIOD, change_bulletin, run, snapshot

CONFIG = "bulletin.yaml"


def copied_to_the_third_quarter(tmp_path):
    """What a clerk does: copy last quarter's folder and change only the months in the tables."""
    inputs = tmp_path / "inputs"
    shutil.copytree(FIXTURE_INPUTS / "registries", inputs / "registries")
    shutil.copytree(FIXTURE_INPUTS / PERIOD, inputs / "2024Q3")
    monthly = inputs / "2024Q3" / "监管动态和曝光台发布情况.csv"  # GBK: the digits are the same bytes
    data = monthly.read_bytes()
    for old, new in ((b"2024-01", b"2024-07"), (b"2024-02", b"2024-08"), (b"2024-03", b"2024-09")):
        data = data.replace(old, new)
    monthly.write_bytes(data)
    return inputs


def line_of(inputs, period: str, key: str) -> int:
    lines = (inputs / period / CONFIG).read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if line.strip().startswith(f"{key}:"))


def test_a_folder_copied_from_last_quarter_is_refused_for_its_stale_dates(tmp_path):
    inputs = copied_to_the_third_quarter(tmp_path)
    result = run("build", "2024Q3", inputs, tmp_path / "outputs")
    assert result.exit_code == 1
    span = "统计周期 2024Q3（2024年7月1日至2024年9月30日）"
    hint = "（是否从上一期文件夹复制后未改日期？）"
    assert (f"2024Q3/bulletin.yaml，第{line_of(inputs, '2024Q3', 'issued_on')}行：issued_on（成文日期）"
            f"2024年6月12日早于{span}的结束日：通报应在统计周期结束后成文、印发{hint}") in result.output
    assert (f"2024Q3/bulletin.yaml，第{line_of(inputs, '2024Q3', 'printed_on')}行：imprint.printed_on（印发日期）"
            f"2024年6月12日早于{span}的结束日") in result.output
    assert (f"2024Q3/bulletin.yaml，第{line_of(inputs, '2024Q3', 'cutoff')}行：cutoff（统计截止日）"
            f"2024年6月7日早于{span}的开始日：统计截止日应在统计周期之内或之后{hint}") in result.output
    assert not (tmp_path / "outputs").exists()


def test_the_copied_folder_builds_once_its_dates_are_the_quarters(tmp_path):
    inputs = copied_to_the_third_quarter(tmp_path)
    change_bulletin(inputs, {"issued_on": D(2024, 10, 12), "cutoff": D(2024, 9, 30), "rectification_deadline": D(2024, 10, 31),
                             "imprint": {"printed_on": D(2024, 10, 12)}}, period="2024Q3")
    result = run("build", "2024Q3", inputs, tmp_path / "outputs")
    assert result.exit_code == 0, result.output


def test_dates_out_of_order_with_each_other_are_each_reported(inputs):
    change_bulletin(inputs, {"issued_on": D(2024, 6, 12), "cutoff": D(2024, 6, 20), "rectification_deadline": D(2024, 6, 1),
                             "imprint": {"printed_on": D(2024, 6, 10)}})
    result = run("validate", PERIOD, inputs)
    assert result.exit_code == 1
    assert "cutoff（统计截止日）2024年6月20日晚于成文日期2024年6月12日：统计截止日不应晚于成文日期" in result.output
    assert "imprint.printed_on（印发日期）2024年6月10日早于成文日期2024年6月12日：印发日期不应早于成文日期" in result.output
    assert "rectification_deadline（整改反馈期限）2024年6月1日早于成文日期2024年6月12日：反馈期限应在成文之后" in result.output


def test_a_date_before_the_period_ends_is_reported_with_the_rest_of_the_inputs(inputs):
    change_bulletin(inputs, {"issued_on": D(2024, 3, 15), "imprint": {"printed_on": D(2024, 3, 15)}, "cutoff": D(2024, 3, 10)})
    (inputs / PERIOD / "办件记录.csv").write_text("办件编号,单位\nX,发改局\n", encoding="utf-8")
    result = run("validate", PERIOD, inputs)
    assert result.exit_code == 1
    assert "issued_on（成文日期）2024年3月15日早于统计周期 2024Q1（2024年1月1日至2024年3月31日）的结束日" in result.output
    assert "办件记录.csv" in result.output  # the data's problems are listed in the same run


def test_cases_applied_after_the_cutoff_are_left_out_and_counted(inputs, tmp_path):
    before = run("build", PERIOD, inputs, tmp_path / "before")
    cases = inputs / PERIOD / "办件记录.csv"
    text = cases.read_text(encoding="utf-8-sig")
    rows = len(text.splitlines())
    cases.write_text(text + "CS-901,教育局,民办学校设立审批,企业,窗口,2024-06-08,1,\n"
                            "CS-902,发改局,企业投资项目备案,企业,窗口,2024-06-11,1,\n", encoding="utf-8-sig")
    result = run("build", PERIOD, inputs, tmp_path / "after")
    assert result.exit_code == 0, result.output
    assert (f"注意：办件记录.csv，“申请日期”列：2 条记录的日期晚于统计截止日2024年6月7日，未计入本期"
            f"（第{rows + 1}、{rows + 2}行）") in result.output
    assert snapshot(tmp_path / "before") == snapshot(tmp_path / "after")
    assert before.exit_code == 0


def test_evaluations_after_the_cutoff_are_left_out_of_an_excel_sheet(inputs, tmp_path):
    path = inputs / PERIOD / "好差评记录.xlsx"
    book = load_workbook(path)
    sheet = book["好差评"]
    last = sheet.max_row
    sheet.append([sheet.cell(last, c).value for c in range(1, sheet.max_column + 1)])
    date_col = next(c for c in range(1, sheet.max_column + 1) if any(sheet.cell(r, c).value == "评价日期" for r in range(1, 4)))
    sheet.cell(last + 1, date_col).value = "2024-06-30"
    book.save(path)
    result = run("validate", PERIOD, inputs)
    assert result.exit_code == 0, result.output
    assert f"好差评记录.xlsx，工作表“好差评”，“评价日期”列：1 条记录的日期晚于统计截止日2024年6月7日，未计入本期（第{last + 1}行）" in result.output


def test_record_tables_read_by_column_leave_out_late_cases_too(tmp_path):
    inputs = tmp_path / "inputs"
    shutil.copytree(INPUTS / "2023Q2", inputs / "2023Q2")
    shutil.copytree(INPUTS / "registries", inputs / "registries")
    before = run("build", "2023Q2", inputs, tmp_path / "before")
    records = inputs / "2023Q2" / "办件及评价记录.csv"
    text = records.read_text(encoding="utf-8-sig")
    records.write_text(text + "YC2023Q309999,车驾管分中心,2023-07-03,3,,不满意\n", encoding="utf-8-sig")
    result = run("build", "2023Q2", inputs, tmp_path / "after")
    assert result.exit_code == 0, result.output
    rows = len(text.splitlines())
    assert f"注意：办件及评价记录.csv，“申请日期”列：1 条记录的日期晚于统计截止日2023年6月30日，未计入本期（第{rows + 1}行）" in result.output
    assert snapshot(tmp_path / "before") == snapshot(tmp_path / "after")
    assert before.exit_code == 0
