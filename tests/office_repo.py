"""An office's data repository for the CI tests: the small period and the 好差评 sample, committed with git."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from .conftest import FIXTURE_INPUTS, INPUTS


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "办公室", "GIT_AUTHOR_EMAIL": "office@example.org",
           "GIT_COMMITTER_NAME": "办公室", "GIT_COMMITTER_EMAIL": "office@example.org"}
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True, env=env).stdout.strip()


def office_repository(repo: Path) -> Path:
    """inputs/ with 测试市 2024Q1 and 永昌县 2023Q2 and their registries, as one commit."""
    inputs = repo / "inputs"
    shutil.copytree(FIXTURE_INPUTS, inputs)
    shutil.copytree(INPUTS / "2023Q2", inputs / "2023Q2")
    shutil.copy(INPUTS / "registries" / "永昌县.yaml", inputs / "registries")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "samples")
    return repo
