"""Paths written in the configuration stay inside their folder: notices in outputs/, prose in the
period's folder, the Word template in the kind's folder. ``..``, an absolute path and a link
leading out are refused at their YAML line; nothing is read, written or emptied elsewhere."""

from __future__ import annotations

import os

import pytest
from docx import Document

from .conftest import PERIOD, TEMPLATES, change_bulletin, run, run_cli


def bulletin_line(inputs, text: str) -> int:
    lines = (inputs / PERIOD / "bulletin.yaml").read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if text in line)


@pytest.mark.parametrize("outside", ["../../../../x", "ABSOLUTE"])
def test_a_notices_folder_outside_outputs_is_refused_at_its_line(inputs, tmp_path, outside):
    target = tmp_path / "elsewhere"
    folder = str(target) if outside == "ABSOLUTE" else "../" * 2 + "elsewhere"
    change_bulletin(inputs, {"notices": {"folder": folder}})
    result = run("build", PERIOD, inputs, tmp_path / "out" / "outputs")
    assert result.exit_code == 1, result.output
    assert f"bulletin.yaml，第{bulletin_line(inputs, 'folder:')}行：“{folder}”不在本期输出文件夹中" in result.output
    assert not target.exists() and "Traceback" not in result.output


def secret(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text("不应出现的内容", encoding="utf-8")
    return path


def narrative_at(inputs, name: str) -> None:
    change_bulletin(inputs, {"sections": [{"id": "overview", "heading": "总体情况", "type": "narrative", "file": name}]})


@pytest.mark.parametrize("how", ["dots", "absolute", "link"])
def test_a_narrative_file_outside_the_period_is_neither_read_nor_emptied(inputs, tmp_path, how):
    outside = secret(tmp_path)
    if how == "link":
        os.symlink(outside, inputs / PERIOD / "链接.md")
        name = "链接.md"
    else:
        name = str(outside) if how == "absolute" else os.path.relpath(outside, inputs / PERIOD)
    narrative_at(inputs, name)
    build = run("build", PERIOD, inputs, tmp_path / "outputs")
    assert build.exit_code == 1 and "不在本期文件夹 2024Q1/中" in build.output, build.output
    assert not (tmp_path / "outputs" / PERIOD).exists()
    fresh = run_cli("new-period", "2024Q2", "--from", PERIOD, "--inputs", str(inputs), "--templates", str(TEMPLATES))
    assert fresh.exit_code == 1 and "不在本期文件夹 2024Q1/中" in fresh.output, fresh.output
    assert "Traceback" not in build.output + fresh.output
    assert outside.read_text(encoding="utf-8") == "不应出现的内容" and not (inputs / "2024Q2").exists()


def test_a_narrative_file_in_a_subfolder_is_read_and_carried_over(inputs, tmp_path):
    (inputs / PERIOD / "文字").mkdir()
    (inputs / PERIOD / "总体情况.md").rename(inputs / PERIOD / "文字" / "开头.md")
    narrative_at(inputs, "文字/开头.md")
    build = run("build", PERIOD, inputs, tmp_path / "outputs")
    assert build.exit_code == 0, build.output
    fresh = run_cli("new-period", "2024Q2", "--from", PERIOD, "--inputs", str(inputs), "--templates", str(TEMPLATES))
    assert fresh.exit_code == 0, fresh.output
    assert (inputs / "2024Q2" / "文字" / "开头.md").read_text(encoding="utf-8") == ""
    assert "文字/开头.md：本期“总体情况”的文字" in fresh.output


def test_a_template_outside_the_kind_folder_is_refused_at_its_line(inputs, tmp_path):
    outside = tmp_path / "其他.docx"
    outside.write_bytes((TEMPLATES / "assessment" / "bulletin.docx").read_bytes())
    change_bulletin(inputs, {"template": str(outside)})
    result = run("build", PERIOD, inputs, tmp_path / "outputs")
    assert result.exit_code == 1, result.output
    assert f"bulletin.yaml，第{bulletin_line(inputs, 'template:')}行：“{outside}”不在通报类型文件夹中" in result.output
