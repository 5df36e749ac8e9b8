"""``bulletin ci --since``: a period is built when any file its build reads changed, wherever
that file lives: a record table the offices share, a registry named only under ``offices:``,
its kind's folder under templates/; a file no build reads builds nothing."""

from __future__ import annotations

import shutil

import pytest

from pipeline.run.changed import changed_since

from .conftest import FIXTURE_INPUTS, TEMPLATES, run_cli
from .office_repo import git
from .province import PERIOD, SHARED, province


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    """A province repository: inputs/ (2023Q2 once per county, and 2024Q1) and its own templates/."""
    repo = tmp_path_factory.mktemp("ci-reads") / "office"
    inputs = province(repo)
    shutil.copytree(FIXTURE_INPUTS / "2024Q1", inputs / "2024Q1")
    shutil.copy(FIXTURE_INPUTS / "registries" / "测试市.yaml", inputs / "registries")
    shutil.copytree(TEMPLATES, repo / "templates")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "province")
    yield repo
    git(repo, "reset", "-q", "--hard")


@pytest.fixture
def office(repo):
    yield repo
    git(repo, "checkout", "-q", "--", ".")
    git(repo, "clean", "-qfd")


def append(path, text: str) -> None:
    path.write_bytes(path.read_bytes() + text.encode("utf-8"))


def periods(repo):
    return changed_since("HEAD", repo / "inputs", repo / "templates")


def test_a_change_to_a_shared_records_table_builds_the_period(office):
    table = office / "inputs" / "shared" / SHARED
    table.write_bytes(table.read_bytes().replace("永宁县,YN".encode(), "永宁县,YX".encode(), 1))
    base = git(office, "rev-parse", "HEAD")
    git(office, "commit", "-qam", "a shared case renumbered")
    try:
        result = run_cli("ci", "--since", base, "--inputs", str(office / "inputs"), "--templates", str(office / "templates"),
                         "--outputs", str(office / "outputs"))
        assert result.exit_code == 0, result.output
        assert f"与提交 {base[:12]} 相比，inputs 中改动了 1 个文件：{PERIOD}" in result.output
        assert sorted(p.name for p in (office / "outputs").iterdir()) == [PERIOD]
    finally:
        git(office, "reset", "-q", "--hard", base)


def test_a_change_to_a_registry_named_only_under_offices_builds_the_period(office):
    append(office / "inputs" / "registries" / "永宁县.yaml", "\n")
    assert periods(office).periods == [PERIOD]


def test_a_change_in_the_kind_folder_builds_the_periods_of_that_kind(office):
    append(office / "templates" / "haochaping" / "kind.yaml", "\n# 说明\n")
    changed = periods(office)
    assert changed.periods == [PERIOD] and "templates 中改动了 1 个文件" in changed.reason


def test_a_change_no_build_reads_builds_nothing(office):
    append(office / "inputs" / "registries" / "永宁县.yaml", "")  # unchanged
    (office / "inputs" / "shared" / "说明.md").write_text("各区县办件按月汇总。\n", encoding="utf-8")
    append(office / "templates" / "hotline" / "kind.yaml", "\n# 说明\n")
    changed = periods(office)
    assert changed.periods == [] and "inputs 中改动了 1 个文件" in changed.reason
