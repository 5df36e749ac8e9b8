"""A clerk edits the built bulletin, the data changes, the bulletin is built again."""

from __future__ import annotations

import shutil

from docx.shared import Pt

from pipeline.merge.baseline import Baseline, read_baseline, store_baseline

from .editing import (
    add_overdue_case,
    column_of,
    comments_text,
    delete,
    insert_after,
    open_docx,
    paragraph_reading,
    paragraph_with,
    regrade,
    replace_text,
    row_of,
    set_cell,
    set_score,
    texts,
)

CASES = "办件记录.xlsx"
SCORES = "市直部门考核得分.xlsx"
COVERAGE = "监管事项覆盖情况.xlsx"
ADDED = "（四）另据统计，一季度各镇（街道）共受理“全市通办”事项1200余件。"


def test_unedited_rebuild_gives_the_same_bytes_and_keeps_no_copy(workspace):
    workspace.build()
    first = workspace.docx.read_bytes()
    result = workspace.build()
    assert workspace.docx.read_bytes() == first
    assert workspace.backups() == []
    assert "未变化" in result.output


def test_data_change_reaches_an_unedited_file_without_a_copy(workspace):
    workspace.build()
    set_score(workspace.input(SCORES), "发改局", "一窗办改革", 20)  # 81 of 95 points
    workspace.build()
    annex = open_docx(workspace.docx).tables[0]
    assert row_of(annex, "发改局").cells[column_of(annex, "百分制得分")].text == "85.26"
    assert workspace.backups() == []


def test_clerk_edits_survive_a_data_change(workspace):
    workspace.build()
    path = workspace.docx
    doc = open_docx(path)
    replace_text(paragraph_with(doc, "现将有关情况通报如下"), "现将有关情况通报如下", "现将考核情况通报如下")
    insert_after(paragraph_with(doc, "（三）创新打造数字政务地图"), ADDED)
    delete(paragraph_with(doc, "（六）政务服务大数据应用场景不足"))
    delete(paragraph_with(doc, "（三）“群众评”服务质效不高"))
    replace_text(paragraph_reading(doc, "宜城市市直部门“高效办成一件事”考核得分表（一季度）"), "考核得分表", "考核得分情况表")
    annex = doc.tables[0]
    set_cell(row_of(annex, "公安局").cells[column_of(annex, "加分项")], "0.50")
    doc.save(path)
    clerk_version = path.read_bytes()

    set_score(workspace.input(SCORES), "发改局", "一窗办改革", 20)
    add_overdue_case(workspace.input(CASES), "YC2024-0901", "人社局", "失业保险金申领")
    result = workspace.build()

    merged = open_docx(path)
    body = texts(merged)
    assert any("现将考核情况通报如下" in t for t in body)  # reworded by the clerk, kept
    added = body.index(ADDED)  # added by the clerk, where it was put
    assert "（三）创新打造数字政务地图" in body[added - 1] and body[added + 1] == "三、存在问题"
    assert not any("政务服务大数据应用场景不足" in t for t in body)  # deleted, data unchanged: stays deleted
    assert not any("“群众评”服务质效不高" in t for t in body)
    assert "宜城市市直部门“高效办成一件事”考核得分情况表（一季度）" in body  # typo fix in the title kept
    annex = merged.tables[0]
    assert row_of(annex, "公安局").cells[column_of(annex, "加分项")].text == "0.50"  # cell edit kept
    assert row_of(annex, "发改局").cells[column_of(annex, "百分制得分")].text == "85.26"  # new figure taken
    overdue = next(t for t in body if "超时办件依然存在" in t)
    assert "人社局出现1起超时办件" in overdue and "《失业保险金申领》" in overdue
    (backup,) = workspace.backups()
    assert backup.read_bytes() == clerk_version  # the clerk's file, kept beside
    assert "修改稿已另存为" in result.output
    assert "冲突" not in result.output

    again = workspace.build()  # nothing new: the merged file is left as it is
    assert "未变化" in again.output and len(workspace.backups()) == 1


def test_both_changed_keeps_clerk_text_and_offers_new_figure_as_comment(workspace):
    path = workspace.edit(lambda doc: replace_text(paragraph_with(doc, "46.67%"), "46.67%", "不足一半（46.67%）"))
    set_score(workspace.input(COVERAGE), "环保局", "已覆盖事项数", 8)  # 8 of 15: 53.33%
    clerk_file = path.read_bytes()

    result = workspace.build()

    coverage = paragraph_with(open_docx(path), "监管事项覆盖率")
    assert "不足一半（46.67%）" in coverage.text and "53.33%" not in coverage.text
    assert "“分别为46.67%、21.69%、”应为“分别为53.33%、21.69%、”" in comments_text(path)
    assert "冲突" in result.output and "53.33%" in result.output
    merged = path.read_bytes()
    (backup,) = workspace.backups()
    workspace.build("--merge", str(backup))  # the same merge again gives the same file
    assert path.read_bytes() == merged and backup.read_bytes() == clerk_file


