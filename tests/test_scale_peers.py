"""The checked peer of the scale benchmark (bench/checked_query.py) checks what the build checks
of the case records: on the same bad file both refuse, on a good one both count the same."""

import csv
import shutil
from pathlib import Path

import pytest

from bench.bench_scale import calendar_file
from bench.checked_query import main as checked_peer

from .conftest import INPUTS, run

PERIOD = "2023Q2"
RECORDS = "办件及评价记录.csv"
QUARTER = ["--start", "2023-04-01", "--end", "2023-06-30", "--cutoff", "2023-06-30"]


@pytest.fixture
def period(tmp_path: Path) -> Path:
    """A copy of the 2023Q2 sample (6,296 cases) and its registry."""
    shutil.copytree(INPUTS / PERIOD, tmp_path / "periods" / PERIOD)
    shutil.copytree(INPUTS / "registries", tmp_path / "periods" / "registries")
    return tmp_path / "periods"


def cases(period: Path) -> list[list[str]]:
    with open(period / PERIOD / RECORDS, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def write_cases(period: Path, rows: list[list[str]]) -> None:
    with open(period / PERIOD / RECORDS, "w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def peer(period: Path, capsys) -> tuple[int, str]:
    """The checked peer's exit code and what it printed."""
    calendar = calendar_file(period)
    status = checked_peer([str(period / PERIOD / RECORDS), str(calendar), str(period / "registries" / "永昌县.yaml"), *QUARTER])
    return status, capsys.readouterr().out


def repeated_id(rows):  # each spoils the record on line 10 of the file
    rows[9][0] = rows[3][0]


def blank_date(rows):
    rows[9][2] = ""


def unknown_window(rows):
    rows[9][1] = "县统计局"


def unknown_grade(rows):
    rows[9][5] = "很好"


def no_time_limit(rows):
    rows[9][3] = "0"


def completed_before_applied(rows):
    rows[9][4] = "2023-03-01"


@pytest.mark.parametrize("spoil, build_says, peer_says", [
    (repeated_id, "与第4行重复", "办件编号重复：1 行"),
    (blank_date, "缺少数值", "申请日期为空：1 行"),
    (unknown_window, "县统计局", "办理窗口不在名录中：1 行"),
    (unknown_grade, "很好", "评价结果不是选项之一：1 行"),
    (no_time_limit, "不能小于 1", "承诺时限超出 1–365：1 行"),
    (completed_before_applied, "不能早于", "办结日期早于申请日期：1 行"),
])
def test_both_refuse_the_same_bad_record(period, tmp_path, capsys, spoil, build_says, peer_says):
    rows = cases(period)
    spoil(rows)
    write_cases(period, rows)
    result = run("build", PERIOD, period, tmp_path / "outputs")
    assert result.exit_code == 1 and build_says in result.output and "第10行" in result.output
    assert not (tmp_path / "outputs" / PERIOD).exists()
    status, said = peer(period, capsys)
    assert status == 1 and peer_says in said


def test_on_a_good_file_both_count_the_same_overdue_cases(period, tmp_path, capsys):
    result = run("build", PERIOD, period, tmp_path / "outputs")
    assert result.exit_code == 0, result.output
    evidence = next((tmp_path / "outputs" / PERIOD).glob("*_问题依据.csv"))
    with open(evidence, encoding="utf-8-sig", newline="") as handle:
        overdue = [row for row in csv.DictReader(handle) if row["规则"] == "overdue_case_counts"]
    status, said = peer(period, capsys)
    assert status == 0
    _, cases_counted, overdue_counted = (int(word) for word in said.splitlines()[-1].split() if word.isdigit())
    assert cases_counted == len(cases(period)) - 1
    assert overdue_counted == len(overdue) > 0
