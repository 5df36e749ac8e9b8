"""The same inputs give the same bytes; writing never leaves half a file; builds at once do not collide."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile

import docx
import pytest

from pipeline.run.build import build_bulletin
from pipeline.core.outputs import safe_file_name, write_all

from .conftest import FIXTURE_INPUTS, PERIOD, ROOT, TEMPLATES, run, snapshot

BUILD = [sys.executable, "-c", "from pipeline.cli import main; main()", "build", "--period", PERIOD,
         "--inputs", str(FIXTURE_INPUTS), "--templates", str(TEMPLATES)]


def _environment(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env.update(extra)
    return env


def test_two_builds_give_identical_bytes(tmp_path):
    first = build_bulletin(PERIOD, FIXTURE_INPUTS, TEMPLATES)
    second = build_bulletin(PERIOD, FIXTURE_INPUTS, TEMPLATES)
    assert first.docx == second.docx
    assert first.evidence == second.evidence
    # and in another process, with another hash seed, through the command
    outputs = tmp_path / "outputs"
    done = subprocess.run(BUILD + ["--outputs", str(outputs)], cwd=ROOT, env=_environment(PYTHONHASHSEED="12345"),
                          capture_output=True, text=True, check=True)
    assert "已生成" in done.stdout
    written = snapshot(outputs)
    assert written[f"{PERIOD}/{first.file_stem}.docx"] == first.docx
    assert written[f"{PERIOD}/{first.file_stem}_问题依据.csv"] == first.evidence


def test_zip_entries_carry_a_fixed_time_or_source_date_epoch(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    fixed = build_bulletin(PERIOD, FIXTURE_INPUTS, TEMPLATES).docx
    with zipfile.ZipFile(io.BytesIO(fixed)) as package:
        assert {info.date_time for info in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    props = docx.Document(io.BytesIO(fixed)).core_properties
    assert props.created.date().isoformat() == "2024-06-12"  # the 成文日期, not the build time
    assert props.modified == props.created

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1718150400")  # 2024-06-12 00:00:00 UTC
    stamped = build_bulletin(PERIOD, FIXTURE_INPUTS, TEMPLATES).docx
    with zipfile.ZipFile(io.BytesIO(stamped)) as package:
        assert {info.date_time for info in package.infolist()} == {(2024, 6, 12, 0, 0, 0)}
    assert stamped == build_bulletin(PERIOD, FIXTURE_INPUTS, TEMPLATES).docx


def test_concurrent_builds_each_leave_a_whole_bulletin(tmp_path, good_outputs):
    outputs = tmp_path / "outputs"
    runs = [
        subprocess.Popen(BUILD + ["--outputs", str(outputs)], cwd=ROOT, env=_environment(),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(3)
    ]
    for process in runs:
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0, err.decode()
    assert snapshot(outputs) == snapshot(good_outputs)
    assert not [p for p in outputs.rglob("*.tmp")], "temporary files left behind"


def test_a_failed_build_keeps_the_previous_bulletin(inputs, good_outputs, tmp_path):
    outputs = tmp_path / "outputs"
    result = run("build", PERIOD, FIXTURE_INPUTS, outputs)
    assert result.exit_code == 0
    good = snapshot(outputs)
    (inputs / PERIOD / "办件记录.csv").write_text("办件编号,单位\nX,发改局\n", encoding="utf-8")
    result = run("build", PERIOD, inputs, outputs)
    assert result.exit_code == 1
    assert "缺少列：事项名称" in result.output
    assert snapshot(outputs) == good


def test_write_all_leaves_no_temporary_file_when_a_target_cannot_be_replaced(tmp_path):
    target = tmp_path / "out" / "通报.docx"
    target.mkdir(parents=True)  # a folder where the file should go: the move must fail
    with pytest.raises(OSError):
        write_all({target: b"new"})
    assert [p.name for p in target.parent.iterdir()] == ["通报.docx"]


def test_write_all_writes_whole_files_readable_by_everyone(tmp_path):
    paths = {tmp_path / "a" / "x.docx": b"1" * 100_000, tmp_path / "a" / "x.csv": b"2"}
    write_all(paths)
    for path, data in paths.items():
        assert path.read_bytes() == data
        assert path.stat().st_mode & 0o777 == 0o644


def test_write_failure_is_reported_in_chinese_with_exit_status_2(tmp_path, good_outputs):
    outputs = tmp_path / "outputs"
    bulletin = build_bulletin(PERIOD, FIXTURE_INPUTS, TEMPLATES)
    (outputs / PERIOD / f"{bulletin.file_stem}.docx").mkdir(parents=True)
    result = run("build", PERIOD, FIXTURE_INPUTS, outputs)
    assert result.exit_code == 2
    assert "无法写入" in result.output and "该文件保持原样" in result.output
    assert (outputs / PERIOD / f"{bulletin.file_stem}.docx").is_dir()
    assert not list((outputs / PERIOD).glob("*.csv")), "the evidence file was moved in without its bulletin"


@pytest.mark.parametrize(
    "stem, expected",
    [("通报（2024年一季度）", "通报（2024年一季度）"), ("A/B:C*?", "A／B：C＊？"), ('"<x>|', "＂＜x＞｜"), ("...", "通报")],
)
def test_file_names_are_safe_on_windows(stem, expected):
    assert safe_file_name(stem) == expected
