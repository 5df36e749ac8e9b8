"""Every rebuild that replaces an earlier bulletin writes and prints what changed: the change list (变更清单)."""

from __future__ import annotations

import csv
import io

from .editing import paragraph_with, regrade, replace_text, set_score

COVERAGE = "监管事项覆盖情况.xlsx"
SCORES = "市直部门考核得分.xlsx"
COVERAGE_PLACE = "存在问题（“互联网+监管”监管事项覆盖率低、监管动态更新不及时）第2句"


def change_list(workspace) -> list[dict]:
    (path,) = (workspace.outputs / "2024Q1").glob("*_变更清单.csv")
    assert path.read_bytes().startswith("\ufeff".encode("utf-8"))  # Excel on Windows reads it as UTF-8
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def row_at(rows: list[dict], place: str) -> dict:
    (row,) = [r for r in rows if r["位置"] == place]
    return row


def test_a_first_build_and_a_rebuild_on_the_same_data_write_no_change_list(workspace):
    first = workspace.build()
    again = workspace.build()
    assert "变更清单" not in first.output + again.output and "未变化" in again.output
    assert list((workspace.outputs / "2024Q1").glob("*_变更清单.csv")) == []


def test_an_unedited_rebuild_lists_each_changed_sentence_and_figure(workspace):
    workspace.build()
    set_score(workspace.input(COVERAGE), "环保局", "已覆盖事项数", 8)  # 8 of 15: 46.67% → 53.33%
    set_score(workspace.input(SCORES), "发改局", "一窗办改革", 20)  # 88.42 → 85.26, 5th → 19th
    result = workspace.build()

    rows = change_list(workspace)
    coverage = row_at(rows, COVERAGE_PLACE)
    assert coverage["变化"] == "修改" and coverage["改动之处"] == "46.67% → 53.33%"
    assert coverage["原文"].startswith("生态环境局、文旅局、住建局监管事项覆盖率分别为46.67%")
    assert coverage["新文"].startswith("生态环境局、文旅局、住建局监管事项覆盖率分别为53.33%")
    percent = row_at(rows, "附件1“发改局”行“百分制得分”列")
    assert (percent["原文"], percent["新文"], percent["修改稿中"]) == ("88.42", "85.26", "")
    assert row_at(rows, "附件1“发改局”行“排名”列")["新文"] == "19"
    assert row_at(rows, "附件1“气象局”行“排名”列")["改动之处"] == "6 → 5"  # moved up one place
    assert len(rows) == 19  # the sentence, 发改局's item, total and score, and the 15 ranks that moved
    assert f"与上一版相比有 19 处变化（变更清单：{workspace.outputs / '2024Q1'}" in result.output
    assert f"  {COVERAGE_PLACE}（修改）：“生态环境局" in result.output
    assert "  附件1“发改局”行“百分制得分”列（修改）：“88.42” → “85.26”" in result.output


def test_an_edited_rebuild_lists_the_changes_and_what_the_merge_did_with_each(workspace):
    workspace.edit(lambda doc: replace_text(paragraph_with(doc, "46.67%"), "46.67%", "不足一半（46.67%）"))
    set_score(workspace.input(COVERAGE), "环保局", "已覆盖事项数", 8)
    set_score(workspace.input(SCORES), "发改局", "一窗办改革", 20)
    result = workspace.build()

    rows = change_list(workspace)
    coverage = row_at(rows, COVERAGE_PLACE)  # both changed: the clerk's words stay, the new figure is commented
    assert coverage["改动之处"] == "46.67% → 53.33%"
    assert coverage["修改稿中"] == "冲突：保留修改稿文字，新数据见批注"
    assert row_at(rows, "附件1“发改局”行“百分制得分”列")["修改稿中"] == "已按新数据更新"
    assert "冲突：保留修改稿文字，新数据见批注" in result.output and "修改稿已另存为" in result.output

    workspace.build()  # nothing new since: the change list of the last real change stays
    assert row_at(change_list(workspace), COVERAGE_PLACE)["改动之处"] == "46.67% → 53.33%"


def test_a_unit_leaving_a_finding_changes_its_sentence(workspace):
    workspace.build()
    set_score(workspace.input(COVERAGE), "环保局", "已覆盖事项数", 15)  # 生态环境局 no longer below 80%
    workspace.build()
    coverage = row_at(change_list(workspace), COVERAGE_PLACE)
    assert coverage["新文"].startswith("文旅局、住建局监管事项覆盖率分别为21.69%、15.56%")


def test_an_entry_the_new_data_calls_for_is_listed_as_new(workspace):
    evaluations = workspace.input("好差评记录.xlsx")
    changed = regrade(evaluations, "不满意", "满意")
    workspace.build()
    regrade(evaluations, "满意", "不满意", changed)
    result = workspace.build()
    (row,) = [r for r in change_list(workspace) if r["变化"] == "新增"]
    assert row["位置"] == "存在问题（“群众评”服务质效不高）" and row["原文"] == ""
    assert "王集镇" in row["新文"] and "存在问题（“群众评”服务质效不高）（新增）" in result.output


def test_an_earlier_file_that_lost_its_record_is_said_to_have_no_change_list(workspace):
    """A program that drops custom XML parts (the record of the build) leaves nothing to compare with."""
    from docx import Document
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    workspace.build()
    set_score(workspace.input(COVERAGE), "环保局", "已覆盖事项数", 8)
    workspace.build()  # a change list of this change
    document = Document(str(workspace.docx))
    for rel_id, rel in list(document.part.rels.items()):
        if rel.reltype == RT.CUSTOM_XML:
            document.part.drop_rel(rel_id)
    document.save(str(workspace.docx))
    set_score(workspace.input(COVERAGE), "环保局", "已覆盖事项数", 9)
    result = workspace.build()
    assert "上一版文件中没有生成记录（曾被不保留自定义 XML 的程序另存），无法列出与上一版相比的变更。" in result.output
    assert list((workspace.outputs / "2024Q1").glob("*_变更清单.csv")) == []  # the earlier list described another change
