"""Workbooks as offices really keep them: error values, formulas never computed, hidden
sheets, look-alike sheet names, a stray value far out, a DTD in a part.

Each is either read right or refused with a located message and exit 1; never read as a
blank, never read from the wrong sheet, never a traceback.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from .conftest import PERIOD, change_bulletin, run, snapshot
from .fixtures.tables import DEPARTMENT_SCORES, SCORE_SHEET, SCORE_TITLE, changed

SCORES = "市直部门考核得分.xlsx"


def scores_book(*sheets: tuple[str, list[list], str]) -> openpyxl.Workbook:
    """A workbook with (name, rows, state) sheets in tab order, each with the title row above its header."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows, state in sheets:
        sheet = book.create_sheet(name)
        sheet.append([SCORE_TITLE])
        for row in rows:
            sheet.append(row)
        sheet.sheet_state = state
    if all(state != "visible" for _, _, state in sheets):
        book.active = 0
    return book


def save(book: openpyxl.Workbook, inputs: Path, name: str = SCORES) -> Path:
    path = inputs / PERIOD / name
    book.save(path)
    return path


def refused(inputs: Path, tmp_path: Path, good_outputs: Path, *fragments: str) -> str:
    """Build and validate: both exit 1, outputs untouched, the report holds every fragment."""
    import shutil

    outputs = tmp_path / "outputs"
    shutil.copytree(good_outputs, outputs)
    before = snapshot(outputs)
    built = run("build", PERIOD, inputs, outputs)
    assert built.exit_code == 1, built.output
    assert snapshot(outputs) == before
    assert run("validate", PERIOD, inputs).exit_code == 1
    for fragment in fragments:
        assert fragment in built.output, built.output
    return built.output


@pytest.mark.parametrize("value, shown", [("#N/A", "#N/A"), ("#DIV/0!", "#DIV/0!"), ("=B3+1", "公式未计算")])
@pytest.mark.parametrize("column, header", [(4, "加分项"), (5, "扣分项"), (2, "办件质效")])
def test_an_error_value_or_uncomputed_formula_is_a_located_error_never_a_blank(
    inputs, tmp_path, good_outputs, value, shown, column, header
):
    rows = changed(DEPARTMENT_SCORES, 2, column, value)  # 环保局, Excel row 4
    save(scores_book((SCORE_SHEET, rows, "visible")), inputs)
    output = refused(inputs, tmp_path, good_outputs, f"{SCORES}，工作表“{SCORE_SHEET}”，第4行，“{header}”列", shown)
    assert "缺少数值" not in output


def test_a_formula_with_its_computed_value_is_read_as_that_value(inputs, tmp_path):
    """A workbook saved by Excel keeps each formula's result: that result is the figure."""
    path = inputs / PERIOD / SCORES
    save(scores_book((SCORE_SHEET, changed(DEPARTMENT_SCORES, 4, 4, "=0+1"), "visible")), inputs)
    with_cached = _with_cached_results(path.read_bytes(), {"0+1": "1"})
    path.write_bytes(with_cached)
    result = run("build", PERIOD, inputs, tmp_path / "out")
    assert result.exit_code == 0, result.output


