"""Every file a build writes is named so Windows and macOS can create it, and no two are one file
there: an office's folder, a unit's notice named by its short name. A name refused is said at its
line with both sources of a clash, before anything is written; the summary counts what was written."""

from __future__ import annotations

import pytest

from pipeline.cli import reporting
from pipeline.core.outputs import name_fault, name_key

from .conftest import PERIOD, TEMPLATES, change_bulletin, run, run_cli, snapshot
from .province import PERIOD as PROVINCE_PERIOD
from .province import province, set_offices, yongning_office


@pytest.mark.parametrize("name", ["CON", "con.docx", "Nul.csv", "com1", "LPT9.txt", "aux", "永宁县.", "永宁县 ",
                                  "永宁<县", "永宁:县", '永"县', "a|b", "a?b", "a*b", "a\\b", "a/b", "永宁\x01县",
                                  "县" * 86, ".通报.docx", "..／..／tmp／evil.docx"])
def test_names_no_system_can_create_are_faults(name):
    assert name_fault(name)


@pytest.mark.parametrize("name", ["COM10", "console", "永宁县", "县" * 85, "LPT.docx"])
def test_ordinary_names_are_not(name):
    assert name_fault(name) is None


def test_names_the_same_file_ignoring_case_and_width():
    assert name_key("甲/乙") == name_key("甲／乙") and name_key("Ａbc") == name_key("abc")


def build(inputs, outputs):
    return run_cli("build", "--period", PROVINCE_PERIOD, "--inputs", str(inputs), "--templates", str(TEMPLATES),
                   "--outputs", str(outputs))


def office_line(inputs, key: str) -> int:
    lines = (inputs / PROVINCE_PERIOD / "bulletin.yaml").read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if line.lstrip(" '\"").startswith(key) and line.startswith("  ")
                and not line.startswith("   "))


@pytest.mark.parametrize("key", ["CON", "nul.txt", "Lpt1", "永宁县.", "永宁县 ", "永宁<县", "县" * 86])
def test_an_office_folder_windows_cannot_create_is_refused_at_its_line(tmp_path, key):
    inputs = province(tmp_path)
    set_offices(inputs, {"永昌县": {}, key: {**yongning_office(), "value": "永宁县"}})
    result = build(inputs, tmp_path / "outputs")
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    assert f"第{office_line(inputs, key)}行：offices.{key}：区县名用作输出文件夹名，" in result.output
    assert not (tmp_path / "outputs").exists() and "共生成" not in result.output


@pytest.mark.parametrize("first, second", [("YN", "ＹＮ"), ("yn", "YN"), ("ＹＮ", "yn")])
def test_two_office_folders_one_on_windows_are_refused_naming_both(tmp_path, first, second):
    inputs = province(tmp_path)
    set_offices(inputs, {first: {"value": "永昌县"}, second: {**yongning_office(), "value": "永宁县"}})
    result = build(inputs, tmp_path / "outputs")
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    assert (f"第{office_line(inputs, second)}行：offices.{second}：区县名用作输出文件夹名，与第{office_line(inputs, first)}行的"
            f" {first} 在 Windows 和 macOS 上是同一个文件夹") in result.output
    assert not (tmp_path / "outputs").exists()


def test_the_offices_summary_counts_only_the_bulletins_written(tmp_path, monkeypatch):
    inputs, outputs = province(tmp_path), tmp_path / "outputs"
    write = reporting.write_bulletin

    def full_disk_for_yongning(bulletin, *args):  # 永宁县's files cannot be written
        if bulletin.config.office.key == "永宁县":
            raise OSError(28, "磁盘已满", str(outputs / PROVINCE_PERIOD / "永宁县"))
        return write(bulletin, *args)

    monkeypatch.setattr(reporting, "write_bulletin", full_disk_for_yongning)
    result = build(inputs, outputs)
    assert result.exit_code == 2, result.output
    assert "2023Q2：共生成 1 个区县的通报（另有 1 个未生成）" in result.output
    assert not (outputs / PROVINCE_PERIOD / "永宁县").exists()


def rename_units(inputs, names: dict[str, str]) -> None:
    """Short names in the registry changed (the old one kept as an alias, so the data still match)."""
    path = inputs / "registries" / "测试市.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in names.items():
        text = text.replace(f"short: {old}}}", f"short: '{new}', aliases: [{old}]}}")
    path.write_text(text, encoding="utf-8")


