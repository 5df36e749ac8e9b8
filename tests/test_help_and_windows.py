"""Every command explains itself in Chinese with an example; what a Windows office PC needs is found or named."""

from __future__ import annotations

import subprocess
import sys

import pytest

from pipeline.cli import main
from pipeline.core.tools import find_tool, missing_tool_message

from .conftest import ROOT, run_cli

COMMANDS = sorted(main.commands)


@pytest.mark.parametrize("name", COMMANDS)
def test_each_command_has_chinese_help_with_an_example(name):
    result = run_cli(name, "--help")
    assert result.exit_code == 0
    assert "用法：bulletin " + name in result.output and "例：bulletin " + name in result.output
    assert "显示本说明后退出" in result.output
    assert "Show this message" not in result.output and "[required]" not in result.output


def test_the_command_list_is_in_chinese():
    result = run_cli("--help")
    assert "命令:" in result.output and "例：bulletin build --period 2024Q1 --check" in result.output
    for name in COMMANDS:
        line = next(line for line in result.output.splitlines() if line.strip().startswith(name + " "))
        assert "..." not in line and any("\u4e00" <= ch <= "\u9fff" for ch in line)


def test_python_dash_m_runs_the_same_command():
    """Where ``bulletin`` is not on PATH (Windows without an activated venv): ``python -m pipeline``."""
    done = subprocess.run([sys.executable, "-m", "pipeline", "validate", "--help"], cwd=ROOT, capture_output=True,
                          text=True, encoding="utf-8", timeout=60)
    assert done.returncode == 0 and "用法：bulletin validate" in done.stdout


def test_libreoffice_is_found_where_windows_installs_it(tmp_path, monkeypatch):
    program_files = tmp_path / "Program Files"
    soffice = program_files / "LibreOffice" / "program" / "soffice.exe"
    soffice.parent.mkdir(parents=True)
    soffice.write_bytes(b"MZ")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setenv("ProgramFiles", str(program_files))
    monkeypatch.delenv("SOFFICE", raising=False)
    assert find_tool("soffice") == str(soffice)


def test_soffice_may_be_named_anywhere_else(tmp_path, monkeypatch):
    elsewhere = tmp_path / "D盘" / "soffice.exe"
    elsewhere.parent.mkdir()
    elsewhere.write_bytes(b"MZ")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setenv("SOFFICE", str(elsewhere))
    assert find_tool("soffice") == str(elsewhere)


def test_missing_libreoffice_tells_a_windows_clerk_what_to_do():
    message = missing_tool_message("soffice", "libreoffice-writer-nogui", windows=True)
    assert "安装 LibreOffice" in message and r"C:\Program Files\LibreOffice" in message
    assert "Word/WPS" in message and "另存为" in message and "apt-get" not in message
    assert "apt-get install libreoffice-writer-nogui" in missing_tool_message("soffice", "libreoffice-writer-nogui", windows=False)


def test_a_pdf_without_libreoffice_fails_with_that_message(workspace, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setenv("ProgramFiles", str(tmp_path / "none"))
    result = workspace.run("build", "--period", "2024Q1", "--pdf")
    assert result.exit_code == 1
    assert "PDF 未生成：找不到 LibreOffice" in result.output and "另存为" in result.output
    assert "Traceback" not in result.output


def test_check_finds_the_periods_bulletins_without_a_file_name(workspace):
    workspace.build()
    (workspace.outputs / "2024Q1" / "~$工作情况通报.docx").write_bytes(b"owner")  # Word's lock file beside an open file
    result = run_cli("check", "--period", "2024Q1", "--outputs", str(workspace.outputs))
    assert result.exit_code == 0, result.output
    notices = list((workspace.outputs / "2024Q1" / "整改通知").glob("*.docx"))  # checked with the bulletin
    assert result.output.count("格式检查通过") == 1 + len(notices) and "~$" not in result.output
