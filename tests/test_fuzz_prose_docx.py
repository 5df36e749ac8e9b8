"""A structure-aware fuzzer over the clerk's prose .docx: random paragraphs of random runs (text
with names, formats, heading numbers, fences, marks and old template tags; highlights, tabs,
insertions, deletions, content controls), paragraph and style properties (heading styles, styles
based on styles — in a circle too —, outline levels Word would not write, styles that do not
exist), tables among the paragraphs. Read alone, the file gives its lines or a refusal naming the
file (and, past the opening, the paragraph); built as the yearly kind's summary, `bulletin
validate` ends with exit 0 or 1 and a message naming the file — never a traceback.

CI runs a bounded number of examples (the same every time); BULLETIN_FUZZ_EXAMPLES=2000
runs more, at random.
"""

from __future__ import annotations

import io
import shutil
import zipfile
from typing import NamedTuple
from xml.sax.saxutils import escape

import pytest
from docx import Document
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from pipeline.config.prose_check import prose_problems
from pipeline.language.prose import ProseError, parse_prose
from pipeline.word.opener import WordFileError
from pipeline.word.prose_docx import docx_lines

from .conftest import FIXTURE_INPUTS, TEMPLATES, run_cli
from .test_fuzz_workbooks import FUZZ

YEAR = "2024"
SUMMARY = "年度工作总结.docx"
SHOWN = f"{YEAR}/{SUMMARY}"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
PIECES = ["全年办件", "{{ 全市.办件量 }}", "{{ 全市.全程网办率|百分比 }}", "{{ 全是.办件量 }}", "{{ 全市.办件量|中文字 }}",
          "{{ 全市.", "办件量 }}", "{{", "}}", "一、", "（一）", "1．", "（1）", "二、存在的问题", "。", "，", "==", "请填写",
          "```", "···", "- each: 各组", "  text: “{{ group }}”", "- when: 网办率偏低", "text：甲", "  join: ；",
          "{% if x %}", "{% endif %}", "{#", "%}", "&", "<", "\"", "'", " ", "\u3000", "𠀀", "\t"]
STYLE_IDS = ["Heading1", "Heading2", "Heading3", "Heading4", "Title5", "CN2", "Own", "Loop1", "Loop2", "Missing", ""]
OUTLINE = ["0", "1", "2", "3", "4", "8", "9", "-1", "x", "", "1.5", "99999999999"]


class Run(NamedTuple):
    text: str
    highlight: str | None = None  # w:highlight's value; None for none written
    wrapper: str = ""  # "ins", "del", "hyperlink", "" (a bare run)
    tab: bool = False


class Paragraph(NamedTuple):
    runs: list
    style: str | None = None
    outline: str | None = None
    in_control: bool = False  # inside a content control (w:sdt)
    table_after: bool = False


def _run_xml(run: Run) -> str:
    highlight = f'<w:rPr><w:highlight w:val="{escape(run.highlight, {chr(34): "&quot;"})}"/></w:rPr>' if run.highlight is not None else ""
    tag = "w:delText" if run.wrapper == "del" else "w:t"
    body = f'<w:r>{highlight}{"<w:tab/>" if run.tab else ""}<{tag} xml:space="preserve">{escape(run.text)}</{tag}></w:r>'
    if run.wrapper in ("ins", "del"):
        return f'<w:{run.wrapper} w:id="1" w:author="a">{body}</w:{run.wrapper}>'
    return f"<w:hyperlink>{body}</w:hyperlink>" if run.wrapper == "hyperlink" else body


def _paragraph_xml(paragraph: Paragraph) -> str:
    properties = ""
    if paragraph.style is not None or paragraph.outline is not None:
        style = f'<w:pStyle w:val="{paragraph.style}"/>' if paragraph.style is not None else ""
        outline = f'<w:outlineLvl w:val="{paragraph.outline}"/>' if paragraph.outline is not None else ""
        properties = f"<w:pPr>{style}{outline}</w:pPr>"
    xml = f"<w:p>{properties}{''.join(_run_xml(r) for r in paragraph.runs)}</w:p>"
    if paragraph.in_control:
        xml = f"<w:sdt><w:sdtContent>{xml}</w:sdtContent></w:sdt>"
    table = "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>表</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
    return xml + (table if paragraph.table_after else "")


def _style(style_id: str, name: str, based_on: str = "", outline: str | None = None) -> str:
    based = f'<w:basedOn w:val="{based_on}"/>' if based_on else ""
    level = f'<w:pPr><w:outlineLvl w:val="{outline}"/></w:pPr>' if outline is not None else ""
    return f'<w:style w:type="paragraph" w:styleId="{style_id}"><w:name w:val="{name}"/>{based}{level}</w:style>'


