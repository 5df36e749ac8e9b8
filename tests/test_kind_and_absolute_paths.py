"""The kind a period names is a folder of the templates, never one found through ``..`` or an
absolute path; an absolute path is refused even where it leads inside its folder (it would lead
elsewhere once the folders are copied)."""

from __future__ import annotations

import shutil

import pytest

from .conftest import PERIOD, TEMPLATES, change_bulletin, run, run_cli


def line_of(inputs, text: str) -> int:
    lines = (inputs / PERIOD / "bulletin.yaml").read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if line.startswith(text))


@pytest.mark.parametrize("how", ["dots", "absolute"])
def test_a_kind_outside_the_templates_is_refused_at_its_line(inputs, tmp_path, how):
    elsewhere = tmp_path / "别处类型"
    shutil.copytree(TEMPLATES / "assessment", elsewhere)
    kind = str(elsewhere) if how == "absolute" else "../" * len(TEMPLATES.resolve().parts) + str(elsewhere).lstrip("/")
    change_bulletin(inputs, {"kind": kind})
    result = run("build", PERIOD, inputs, tmp_path / "outputs")
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    assert f"2024Q1/bulletin.yaml，第{line_of(inputs, 'kind:')}行：“{kind}”不在通报类型的模板文件夹中" in result.output
    assert not (tmp_path / "outputs").exists()


def test_an_absolute_path_inside_the_period_is_refused_and_not_emptied(inputs, tmp_path):
    prose = inputs / PERIOD / "总体情况.md"
    before = prose.read_bytes()
    change_bulletin(inputs, {"sections": [{"id": "overview", "heading": "总体情况", "type": "narrative", "file": str(prose)}]})
    result = run("build", PERIOD, inputs, tmp_path / "outputs")
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    assert f"“{prose}”是绝对路径：请写成相对于本期文件夹 2024Q1/的路径" in result.output
    fresh = run_cli("new-period", "2024Q2", "--from", PERIOD, "--inputs", str(inputs), "--templates", str(TEMPLATES))
    assert fresh.exit_code == 1 and "是绝对路径" in fresh.output, fresh.output
    assert prose.read_bytes() == before and not (inputs / "2024Q2").exists()


def test_a_misspelt_kind_is_refused_at_its_line_with_the_nearest_kind(inputs, tmp_path):
    change_bulletin(inputs, {"kind": "assesment"})
    result = run("build", PERIOD, inputs, tmp_path / "outputs")
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    assert (f"2024Q1/bulletin.yaml，第{line_of(inputs, 'kind:')}行：kind：未知的通报类型“assesment”，是否为“assessment”？"
            f"（templates/ 中有：annual、assessment、haochaping、hotline；") in result.output
    assert not (tmp_path / "outputs").exists()
