"""Shared fixtures: the project's folders, a built sample bulletin, and a copy of the sample to change."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from pipeline.cli import main

ROOT = Path(__file__).resolve().parent.parent
INPUTS = ROOT / "inputs"
TEMPLATES = ROOT / "templates"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PERIOD = "2024Q1"


def run_cli(*args: str):
    """Run the ``bulletin`` command as a user would, returning click's result."""
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="session")
def built_2024q1(tmp_path_factory) -> Path:
    """outputs/ folder holding the 2024Q1 sample bulletin, built once for the session."""
    out = tmp_path_factory.mktemp("outputs")
    result = run_cli("build", "--period", "2024Q1", "--inputs", str(INPUTS), "--templates", str(TEMPLATES), "--outputs", str(out))
    assert result.exit_code == 0, result.output
    return out / "2024Q1"


class Workspace:
    """A folder with inputs/ (a copy of the sample) and outputs/, and the command run in it."""

    def __init__(self, root: Path):
        self.root = root
        self.inputs = root / "inputs"
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
