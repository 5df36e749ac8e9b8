"""One way each: the line a key is written on, a date and a span of dates as a 公文 writes
them, and a clerk's text decoded."""

import datetime as dt
import time

import yaml

from pipeline.config.dates import date_problems
from pipeline.config.declared import SETTINGS
from pipeline.config.view import Settings
from pipeline.core.encoding import UnknownEncoding, decode_text
from pipeline.core.period import Period, format_date, format_month_day
from pipeline.core.yamlio import key_lines
from pipeline.load import reader

BULLETIN = """\
title: 测试市2024年一季度通报
issued_on: 2024-03-01
document:
  doc_number: 测政办〔2024〕1号
offices:
  永宁县: {registry: 永宁县名录.yaml}
  2027: {}
"""


def test_every_key_by_its_path_at_its_line():
    lines = key_lines(BULLETIN)
    assert lines[("title",)] == 1 and lines[("issued_on",)] == 2 and lines[("document", "doc_number")] == 4
    assert lines[("offices", "永宁县")] == 6 and lines[("offices", "2027")] == 7
    assert lines[("offices", "永宁县", "registry")] == 6


def test_the_text_and_its_composed_nodes_give_the_same_lines():
    assert key_lines(yaml.compose(BULLETIN)) == key_lines(BULLETIN)


def test_text_yaml_cannot_read_has_no_lines():
    assert key_lines("title: [unclosed\n") == {} and key_lines("") == {}


def test_aliases_past_the_limit_are_not_walked():
    """Ten keys each naming the level below ten times: 10⁷ keys written out, 80 lines written."""
    levels = ["l0: &l0 {a: 1, b: 2}"]
    for n in range(1, 8):
        levels.append(f"l{n}: &l{n} {{" + ", ".join(f"k{i}: *l{n - 1}" for i in range(10)) + "}")
    start = time.perf_counter()
    assert key_lines("\n".join(levels) + "\n") == {}
    assert time.perf_counter() - start < 2


def test_a_date_departure_is_placed_at_its_key(tmp_path):
    path = tmp_path / "bulletin.yaml"
    path.write_text(BULLETIN, encoding="utf-8")
    settings = Settings({"issued_on": dt.date(2024, 3, 1)}, SETTINGS)
    (problem,) = [p for p in date_problems(Period.parse("2024Q1"), settings, path) if "issued_on" in p.message]
    assert problem.row == 2
    assert "2024年3月1日早于统计周期 2024Q1（2024年1月1日至2024年3月31日）的结束日" in problem.message


def test_a_date_is_written_one_way():
    day = dt.date(2024, 6, 2)
    assert (format_date(day), format_month_day(day)) == ("2024年6月2日", "6月2日")
    assert Period.parse("2024-02").date_span == "2024年2月1日至2024年2月29日"


def test_one_decoder_for_every_clerks_text():
    assert reader.decode_text is decode_text  # the table reader's own copy is gone
    assert decode_text("表头".encode("gb18030")) == "表头"
    try:
        decode_text(b"\x00\xff\x00")
    except UnknownEncoding as error:
        assert error.shown() == ["无法识别文件编码：应为 UTF-8、UTF-8（带 BOM）、UTF-16 或 GBK/GB18030 编码的文本"]
