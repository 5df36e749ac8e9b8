"""The CI files an office copies as they are: GitHub Actions, Gitea/Forgejo Actions, GitLab CI.

They lint clean (actionlint; check-jsonschema with GitHub's and GitLab's schemas), trigger on
``inputs/**`` or ``templates/**``, install from the lock file, run ``bulletin ci`` and keep ``outputs/`` as
artefacts; and the script of their build step, run here in an office's repository, builds
the period whose inputs changed and no other.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .conftest import ROOT, TEMPLATES
from .office_repo import git, office_repository

GITHUB = ROOT / ".github" / "workflows" / "bulletin.yml"
GITEA = ROOT / ".gitea" / "workflows" / "bulletin.yml"
GITLAB = ROOT / ".gitlab-ci.yml"
TOOLS = Path(sys.executable).parent  # actionlint and check-jsonschema come with the test extras
# GitHub.com retires action runtimes (node16, node20); a Gitea runner keeps them, and Gitea
# before 1.23 has no upload-artifact@v4: these two findings do not apply to the Gitea file.
GITHUB_COM_ONLY = [r'runtime "node20" is deprecated in GitHub Actions', r"is retired on GitHub\.com"]


def tool(name: str) -> str:
    found = shutil.which(name, path=str(TOOLS)) or shutil.which(name)
    assert found, f"{name} 未安装：pip install -r requirements.lock"
    return found


def lint(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(list(command), capture_output=True, text=True, encoding="utf-8", timeout=120)


def workflow(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_github_workflow_lints_clean():
    done = lint(tool("actionlint"), "-oneline", str(GITHUB))
    assert done.returncode == 0, done.stdout + done.stderr


def test_gitea_workflow_lints_clean_but_for_what_only_github_com_retires():
    done = lint(tool("actionlint"), "-oneline", *[f"-ignore={p}" for p in GITHUB_COM_ONLY], str(GITEA))
    assert done.returncode == 0, done.stdout + done.stderr
    findings = lint(tool("actionlint"), "-oneline", str(GITEA)).stdout.splitlines()
    assert findings and all(any(re.search(p, f) for p in GITHUB_COM_ONLY) for f in findings)


@pytest.mark.parametrize("path", [GITHUB, GITEA], ids=["github", "gitea"])
def test_actions_workflows_match_the_workflow_schema(path):
    done = lint(tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(path))
    assert done.returncode == 0, done.stdout + done.stderr


def test_gitlab_ci_matches_gitlabs_schema():
    done = lint(tool("check-jsonschema"), "--builtin-schema", "vendor.gitlab-ci", str(GITLAB))
    assert done.returncode == 0, done.stdout + done.stderr


def steps(path: Path) -> list[dict]:
    (job,) = workflow(path)["jobs"].values()
    return job["steps"]


@pytest.mark.parametrize("path", [GITHUB, GITEA], ids=["github", "gitea"])
def test_actions_workflows_build_on_input_changes_and_keep_the_outputs(path):
    triggers = workflow(path)[True]  # YAML 1.1 reads the key `on` as true
    watched = ["inputs/**", "templates/**"]  # a kind's folder is read by its periods' builds
    assert triggers["push"]["paths"] == watched and triggers["pull_request"]["paths"] == watched
    runs = "\n".join(s.get("run", "") for s in steps(path))
    assert "pip install -r requirements.lock" in runs and "pip install --no-deps ." in runs
    assert 'bulletin ci --since "$BEFORE"' in runs
    (upload,) = [s for s in steps(path) if "upload-artifact" in s.get("uses", "")]
    assert upload["with"]["path"] == "outputs/" and upload["if"] == "always()"
    checkout = next(s for s in steps(path) if "checkout" in s.get("uses", ""))
    assert checkout["with"]["fetch-depth"] == 0


def test_gitea_uploads_with_the_version_gitea_before_1_23_has():
    (upload,) = [s["uses"] for s in steps(GITEA) if "upload-artifact" in s.get("uses", "")]
    assert upload == "actions/upload-artifact@v3"


def test_gitlab_job_builds_on_input_changes_and_keeps_the_outputs():
    job = workflow(GITLAB)["bulletins"]
    assert {"changes": ["inputs/**/*", "templates/**/*"]} in job["rules"]
    assert job["artifacts"]["paths"] == ["outputs/"] and job["artifacts"]["when"] == "always"
    assert "python -m pip install -r requirements.lock" in job["before_script"]
    assert "bulletin ci" in job["script"][0]


@pytest.fixture
def office_push(tmp_path) -> tuple[Path, str]:
    """An office's repository (two periods) after a push that changed one table of 2024Q1: (checkout, commit before)."""
    repo = office_repository(tmp_path / "office")
    shutil.copytree(TEMPLATES, repo / "templates")
    git(repo, "add", "templates")
    git(repo, "commit", "-qm", "the bulletin kinds")  # an office's repository holds its kinds too
    before = git(repo, "rev-parse", "HEAD")
    cases = repo / "inputs" / "2024Q1" / "办件记录.csv"
    cases.write_text(cases.read_text(encoding="utf-8-sig").replace("2024-01-19", "2024-01-22"), encoding="utf-8-sig")
    git(repo, "commit", "-qam", "a completion date corrected")
    return repo, before


