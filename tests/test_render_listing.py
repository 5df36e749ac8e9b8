"""The tabs, line breaks and page breaks a value carries into the rendered WordprocessingML are
worked out as docxtpl works them out, paragraph for paragraph, whatever the paragraphs hold."""

from __future__ import annotations

from docxtpl import DocxTemplate
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.render.docx_writer import _ParsedTemplate

from .conftest import TEMPLATES

TEXT = st.text(st.sampled_from("文字a \t\a\n\f&;"), max_size=12)
RUN = st.builds(lambda props, text: f"<w:r>{props}<w:t xml:space=\"preserve\">{text}</w:t></w:r>",
                st.sampled_from(["", "<w:rPr><w:b/></w:rPr>"]), TEXT)
PARAGRAPH = st.builds(lambda open_tag, props, runs: open_tag + props + "".join(runs) + "</w:p>",
                      st.sampled_from(["<w:p>", '<w:p w:rsidR="00A1">']),
                      st.sampled_from(["", "<w:pPr><w:jc w:val=\"center\"/></w:pPr>"]), st.lists(RUN, max_size=3))
BETWEEN = st.sampled_from(["", "\n", "<w:tbl><w:tr><w:tc>", "</w:tc></w:tr></w:tbl>", "<w:sectPr/>", "\t"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(BETWEEN, PARAGRAPH), max_size=6), BETWEEN)
def test_breaks_in_text_come_out_as_docxtpl_writes_them(pieces, tail):
    xml = "<w:body>" + "".join(between + paragraph for between, paragraph in pieces) + tail + "</w:body>"
    template = _ParsedTemplate(TEMPLATES / "assessment" / "bulletin.docx")
    assert template.resolve_listing(xml) == DocxTemplate.resolve_listing(template, xml)