def _with_cached_results(data: bytes, results: dict[str, str]) -> bytes:
    """The .xlsx with each formula's empty result replaced, as Excel saves it."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            part = source.read(item.filename)
            for formula, result in results.items():
                part = part.replace(f"<f>{formula}</f><v></v>".encode(), f"<f>{formula}</f><v>{result}</v>".encode())
            target.writestr(item.filename, part)
    return buffer.getvalue()


def test_a_hidden_first_sheet_is_not_read(inputs, tmp_path, good_outputs):
    """Last quarter's copy, hidden in front of this quarter's: the visible sheet is the table."""
    change_bulletin(inputs, {"scoring": {"市直部门": {"file": SCORES}}})  # no sheet named: the first visible one
    old = changed(DEPARTMENT_SCORES, 1, 1, 1)  # 发改局 scored 1 last quarter
    save(scores_book(("上季度", old, "hidden"), (SCORE_SHEET, DEPARTMENT_SCORES, "visible")), inputs)
    outputs = tmp_path / "out"
    assert run("build", PERIOD, inputs, outputs).exit_code == 0
    assert snapshot(outputs) == snapshot(good_outputs)


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_a_named_sheet_that_is_hidden_is_refused(inputs, tmp_path, good_outputs, state):
    save(scores_book(("说明", [["本表说明"]], "visible"), (SCORE_SHEET, DEPARTMENT_SCORES, state)), inputs)
    refused(inputs, tmp_path, good_outputs, f"工作表“{SCORE_SHEET}”是", "隐藏", "取消隐藏")


def test_two_sheets_named_alike_but_for_spaces_are_refused(inputs, tmp_path, good_outputs):
    old = changed(DEPARTMENT_SCORES, 1, 1, 1)
    save(scores_book((SCORE_SHEET, DEPARTMENT_SCORES, "visible"), (f" {SCORE_SHEET[0]} {SCORE_SHEET[1:]}", old, "visible")), inputs)
    refused(inputs, tmp_path, good_outputs, "无法确定读取哪一张", f"“{SCORE_SHEET}”")


def test_a_hidden_look_alike_does_not_hide_the_visible_sheet(inputs, tmp_path, good_outputs):
    old = changed(DEPARTMENT_SCORES, 1, 1, 1)
    save(scores_book((f"{SCORE_SHEET} ", old, "hidden"), (SCORE_SHEET, DEPARTMENT_SCORES, "visible")), inputs)
    outputs = tmp_path / "out"
    assert run("build", PERIOD, inputs, outputs).exit_code == 0
    assert snapshot(outputs) == snapshot(good_outputs)


@pytest.mark.parametrize("cell", ["XFD1048576", "XFD30", "AB1048576"])
def test_a_stray_value_far_out_is_reported_not_a_crash(inputs, tmp_path, good_outputs, cell):
    book = scores_book((SCORE_SHEET, DEPARTMENT_SCORES, "visible"))
    book[SCORE_SHEET][cell] = "x"
    save(book, inputs)
    outputs = tmp_path / "out"
    result = run("build", PERIOD, inputs, outputs)
    if cell == "XFD1048576":  # 17 billion cells between A1 and it
        assert result.exit_code == 1
        assert f"工作表“{SCORE_SHEET}”" in result.output and "XFD1048576" in result.output
        assert "请在 Excel 中删除" in result.output
    else:  # within reach: read, the stray value outside the table's columns ignored or reported by row
        assert result.exit_code in (0, 1), result.output
        assert "Traceback" not in result.output


@pytest.mark.parametrize("doctype", [
    b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
    b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',
])
@pytest.mark.parametrize("part", ["xl/workbook.xml", "xl/worksheets/sheet1.xml", "xl/styles.xml"])
def test_a_part_carrying_a_dtd_is_refused(inputs, tmp_path, good_outputs, doctype, part):
    path = save(scores_book((SCORE_SHEET, DEPARTMENT_SCORES, "visible")), inputs)
    source = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == part:
                data = data.replace(b"?>", b"?>" + doctype, 1) if data.startswith(b"<?xml") else doctype + data
            target.writestr(name, data)
    path.write_bytes(buffer.getvalue())
    refused(inputs, tmp_path, good_outputs, SCORES)


def test_a_record_table_kept_in_excel_refuses_an_error_value_in_an_optional_column(tmp_path):
    """The column-wise reader of large tables holds to the same rule: 评价结果 #N/A is no blank."""
    import yaml

    from pipeline.load.engine import Engine
    from pipeline.core.errors import ProblemLog
    from pipeline.load.records import load_records
    from pipeline.load.schema import DatasetSpec
    from pipeline.core.registry import Registry

    from .conftest import INPUTS, TEMPLATES

    kind = yaml.safe_load((TEMPLATES / "haochaping/kind.yaml").read_text(encoding="utf-8"))
    cases = DatasetSpec.from_config("cases", kind["datasets"]["cases"])
    book = openpyxl.Workbook()
    book.active.append(["办件编号", "办理窗口", "申请日期", "承诺时限（工作日）", "办结日期", "评价结果", "备注"])
    book.active.append(["A1", "县市场监管局", "2023-04-03", 5, "2023-04-07", "满意", "#REF!"])
    book.active.append(["A2", "县市场监管局", "2023-04-03", 5, "2023-04-07", "#N/A", None])
    book.save(tmp_path / "r.xlsx")
    log = ProblemLog()
    with Engine() as engine:
        records = load_records(tmp_path / "r.xlsx", cases, Registry.from_yaml(INPUTS / "registries/永昌县.yaml"), log, engine)
    assert len(records) == 0
    assert [str(p) for p in log.problems] == [
        "r.xlsx，工作表“Sheet”，第3行，“评价结果”列：单元格显示 Excel 错误值“#N/A”（公式出错，如 VLOOKUP 未找到、除数为零），应为选项"
    ]


@pytest.mark.parametrize("invisible, shown", [("\u200b", "⟦U+200B 零宽空格⟧"), ("\ufeff", "⟦U+FEFF 零宽不换行空格⟧"), ("\u2060", "⟦U+2060 词连接符⟧")])
def test_a_unit_name_with_an_invisible_character_is_shown_with_it(inputs, tmp_path, good_outputs, invisible, shown):
    rows = changed(DEPARTMENT_SCORES, 4, 0, f"教育{invisible}局")  # looks exactly like 教育局
    save(scores_book((SCORE_SHEET, rows, "visible")), inputs)
    output = refused(inputs, tmp_path, good_outputs, f"单位“教育{shown}局”不在单位名录中", "看不见的字符")
    assert invisible not in output


def test_a_note_beside_the_table_on_a_row_of_its_own_is_not_a_row_of_it(inputs, tmp_path, good_outputs):
    """Found by the fuzzer: “备注” typed in column H of an otherwise blank row between units
    made a row without a unit. A row blank in every column the header names is blank."""
    book = scores_book((SCORE_SHEET, DEPARTMENT_SCORES[:3] + [[None] * 6] + DEPARTMENT_SCORES[3:], "visible"))
    book[SCORE_SHEET]["H5"] = "备注：环保局数据待复核"
    save(book, inputs)
    outputs = tmp_path / "out"
    assert run("build", PERIOD, inputs, outputs).exit_code == 0
    assert snapshot(outputs) == snapshot(good_outputs)


