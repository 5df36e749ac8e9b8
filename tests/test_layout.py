"""Text-dependent layout: title lines, the 署名 over the 成文日期, annex column widths."""

from __future__ import annotations

import io

from docx import Document

from .bulletin_files import sample_document, saved_and_checked
from pipeline.standard.layout import signature_right_indents, split_title
from pipeline.standard.table_layout import fit_columns, header_splits, narrowest
from pipeline.word import ooxml
from pipeline.standard.pages import autospaces, text_width
from pipeline.standard.measures import SIZE_3, condensed_spacing
from pipeline.standard.measures import CELL_PADDING, SIZE_5, SIZE_SMALL_4, TEXT_HEIGHT, TEXT_WIDTH, chars_in


def test_short_title_stays_on_one_line():
    assert split_title("宜城市“高效办成一件事”工作情况通报", 19) == ["宜城市“高效办成一件事”工作情况通报"]


def test_long_title_breaks_between_words_and_never_inside_quotes():
    title = "宜城市推进政府职能转变和“放管服”改革协调小组办公室关于2024年一季度政务服务工作情况的通报"
    lines = split_title(title, 19)
    assert "".join(lines) == title
    assert all(chars_in(line) <= 19 for line in lines)
    assert all(line.count("“") == line.count("”") for line in lines)
    assert not any(line[-1].isdigit() and nxt[0].isdigit() for line, nxt in zip(lines, lines[1:]))
    # the office name on its own lines, 关于 opening the line of what the bulletin is about
    assert lines == ["宜城市推进政府职能转变和", "“放管服”改革协调小组办公室", "关于2024年一季度政务服务工作情况的通报"]


def test_letterhead_breaks_after_a_conjunction():
    assert split_title("宜城市推进政府职能转变和“放管服”改革协调小组办公室", 19) == [
        "宜城市推进政府职能转变和", "“放管服”改革协调小组办公室"]


def test_signature_lines_are_centred_over_the_date():
    date = "2024年6月12日"  # 6.5 characters, and the space set at its five digit–Chinese joins
    assert autospaces(date) == 5
    indents = signature_right_indents(["宜城市作风办"], date)
    em, spacing = SIZE_3 * 20, condensed_spacing()
    centre_of_date = 4 + text_width(date, SIZE_3, spacing) / em / 2
    assert abs(indents[0] + text_width("宜城市作风办", SIZE_3, spacing) / em / 2 - centre_of_date) < 0.1
    assert centre_of_date - (4 + chars_in(date) / 2) > 0.4  # the joins widen the date by about one character
    assert signature_right_indents(["一个非常非常非常非常长的发文机关署名"], date) == [0.0]


def test_columns_fit_their_content_and_fill_the_line():
    header = ["排名", "单位", "百分制得分"]
    rows = [["1", "退役军人事务局", "87.27"]]
    widths, lines = fit_columns(header, rows, TEXT_WIDTH, SIZE_SMALL_4, SIZE_5, CELL_PADDING)
    assert sum(widths) == TEXT_WIDTH
    assert widths[1] >= chars_in("退役军人事务局") * SIZE_SMALL_4 * 20 + CELL_PADDING
    assert lines == [("排名",), ("单位",), ("百分制得分",)]  # room enough: no header broken
    assert narrowest(header, rows, SIZE_SMALL_4, SIZE_5, CELL_PADDING) <= TEXT_WIDTH


def test_headers_break_before_their_points_and_between_words_only():
    assert header_splits("事项管理（5分）")[1] == ("事项管理", "（5分）")
    assert header_splits("一窗办改革（25分）")[2] == ("一窗办", "改革", "（25分）")
    assert header_splits("应投票次数") == [("应投票次数",), ("应投票", "次数")]
    assert header_splits("加分项") == [("加分项",)]  # no listed word inside: kept whole
    for splits in map(header_splits, ("政务服务场所标准化建设（50分）", "互联网+监管（15分）")):
        assert all(lines[-1].startswith("（") for lines in splits[1:])  # （N分） on a line of its own


def test_fourteen_column_score_table_takes_a_landscape_page_with_every_header_whole():
    header = ["排名", "部门"] + [f"事项管理{i}（25分）" for i in range(8)] + ["加分项", "扣分项", "实得分", "百分制得分"]
    rows = [[str(i), "自然资源和规划局"] + ["24.00"] * 8 + ["", "", "87.50", "92.11"] for i in range(28)]
    assert narrowest(header, rows, SIZE_SMALL_4, SIZE_5, CELL_PADDING) > TEXT_WIDTH
    widths, lines = fit_columns(header, rows, TEXT_HEIGHT, SIZE_SMALL_4, SIZE_5, CELL_PADDING)
    assert sum(widths) == TEXT_HEIGHT
    for width, cell_lines in zip(widths, lines):
        assert all(chars_in(line) * SIZE_5 * 20 + CELL_PADDING <= width for line in cell_lines)