def test_edits_in_different_words_of_one_paragraph_are_both_kept(workspace):
    path = workspace.edit(lambda doc: replace_text(paragraph_with(doc, "远低于全市"), "远低于全市", "明显低于全市"))
    set_score(workspace.input(COVERAGE), "环保局", "已覆盖事项数", 8)

    result = workspace.build()

    coverage = paragraph_with(open_docx(path), "监管事项覆盖率").text
    assert "明显低于全市" in coverage and "53.33%" in coverage and "46.67%" not in coverage
    assert "冲突" not in result.output


def the_overdue_entry(body: list[str]) -> int:
    """Where the 超时办件 entry is; there must be exactly one, naming the new case."""
    (index,) = [i for i, t in enumerate(body) if "超时办件依然存在" in t]
    assert "人社局出现1起超时办件" in body[index]
    return index


def rebuilt_with_one_more_case(workspace, edit) -> list[str]:
    """The clerk edits the file, one more overdue case comes in, the bulletin is built again."""
    workspace.edit(edit)
    add_overdue_case(workspace.input(CASES), "YC2024-0902", "人社局", "失业保险金申领")
    workspace.build()
    return texts(open_docx(workspace.docx))


def test_deleted_entry_returns_when_its_data_changes(workspace):
    body = rebuilt_with_one_more_case(workspace, lambda doc: delete(paragraph_with(doc, "超时办件依然存在")))
    assert "“群众评”服务质效不高" in body[the_overdue_entry(body) - 1]  # back in its place


def test_merge_option_takes_an_edited_copy_from_elsewhere(workspace, tmp_path):
    workspace.build()
    carried = tmp_path / "usb" / "通报.docx"
    carried.parent.mkdir()
    shutil.copy(workspace.docx, carried)
    doc = open_docx(carried)
    delete(paragraph_with(doc, "政务服务大数据应用场景不足"))
    doc.save(carried)
    carried_bytes = carried.read_bytes()
    set_score(workspace.input(SCORES), "发改局", "一窗办改革", 20)

    result = workspace.build("--merge", str(carried))

    merged = open_docx(workspace.docx)
    assert not any("政务服务大数据应用场景不足" in t for t in texts(merged))
    annex = merged.tables[0]
    assert row_of(annex, "发改局").cells[column_of(annex, "百分制得分")].text == "85.26"
    assert carried.read_bytes() == carried_bytes  # the file brought in is not touched
    assert "已合并修改稿" in result.output


def drop_custom_xml(doc) -> None:
    """What a program that drops custom XML parts does to the file."""
    for rel_id, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith("/customXml"):
            doc.part.drop_rel(rel_id)


def swap_first_two_rows(doc) -> None:
    table = doc.tables[1]
    first, second = table.rows[1]._tr, table.rows[2]._tr
    second.addnext(first)


def test_file_without_its_baseline_keeps_every_difference_as_a_conflict(workspace):
    path = workspace.edit(drop_custom_xml)
    set_score(workspace.input(COVERAGE), "环保局", "已覆盖事项数", 8)

    result = workspace.build()

    coverage = paragraph_with(open_docx(path), "监管事项覆盖率").text
    assert "46.67%" in coverage  # the file's text is kept…
    assert "53.33%" in comments_text(path)  # …and the new figure offered beside it
    assert "冲突" in result.output
    assert len(workspace.backups()) == 1


def test_a_file_that_is_not_a_word_document_fails_the_build_and_stays(workspace):
    workspace.build()
    workspace.docx.write_bytes(b"not a zip")
    result = workspace.run("build", "--period", "2024Q1")
    assert result.exit_code == 1
    assert "无法作为 Word 文件打开" in result.output
    assert workspace.docx.read_bytes() == b"not a zip"


def test_rows_the_clerk_sorted_stay_in_the_clerks_order(workspace):
    path = workspace.edit(swap_first_two_rows)  # the clerk swaps the first two towns
    set_score(workspace.input("镇街考核得分.xlsx"), "南营街办", "办件质效", 15)

    workspace.build()

    units = [row.cells[1].text for row in open_docx(path).tables[1].rows[1:3]]
    assert units == ["刘猴镇", "小河镇"]