def _styles_xml(outline: str) -> bytes:
    styles = [_style("Normal", "Normal"), *(_style(f"Heading{n}", f"heading {n}") for n in range(1, 5)),
              _style("Title5", "标题 5"), _style("CN2", "标题 2"), _style("Own", "我的标题", "Heading2"),
              _style("Loop1", "甲", "Loop2", outline), _style("Loop2", "乙", "Loop1")]
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles xmlns:w="{W_NS}">'
            f'{"".join(styles)}</w:styles>').encode()


def word_bytes(paragraphs: list[Paragraph], style_outline: str) -> bytes:
    """A .docx of these paragraphs, on python-docx's own package, with the styles above."""
    buffer = io.BytesIO()
    Document().save(buffer)
    body = "".join(_paragraph_xml(p) for p in paragraphs)
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W_NS}">'
                f"<w:body>{body}<w:sectPr/></w:body></w:document>").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = {"word/document.xml": document, "word/styles.xml": _styles_xml(style_outline)}.get(info.filename)
            target.writestr(info.filename, data if data is not None else source.read(info.filename))
    return out.getvalue()


RUNS = st.builds(Run, st.lists(st.sampled_from(PIECES), max_size=6).map("".join),
                 st.one_of(st.none(), st.sampled_from(["yellow", "none", "green", "", "bogus"])),
                 st.sampled_from(["", "", "ins", "del", "hyperlink"]), st.booleans())
PARAGRAPHS = st.builds(Paragraph, st.lists(RUNS, max_size=5), st.one_of(st.none(), st.sampled_from(STYLE_IDS)),
                       st.one_of(st.none(), st.sampled_from(OUTLINE)), st.booleans(),
                       st.sampled_from([False] * 9 + [True]))
DOCUMENTS = st.lists(PARAGRAPHS, max_size=12)
FIRST = Paragraph([Run("一、总体情况")], "Heading1")
ODD_OUTLINE = [Paragraph([Run("总体情况")], None, "x"), Paragraph([Run("文字")], "Loop1")]


def read(data: bytes) -> list[str]:
    """What the product makes of the file: its problems, or the one refusal; a traceback fails the test."""
    try:
        lines = docx_lines(data, SHOWN)
        document = parse_prose(SUMMARY, lines)
    except WordFileError as refusal:
        assert str(refusal).startswith(f"{SHOWN}：") and refusal.reason
        return [str(refusal)]
    except ProseError as refusal:
        assert str(refusal).startswith("第") and "段（“" in str(refusal), str(refusal)
        return [str(refusal)]
    assert len(lines) >= sum(1 for part in document.parts)
    problems = prose_problems(SHOWN, document, {}, 1)
    for problem in problems:
        assert problem.file == SHOWN and problem.message.startswith("第") and "段（“" in problem.message, problem
    return [problem.message for problem in problems]


@FUZZ
@given(paragraphs=DOCUMENTS, style_outline=st.sampled_from(OUTLINE))
@example(paragraphs=ODD_OUTLINE, style_outline="x")  # an outline level Word would not write: was a ValueError
@example(paragraphs=[Paragraph([Run("文字")], "Loop2")], style_outline="99999999999")
def test_a_fuzzed_word_file_reads_or_is_refused_at_its_paragraph(paragraphs, style_outline):
    event("refused" if read(word_bytes(paragraphs, style_outline)) else "read clean")


@pytest.fixture(scope="module")
def yearly(tmp_path_factory):
    """One copy of the fixture inputs and the kinds, whose summary each example replaces."""
    root = tmp_path_factory.mktemp("fuzz-prose")
    shutil.copytree(FIXTURE_INPUTS, root / "periods")
    shutil.copytree(TEMPLATES, root / "templates")
    return root


@settings(FUZZ, max_examples=min(FUZZ.max_examples, 12), suppress_health_check=list(HealthCheck))
@given(paragraphs=DOCUMENTS)
@example(paragraphs=ODD_OUTLINE)
def test_validate_over_a_fuzzed_summary_ends_with_a_message_naming_the_file(yearly, paragraphs):
    (yearly / "periods" / YEAR / SUMMARY).write_bytes(word_bytes([FIRST, *paragraphs], "1"))
    result = run_cli("validate", "--period", YEAR, "--inputs", str(yearly / "periods"), "--templates", str(yearly / "templates"))
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output
    if result.exit_code == 1:
        assert SHOWN in result.output, result.output
    event(f"validate exit {result.exit_code}")
