"""Many bulletins in one process (``build --all``), and progress shown only on a terminal."""

from __future__ import annotations

import io
import shutil

from pipeline import progress
from pipeline.build import build_bulletin

from .conftest import FIXTURE_INPUTS, INPUTS, TEMPLATES, run_cli


def two_periods(tmp_path):
    inputs = tmp_path / "inputs"
    shutil.copytree(FIXTURE_INPUTS, inputs)
    shutil.copytree(INPUTS / "2023Q2", inputs / "2023Q2")
    shutil.copy(INPUTS / "registries/永昌县.yaml", inputs / "registries/永昌县.yaml")
    (inputs / "notes").mkdir()  # not a period: left alone
    return inputs


def test_build_all_writes_every_period_as_single_builds_do(tmp_path):
    inputs, outputs = two_periods(tmp_path), tmp_path / "outputs"
    result = run_cli("build", "--all", "--inputs", str(inputs), "--templates", str(TEMPLATES), "--outputs", str(outputs))
    assert result.exit_code == 0, result.output
    assert "共生成 2/2 期通报" in result.output and "每秒" in result.output
    for period in ("2023Q2", "2024Q1"):
        (docx,) = (outputs / period).glob("*.docx")
        assert docx.read_bytes() == build_bulletin(period, inputs, TEMPLATES).docx
    assert "\r" not in result.output  # not a terminal: no progress line


def test_a_failing_period_does_not_stop_the_others(tmp_path):
    inputs, outputs = two_periods(tmp_path), tmp_path / "outputs"
    (inputs / "2023Q2/红黑榜发布记录.csv").unlink()
    result = run_cli("build", "--all", "--inputs", str(inputs), "--templates", str(TEMPLATES), "--outputs", str(outputs))
    assert result.exit_code == 1
    assert "共生成 1/2 期通报" in result.output and "未生成：2023Q2" in result.output
    assert list((outputs / "2024Q1").glob("*.docx")) and not (outputs / "2023Q2").exists()


def test_build_without_a_period_or_all_is_a_usage_error():
    result = run_cli("build")
    assert result.exit_code == 2 and "--all" in result.output


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_names_the_stage_and_rows_on_a_terminal_only(tmp_path):
    terminal, log = Terminal(), io.StringIO()
    try:
        progress.enable(terminal)
        build_bulletin("2023Q2", INPUTS, TEMPLATES)
        progress.done()
        progress.enable(log)
        build_bulletin("2023Q2", INPUTS, TEMPLATES)
    finally:
        progress.enable(io.StringIO())
    shown = terminal.getvalue()
    assert "检查 办件及评价记录.csv：6,296 行" in shown and "2023Q2：排版" in shown
    assert shown.endswith("\r") and log.getvalue() == ""
