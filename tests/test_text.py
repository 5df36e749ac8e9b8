"""Configured sentences: sandboxed, and data is never parsed as a template."""

import pytest

from pipeline.compose import narrative_paragraphs, split_lead
from pipeline.language.text import WordingError, render_text
from pipeline.language.formats import chinese_number


def test_values_from_data_are_inserted_as_typed():
    assert render_text("{{ name }}出现问题", name="{{ 7*7 }} & <b>") == "{{ 7*7 }} & <b>出现问题"


def test_templates_cannot_reach_python_internals():
    with pytest.raises(WordingError, match="不允许的操作"):
        render_text("{{ x.__class__.__mro__[1].__subclasses__() }}", x="")


@pytest.mark.parametrize(
    "source, reason",
    [("{{ findings|join('、') 未整改", "模板语法错误"), ("{{ nowhere }}", "引用了不存在的值")],
)
def test_a_sentence_that_cannot_render_is_explained_in_chinese(source, reason):
    with pytest.raises(WordingError, match=reason):
        render_text(source, findings=[])


@pytest.mark.parametrize("n, text", [(1, "一"), (3, "三"), (10, "十"), (12, "十二"), (20, "二十"), (35, "三十五")])
def test_chinese_numbers(n, text):
    assert chinese_number(n) == text


def test_a_paragraph_opening_with_a_numbered_sentence_gets_it_as_lead():
    paragraph = split_lead("（二）率先推进知识库建设。重点围绕高频事项。")
    assert (paragraph.lead, paragraph.text) == ("（二）率先推进知识库建设。", "重点围绕高频事项。")
    assert split_lead("一是宣传力度不够。").lead == ""


def test_narrative_paragraphs_are_separated_by_blank_lines_and_lines_join():
    paragraphs = narrative_paragraphs("第一段上半，\n下半。\n\n\n第二段。\n")
    assert [p.text for p in paragraphs] == ["第一段上半，下半。", "第二段。"]


def test_a_paragraph_opening_with_an_arabic_numbered_sentence_gets_a_level_3_lead():
    paragraph = split_lead("1．县政务服务大厅投票情况。4-6月份累计办件3816件。")
    assert (paragraph.level, paragraph.lead, paragraph.text) == (3, "1．县政务服务大厅投票情况。", "4-6月份累计办件3816件。")
    assert split_lead("2024年第二季度，共办理3816件。").lead == ""
    assert split_lead("3.5万件。").lead == ""


def test_a_misspelt_value_in_a_sentence_names_the_values_there_are():
    from pipeline.language.text import WordingError

    with pytest.raises(WordingError, match="可用的值：findings、params"):
        render_text("{{ finding|join('、') }}未整改。", findings=[], params={})
