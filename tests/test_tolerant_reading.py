"""What clerks really type and save is read quietly where its meaning is certain, refused where not."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import docx
import openpyxl
import pytest

from .fixtures import tables
from pipeline.run.build import build_bulletin
from pipeline.core.errors import InputError
from pipeline.load.reader import read_table
from pipeline.load.schema import ColumnSpec, Context, coerce
from pipeline.core.period import Period

from .conftest import FIXTURE_INPUTS, PERIOD, TEMPLATES

Q1 = Context(period=Period.parse("2024Q1"))


def annex_rows(data: bytes) -> dict[str, list[str]]:
    """Annex table rows of a built bulletin, by unit name."""
    rows = {}
    for table in docx.Document(io.BytesIO(data)).tables:
        for row in table.rows[1:]:
            cells = [c.text for c in row.cells]
            rows[cells[1]] = cells
    return rows


def test_the_fixture_tolerances_are_normalised_in_the_bulletin():
    """Merged title row, alias, space inside a name, ９．５, "18" as text, ／, trailing blank row."""
    rows = annex_rows(build_bulletin(PERIOD, FIXTURE_INPUTS, TEMPLATES).docx)
    assert rows["自然资源和规划局"][2:5] == ["9.50", "19.00", "18.00"]
    assert rows["生态环境局"][2:5] == ["8.00", "/", "15.00"]
    assert "环保局" not in rows and "自然资源和 规划局" not in rows
    assert set(rows) == {"发改局", "生态环境局", "自然资源和规划局", "教育局", "东城街办", "西城街办", "南湖镇"}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_csv_encoding_is_detected_and_changes_nothing(inputs, encoding):
    reference = build_bulletin(PERIOD, FIXTURE_INPUTS, TEMPLATES)
    tables.write_csv(inputs / PERIOD / "镇街考核得分.csv", tables.TOWN_SCORES, encoding=encoding)
    tables.write_csv(inputs / PERIOD / "整改事项.csv", tables.RECTIFICATIONS, encoding=encoding)
    again = build_bulletin(PERIOD, inputs, TEMPLATES)
    assert again.docx == reference.docx
    assert again.evidence == reference.evidence


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_rare_characters_survive_every_encoding_that_can_hold_them(tmp_path, encoding):
    path = tmp_path / "整改事项.csv"
    rows = tables.changed(tables.RECTIFICATIONS, 1, 2, "𠮷祥路“一网通办”栏目¥未更新")
    tables.write_csv(path, rows, encoding=encoding)
    table = read_table(path, ["单位", "问题描述"])
    assert table.rows[0] == (2, {"问题来源": "上级反馈问题清单", "单位": "发改局", "问题描述": rows[1][2],
                                 "整改期限": "2024-05-31", "完成日期": "2024-05-20"})


def test_tab_separated_csv_with_ragged_and_blank_rows_keeps_excel_row_numbers(tmp_path):
    path = tmp_path / "覆盖.csv"
    path.write_text("单位\t监管事项总数\t已覆盖事项数\n发改局\t40\n\n  \t \t\n教育局\t20\t19\t多余\n\n\n", encoding="utf-8")
    table = read_table(path, ["单位", "监管事项总数", "已覆盖事项数"])
    assert [(n, c["单位"], c["已覆盖事项数"]) for n, c in table.rows] == [(2, "发改局", None), (5, "教育局", "19")]


def test_headers_match_with_spaces_full_width_forms_and_a_title_row(tmp_path):
    path = tmp_path / "办件.xlsx"
    tables.write_xlsx(
        path,
        [["办件 编号", "承诺时限(工作日)", " 加分项 "], ["A-1", "５", "１"]],
        title="2024年一季度办件记录",
    )
    table = read_table(path, ["办件编号", "承诺时限（工作日）"], optional_headers=["加分项"])
    assert table.headers == ["办件编号", "承诺时限（工作日）", "加分项"]
    assert table.rows == [(3, {"办件编号": "A-1", "承诺时限（工作日）": "５", "加分项": "１"})]


def test_a_sheet_is_found_by_name_ignoring_spaces(tmp_path):
    path = tmp_path / "得分.xlsx"
    tables.write_xlsx(path, [["单位", "得分"], ["发改局", 9]], sheet="一季度 得分")
    assert read_table(path, ["单位"], sheet="一季度得分").sheet == "一季度 得分"


SCORE = ColumnSpec("s", "得分", type="score")
INT = ColumnSpec("n", "条数", type="int")
NUMBER = ColumnSpec("x", "数", type="number")
DATE = ColumnSpec("d", "日期", type="date")
MONTH = ColumnSpec("m", "月份", type="month")
CHOICE = ColumnSpec("c", "评价结果", type="choice", choices=("满意", "基本满意", "不满意"))


@pytest.mark.parametrize(
    "spec, typed, value",
    [
        (SCORE, "８７．５", Decimal("87.5")),
        (SCORE, " 87.5 ", Decimal("87.5")),
        (SCORE, 8.7, Decimal("8.7")),
        (SCORE, 0.1 * 87, Decimal("8.7")),  # a formula's binary noise, as Excel shows it
        (SCORE, 20.000000000000004, Decimal("20")),
        (SCORE, "／", None),
        (SCORE, "/", None),
        (SCORE, "—", None),
        (INT, "１２", 12),
        (INT, "12.0", 12),
        (INT, 12.0, 12),
        (INT, "1,234", 1234),
        (NUMBER, "1，234.5", Decimal("1234.5")),
        (DATE, "2024-04-02", dt.date(2024, 4, 2)),
        (DATE, "2024/4/2 9:30", dt.date(2024, 4, 2)),
        (DATE, "2024.04.02", dt.date(2024, 4, 2)),
        (DATE, "２０２４年４月２日", dt.date(2024, 4, 2)),
        (DATE, "20240402", dt.date(2024, 4, 2)),
        (DATE, dt.datetime(2024, 4, 2, 15, 0), dt.date(2024, 4, 2)),
        (MONTH, "2024-03", "2024-03"),
        (MONTH, "2024年3月份", "2024-03"),
        (MONTH, "3月", "2024-03"),
        (MONTH, "３", "2024-03"),
        (MONTH, dt.datetime(2024, 2, 1), "2024-02"),
        (CHOICE, "不 满意", "不满意"),
    ],
)
def test_values_normalised_where_the_meaning_is_certain(spec, typed, value):
    assert coerce(spec, typed, Q1) == value


@pytest.mark.parametrize(
    "spec, typed",
    [
        (SCORE, "8,5"),  # a decimal comma or a typo: not certain
        (SCORE, "nan"),
        (SCORE, "inf"),
        (SCORE, "87.5分"),
        (SCORE, True),
        (INT, "12.5"),
        (INT, "十二"),
        (DATE, 45383),  # an Excel serial number in a text cell: not certainly a date
        (DATE, "4月2日"),
        (DATE, "2024-02-30"),
        (MONTH, "2024-13"),
        (MONTH, "2024-04"),  # outside 2024Q1
        (MONTH, "13月"),
        (MONTH, dt.datetime(2024, 4, 1)),  # a date cell outside 2024Q1
        (CHOICE, "很满意"),
    ],
)
def test_values_refused_where_the_meaning_is_not_certain(spec, typed):
    with pytest.raises(ValueError):
        coerce(spec, typed, Q1)


def test_a_month_without_its_year_needs_the_period():
    with pytest.raises(ValueError):
        coerce(MONTH, "3月", Context())


def test_prose_saved_as_gbk_by_notepad_is_read(inputs):
    prose = "（一）推进“全市通办”改革。GBK 编码的总体情况，照样读出。"
    (inputs / PERIOD / "总体情况.md").write_bytes(prose.encode("gbk"))
    paragraphs = [p.text for p in docx.Document(io.BytesIO(build_bulletin(PERIOD, inputs, TEMPLATES).docx)).paragraphs]
    assert prose in paragraphs


def test_a_totals_row_and_a_note_under_the_table_are_not_data(inputs):
    reference = build_bulletin(PERIOD, FIXTURE_INPUTS, TEMPLATES)
    rows = tables.DEPARTMENT_SCORES[:-1] + [["合 计", 33.5, 52, 66, 1, None], ["注：“／”表示该项不适用。"] + [None] * 5]
    tables.write_department_scores(inputs / PERIOD / "市直部门考核得分.xlsx", rows)
    assert build_bulletin(PERIOD, inputs, TEMPLATES).docx == reference.docx


def test_a_note_row_with_figures_is_still_refused(inputs):
    rows = tables.DEPARTMENT_SCORES[:-1] + [["注意事项局", 1, 1, 1, None, None]]
    tables.write_department_scores(inputs / PERIOD / "市直部门考核得分.xlsx", rows)
    with pytest.raises(InputError) as refused:
        build_bulletin(PERIOD, inputs, TEMPLATES)
    assert [(p.row, p.column) for p in refused.value.problems] == [(7, "部门")]


def test_cells_reading_na_or_null_are_text_not_blanks(tmp_path):
    path = tmp_path / "好差评记录.xlsx"
    tables.write_xlsx(path, [["单位", "评价内容", "得分"], ["发改局", "N/A", "NA"], ["教育局", "NULL", None]])
    table = read_table(path, ["单位", "评价内容"], optional_headers=["得分"])
    assert table.rows == [(2, {"单位": "发改局", "评价内容": "N/A", "得分": "NA"}), (3, {"单位": "教育局", "评价内容": "NULL", "得分": None})]


def test_a_two_row_header_with_points_in_the_item_names_reads_the_same(inputs):
    """部门 merged down two rows, 考核项目 merged over the items, items written 事项管理（10分）."""
    reference = build_bulletin(PERIOD, FIXTURE_INPUTS, TEMPLATES)
    upper = ["部门", "考核项目", None, None, "加分项", "扣分项"]
    lower = [None, "事项管理（10分）", "办件质效(20分)", "政务公开（20 分）", None, None]
    path = inputs / PERIOD / "市直部门考核得分.xlsx"
    tables.write_department_scores(path, [upper, lower] + tables.DEPARTMENT_SCORES[1:])
    book = openpyxl.load_workbook(path)
    sheet = book[tables.SCORE_SHEET]
    for cells in ("A2:A3", "B2:D2", "E2:E3", "F2:F3"):
        sheet.merge_cells(cells)
    book.save(path)
    assert build_bulletin(PERIOD, inputs, TEMPLATES).docx == reference.docx
