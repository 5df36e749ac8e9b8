"""The 永昌县 2023Q2 好差评 bulletin built from case records carries every figure of the
published bulletin (reference 004): the text's totals and lists and the 31-row annex."""

import csv
import io

import pytest
from docx import Document

from .conftest import INPUTS, TEMPLATES, run_cli

# The published annex: 单位, 应投票次数, 实际票次数, 满意, 基本满意, 不满意, 未开展评价, 投票率, 满意率, 基本满意率, 不满意率
# (blank where the published cell is blank; 供排水公司's “100.0%” is printed as every other row prints 100%).
PUBLISHED_ANNEX = [
    ("发改局", "104", "104", "104", "", "", "", "100%", "100%", "", ""),
    ("公安局", "297", "297", "297", "", "", "", "100%", "100%", "", ""),
    ("民政局", "46", "46", "46", "", "", "", "100%", "100%", "", ""),
    ("人社局", "270", "270", "270", "", "", "", "100%", "100%", "", ""),
    ("自然资源局", "34", "34", "34", "", "", "", "100%", "100%", "", ""),
    ("自然资源局（不动产中心）", "679", "679", "678", "1", "", "", "100%", "99.85%", "0.15%", ""),
    ("住建局", "102", "102", "102", "", "", "", "100%", "100%", "", ""),
    ("交通局", "320", "320", "320", "", "", "", "100%", "100%", "", ""),
    ("水务局", "51", "51", "51", "", "", "", "100%", "100%", "", ""),
    ("农业农村局", "44", "44", "44", "", "", "", "100%", "100%", "", ""),
    ("文体广电和旅游局", "6", "6", "6", "", "", "", "100%", "100%", "", ""),
    ("卫健局", "87", "87", "87", "", "", "", "100%", "100%", "", ""),
    ("应急管理局", "11", "11", "11", "", "", "", "100%", "100%", "", ""),
    ("市场监管局", "880", "876", "876", "", "", "4", "99.55%", "99.55%", "", "0.45%"),
    ("医保局", "113", "113", "113", "", "", "", "100%", "100%", "", ""),
    ("税务局（政务服务大厅）", "112", "112", "112", "", "", "", "100%", "100%", "", ""),
    ("生态环境分局", "35", "35", "35", "", "", "", "100%", "100%", "", ""),
    ("住房公积金中心", "338", "338", "338", "", "", "", "100%", "100%", "", ""),
    ("烟草局", "117", "117", "117", "", "", "", "100%", "100%", "", ""),
    ("供排水公司", "34", "34", "32", "2", "", "", "100%", "94.12%", "5.88%", ""),
    ("华泽能源有限公司", "7", "7", "7", "", "", "", "100%", "100%", "", ""),
    ("国家电网永昌分公司", "", "", "", "", "", "", "", "", "", ""),
    ("玉玺刻章", "82", "82", "82", "", "", "", "100%", "100%", "", ""),
    ("中国农业银行", "18", "17", "17", "", "", "1", "94.44%", "94.44%", "", "5.56%"),
    ("工商银行", "4", "4", "4", "", "", "", "100%", "100%", "", ""),
    ("兰州银行", "25", "25", "25", "", "", "", "100%", "100%", "", ""),
    ("税务分中心", "782", "782", "782", "", "", "", "100%", "100%", "", ""),
    ("户政出入境分中心", "54", "54", "54", "", "", "", "100%", "100%", "", ""),
    ("婚姻登记分中心", "328", "328", "328", "", "", "", "100%", "100%", "", ""),
    ("车驾管分中心", "1190", "1190", "1190", "", "", "", "100%", "100%", "", ""),
    ("教育分中心", "126", "126", "126", "", "", "", "100%", "100%", "", ""),
]

