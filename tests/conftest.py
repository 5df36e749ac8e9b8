"""Shared fixtures: a copy of the small valid period to change, and running the ``bulletin`` command."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.config import deep_merge

TESTS = Path(__file__).parent
REPO = TESTS.parent
FIXTURE_INPUTS = TESTS / "fixtures" / "inputs"
TEMPLATES = REPO / "templates"
PERIOD = "2024Q1"


def run(command: str, period: str, inputs: Path, outputs: Path | None = None):
    """``bulletin <command> --period …`` through click, as a clerk runs it."""
    args = [command, "--period", period, "--inputs", str(inputs), "--templates", str(TEMPLATES)]
    if outputs is not None:
        args += ["--outputs", str(outputs)]
    return CliRunner().invoke(main, args, catch_exceptions=False)


def change_bulletin(inputs: Path, changes: dict, period: str = PERIOD) -> None:
    """Merge ``changes`` over the period's bulletin.yaml; a key set to null is removed."""
    path = inputs / period / "bulletin.yaml"
    settings = deep_merge(yaml.safe_load(path.read_text(encoding="utf-8")), changes)
    settings = {k: v for k, v in settings.items() if v is not None}
    path.write_text(yaml.safe_dump(settings, allow_unicode=True, sort_keys=False), encoding="utf-8")


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    """A fresh copy of the valid fixture inputs (period 2024Q1 and its registry)."""
    target = tmp_path / "inputs"
    shutil.copytree(FIXTURE_INPUTS, target)
    return target


@pytest.fixture(scope="session")
def good_outputs(tmp_path_factory) -> Path:
    """The outputs folder after a successful build of the fixture period."""
    outputs = tmp_path_factory.mktemp("good") / "outputs"
    result = run("build", PERIOD, FIXTURE_INPUTS, outputs)
    assert result.exit_code == 0, result.output
    return outputs
