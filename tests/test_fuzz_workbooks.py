"""A structure-aware fuzzer over the input workbooks: every generated case is either refused
with a located message (exit 1, previous outputs untouched) or built with figures equal to
a reference computation. Never a traceback, never a wrong figure.

Each case is a score table (市直部门考核得分.xlsx) with random scores, each cell stored in a
random form (number, shared or inline string, rich text, full-width text, formula with its
result), laid out as offices do (title row, merged cells, blank, totals and note rows), in
a workbook with hidden, very hidden, look-alike and extra sheets, a declared dimension,
stray values, and sometimes a fault (#N/A, #DIV/0!, a formula never computed). The oracle
knows which cases must be refused; the others must give the reference figures.

A second fuzzer stores the dates of 好差评记录.xlsx in every form Excel uses (serial
numbers in the 1900 and 1904 systems, with a time, ISO date cells, text): the bulletin
must come out byte-identical to the one built from the plain file, or be refused.

CI runs a bounded number of examples (the same ones every time); set
BULLETIN_FUZZ_EXAMPLES=2000 for a longer, random run.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from docx import Document
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from .conftest import FIXTURE_INPUTS, PERIOD, change_bulletin, run, snapshot
from .xlsx_forge import DATE_STYLE, DATETIME_STYLE, Cell, Sheet, workbook_bytes

EXAMPLES = int(os.environ.get("BULLETIN_FUZZ_EXAMPLES", "0"))
FUZZ = settings(
    max_examples=EXAMPLES or 30,
    derandomize=not EXAMPLES,  # CI: the same cases every run; on demand: new ones
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)

SCORES_FILE = "市直部门考核得分.xlsx"
SHEET = "得分"
HEADER = ["部门", "事项管理", "办件质效", "政务公开", "加分项", "扣分项"]
ITEMS = [("事项管理", 10), ("办件质效", 20), ("政务公开", 20)]
UNITS = {"发改局": ["发改局"], "生态环境局": ["环保局", "生态环境局"], "自然资源和规划局": ["自然资源和规划局", "自然资源和 规划局"], "教育局": ["教育局"]}
FAULTS = [Cell("error", "#N/A"), Cell("error", "#DIV/0!"), Cell("error", "#VALUE!"), Cell("uncomputed", formula="B3*2"),
          Cell("uncomputed_empty", formula="VLOOKUP(A3,上季度!A:F,2,0)")]
FULL_WIDTH = str.maketrans("0123456789./", "０１２３４５６７８９．／")


def _points(maximum: int):
    hundredths = st.integers(min_value=0, max_value=maximum * 100)
    return hundredths.map(lambda n: Decimal(n) / 100)


@st.composite
def number_cell(draw, value: Decimal) -> Cell:
    text = format(value.normalize(), "f")
    kind = draw(st.sampled_from(["number", "number", "shared", "inline", "rich", "formula", "formula_text", "full_width"]))
    if kind == "rich" and len(text) > 1:
        cut = draw(st.integers(1, len(text) - 1))
        return Cell("rich", runs=(text[:cut], text[cut:]))
    if kind == "full_width":
        return Cell("shared", text.translate(FULL_WIDTH))
    if kind in ("formula", "formula_text"):
        return Cell(kind, text, formula=f"{text}+0")
    return Cell("number" if kind == "rich" else kind, text)


@st.composite
def text_cell(draw, text: str) -> Cell:
    kind = draw(st.sampled_from(["shared", "inline", "rich", "formula_text"]))
    if kind == "rich" and len(text) > 1:
        cut = draw(st.integers(1, len(text) - 1))
        return Cell("rich", runs=(text[:cut], text[cut:]))
    return Cell("shared" if kind == "rich" else kind, text, formula=f'"{text}"')


@st.composite
def blank_cell(draw) -> Cell | None:
    return draw(st.sampled_from([None, None, Cell("shared", ""), Cell("formula_text", "", formula='IF(1,"","")')]))


@st.composite
def unit_rows(draw):
    """(unit, item scores or None for “/”, bonus, penalty) in input order."""
    rows = []
    for unit in draw(st.permutations(sorted(UNITS))):
        scores = [draw(st.none() | _points(m)) if i == 1 else draw(_points(m)) for i, (_, m) in enumerate(ITEMS)]
        bonus = draw(st.sampled_from([Decimal(0)]) | _points(3))
        penalty = draw(st.sampled_from([Decimal(0)]) | _points(3))
        rows.append((unit, scores, bonus, penalty))
    return rows


@st.composite
def score_case(draw):
    rows = draw(unit_rows())
    case = {"rows": rows, "refuse": [], "faults": {}}  # refuse: reasons the whole sheet is refused
    sheet = Sheet(SHEET)
    top = 1
    if draw(st.booleans()):  # a merged title row
        sheet.put(1, 1, Cell("shared", "2024年一季度市直部门考核得分"))
        if draw(st.booleans()):
            sheet.merged.append("A1:F1")
        top = 2
    for column, header in enumerate(HEADER, 1):
        sheet.put(top, column, draw(text_cell(header)))
    row_number = top
    data_cells: list[tuple[int, int]] = []
    for unit, scores, bonus, penalty in rows:
        row_number += 1 + draw(st.sampled_from([0, 0, 0, 1]))  # now and then a blank row between
        sheet.put(row_number, 1, draw(text_cell(draw(st.sampled_from(UNITS[unit])))))
        for column, score in enumerate(scores, 2):
            sheet.put(row_number, column, draw(number_cell(score)) if score is not None else Cell("shared", draw(st.sampled_from(["/", "／"]))))
        for column, extra in ((5, bonus), (6, penalty)):
            cell = draw(blank_cell()) if extra == 0 else draw(number_cell(extra))
            if cell is not None:
                sheet.put(row_number, column, cell)
        data_cells += [(row_number, c) for c in range(1, 7)]
    if draw(st.booleans()):  # a totals row the clerk keeps under the table
        row_number += 1
        sheet.put(row_number, 1, Cell("shared", "合计"))
        sheet.put(row_number, 2, Cell("formula", "33.5", formula=f"SUM(B{top + 1}:B{row_number - 1})"))
    if draw(st.booleans()):
        row_number += 1
        sheet.put(row_number, 1, Cell("inline", "注：加分项、扣分项见考核细则。"))
    for _ in range(draw(st.sampled_from([0, 0, 0, 1, 2]))):  # a fault inside the table
        where = draw(st.sampled_from(data_cells))
        fault = draw(st.sampled_from(FAULTS))
        sheet.put(*where, fault)
        case["faults"][where] = fault
    data_rows = sorted({r for r, _ in data_cells})
    if draw(st.integers(0, 3)) == 0:  # a value merged down over the next unit's row, or across a column
        first = draw(st.sampled_from(data_rows[:-1]))
        below = data_rows[data_rows.index(first) + 1]
        column = draw(st.integers(2, 5))
        across = draw(st.booleans())
        row, other = (first, column + 1) if across else (below, column)
        if _holds_data(sheet.rows[first].get(column)) and not _holds_data(sheet.rows[row].get(other)):
            sheet.merged.append(f"{'ABCDEF'[column - 1]}{first}:{'ABCDEF'[other - 1]}{row}")
            case["merged"] = [(r, other) for r in range(first + 1, row + 1)] if not across else [(first, other)]
    sheet.hidden_rows = set(draw(st.lists(st.sampled_from(data_rows), max_size=1)) if draw(st.integers(0, 5)) == 0 else [])
    sheet.hidden_columns = set(draw(st.lists(st.integers(1, 8), max_size=2)) if draw(st.integers(0, 3)) == 0 else [])
    case["hidden"] = {"rows": sheet.hidden_rows, "columns": {c for c in sheet.hidden_columns if c <= len(HEADER) and any(
        _holds_data(sheet.rows[r].get(c)) for r in data_rows)}, "header_row": top}
    stray = draw(st.sampled_from([None, None, "right", "below", "far"]))
    if stray == "right":  # beside the table, in a column without a header: not the table's
        sheet.put(draw(st.integers(top + 1, row_number)), draw(st.integers(8, 40)), Cell("shared", "备注"))
    elif stray == "below":  # a row of its own under the table: a row without a unit
        stray_row = row_number + draw(st.integers(2, 200))
        sheet.put(stray_row, draw(st.integers(2, 6)), draw(number_cell(Decimal(5))))
        case["stray_row"] = f"第{stray_row}行，“部门”列：缺少数值"
    elif stray == "far":
        sheet.put(draw(st.integers(1_000_000, 1_048_576)), draw(st.integers(16_000, 16_384)), Cell("shared", "x"))
        case["refuse"].append("请在 Excel 中删除")
    sheet.dimension = draw(st.sampled_from([None, "A1:F7", "A1:XFD1048576", "B2:C3"]))
    sheets = [sheet]
    for name, state in draw(st.lists(st.tuples(st.sampled_from(["上季度", "得分 (2)", "Sheet1", "得分_旧"]),
                                               st.sampled_from(["hidden", "veryHidden"])), max_size=2, unique_by=lambda t: t[0])):
        old = Sheet(name, state=state)  # last quarter's copy, hidden: a whole table with other scores
        for column, header in enumerate(HEADER, 1):
            old.put(1, column, Cell("shared", header))
        for row, unit in enumerate(sorted(UNITS), 2):
            old.put(row, 1, Cell("shared", unit))
            for column in range(2, 5):
                old.put(row, column, Cell("number", str(column)))
        sheets.insert(draw(st.sampled_from([0, 0, len(sheets)])), old)
    named = draw(st.booleans())
    if draw(st.booleans()):  # a visible sheet after the table: 说明, or one named like it but for a space
        other = draw(st.sampled_from(["说明", "得 分", "得分 "]))
        sheets.append(Sheet(other, rows={1: {1: Cell("shared", "本表说明")}}))
        if other != "说明" and named:
            case["refuse"].append("无法确定读取哪一张")
    if not named:  # no sheet named: the first visible one is read
        visible = [s for s in sheets if s.state == "visible"]
        if visible[0] is not sheet:
            case["refuse"].append("缺少列")
    case["named"] = named
    case["bytes"] = workbook_bytes(sheets)
    return case


def _holds_data(cell: Cell | None) -> bool:
    """A cell the reader does not take for blank."""
    return cell is not None and not (cell.kind in ("shared", "formula_text") and not cell.text.strip())


def _expected_lines(case) -> list[tuple[str, ...]]:
    """What the report must say, each tuple on one line: the reason the sheet is refused, if any,
    else every fault at its row and column with what Excel shows, and a stray row below the table."""
    if case["refuse"]:
        return [(f"{SCORES_FILE}，工作表“", case["refuse"][-1])]  # the last found is the first the reader meets
    lines = [(f"工作表“{SHEET}”，第{row}行，“{HEADER[column - 1]}”列：", "公式未计算" if fault.kind.startswith("uncomputed") else f"“{fault.text}”")
             for (row, column), fault in case["faults"].items()]
    lines += [(f"第{row}行，“{HEADER[column - 1]}”列：", "合并单元格") for row, column in case.get("merged", ())
              if (row, column) not in case["faults"]]
    hidden = case["hidden"]
    lines += [(f"工作表“{SHEET}”，第{row}行：", "该行在 Excel 中已隐藏") for row in hidden["rows"]]
    lines += [(f"第{hidden['header_row']}行，“{HEADER[c - 1]}”列：", "该列在 Excel 中已隐藏") for c in hidden["columns"]]
    return lines + ([(case["stray_row"],)] if case.get("stray_row") else [])


def reference(rows) -> list[tuple[str, str, str]]:
    """(unit, 实得分, 百分制得分) in rank order, computed here from the generated scores."""
    scored = []
    for position, (unit, scores, bonus, penalty) in enumerate(rows):
        applicable = [(s, m) for s, (_, m) in zip(scores, ITEMS) if s is not None]
        actual = sum(s for s, _ in applicable) + bonus - penalty
        percent = (actual / sum(m for _, m in applicable) * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
        scored.append((-percent, position, unit, f"{actual:.2f}", f"{percent:.2f}"))
    return [(unit, actual, percent) for _, _, unit, actual, percent in sorted(scored)]


def annex_rows(docx: Path) -> list[tuple[str, str, str]]:
    table = Document(str(docx)).tables[0]
    header = [c.text for c in table.rows[0].cells]
    unit, actual, percent = header.index("部门"), header.index("实得分"), header.index("百分制得分")
    return [(r.cells[unit].text, r.cells[actual].text, r.cells[percent].text) for r in table.rows[1:]]


class Period:
    """A copy of the valid fixture period with outputs already built, in a folder of its own."""

    def __init__(self, good_outputs: Path):
        self.root = Path(tempfile.mkdtemp(prefix="fuzz-"))
        self.inputs = self.root / "periods"  # a copy of the fixture period
        self.outputs = self.root / "outputs"
        shutil.copytree(FIXTURE_INPUTS, self.inputs)
        shutil.copytree(good_outputs, self.outputs)

    def build(self):
        before = snapshot(self.outputs)
        result = run("build", PERIOD, self.inputs, self.outputs)
        assert "Traceback" not in result.output
        if result.exit_code != 0:
            assert result.exit_code == 1, result.output
            assert result.output.startswith("输入有误"), result.output
            assert snapshot(self.outputs) == before, "a refused build changed the previous outputs"
        return result

    def docx(self) -> Path:
        (path,) = [p for p in (self.outputs / PERIOD).glob("*.docx") if "修改稿" not in p.name]
        return path

    def close(self):
        shutil.rmtree(self.root, ignore_errors=True)


@FUZZ
@given(case=score_case())
def test_fuzzed_score_workbooks_are_refused_where_they_must_be_and_right_where_built(case, good_outputs):
    period = Period(good_outputs)
    try:
        (period.inputs / PERIOD / SCORES_FILE).write_bytes(case["bytes"])
        if not case["named"]:
            change_bulletin(period.inputs, {"scoring": {"市直部门": {"file": SCORES_FILE}}})
        result = period.build()
        expected = _expected_lines(case)
        event(f"exit {result.exit_code}" + (" (must refuse)" if expected else ""))
        if expected:
            assert result.exit_code == 1, f"built although it must be refused ({expected}):\n{result.output}"
            lines = result.output.splitlines()
            for fragments in expected:
                assert any(all(f in line for f in fragments) for line in lines), f"{fragments} not in:\n{result.output}"
        else:
            assert result.exit_code == 0, result.output
            assert annex_rows(period.docx()) == reference(case["rows"])
    finally:
        period.close()


EVALUATION_DATES = [dt.datetime(2024, 1, 10), dt.datetime(2024, 2, 20), dt.datetime(2024, 3, 5)]
EVALUATION_ROWS = [["东城街办", "便民服务中心", "社保窗口", "满意", None], ["西城街办", "便民服务中心", "综合窗口", "不满意", "等候时间较长"],
                   ["南湖镇", "便民服务中心", "民政窗口", "基本满意", None]]


def _serial(day: dt.datetime, date1904: bool) -> Decimal:
    epoch = dt.datetime(1904, 1, 1) if date1904 else dt.datetime(1899, 12, 30)
    return Decimal((day - epoch).days)


@st.composite
def date_cell(draw, day: dt.datetime, date1904: bool) -> Cell:
    form = draw(st.sampled_from(["serial", "serial_time", "iso_cell", "iso_text", "slash_text", "formula"]))
    serial = _serial(day, date1904)
    if form == "serial":
        return Cell("number", str(serial), style=DATE_STYLE)
    if form == "serial_time":
        return Cell("number", str(serial + Decimal(draw(st.integers(1, 95))) / 96), style=DATETIME_STYLE)
    if form == "iso_cell":
        return Cell("date_cell", day.strftime("%Y-%m-%dT%H:%M:%S"), style=DATE_STYLE)
    if form == "iso_text":
        return Cell(draw(st.sampled_from(["shared", "inline"])), day.strftime("%Y-%m-%d"))
    if form == "slash_text":
        return Cell("shared", f"{day.year}/{day.month}/{day.day}")
    return Cell("formula", str(serial), style=DATE_STYLE, formula=f"DATE({day.year},{day.month},{day.day})")


@st.composite
def evaluation_case(draw):
    date1904 = draw(st.booleans())
    sheet = Sheet("好差评")
    for column, header in enumerate(["评价日期", "单位", "服务场所", "窗口", "评价结果", "评价内容"], 1):
        sheet.put(1, column, Cell("shared", header))
    for row, (day, cells) in enumerate(zip(EVALUATION_DATES, EVALUATION_ROWS), 2):
        sheet.put(row, 1, draw(date_cell(day, date1904)))
        for column, text in enumerate(cells, 2):
            if text is not None:
                sheet.put(row, column, draw(text_cell(text)))
    return workbook_bytes([sheet], date1904=date1904)


@FUZZ
@given(data=evaluation_case())
def test_fuzzed_dates_give_the_bulletin_of_the_plain_file_or_a_located_refusal(data, good_outputs):
    period = Period(good_outputs)
    try:
        expected = snapshot(period.outputs)
        (period.inputs / PERIOD / "好差评记录.xlsx").write_bytes(data)
        result = period.build()
        event(f"exit {result.exit_code}")
        if result.exit_code == 0:
            assert snapshot(period.outputs) == expected, "the same dates, stored otherwise, changed the bulletin"
        else:
            assert "好差评记录.xlsx，工作表“好差评”，第" in result.output, result.output
    finally:
        period.close()