# Every figure-bearing statement of the published text, as this product words it.
PUBLISHED_TEXT = [
    "1．县政务服务大厅投票情况。4-6月份累计办件3816件，群众参与投票3811件，投票率99.87%。"
    "其中：满意票3808张，占比99.79%；基本满意3张，占0.08%；不满意票5张（未开展评价5张），占比0.13%。",
    "2．税务分中心投票情况。4-6月份累计办件782件，群众参与投票782件，投票率100%。其中：满意票782张，占比100%；基本满意票和不满意票均为零。",
    "3．户政出入境分中心投票情况。4-6月份累计办件54件，群众参与投票54件，投票率100%。其中：满意票54张，占比100%；基本满意票和不满意票均为零。",
    "4．婚姻登记分中心投票情况。4-6月份累计办件328件，群众参与投票328件，投票率100%。其中：满意票328张，占比100%；基本满意票和不满意票均为零。",
    "5．车驾管分中心投票情况。4-6月份累计办件1190件，群众参与投票1190件，投票率100%。其中：满意票1190张，占比100%；基本满意票和不满意票均为零。",
    "6．教育分中心投票情况。4-6月份累计办件126件，群众参与投票126件，投票率100%。其中：满意票126张，占比100%；基本满意票和不满意票均为零。",
    "共办理政务服务事项3816件，办结3816件，办结率为100%。",
    "办件量排名前5位的窗口依次为：县市场监管局880件、县自然资源局（不动产中心）679件、县住房公积金中心338件、县交通局320件、县公安局297件。",
    "第二季度零办件的窗口1个，为国家电网永昌分公司。",
    "累计发布红榜3次51人次，其中，县市场监管局、县烟草局、县自然资源局（不动产中心）、县住房公积金中心、县住建局、县卫健局窗口3次，"
    "县人社局、县医保局、县交通局、县水务局、县发改局窗口2次，玉玺刻章、县税务局、县公安局、县民政局、供排水公司窗口1次；",
    "累计发布“黑榜”3次16人次，其中，县市场监管局、县自然资源局、工商银行、供排水公司、国家电网永昌分公司、中国农业银行窗口2次，"
    "县住建局、生态环境永昌分局、华泽能源有限公司、兰州银行窗口1次。",
    "县自然资源局（不动产中心）窗口张勤奋、县住房公积金中心窗口孙花、县交通局窗口杨洁被评为“季度服务明星”。",
    "4-6月份市上反馈我县超期办件14件，其中：人社局7件、市场监管局4件、医保局3件，",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    outputs = tmp_path_factory.mktemp("outputs")
    result = run_cli("build", "--period", "2023Q2", "--inputs", str(INPUTS), "--templates", str(TEMPLATES), "--outputs", str(outputs))
    assert result.exit_code == 0, result.output
    docx = next((outputs / "2023Q2").glob("*.docx"))
    evidence = next((outputs / "2023Q2").glob("*_问题依据.csv"))
    return Document(str(docx)), evidence


def test_text_carries_every_published_figure(built):
    document, _ = built
    text = "\n".join(p.text for p in document.paragraphs)
    for statement in PUBLISHED_TEXT:
        assert statement in text


def test_annex_has_the_published_31_rows_with_a_repeated_header(built):
    document, _ = built
    (table,) = document.tables
    header = [c.text.replace("\n", "") for c in table.rows[0].cells]  # read whole across its line breaks
    assert header == ["序号", "单位", "应投票次数", "实际票次数", "满意", "基本满意", "不满意", "未开展评价", "投票率", "满意率", "基本满意率", "不满意率"]
    assert table.rows[0]._tr.trPr.xpath("./w:tblHeader"), "header row repeats on every page"
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert [r[0] for r in rows] == [str(i) for i in range(1, 32)]
    assert [tuple(r[1:]) for r in rows] == PUBLISHED_ANNEX


def test_annex_sums_to_the_hall_totals_in_the_text(built):
    document, _ = built
    rows = [[c.text for c in row.cells] for row in document.tables[0].rows[1:27]]
    total = lambda i: sum(int(r[i] or 0) for r in rows)  # noqa: E731
    text = "\n".join(p.text for p in document.paragraphs)
    assert f"累计办件{total(2)}件，群众参与投票{total(3)}件" in text
    assert f"满意票{total(4)}张" in text and f"基本满意{total(5)}张" in text


def test_overdue_cases_come_with_their_rows_as_evidence(built):
    _, evidence = built
    lines = [line for line in evidence.read_text(encoding="utf-8-sig").splitlines()[1:] if line.split(",")[2] == "overdue_case_counts"]
    units = [line.split(",")[4] for line in lines]
    assert (units.count("人社局"), units.count("市场监管局"), units.count("医保局")) == (7, 4, 3)
    assert all(line.split(",")[6] == "办件及评价记录.csv" and line.split(",")[7].isdigit() for line in lines)


def test_the_figures_a_sentence_printed_go_to_the_evidence_file(built):
    """The windows the 业务办理 sentence names, with the counts it printed, each under its section."""
    _, evidence = built
    rows = list(csv.reader(io.StringIO(evidence.read_text(encoding="utf-8-sig"))))[1:]
    busiest = [r for r in rows if r[2] == "办件量前五"]
    assert [r[4] for r in busiest] == ["市场监管局", "自然资源局（不动产中心）", "住房公积金中心", "交通局", "公安局"]
    assert all(r[0] == "二、" and r[1] == "业务办理" and "expected=" in r[5] for r in busiest)
    windows = [r[4] for r in rows if r[2] == "分中心窗口"]
    assert windows == ["税务分中心", "户政出入境分中心", "婚姻登记分中心", "车驾管分中心", "教育分中心"]
    assert {r[6] for r in rows if r[2] in ("大厅", "分中心窗口", "办件量前五", "零办件窗口")} == {"办件及评价记录.csv"}


def test_same_inputs_give_the_same_bytes(tmp_path):
    runs = []
    for name in ("a", "b"):
        run_cli("build", "--period", "2023Q2", "--inputs", str(INPUTS), "--templates", str(TEMPLATES), "--outputs", str(tmp_path / name))
        runs.append(next((tmp_path / name / "2023Q2").glob("*.docx")).read_bytes())
    assert runs[0] == runs[1]
