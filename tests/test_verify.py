"""``bulletin verify`` tells a clerk every figure and unit of an edited file that the data contradicts."""

from __future__ import annotations

from .editing import column_of, delete, paragraph_with, regrade, replace_text, row_of, set_cell, set_score


def edited(workspace, edit) -> object:
    return workspace.verify(workspace.edit(edit))


def test_a_fresh_build_agrees_with_its_data(workspace):
    workspace.build()
    result = workspace.verify(workspace.docx)
    assert result.exit_code == 0, result.output
    assert "一致" in result.output


def test_mistyped_percentage_in_the_text(workspace):
    result = edited(workspace, lambda doc: replace_text(paragraph_with(doc, "46.67%"), "46.67%", "46.76%"))
    assert result.exit_code == 1
    assert "文中为“46.76%”，按数据应为“46.67%”" in result.output
    assert "正文第" in result.output


def test_unit_moved_to_another_rank_in_the_text(workspace):
    result = edited(workspace, lambda doc: replace_text(paragraph_with(doc, "排名前三位"), "小河镇、刘猴镇", "刘猴镇、小河镇"))
    assert result.exit_code == 1
    assert "的位置与数据不符：文中顺序为“刘猴镇、小河镇”，按数据应为“小河镇、刘猴镇”" in result.output


def test_wrong_figure_in_each_annex_table(workspace):
    def plant(doc):
        first, second = doc.tables
        set_cell(row_of(first, "住建局").cells[column_of(first, "百分制得分")], "88.10")
        set_cell(row_of(second, "王集镇").cells[column_of(second, "办件质效（15分）")], "15")

    result = edited(workspace, plant)
    assert result.exit_code == 1
    assert "附件1" in result.output and "（住建局）“百分制得分”：文中为“88.10”" in result.output
    assert "附件2" in result.output and "（王集镇）“办件质效（15分）”：文中为“15”" in result.output


def test_rows_swapped_in_an_annex_table_show_as_wrong_ranks(workspace):
    def swap(doc):
        table = doc.tables[1]
        rank = column_of(table, "排名")
        first, second = table.rows[1], table.rows[2]
        a, b = first.cells[rank].text, second.cells[rank].text
        set_cell(first.cells[rank], b)
        set_cell(second.cells[rank], a)

    result = edited(workspace, swap)
    assert result.exit_code == 1
    assert "（小河镇）“排名”：文中为“2”，按数据应为“1”" in result.output
    assert "（刘猴镇）“排名”：文中为“1”，按数据应为“2”" in result.output


def test_a_bulletin_built_before_a_data_change_is_caught(workspace):
    workspace.build()
    set_score(workspace.input("市直部门考核得分.xlsx"), "发改局", "一窗办改革", 20)
    result = workspace.verify(workspace.docx)
    assert result.exit_code == 1
    assert "（发改局）“百分制得分”：文中为“88.42”，按数据应为“85.26”" in result.output


def test_an_entry_struck_out_is_named_but_not_a_disagreement(workspace):
    result = edited(workspace, lambda doc: delete(paragraph_with(doc, "超时办件依然存在")))
    assert result.exit_code == 0
    assert "未核对：“（四）超时办件依然存在" in result.output


def test_figures_typed_in_full_width_still_agree(workspace):
    result = edited(workspace, lambda doc: replace_text(paragraph_with(doc, "46.67%"), "46.67%", "４６.６７％"))
    assert result.exit_code == 0, result.output


def test_an_entry_the_data_now_calls_for_is_missing(workspace):
    evaluations = workspace.input("好差评记录.xlsx")
    changed = regrade(evaluations, "不满意", "满意")
    workspace.build()  # no 不满意 evaluation: no “群众评” entry
    regrade(evaluations, "满意", "不满意", changed)  # the evaluations are corrected back

    result = workspace.verify(workspace.docx)

    assert result.exit_code == 1
    assert "缺少按数据应有的一段：“（三）“群众评”服务质效不高" in result.output


def test_unit_named_by_an_alias_or_left_out_of_an_entry(workspace):
    def rename_and_drop(doc):
        paragraph = paragraph_with(doc, "监管事项覆盖率分别为")
        replace_text(paragraph, "生态环境局、文旅局、住建局", "环保局、住建局")

    result = edited(workspace, rename_and_drop)
    assert result.exit_code == 1
    assert "文中为“环保局”，按数据应为“生态环境局、文旅局”" in result.output


def test_a_file_of_another_period_is_refused_not_listed_figure_by_figure(workspace, tmp_path):
    from .conftest import INPUTS, run

    built = run("build", "2023Q2", INPUTS, tmp_path / "other")
    (other,) = (tmp_path / "other" / "2023Q2").glob("*.docx")
    result = workspace.verify(other)
    assert built.exit_code == 0 and result.exit_code == 1
    assert f"{other}：这是 2023Q2 的通报，不能与 2024Q1 的数据核对（请用 --period 2023Q2 核对）" in result.output
    assert "按数据应为" not in result.output and "不一致" not in result.output
