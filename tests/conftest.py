"""Shared fixtures: the project's folders and a built sample bulletin."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main

ROOT = Path(__file__).resolve().parent.parent
INPUTS = ROOT / "inputs"
TEMPLATES = ROOT / "templates"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


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