def test_missing_date_is_a_finding(tmp_path):
    document = sample_document()
    date = next(p for p in document.paragraphs if p.style.name == "成文日期")
    date._p.getparent().remove(date._p)
    found = [f for f in saved_and_checked(document, tmp_path) if f.rule.id == "GB-DATE-01"]
    assert [f.place for f in found] == ["全文"]


HAOCHAPING_TITLE = ("永昌县深化“放管服”改革推进政府职能转变领导小组办公室关于2023年第二季度"
                    "政务服务线下“好差评”及政务服务大厅运行情况的通报")


def test_title_never_splits_a_word_a_period_or_a_number_from_its_unit():
    lines = split_title(HAOCHAPING_TITLE, 19)
    assert "".join(lines) == HAOCHAPING_TITLE
    joints = [a[-2:] + "|" + b[:2] for a, b in zip(lines, lines[1:])]
    for bad in ("推进政|府", "政|府", "2023|年", "关于|2023", "2023年|第二"):
        assert not any(bad in joint for joint in joints), joints
    assert all(line.count("“") == line.count("”") for line in lines)
    assert lines[2].startswith("关于")  # 关于 leads the line it opens


def test_letterhead_and_annex_title_of_the_haochaping_kind():
    assert split_title("永昌县深化“放管服”改革推进政府职能转变领导小组办公室", 19) == [
        "永昌县深化“放管服”改革推进", "政府职能转变领导小组办公室"]
    assert split_title("永昌县人民政府政务服务2023年第二季度线下“好差评”统计表", 19) == [
        "永昌县人民政府政务服务", "2023年第二季度线下“好差评”统计表"]


def test_a_listed_word_is_kept_whole(tmp_path):
    from pipeline.standard.title_breaks import break_costs

    costs = break_costs("某县政务服务大厅运行情况")
    text = "某县政务服务大厅运行情况"
    assert text.index("大厅") + 1 not in costs  # inside 大厅 / 政务服务大厅
    assert costs[text.index("运行")] < costs.get(1, 99)


def test_signature_centred_on_the_date_without_its_digit_spacing_is_found(tmp_path):
    document = sample_document()
    names = [p for p in document.paragraphs if p.style.name == "发文机关署名"]
    date = next(p for p in document.paragraphs if p.style.name == "成文日期").text
    for name in names:  # the old centring: half-width digits counted, the space beside them not
        indent = round(4 + chars_in(date) / 2 - chars_in(name.text) / 2, 1)
        ooxml.set_side_chars(name._p.get_or_add_pPr(), "right", indent, SIZE_3)
    found = [f for f in saved_and_checked(document, tmp_path) if f.rule.id == "GB-SIGN-01"]
    assert len(found) == len(names)


def test_a_declared_table_note_follows_its_table(tmp_path):
    from .conftest import INPUTS, TEMPLATES
    from pipeline.run.build import build_bulletin
    from pipeline.check import check_document

    document = Document(io.BytesIO(build_bulletin("2023Q2", INPUTS, TEMPLATES).docx))
    (note,) = [p for p in document.paragraphs if p.style.name == "表注"]
    assert note.text.startswith("注：投票率=实际票次数÷应投票次数")
    assert note._p.getprevious() is document.tables[0]._tbl  # right under the table
    assert [str(f) for f in check_document(document)] == []


def test_a_title_piece_is_the_longest_listed_word_that_starts_there():
    from hypothesis import given, settings, strategies as st

    from pipeline.standard.title_breaks import SPANS, _piece_at, title_words

    words = title_words()
    longer = [w for w in words if any(o != w and w.startswith(o) for o in words)]
    assert longer, "the word list has words that begin with another listed word"

    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.sampled_from(list(words) + ["情", "况", "的", "各"]), min_size=1, max_size=8))
    def pieces_are_longest_words(parts):
        text = "".join(parts)
        for i in range(1, len(text)):  # position 0 may open with a place name
            if SPANS.match(text, i):
                continue  # numbers, quotes and periods are spans of their own
            end, known = _piece_at(text, i)
            listed = [w for w in words if text.startswith(w, i)]
            assert (end, known) == ((i + len(max(listed, key=len)), True) if listed else (i + 1, False))

    pieces_are_longest_words()
