"""Shared fixtures: the project's folders, a built sample bulletin, a small valid period to change, and a copy of the sample to edit."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from docx import Document

from pipeline.cli import main
from pipeline.config.bulletin import deep_merge

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# the two sample periods as shipped, frozen for the tests: an office replaces or adds to the
# live inputs/ folder, and no test reads it (see live_inputs_untouched below)
INPUTS = FIXTURES / "samples"
LIVE_INPUTS = ROOT / "inputs"
FIXTURE_INPUTS = FIXTURES / "inputs"  # 测试市 2024Q1: the small valid period the bad-input corpus changes
PERIOD = "2024Q1"

_live_reads: list[str] = []  # files and folders under the live inputs/ opened during the run


def _watch_live_inputs(event: str, args: tuple) -> None:
    """Audit hook: note every open or listing of a path under the live inputs/ folder."""
    if event not in ("open", "os.listdir", "os.scandir") or not args or not isinstance(args[0], (str, bytes, os.PathLike)):
        return
    if event == "open" and len(args) > 1 and args[1] is None and not os.path.isabs(os.fsdecode(args[0])):
        return  # os.open of a bare name, as shutil.rmtree does relative to a folder it holds open (dir_fd)
    path = os.path.abspath(os.fsdecode(args[0]))
    if path == str(LIVE_INPUTS) or path.startswith(str(LIVE_INPUTS) + os.sep):
        _live_reads.append(path)


sys.addaudithook(_watch_live_inputs)


@pytest.fixture(autouse=True)
def live_inputs_untouched():
    """Fail a test that reads the live inputs/ folder: an office's own data must not change the suite's result."""
    start = len(_live_reads)
    yield
    assert not _live_reads[start:], f"测试读取了 inputs/（应使用 tests/fixtures/ 中的数据）：{_live_reads[start:][:3]}"


def pytest_sessionfinish(session, exitstatus):
    """Reads outside any test (session fixtures, collection) fail the run too."""
    if _live_reads:
        print(f"\n测试读取了 inputs/（应使用 tests/fixtures/ 中的数据）：{sorted(set(_live_reads))[:5]}")
        session.exitstatus = 1


# A fault of the program raises in the tests (the command line tells a clerk in one paragraph instead).
os.environ.setdefault("BULLETIN_DEBUG", "1")

def run_cli(*args: str):
    """Run the ``bulletin`` command as a user would, returning click's result."""
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def run(command: str, period: str, inputs: Path, outputs: Path | None = None):
    """``bulletin <command> --period …`` on ``inputs`` with the project's templates."""
    args = [command, "--period", period, "--inputs", str(inputs), "--templates", str(TEMPLATES)]
    if outputs is not None:
        args += ["--outputs", str(outputs)]
    return run_cli(*args)


def change_bulletin(inputs: Path, changes: dict, period: str = PERIOD) -> None:
    """Merge ``changes`` over the period's bulletin.yaml; a key set to null is removed."""
    path = inputs / period / "bulletin.yaml"
    settings = deep_merge(yaml.safe_load(path.read_text(encoding="utf-8")), changes)
    settings = {k: v for k, v in settings.items() if v is not None}
    path.write_text(yaml.safe_dump(settings, allow_unicode=True, sort_keys=False), encoding="utf-8")


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def built_2024q1(tmp_path_factory) -> Path:
    """outputs/ folder holding the 2024Q1 sample bulletin, built once for the session."""
    out = tmp_path_factory.mktemp("outputs")
    result = run_cli("build", "--period", "2024Q1", "--inputs", str(INPUTS), "--templates", str(TEMPLATES), "--outputs", str(out))
    assert result.exit_code == 0, result.output
    return out / "2024Q1"


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    """A fresh copy of the small valid inputs (测试市, period 2024Q1, and its registry)."""
    target = tmp_path / "periods"  # a copy, never the live inputs/
    shutil.copytree(FIXTURE_INPUTS, target)
    return target


@pytest.fixture(scope="session")
def good_outputs(tmp_path_factory) -> Path:
    """An outputs folder after a successful build of the small valid period."""
    outputs = tmp_path_factory.mktemp("good") / "outputs"
    result = run("build", PERIOD, FIXTURE_INPUTS, outputs)
    assert result.exit_code == 0, result.output
    return outputs


class Workspace:
    """A folder with inputs/ (a copy of the sample) and outputs/, and the command run in it."""

    def __init__(self, root: Path):
        self.root = root
        self.inputs = root / "periods"  # a copy of the frozen sample, never the live inputs/
        self.outputs = root / "outputs"
        shutil.copytree(INPUTS / PERIOD, self.inputs / PERIOD)
        shutil.copytree(INPUTS / "registries", self.inputs / "registries")

    def run(self, *args: str):
        paths = ["--inputs", str(self.inputs), "--templates", str(TEMPLATES)]
        if args[0] == "build":
            paths += ["--outputs", str(self.outputs)]
        return run_cli(*args, *paths)

    def build(self, *extra: str):
        result = self.run("build", "--period", PERIOD, *extra)
        assert result.exit_code == 0, result.output
        return result

    def edit(self, change) -> Path:
        """Build, then let ``change`` edit the .docx (a python-docx Document) as a clerk would, and save it."""
        self.build()
        document = Document(str(self.docx))
        change(document)
        document.save(str(self.docx))
        return self.docx

    def verify(self, path: Path):
        return self.run("verify", str(path), "--period", PERIOD)

    @property
    def docx(self) -> Path:
        (found,) = [p for p in (self.outputs / PERIOD).glob("*.docx") if "修改稿" not in p.name]
        return found

    def backups(self) -> list[Path]:
        return sorted((self.outputs / PERIOD).glob("*_修改稿_*.docx"))

    def input(self, name: str) -> Path:
        return self.inputs / PERIOD / name


@pytest.fixture
def workspace(tmp_path) -> Workspace:
    return Workspace(tmp_path)