POSIX_ONLY = pytest.mark.skipif(sys.platform == "win32", reason="the CI files' steps are POSIX shell scripts")


def run_step(script: str, repo: Path, env: dict) -> subprocess.CompletedProcess:
    """The step's shell script as the runner runs it (bash -e), with ``bulletin`` and git on PATH and no LibreOffice."""
    programs = repo.parent / "bin"
    programs.mkdir(exist_ok=True)
    for name in ("bash", "git"):
        if not (programs / name).exists():
            (programs / name).symlink_to(shutil.which(name))
    env = {**os.environ, **env, "PATH": os.pathsep.join([str(TOOLS), str(programs)])}
    return subprocess.run([str(programs / "bash"), "-e", "-c", script], cwd=repo, env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=300)


@POSIX_ONLY
@pytest.mark.parametrize("path", [GITHUB, GITEA], ids=["github", "gitea"])
def test_the_actions_build_step_builds_the_changed_period_alone(path, office_push):
    repo, before = office_push
    (step,) = [s for s in steps(path) if "bulletin ci" in s.get("run", "")]
    done = run_step(step["run"], repo, {"EVENT": "push", "BEFORE": before, "PERIOD": ""})
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"与提交 {before[:12]} 相比，inputs 中改动了 1 个文件：2024Q1" in done.stdout
    assert sorted(p.name for p in (repo / "outputs").iterdir()) == ["2024Q1"]


@POSIX_ONLY
def test_the_gitlab_script_builds_the_changed_period_alone(office_push):
    repo, before = office_push
    script = workflow(GITLAB)["bulletins"]["script"][0]
    done = run_step(script, repo, {"CI_PIPELINE_SOURCE": "push", "CI_COMMIT_BEFORE_SHA": before, "PERIOD": ""})
    assert done.returncode == 0, done.stdout + done.stderr
    assert sorted(p.name for p in (repo / "outputs").iterdir()) == ["2024Q1"]


@POSIX_ONLY
def test_a_manual_run_of_one_period_builds_that_period(office_push):
    repo, _ = office_push
    (step,) = [s for s in steps(GITHUB) if "bulletin ci" in s.get("run", "")]
    done = run_step(step["run"], repo, {"EVENT": "workflow_dispatch", "BEFORE": "", "PERIOD": "2023Q2"})
    assert done.returncode == 0, done.stdout + done.stderr
    assert sorted(p.name for p in (repo / "outputs").iterdir()) == ["2023Q2"]
