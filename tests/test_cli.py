"""The ``bulletin`` command as a clerk uses it."""

import shutil

from .conftest import INPUTS, TEMPLATES, run_cli


def test_validate_reports_the_findings_without_writing(tmp_path):
    result = run_cli("validate", "--period", "2024Q1", "--inputs", str(INPUTS), "--templates", str(TEMPLATES))
    assert result.exit_code == 0
    assert "存在问题 6 条" in result.output


def test_an_unknown_period_string_is_refused(tmp_path):
    result = run_cli("build", "--period", "2024Q9", "--inputs", str(INPUTS), "--templates", str(TEMPLATES), "--outputs", str(tmp_path))
    assert result.exit_code == 1
    assert "2024Q9" in result.output and "2024Q1（季度）" in result.output
    assert list(tmp_path.iterdir()) == []


def test_a_period_without_inputs_is_refused(tmp_path):
    result = run_cli("build", "--period", "2019Q1", "--inputs", str(INPUTS), "--templates", str(TEMPLATES), "--outputs", str(tmp_path))
    assert result.exit_code == 1
    assert "找不到统计周期 2019Q1 的输入文件夹" in result.output


def test_an_unknown_unit_names_file_row_column_and_the_nearest_name(tmp_path):
    inputs = tmp_path / "inputs"
    shutil.copytree(INPUTS, inputs)
    from openpyxl import load_workbook

    path = inputs / "2024Q1" / "监管事项覆盖情况.xlsx"
    book = load_workbook(path)
    book.active["A5"] = "民政司"
    book.save(path)
    out = tmp_path / "outputs"
    result = run_cli("build", "--period", "2024Q1", "--inputs", str(inputs), "--templates", str(TEMPLATES), "--outputs", str(out))
    assert result.exit_code == 1
    assert "监管事项覆盖情况.xlsx，工作表“Sheet1”，第5行，“单位”列：单位“民政司”不在单位名录中，是否为“民政局”？" in result.output
    assert not out.exists()


def _stale_renderings(workspace):
    pdf = workspace.docx.with_suffix(".pdf")
    pdf.write_bytes(b"%PDF-1.7 made from the previous build")
    preview = workspace.docx.parent / "preview"
    preview.mkdir(exist_ok=True)
    (preview / "page-1.png").write_bytes(b"png")
    return pdf, preview / "page-1.png"


def test_a_rebuild_with_new_data_removes_the_pdf_of_the_old_one(workspace):
    from openpyxl import load_workbook

    workspace.build()
    pdf, page = _stale_renderings(workspace)
    path = workspace.input("监管事项覆盖情况.xlsx")
    book = load_workbook(path)
    book.active["C8"] = 8  # 生态环境局: 8 of 15 covered
    book.save(path)
    result = workspace.build()
    assert "已删除与新文件不符的 PDF 和预览图 2 个" in result.output
    assert not pdf.exists() and not page.exists()


def test_a_rebuild_with_the_same_data_keeps_the_pdf(workspace):
    workspace.build()
    pdf, page = _stale_renderings(workspace)
    result = workspace.build()
    assert "未变化" in result.output
    assert pdf.exists() and page.exists()


def test_a_rebuild_with_the_same_data_says_each_file_is_unchanged(workspace):
    workspace.build()
    result = workspace.build()
    said = [line for line in result.output.splitlines() if line.startswith(("未变化：", "已生成："))]
    notices = list((workspace.outputs / "2024Q1" / "整改通知").iterdir())  # each unit's notice and its evidence
    assert len(said) == 2 + len(notices) and all(line.startswith("未变化：") for line in said), result.output


def test_a_lowercase_period_is_the_same_period():
    result = run_cli("validate", "--period", "2024q1", "--inputs", str(INPUTS), "--templates", str(TEMPLATES))
    assert result.exit_code == 0
    assert "2024Q1：输入检查通过；存在问题 6 条，其中规则发现 12 个单位次，依据 13 条" in result.output


def test_a_missing_period_names_the_periods_there_are(tmp_path):
    result = run_cli("build", "--period", "2024Q2", "--inputs", str(INPUTS), "--templates", str(TEMPLATES), "--outputs", str(tmp_path))
    assert "找不到统计周期 2024Q2 的输入文件夹（已有：2023Q2、2024Q1）" in result.output


def test_last_quarters_file_is_one_problem_per_column_not_one_per_row(tmp_path):
    """Copying 2024Q1 to 2024Q2: every month is outside the period; the message stays short."""
    inputs = tmp_path / "inputs"
    shutil.copytree(INPUTS / "2024Q1", inputs / "2024Q2")
    shutil.copytree(INPUTS / "registries", inputs / "registries")
    result = run_cli("validate", "--period", "2024Q2", "--inputs", str(inputs), "--templates", str(TEMPLATES))
    assert result.exit_code == 1
    month_lines = [line for line in result.output.splitlines() if "不在统计周期 2024Q2" in line]
    assert len(month_lines) == 3 * 4  # three months: three rows shown, then one line for the rest
    assert any("另有 19 行同样的问题（第" in line for line in month_lines)