def test_two_units_one_notice_file_on_windows_are_refused_naming_both_units(inputs, tmp_path):
    """教育/局 and 教育／局 would be one file on Windows: the registry already refuses them as one name."""
    outputs = tmp_path / "outputs"
    assert run("build", PERIOD, inputs, outputs).exit_code == 0
    before = snapshot(outputs)
    rename_units(inputs, {"教育局": "教育/局", "西城街办": "教育／局"})
    result = run("build", PERIOD, inputs, outputs)
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    assert "名称“教育／局”同时属于“测试市教育局”和“测试市西城街道办事处”两个单位" in result.output
    assert snapshot(outputs) == before


def test_notices_named_alike_but_for_case_are_refused_at_output_name(inputs, tmp_path):
    change_bulletin(inputs, {"notices": {"output_name": "{{ unit.group }}"}})  # two units of 市直部门
    result = run("build", PERIOD, inputs, tmp_path / "outputs")
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    lines = (inputs / PERIOD / "bulletin.yaml").read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if "output_name: '{{ unit.group }}'" in text)
    assert f"bulletin.yaml，第{line}行：单位“测试市" in result.output and "的“市直部门.docx”在 Windows 和 macOS 上是同一个文件" in result.output
    assert not (tmp_path / "outputs" / PERIOD).exists()


def test_a_notice_named_by_a_reserved_device_name_is_refused(inputs, tmp_path):
    rename_units(inputs, {"教育局": "Aux"})
    result = run("build", PERIOD, inputs, tmp_path / "outputs")
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    assert "单位“测试市教育局”的整改通知的文件名“Aux.docx”是 Windows 保留的设备名" in result.output
    assert not (tmp_path / "outputs" / PERIOD).exists()


def test_a_notices_folder_windows_cannot_create_is_refused(inputs, tmp_path):
    change_bulletin(inputs, {"notices": {"folder": "PRN"}})
    result = run("build", PERIOD, inputs, tmp_path / "outputs")
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    lines = (inputs / PERIOD / "bulletin.yaml").read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if "folder: PRN" in text)
    assert f"bulletin.yaml，第{line}行：notices.folder：文件夹名“PRN”是 Windows 保留的设备名" in result.output
    assert not (tmp_path / "outputs" / PERIOD).exists()


def test_validate_refuses_the_names_a_build_would_refuse(inputs, tmp_path):
    rename_units(inputs, {"教育局": "nul"})
    result = run("validate", PERIOD, inputs)
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    assert "单位“测试市教育局”的整改通知的文件名“nul.docx”是 Windows 保留的设备名" in result.output


def test_validate_refuses_two_office_folders_one_on_windows(tmp_path):
    inputs = province(tmp_path)
    set_offices(inputs, {"YN": {"value": "永昌县"}, "yn": {**yongning_office(), "value": "永宁县"}})
    result = run_cli("validate", "--period", PROVINCE_PERIOD, "--inputs", str(inputs), "--templates", str(TEMPLATES))
    assert result.exit_code == 1 and "在 Windows 和 macOS 上是同一个文件夹" in result.output, result.output


def test_ci_writes_no_office_of_an_earlier_build_whose_names_are_refused(tmp_path, monkeypatch):
    from .office_repo import git
    from .test_ci_command import without_libreoffice

    without_libreoffice(monkeypatch, tmp_path)
    repo = tmp_path / "office"
    inputs = province(repo)
    set_offices(inputs, {"永昌县": {}, "永宁县": {**yongning_office(), "output_name": "CON"}})
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "永宁县 named CON")
    base = git(repo, "rev-parse", "HEAD")
    set_offices(inputs, {"永昌县": {}, "永宁县": yongning_office()})
    git(repo, "commit", "-qam", "永宁县 named by its title")
    result = run_cli("ci", "--since", base, "--inputs", str(inputs), "--templates", str(TEMPLATES),
                     "--outputs", str(repo / "outputs"))
    assert result.exit_code == 0, result.output
    assert "未变化" not in result.output  # 永昌县 was not written from the earlier inputs alone


def test_an_output_name_climbing_out_of_the_folder_is_refused_at_its_line_not_hidden(inputs, tmp_path):
    change_bulletin(inputs, {"output_name": "../../../tmp/evil"})
    result = run("build", PERIOD, inputs, tmp_path / "outputs")
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    lines = (inputs / PERIOD / "bulletin.yaml").read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if text.startswith("output_name:"))
    assert f"bulletin.yaml，第{line}行：" in result.output and "以句点开头" in result.output
    assert not (tmp_path / "outputs").exists()
