"""The 好差评 kind's 红黑榜 paragraph, written as statements instead of a Jinja program, prints the
same paragraph on the sample period, and its figures' rows go to the evidence file."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

from docx import Document

from .conftest import INPUTS, TEMPLATES, run_cli

PERIOD = "2023Q2"
STATEMENTS = """    body:
      - text: 根据政务服务“红黑榜”制度，对遵守纪律严格、服务行为规范的窗口在“红榜”表扬，对执行制度不严格、服务不到位在“黑榜”曝光。{{ period.month_span }}，累计发布红榜{{ lists.红榜.postings }}次{{ lists.红榜.persons }}人次
        items:
          - {each: lists.红榜.groups, before: ，其中，, text: "{{ units.text_name|列举 }}窗口{{ count }}次", join: ，}
          - text: ；累计发布“黑榜”{{ lists.黑榜.postings }}次{{ lists.黑榜.persons }}人次
          - {each: lists.黑榜.groups, before: ，其中，, text: "{{ units.text_name|列举 }}窗口{{ count }}次", join: ，}
          - text: 。
          - each: stars
            before: 通过现场巡查、电子监管、群众回访等方式，加强日常考核，根据考核评价结果，
            text: "{{ unit.text_name }}窗口{{ name }}"
            join: 、
            after: 被评为“季度服务明星”。
"""


def build(root: Path) -> tuple[list[str], list[list[str]]]:
    result = run_cli("build", "--period", PERIOD, "--inputs", str(root / "inputs"), "--templates", str(root / "templates"),
                     "--outputs", str(root / "outputs"))
    assert result.exit_code == 0, result.output
    folder = root / "outputs" / PERIOD
    docx = Document(str(next(p for p in folder.glob("*.docx"))))
    rows = list(csv.reader(io.StringIO(next(folder.glob("*_问题依据.csv")).read_text(encoding="utf-8-sig"))))
    return [p.text for p in docx.paragraphs], rows


def test_the_red_and_black_list_paragraph_reads_the_same_written_as_statements(tmp_path):
    for name in ("before", "after"):
        shutil.copytree(INPUTS, tmp_path / name / "inputs")
        shutil.copytree(TEMPLATES, tmp_path / name / "templates")
    kind = tmp_path / "after" / "templates" / "haochaping" / "kind.yaml"
    text = kind.read_text(encoding="utf-8")
    start = text.index("    type: text\n    paragraphs:\n      - >-\n        根据政务服务“红黑榜”制度")
    end = text.index("  - id: problems\n    heading: 存在的问题及下一步措施")
    kind.write_text(text[:start] + STATEMENTS + text[end:], encoding="utf-8")
    before, old_rows = build(tmp_path / "before")
    after, rows = build(tmp_path / "after")
    assert after == before
    assert any("被评为“季度服务明星”" in p for p in after)
    printed = [r for r in rows if r not in old_rows]
    assert {r[2] for r in printed} == {"lists.红榜.groups", "lists.黑榜.groups", "stars"}
    assert all(r[0] == "四、" and r[1] == "评先评优" for r in printed)
