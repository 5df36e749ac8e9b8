"""Cells a clerk's export can hold and the engine cannot: whole numbers beyond 64 bits are
refused at their file, row and column (never a DuckDB error); dates written several ways in
one file are all read."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .conftest import INPUTS, PERIOD, run

HUGE = "99999999999999999999999"
CASES = "办件及评价记录.csv"


@pytest.fixture
def evaluations(tmp_path: Path) -> Path:
    """A copy of the 2023Q2 好差评 sample (a record table read in the engine)."""
    target = tmp_path / "periods"
    for name in ("2023Q2", "registries"):
        shutil.copytree(INPUTS / name, target / name)
    return target


def set_cell(path: Path, line: int, header: str, value: str) -> None:
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    column = lines[0].split(",").index(header)
    cells = lines[line - 1].split(",")
    cells[column] = value
    lines[line - 1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")


def test_a_count_beyond_64_bits_in_a_small_table_is_refused_at_its_cell(inputs: Path, tmp_path: Path):
    set_cell(inputs / PERIOD / "监管事项覆盖情况.csv", 2, "监管事项总数", HUGE)
    result = run("build", PERIOD, inputs, tmp_path / "outputs")
    assert result.exit_code == 1
    assert f"  - 监管事项覆盖情况.csv，第2行，“监管事项总数”列：数值过大，超出可计算的范围（应为实际的数量），实为“{HUGE}”" in result.output
    assert "Conversion" not in result.output and not (tmp_path / "outputs").exists()


def test_a_count_beyond_64_bits_in_a_record_table_is_refused_at_its_cell(evaluations: Path, tmp_path: Path):
    set_cell(evaluations / "2023Q2" / CASES, 4, "承诺时限（工作日）", HUGE)
    result = run("validate", "2023Q2", evaluations)
    assert result.exit_code == 1
    assert f"  - {CASES}，第4行，“承诺时限（工作日）”列：数值过大，超出可计算的范围" in result.output


def test_dates_written_three_ways_in_one_file_are_all_read(evaluations: Path, tmp_path: Path):
    path = evaluations / "2023Q2" / CASES
    first = path.read_text(encoding="utf-8-sig").splitlines()[1].split(",")[2]  # 2023-04-03
    year, month, day = (int(p) for p in first.split("-"))
    set_cell(path, 3, "申请日期", f"{year}/{month}/{day}")
    set_cell(path, 4, "申请日期", f"{year}年{month}月{day}日")
    result = run("validate", "2023Q2", evaluations)
    assert result.exit_code == 0, result.output
