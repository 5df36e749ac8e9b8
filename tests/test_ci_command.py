"""``bulletin ci``: only the periods whose inputs changed are built and checked; a clerk's file is never overwritten."""

from __future__ import annotations

import shutil
import sys

import pytest

from pipeline.run.changed import changed_since, periods_of

from .conftest import TEMPLATES, run_cli
from .editing import paragraph_with, replace_text
from .office_repo import git, office_repository


@pytest.fixture
def office(tmp_path):
    return office_repository(tmp_path / "office")


def ci(repo, *args: str):
    inputs, outputs = repo / "inputs", repo / "outputs"
    return run_cli("ci", *args, "--inputs", str(inputs), "--templates", str(TEMPLATES), "--outputs", str(outputs))


def without_libreoffice(monkeypatch, tmp_path):
    """PATH holding git alone: the machine has no LibreOffice (a symbolic link: not on Windows)."""
    if sys.platform == "win32":
        pytest.skip("laid out with a symbolic link to git")
    tools = tmp_path / "bin"
    tools.mkdir()
    (tools / "git").symlink_to(shutil.which("git"))
    monkeypatch.setenv("PATH", str(tools))
    monkeypatch.setenv("ProgramFiles", str(tmp_path / "no-programs"))


def test_a_changed_table_builds_its_period_alone(office, monkeypatch, tmp_path):
    without_libreoffice(monkeypatch, tmp_path)
    base = git(office, "rev-parse", "HEAD")
    cases = office / "inputs" / "2024Q1" / "办件记录.csv"
    cases.write_text(cases.read_text(encoding="utf-8-sig") + "CS-099,发改局,企业投资项目备案,企业,窗口,2024-03-01,5,2024-03-04\n",
                     encoding="utf-8-sig")
    git(office, "commit", "-qam", "a case added")
    result = ci(office, "--since", base)
    assert result.exit_code == 0, result.output
    assert f"与提交 {base[:12]} 相比，inputs 中改动了 1 个文件：2024Q1" in result.output
    assert "只生成 .docx（找不到 LibreOffice（soffice）" in result.output
    assert "格式检查通过" in result.output and "已生成并检查：2024Q1。" in result.output
    assert sorted(p.name for p in (office / "outputs").iterdir()) == ["2024Q1"]


def test_a_registry_change_builds_every_period_naming_it(office):
    registry = office / "inputs" / "registries" / "永昌县.yaml"
    registry.write_text(registry.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert changed_since("HEAD", office / "inputs", TEMPLATES).periods == ["2023Q2"]
    assert periods_of(["registries/测试市.yaml", "2023Q2/工作动态.md"], office / "inputs", TEMPLATES) == ["2023Q2", "2024", "2024Q1"]


def test_nothing_changed_builds_nothing(office):
    result = ci(office, "--since", "HEAD")
    assert result.exit_code == 0
    assert "没有周期的输入有改动，无需生成" in result.output and not (office / "outputs").exists()


def test_a_new_period_folder_not_yet_committed_is_built(office):
    shutil.copytree(office / "inputs" / "2024Q1", office / "inputs" / "2024Q2")
    assert changed_since("HEAD", office / "inputs").periods == ["2024Q2"]


def test_an_unknown_base_commit_builds_every_period(office):
    zeros = changed_since("0" * 40, office / "inputs")
    assert zeros.periods == ["2023Q2", "2024", "2024Q1"] and "分支的第一次推送" in zeros.reason
    missing = changed_since("1234567deadbeef", office / "inputs")
    assert missing.periods == ["2023Q2", "2024", "2024Q1"] and "找不到提交 1234567deadbeef" in missing.reason


def test_a_clerk_edited_bulletin_is_merged_into_never_overwritten(office, monkeypatch, tmp_path):
    without_libreoffice(monkeypatch, tmp_path)
    assert ci(office, "--period", "2024Q1").exit_code == 0
    (built,) = (office / "outputs" / "2024Q1").glob("*.docx")
    from docx import Document

    document = Document(str(built))
    replace_text(paragraph_with(document, "现将"), "现将", "现将本季度")
    document.save(str(built))
    clerk = built.read_bytes()
    monthly = office / "inputs" / "2024Q1" / "监管动态和曝光台发布情况.csv"
    monthly.write_bytes(monthly.read_bytes().replace(b",2,1\r\n", b",1,1\r\n", 1).replace(b",2,1\n", b",1,1\n", 1))
    result = ci(office, "--since", "HEAD")
    assert result.exit_code == 0, result.output
    (backup,) = (office / "outputs" / "2024Q1").glob("*_修改稿_*.docx")
    assert backup.read_bytes() == clerk
    assert any("现将本季度" in p.text for p in Document(str(built)).paragraphs)
    assert "与上一版相比有" in result.output and (office / "outputs" / "2024Q1").glob("*_变更清单.csv")


def test_a_failed_period_fails_the_run_and_names_it(office, monkeypatch, tmp_path):
    without_libreoffice(monkeypatch, tmp_path)
    (office / "inputs" / "2024Q1" / "办件记录.csv").write_text("办件编号,单位\nX,发改局\n", encoding="utf-8")
    result = ci(office, "--since", "HEAD")
    assert result.exit_code == 1
    assert "未通过：2024Q1（共 1 个周期）" in result.output


@pytest.mark.soffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_where_libreoffice_is_installed_the_pdf_is_made_too(office):
    result = ci(office, "--period", "2024Q1")
    assert result.exit_code == 0, result.output
    assert [p.suffix for p in sorted((office / "outputs" / "2024Q1").iterdir())].count(".pdf") == 1


def test_a_fresh_checkout_gets_the_change_list_of_the_push(office, monkeypatch, tmp_path):
    """No earlier bulletin in outputs/: the period is first built from the inputs before the push."""
    without_libreoffice(monkeypatch, tmp_path)
    base = git(office, "rev-parse", "HEAD")
    coverage = office / "inputs" / "2024Q1" / "监管事项覆盖情况.csv"
    coverage.write_text(coverage.read_text(encoding="utf-8-sig").replace("生态环境局,50,20", "生态环境局,50,30"), encoding="utf-8-sig")
    git(office, "commit", "-qam", "生态环境局 covered 30")
    result = ci(office, "--since", base)
    assert result.exit_code == 0, result.output
    assert f"2024Q1：先按提交 {base[:12]} 的输入生成上一版，以列出这次的变更。" in result.output
    assert "与上一版相比有 1 处变化" in result.output and "覆盖率为40.00%" in result.output and "覆盖率为60.00%" in result.output
    (changes,) = (office / "outputs" / "2024Q1").glob("*_变更清单.csv")
    assert "40.00% → 60.00%" in changes.read_text(encoding="utf-8-sig")