def test_moved_paragraph_is_followed_to_its_new_place(workspace):
    def move_up(doc):
        overdue = paragraph_with(doc, "超时办件依然存在")
        paragraph_with(doc, "“互联网+监管”监管事项覆盖率低")._p.addprevious(overdue._p)  # up two entries

    body = rebuilt_with_one_more_case(workspace, move_up)
    assert "“互联网+监管”监管事项覆盖率低" in body[the_overdue_entry(body) + 1]


def test_entry_the_new_data_calls_for_is_added_in_its_place(workspace):
    evaluations = workspace.input("好差评记录.xlsx")
    changed = regrade(evaluations, "不满意", "满意")
    workspace.edit(lambda doc: replace_text(paragraph_with(doc, "现将有关情况通报如下"), "有关情况", "考核情况"))
    regrade(evaluations, "满意", "不满意", changed)

    result = workspace.build()

    body = texts(open_docx(workspace.docx))
    (new,) = [i for i, t in enumerate(body) if "“群众评”服务质效不高" in t]
    assert "“互联网+监管”" in body[new - 1] and "超时办件依然存在" in body[new + 1]
    assert "王集镇" in body[new]
    assert any("现将考核情况通报如下" in t for t in body)
    assert any(line.startswith("  新增：") and "“群众评”服务质效不高" in line for line in result.output.splitlines())
    renumbered = paragraph_with(open_docx(workspace.docx), "超时办件依然存在")  # was （三）, the clerk left it
    assert renumbered.runs[0].text == "（四）超时办件依然存在。" and renumbered.runs[0].style.name == "二级标题字符"


def test_a_change_of_style_alone_counts_as_an_edit(workspace):
    def larger_body_text(doc):
        doc.styles["公文正文"].font.size = Pt(15)

    path = workspace.edit(larger_body_text)
    set_score(workspace.input(SCORES), "发改局", "一窗办改革", 20)

    workspace.build()

    merged = open_docx(path)
    assert merged.styles["公文正文"].font.size == Pt(15)
    annex = merged.tables[0]
    assert row_of(annex, "发改局").cells[column_of(annex, "百分制得分")].text == "85.26"
    assert len(workspace.backups()) == 1


def test_a_cell_changed_by_clerk_and_data_keeps_the_clerks_figure_with_a_comment(workspace):
    def retype(doc):
        annex = doc.tables[0]
        set_cell(row_of(annex, "发改局").cells[column_of(annex, "百分制得分")], "88.40")

    path = workspace.edit(retype)
    set_score(workspace.input(SCORES), "发改局", "一窗办改革", 20)

    result = workspace.build()

    annex = open_docx(path).tables[0]
    assert row_of(annex, "发改局").cells[column_of(annex, "百分制得分")].text == "88.40"
    assert "“88.42”应为“85.26”" in comments_text(path)
    assert "冲突" in result.output


def test_an_edited_file_is_left_as_saved_while_the_data_stays_the_same(workspace):
    path = workspace.edit(lambda doc: delete(paragraph_with(doc, "政务服务大数据应用场景不足")))
    saved = path.read_bytes()

    result = workspace.build()

    assert path.read_bytes() == saved
    assert workspace.backups() == []
    assert "未变化" in result.output


def test_a_file_of_another_period_is_not_merged(workspace, tmp_path):
    workspace.build()
    other = tmp_path / "2023Q4.docx"
    doc = open_docx(workspace.docx)
    built_with = read_baseline(doc)
    store_baseline(doc, Baseline("2023Q4", built_with.blocks))  # as the 2023Q4 bulletin would carry
    doc.save(other)
    built = workspace.docx.read_bytes()

    result = workspace.run("build", "--period", "2024Q1", "--merge", str(other))

    assert result.exit_code == 1
    assert "这是 2023Q4 的通报，不能与 2024Q1 的数据合并" in result.output
    assert workspace.docx.read_bytes() == built


def test_rewording_a_derived_entrys_heading_does_not_duplicate_the_clerks_edited_entry(workspace):
    """The entry is the same entry because it runs the same rule, whatever its heading says."""
    workspace.edit(lambda doc: replace_text(paragraph_with(doc, "超时办件依然存在"), "一直未审批", "至今未审批"))
    problems = workspace.input("存在问题.yaml")
    problems.write_text(problems.read_text(encoding="utf-8").replace("超时办件依然存在", "超时办件仍有发生"), encoding="utf-8")

    workspace.build()

    body = texts(open_docx(workspace.docx))
    overdue = [t for t in body if "超时办件" in t[:12]]
    assert len(overdue) == 1 and "至今未审批" in overdue[0]  # the clerk's words kept, once
    problems_part = body[body.index("三、存在问题") + 1 :]
    leads = [t[:3] for t in problems_part if t[:1] == "（" and t[2:3] == "）"]
    assert leads == ["（一）", "（二）", "（三）", "（四）", "（五）", "（六）"]  # no number twice
