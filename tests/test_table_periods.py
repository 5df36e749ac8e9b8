"""Record tables that cannot be this period's: a header with no row under it, or dates that
fall (mostly or all) outside the period, as when last quarter's files are copied forward."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import openpyxl
import pytest

from .conftest import FIXTURE_INPUTS, FIXTURES, PERIOD, change_bulletin, run

HOTLINE = FIXTURES / "hotline"
MONTH = "2024-05"
TICKETS = "12345热线工单.csv"


@pytest.fixture
def hotline(tmp_path: Path) -> Path:
    target = tmp_path / "periods"
    shutil.copytree(HOTLINE, target)
    return target


def keep_header(path: Path) -> None:
    text = path.read_text(encoding="utf-8-sig")
    path.write_text(text.splitlines()[0] + "\n", encoding="utf-8-sig")


def test_tickets_csv_with_only_its_header_is_refused_at_the_file(hotline: Path, tmp_path: Path):
    keep_header(hotline / MONTH / TICKETS)
    result = run("build", MONTH, hotline, tmp_path / "outputs")
    assert result.exit_code == 1
    assert f"  - {TICKETS}：只有表头，没有数据行" in result.output
    assert "kind.yaml" not in result.output and "Ibis" not in result.output
    assert not (tmp_path / "outputs").exists()


def test_tickets_workbook_with_only_its_header_is_refused_at_the_file(hotline: Path, tmp_path: Path):
    with open(hotline / MONTH / TICKETS, encoding="utf-8-sig") as f:
        header = next(csv.reader(f))
    book = openpyxl.Workbook()
    book.active.title = "工单"
    book.active.append(header)
    book.save(hotline / MONTH / "工单.xlsx")
    change_bulletin(hotline, {"files": {"tickets": {"file": "工单.xlsx", "sheet": "工单"}}}, MONTH)
    result = run("validate", MONTH, hotline)
    assert result.exit_code == 1
    assert "  - 工单.xlsx，工作表“工单”：只有表头，没有数据行" in result.output
    assert "kind.yaml" not in result.output


def test_a_small_table_with_only_its_header_builds_with_a_warning(inputs: Path, tmp_path: Path):
    keep_header(inputs / PERIOD / "办件记录.csv")
    result = run("build", PERIOD, inputs, tmp_path / "outputs")
    assert result.exit_code == 0, result.output
    assert "注意：办件记录.csv：只有表头，没有数据行" in result.output


def shift_years(path: Path, years: int, rows: int | None = None) -> None:
    """Every date of the file (or of its first ``rows`` records) moved by ``years``."""
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    last = len(lines) if rows is None else rows + 1
    moved = [re.sub(r"\b(20\d\d)-", lambda m: f"{int(m[1]) + years}-", line) for line in lines[1:last]]
    path.write_text("\n".join([lines[0], *moved, *lines[last:]]) + "\n", encoding="utf-8-sig")


def test_last_years_records_warn_naming_the_file_and_the_period(inputs: Path, tmp_path: Path):
    shift_years(inputs / PERIOD / "办件记录.csv", -1)
    result = run("build", PERIOD, inputs, tmp_path / "outputs")
    assert result.exit_code == 0, result.output
    assert ("注意：办件记录.csv，“申请日期”列：没有一条记录的日期在本期2024年一季度（2024年1月1日至2024年3月31日）内"
            in result.output)


def test_most_records_outside_the_period_warn_with_how_many(hotline: Path, tmp_path: Path):
    path = hotline / MONTH / TICKETS
    total = len(path.read_text(encoding="utf-8-sig").splitlines()) - 1
    moved = total // 2 + 1
    shift_years(path, -1, moved)
    result = run("build", MONTH, hotline, tmp_path / "outputs")
    assert result.exit_code == 0, result.output
    assert f"注意：{TICKETS}，“派单日期”列：{total:,} 条记录中有 {moved:,} 条的日期不在本期2024年5月" in result.output


def test_records_of_the_period_give_no_such_warning(hotline: Path, tmp_path: Path):
    result = run("build", MONTH, hotline, tmp_path / "outputs")
    assert result.exit_code == 0, result.output
    assert "本期" not in "".join(line for line in result.output.splitlines() if line.startswith("注意"))


def test_a_dataset_declaring_refuse_refuses_records_of_another_period(inputs: Path, tmp_path: Path):
    shift_years(inputs / PERIOD / "办件记录.csv", -1)
    change_bulletin(inputs, {"datasets": {"cases": {"outside_period": "refuse"}}})
    result = run("build", PERIOD, inputs, tmp_path / "outputs")
    assert result.exit_code == 1
    assert "  - 办件记录.csv，“申请日期”列：没有一条记录的日期在本期2024年一季度" in result.output
    assert not (tmp_path / "outputs").exists()