def test_a_hidden_row_of_the_table_is_refused_where_it_is(inputs, tmp_path, good_outputs):
    """A unit hidden (or filtered away) in Excel is still read: the clerk must see what is counted."""
    book = scores_book((SCORE_SHEET, DEPARTMENT_SCORES, "visible"))
    book[SCORE_SHEET].row_dimensions[5].hidden = True  # 自然资源和 规划局
    save(book, inputs)
    refused(inputs, tmp_path, good_outputs, f"工作表“{SCORE_SHEET}”，第5行：该行在 Excel 中已隐藏")


def test_a_hidden_column_holding_data_is_refused_and_an_empty_one_is_not(inputs, tmp_path, good_outputs):
    book = scores_book((SCORE_SHEET, DEPARTMENT_SCORES, "visible"))
    book[SCORE_SHEET].column_dimensions["F"].hidden = True  # 扣分项: empty in every row
    save(book, inputs)
    outputs = tmp_path / "out"
    assert run("build", PERIOD, inputs, outputs).exit_code == 0
    book[SCORE_SHEET].column_dimensions["E"].hidden = True  # 加分项: 教育局 has 1
    save(book, inputs)
    refused(inputs, tmp_path, good_outputs, f"工作表“{SCORE_SHEET}”，第2行，“加分项”列：该列在 Excel 中已隐藏")


def test_a_value_merged_down_over_several_units_is_refused_on_the_rows_that_do_not_hold_it(inputs, tmp_path, good_outputs):
    """加分项 merged over 教育局 and the row above: Excel shows 1 on both rows, only the first
    holds it. Read as blank, the second unit would silently lose it."""
    rows = changed(DEPARTMENT_SCORES, 3, 4, 1)  # 自然资源和 规划局 (Excel row 5) holds the 1 …
    rows = changed(rows, 4, 4, None)  # … merged down over 教育局 (row 6)
    book = scores_book((SCORE_SHEET, rows, "visible"))
    book[SCORE_SHEET].merge_cells("E5:E6")
    save(book, inputs)
    refused(inputs, tmp_path, good_outputs, "第6行，“加分项”列：该单元格属于合并单元格 E5:E6，Excel 在整个合并区域显示的值只存在 E5 中")


def test_a_value_merged_across_two_columns_is_refused_and_a_note_merged_across_the_table_is_not(inputs, tmp_path, good_outputs):
    book = scores_book((SCORE_SHEET, DEPARTMENT_SCORES[:-1] + [["注：“／”表示该项不适用。"]], "visible"))
    book[SCORE_SHEET].merge_cells("A7:F7")  # the note row, merged across the whole table
    save(book, inputs)
    outputs = tmp_path / "out"
    assert run("build", PERIOD, inputs, outputs).exit_code == 0
    assert snapshot(outputs) == snapshot(good_outputs)
    rows = changed(changed(DEPARTMENT_SCORES, 4, 4, 1), 4, 5, None)  # 教育局's 1 shown over 加分项 and 扣分项
    book = scores_book((SCORE_SHEET, rows, "visible"))
    book[SCORE_SHEET].merge_cells("E6:F6")
    save(book, inputs)
    refused(inputs, tmp_path, good_outputs, "第6行，“扣分项”列：该单元格属于合并单元格 E6:F6")


@pytest.mark.parametrize("number_format", ["0%", "0.00%", '[Blue]0.0%;[Red]-0.0%'])
def test_a_score_formatted_as_a_percentage_is_refused_naming_what_excel_shows(inputs, tmp_path, good_outputs, number_format):
    """Excel shows 85% where the file holds 0.85: read as 0.85 points the figure would be silently wrong."""
    book = scores_book((SCORE_SHEET, changed(DEPARTMENT_SCORES, 1, 2, 0.85), "visible"))
    book[SCORE_SHEET]["C3"].number_format = number_format  # 发改局's 办件质效, Excel row 3
    save(book, inputs)
    refused(inputs, tmp_path, good_outputs, f"工作表“{SCORE_SHEET}”，第3行，“办件质效”列", "显示为“85%”", "存的值却是 0.85")


def test_percent_signs_that_are_literal_text_and_unread_columns_do_not_count(inputs, tmp_path):
    """A "%" in quotes is text shown beside the number, not a percentage; a percentage in a
    column the bulletin does not read (a clerk's own 完成率 beside the table) is no concern."""
    rows = [row + [extra] for row, extra in zip(DEPARTMENT_SCORES, ["完成率", 0.9, 0.8, 0.7, 0.6, None])]
    book = scores_book((SCORE_SHEET, rows, "visible"))
    book[SCORE_SHEET]["B3"].number_format = '0"%"'
    for row in range(3, 7):
        book[SCORE_SHEET][f"G{row}"].number_format = "0%"
    save(book, inputs)
    result = run("build", PERIOD, inputs, tmp_path / "out")
    assert result.exit_code == 0, result.output
