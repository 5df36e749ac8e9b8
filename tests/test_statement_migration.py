"""The 好差评 kind's sections and its check's sentence, written as statements, print the paragraphs the
Jinja programs they replaced printed (the programs kept here as they were: loops, ifs, method calls),
and the rows the statements printed go to the evidence file. The programs themselves are no longer
run: the build refuses them at their line, and ``bulletin migrate`` lists them as beyond what it can
rewrite (``{% set %}``, method calls), leaving them for a person to rewrite."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

from docx import Document

from .conftest import INPUTS, TEMPLATES, run_cli

PERIOD = "2023Q2"
JINJA_EVALUATIONS_AND_BUSINESS = """  - id: evaluations
    heading: 政务服务线下“好差评”情况
    type: text
    paragraphs:
      - each: "[votes.total('政务服务大厅')] + votes.group('分中心')"
        text: >-
          {% set bad = item.dissatisfied + item.unevaluated %}{{ index }}．{{ item.text_name }}投票情况。{% if not item.expected %}{{ period.month_span }}无办件。{% else %}{{ period.month_span }}累计办件{{ item.expected }}件，群众参与投票{{ item.voted }}件，投票率{{ item.vote_rate|percent }}。其中：满意票{{ item.satisfied }}张，占比{{ item.satisfied_rate|percent }}；{% if item.basic or bad %}基本满意{{ item.basic }}张，占{{ item.basic_rate|percent }}；不满意票{{ bad }}张{% if item.unevaluated %}（未开展评价{{ item.unevaluated }}张）{% endif %}，占比{{ item.dissatisfied_rate|percent }}。{% else %}基本满意票和不满意票均为零。{% endif %}{% endif %}
  - id: business
    heading: 业务办理
    type: text
    paragraphs:
      - >-
        {% set hall = votes.total('政务服务大厅') %}{% set top = votes.busiest('政务服务大厅', 5) %}{% set idle = votes.idle('政务服务大厅') %}{{ period.year }}年{{ period.ordinal_name }}，政务服务大厅各窗口共办理政务服务事项{{ hall.expected }}件，办结{{ hall.completed }}件，办结率为{{ hall.completion_rate|percent }}。办件量排名前{{ top|length }}位的窗口依次为：{% for t in top %}{{ t.text_name }}{{ t.expected }}件{{ '、' if not loop.last else '' }}{% endfor %}。{% if idle %}{{ period.ordinal_name }}零办件的窗口{{ idle|length }}个，为{{ idle|map(attribute='text_name')|join('、') }}。{% endif %}
"""
JINJA_CHECK_SENTENCE = """    sentence: >-
      超期办件情况依然存在，{{ period.month_span }}市上反馈我县超期办件{{ findings|sum(attribute='count') }}件，其中：{% for f in findings %}{{ f }}{{ f.count }}件{{ '、' if not loop.last else '' }}{% endfor %}，

"""
JINJA_HONOURS = """  - id: honours
    heading: 评先评优
    type: text
    paragraphs:
      - >-
        根据政务服务“红黑榜”制度，对遵守纪律严格、服务行为规范的窗口在“红榜”表扬，对执行制度不严格、服务不到位在“黑榜”曝光。{{ period.month_span }}，{% for name, label in [('红榜', '红榜'), ('黑榜', '“黑榜”')] %}{% set l = lists[name] %}累计发布{{ label }}{{ l.postings }}次{{ l.persons }}人次{% if l.groups %}，其中，{% for g in l.groups %}{{ g.units|map(attribute='text_name')|join('、') }}窗口{{ g.count }}次{{ '，' if not loop.last else '' }}{% endfor %}{% endif %}{{ '；' if loop.first else '。' }}{% endfor %}{% if stars %}通过现场巡查、电子监管、群众回访等方式，加强日常考核，根据考核评价结果，{% for s in stars %}{{ s.unit.text_name }}窗口{{ s.name }}{{ '、' if not loop.last else '' }}{% endfor %}被评为“季度服务明星”。{% endif %}
"""


def build(root: Path) -> tuple[list[str], list[list[str]]]:
    result = run_cli("build", "--period", PERIOD, "--inputs", str(root / "periods"), "--templates", str(root / "templates"),
                     "--outputs", str(root / "outputs"))
    assert result.exit_code == 0, result.output
    folder = root / "outputs" / PERIOD
    docx = Document(str(next(p for p in folder.glob("*.docx"))))
    rows = list(csv.reader(io.StringIO(next(folder.glob("*_问题依据.csv")).read_text(encoding="utf-8-sig"))))
    return [p.text for p in docx.paragraphs], rows


def replaced(text: str, start: str, end: str, by: str) -> str:
    return text[:text.index(start)] + by + text[text.index(end):]


def jinja_kind(root: Path) -> Path:
    """The samples with the 好差评 kind's sections as the Jinja programs they were."""
    shutil.copytree(INPUTS, root / "periods")  # a copy of the frozen samples
    shutil.copytree(TEMPLATES, root / "templates")
    kind = root / "templates" / "haochaping" / "kind.yaml"
    text = kind.read_text(encoding="utf-8")
    text = replaced(text, "  - id: evaluations\n", "  - id: news\n", JINJA_EVALUATIONS_AND_BUSINESS)
    text = replaced(text, "  - id: honours\n", "  - id: problems\n", JINJA_HONOURS)
    kind.write_text(text, encoding="utf-8")
    return kind


def test_the_sections_written_as_statements_read_as_the_programs_did(tmp_path):
    shutil.copytree(INPUTS, tmp_path / "periods")
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    after, rows = build(tmp_path)
    assert any(p.startswith("6．教育分中心投票情况。") for p in after)
    assert any("被评为“季度服务明星”" in p for p in after)
    assert any("市上反馈我县超期办件14件，其中：人社局7件、市场监管局4件、医保局3件，" in p for p in after)
    printed = [r for r in rows if r[2] in ("大厅", "分中心窗口", "办件量前五", "零办件窗口", "lists.红榜.groups", "lists.黑榜.groups", "stars")]
    assert {r[2] for r in printed} == {"大厅", "分中心窗口", "办件量前五", "零办件窗口", "lists.红榜.groups", "lists.黑榜.groups", "stars"}
    assert all(r[1] == "评先评优" for r in printed if r[2] in ("lists.红榜.groups", "stars"))


def test_the_programs_are_refused_at_their_line_and_left_by_migrate(tmp_path):
    kind = jinja_kind(tmp_path)
    text = kind.read_text(encoding="utf-8")
    result = run_cli("build", "--period", PERIOD, "--inputs", str(tmp_path / "periods"), "--templates",
                     str(tmp_path / "templates"), "--outputs", str(tmp_path / "outputs"))
    assert result.exit_code == 1 and not (tmp_path / "outputs").exists()
    line = text[: text.index("{% set bad = item.dissatisfied")].count("\n") + 1
    assert f"haochaping/kind.yaml，第{line}行：" in result.output and "bulletin migrate" in result.output
    migrated = run_cli("migrate", str(kind))
    assert migrated.exit_code == 1
    assert f"无法改写：{kind}，第{line}行：" in migrated.output and "{% set %}" in migrated.output
    assert kind.read_text(encoding="utf-8") == text
