"""Configured sentences: said in the statement language only (no program runs), and data is never
parsed as a sentence."""

import pytest

from pipeline.compose import narrative_paragraphs, split_lead
from pipeline.language.errors import LanguageError
from pipeline.language.prose import markdown_lines, parse_prose
from pipeline.language.formats import chinese_number
from pipeline.language.sentence import Scope


def test_values_from_data_are_inserted_as_typed():
    assert Scope({"name": "{{ 7*7 }} & <b>"}).fill("{{ name }}出现问题") == "{{ 7*7 }} & <b>出现问题"


@pytest.mark.parametrize("source", ["{{ x.__class__ }}", "{{ x.__class__.__mro__[1].__subclasses__() }}", "{{ x.upper }}"])
def test_a_sentence_cannot_reach_python_internals(source):
    with pytest.raises(LanguageError):
        Scope({"x": ""}).fill(source)


@pytest.mark.parametrize(
    "source, reason",
    [("{{ findings|join('、') 未整改", "不是允许的写法"), ("{{ nowhere }}", "名称“nowhere”不存在"),
     ("{% for f in findings %}{{ f }}{% endfor %}", "请运行 bulletin migrate")],
)
def test_a_sentence_that_cannot_be_said_is_explained_in_chinese(source, reason):
    with pytest.raises(LanguageError, match=reason):
        Scope({"findings": []}).fill(source)


@pytest.mark.parametrize("n, text", [(1, "一"), (3, "三"), (10, "十"), (12, "十二"), (20, "二十"), (35, "三十五")])
def test_chinese_numbers(n, text):
    assert chinese_number(n) == text


def test_a_paragraph_opening_with_a_numbered_sentence_gets_it_as_lead():
    paragraph = split_lead("（二）率先推进知识库建设。重点围绕高频事项。")
    assert (paragraph.lead, paragraph.text) == ("（二）率先推进知识库建设。", "重点围绕高频事项。")
    assert split_lead("一是宣传力度不够。").lead == ""


def test_narrative_paragraphs_are_separated_by_blank_lines_and_lines_join():
    paragraphs = narrative_paragraphs(parse_prose("a.md", markdown_lines("第一段上半，\n下半。\n\n\n第二段。\n"), statements=False))
    assert [p.text for p in paragraphs] == ["第一段上半，下半。", "第二段。"]


def test_a_paragraph_opening_with_an_arabic_numbered_sentence_gets_a_level_3_lead():
    paragraph = split_lead("1．县政务服务大厅投票情况。4-6月份累计办件3816件。")
    assert (paragraph.level, paragraph.lead, paragraph.text) == (3, "1．县政务服务大厅投票情况。", "4-6月份累计办件3816件。")
    assert split_lead("2024年第二季度，共办理3816件。").lead == ""
    assert split_lead("3.5万件。").lead == ""


def test_a_misspelt_value_in_a_sentence_names_the_values_there_are():
    with pytest.raises(LanguageError, match="是否为“findings”？（可用：findings、params）"):
        Scope({"findings": [], "params": {}}).fill("{{ finding|列举 }}未整改。")


@pytest.mark.parametrize(("text", "shape"), [
    ("（一）推进改革", (2, "推进改革", "")),
    ("（二）" + "很长的标题" * 20, (2, "很长的标题" * 20, "")),
    ("1．深化改革。全市推进。", (3, "深化改革。", "全市推进。")),
    ("（1）窗口情况。办件3件。", (4, "窗口情况。办件3件。", "")),
    ("一、总体情况", (1, "总体情况", "")),
    ("一、二季度全市共办件3件。", None),
    ("3.5万件。", None),
])
def test_a_prose_line_is_a_heading_by_its_typed_number(text, shape):
    from pipeline.language.prose import ProseLine, heading_of

    heading = heading_of(ProseLine(text, 1), "a.md")
    assert (heading and (heading.level, heading.text, heading.rest)) == shape
