"""The 宜城 2024Q1 sample, built end to end, against the published bulletin."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import docx
import pytest

from pipeline.core.registry import Registry

from .conftest import FIXTURES, INPUTS

STEM = "宜城市“高效办成一件事”工作情况通报（2024年一季度）"


@pytest.fixture(scope="module")
def document(built_2024q1: Path):
    return docx.Document(str(built_2024q1 / f"{STEM}.docx"))


@pytest.fixture(scope="module")
def texts(document) -> list[str]:
    # a long title or 发文机关标志 is broken into lines inside its paragraph; read it whole
    return [p.text.replace("\n", "") for p in document.paragraphs if p.text.strip()]


def registry() -> Registry:
    return Registry.from_yaml(INPUTS / "registries" / "宜城市.yaml")


def published(name: str) -> list[list[str]]:
    with open(FIXTURES / name, encoding="utf-8") as handle:
        return list(csv.reader(handle, delimiter="\t"))


def test_outputs_are_named_for_the_bulletin(built_2024q1: Path):
    assert sorted(p.name for p in built_2024q1.iterdir()) == [f"{STEM}.docx", f"{STEM}_问题依据.csv", "整改通知"]


def test_sections_in_the_published_order(texts):
    headings = [t for t in texts if t[:2] in ("一、", "二、", "三、", "四、")]
    assert headings == ["一、考核排名情况", "二、总体情况", "三、存在问题"]
    assert texts[:3] == ["宜城市推进政府职能转变和“放管服”改革协调小组办公室", "宜城市“高效办成一件事”工作情况通报", "（2024年一季度）"]


def test_ranking_sentence_is_the_published_one(texts):
    assert (
        "考核排名前三位的镇（街道）为：小河镇、刘猴镇、板桥店镇，排名后三位的镇（街道）为：南营街办、王集镇、流水镇。"
        "排名前三位市直单位为：交通局、医保局、公积金办，排名后三位市直单位为：科经局、烟草专卖局、生态环境局。"
    ) in texts


def test_problem_entries_are_numbered_in_the_configured_order(texts):
    start = texts.index("三、存在问题")
    entries = texts[start + 1 : start + 7]
    assert [e[:3] for e in entries] == ["（一）", "（二）", "（三）", "（四）", "（五）", "（六）"]
    assert entries[0].startswith("（一）政务服务事项“全市通办”试点地区工作推进迟缓。")
    assert entries[5].startswith("（六）政务服务大数据应用场景不足。")


def entry(texts, number: str) -> str:
    return next(t for t in texts if t.startswith(number) and texts.index(t) > texts.index("三、存在问题"))


def test_coverage_sentence(texts):
    assert "生态环境局、文旅局、住建局监管事项覆盖率分别为46.67%、21.69%、15.56%，远低于全市80%覆盖率标准。" in entry(texts, "（二）")


def test_quota_sentence_names_the_units_and_what_they_missed(texts):
    assert (
        "生态环境局（2月监管动态1条）、气象局（3月曝光台0条）、司法局（1月监管动态0条、1月曝光台0条）"
        "监管动态和曝光台未及时进行数据更新，未按要求完成各市直部门每月发布监管动态不少于2条、曝光台信息不少于1条的任务。"
    ) in entry(texts, "（二）")


def test_dissatisfied_sentence(texts):
    assert entry(texts, "（三）") == "（三）“群众评”服务质效不高。王集镇便民服务中心公安窗口因服务态度，群众办事体验差产生“不满意”评价1条。"


def test_overdue_sentence(texts):
    assert entry(texts, "（四）") == (
        "（四）超时办件依然存在。住建局出现1起超时办件，企业于4月2日在网上申请的《建筑起重机械设备备案》事项一直未审批，造成超时。"
    )


def test_rectification_sentence_merges_with_the_clerks_text(texts):
    assert entry(texts, "（五）") == (
        "（五）政务公开更新力度不足、整改力度低。针对襄阳市反馈的问题清单，农业技术推广中心、科经局、人社局、文旅局未在规定的时间及时整改；"
        "经济开发区、乡村振兴局未及时更新本部门平台的栏目。"
    )


def test_closing_request_and_dates(texts):
    closing = next(t for t in texts if t.startswith("请各地各部门"))
    assert "于6月30日前反馈" in closing and "18162362361" in closing and "ycxzspjsgg@163.com" in closing
    assert "2024年6月12日" in texts
    assert "附件：1．宜城市市直部门“高效办成一件事”考核得分表（一季度）" in texts


def test_the_registry_name_is_used_everywhere(document, texts):
    body = "\n".join(texts) + "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "环保局" not in body and "酃城" not in body
    assert "鄢城街办" in body


def _cells(table):
    return [[c.text for c in row.cells] for row in table.rows]


@pytest.mark.parametrize("index, fixture", [(0, "published_000_annex1.tsv"), (1, "published_000_annex2.tsv")])
def test_annex_tables_equal_the_published_ones(document, index, fixture):
    names = registry()
    rows = _cells(document.tables[index])[1:]
    expected = published(fixture)
    assert len(rows) == len(expected)
    for got, want in zip(rows, expected):
        want = [want[0], names.resolve(want[1]).short_name, *want[2:]]
        assert got == want


def test_annex_headers_carry_the_maxima(document):
    header = _cells(document.tables[0])[0]
    assert header[:4] == ["排名", "部门", "事项管理\n（5分）", "一窗办\n改革\n（25分）"]  # broken before the points
    assert header[-4:] == ["加分项", "扣分项", "实得分", "百分制\n得分"]
    assert _cells(document.tables[1])[0][-1].replace("\n", "") == "百分制得分"


def test_evidence_file_lists_rule_unit_source_and_row(built_2024q1: Path):
    text = (built_2024q1 / f"{STEM}_问题依据.csv").read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    overdue = [r for r in rows if r["规则"] == "overdue_cases"]
    assert overdue == [
        {
            "问题序号": "4",
            "问题标题": "超时办件依然存在",
            "规则": "overdue_cases",
            "规则名称": "超时办件",
            "单位": "住建局",
            "依据": "《建筑起重机械设备备案》2024年4月2日申请，时限5个工作日，应于2024年4月10日前办结，截至2024年6月7日未办结，超时41个工作日",
            "来源文件": "办件记录.xlsx",
            "行号": "6",
        }
    ]
    coverage = {r["单位"]: r["行号"] for r in rows if r["规则"] == "coverage_below_threshold"}
    assert coverage == {"生态环境局": "8", "文旅局": "18", "住建局": "9"}
