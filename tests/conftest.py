"""Shared fixtures: a copy of the sample period to change, and the ``bulletin`` command."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from pipeline.cli import main

ROOT = Path(__file__).resolve().parents[1]
PERIOD = "2024Q1"


class Workspace:
    """A folder with inputs/ (a copy of the sample) and outputs/, and the command run in it."""

    def __init__(self, root: Path):
        self.root = root
        self.inputs = root / "inputs"
        self.outputs = root / "outputs"
        shutil.copytree(ROOT / "inputs" / PERIOD, self.inputs / PERIOD)
        shutil.copytree(ROOT / "inputs" / "registries", self.inputs / "registries")

    def run(self, *args: str):
        paths = ["--inputs", str(self.inputs), "--templates", str(ROOT / "templates")]
        if args[0] == "build":
            paths += ["--outputs", str(self.outputs)]
        return CliRunner().invoke(main, [*args, *paths], catch_exceptions=False)

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
