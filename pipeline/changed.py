"""Which periods' inputs changed since a commit: what CI builds after a push.

A file under ``inputs/<period>/`` belongs to that period; any other file under ``inputs/``
(a unit registry) belongs to every period whose ``bulletin.yaml`` names it. A period
folder that was deleted is not built. Without git, or when the earlier commit is not
known (the first push of a branch, a shallow clone), every period is built.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

from .config import CONFIG_FILE
from .encoding import decode_text
from .period import Period, PeriodError
from .yamlio import YAMLError, parse_yaml

NO_COMMIT = {"", "0" * 40, "0" * 64}  # GitHub and GitLab send zeros for a branch's first push


@dataclass
class ChangedPeriods:
    periods: list[str]
    reason: str  # in words, for the log: what was compared
    base: str | None = None  # the commit compared with, when git knows it


def all_periods(inputs_root: Path) -> list[str]:
    """Every folder under ``inputs_root`` named as a period and holding a bulletin.yaml, in order."""
    found = []
    for folder in sorted(p for p in Path(inputs_root).iterdir() if p.is_dir()) if Path(inputs_root).is_dir() else []:
        try:
            code = Period.parse(folder.name).code
        except PeriodError:
            continue
        if code == folder.name and (folder / CONFIG_FILE).is_file():
            found.append(code)
    return found


def _registry_of(inputs_root: Path, period: str) -> Path | None:
    try:
        settings = parse_yaml(decode_text((Path(inputs_root) / period / CONFIG_FILE).read_bytes()))
    except (OSError, ValueError, YAMLError):
        return None
    name = settings.get("registry") if isinstance(settings, dict) else None
    return (Path(inputs_root) / period / str(name)).resolve() if name else None


def periods_of(paths: list[str], inputs_root: Path) -> list[str]:
    """The periods the changed ``paths`` (relative to ``inputs_root``, as git prints them) belong to."""
    existing = all_periods(inputs_root)
    changed = {Path(p).parts[0] for p in paths if len(Path(p).parts) > 1} & set(existing)
    shared = {(Path(inputs_root) / p).resolve() for p in paths if Path(p).parts[0] not in existing}
    changed |= {period for period in existing if _registry_of(inputs_root, period) in shared}
    return [period for period in existing if period in changed]


def _git(inputs_root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", "-C", str(inputs_root), *args], capture_output=True, text=True,
                              encoding="utf-8", timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


def changed_since(base: str, inputs_root: Path) -> ChangedPeriods:
    """The periods whose inputs differ between commit ``base`` and the working tree (untracked files included)."""
    base = (base or "").strip()
    everything = all_periods(inputs_root)
    if base in NO_COMMIT:
        return ChangedPeriods(everything, "未给出比较的提交（如分支的第一次推送），生成全部周期")
    if _git(inputs_root, "rev-parse", "--verify", "--quiet", f"{base}^{{commit}}") is None:
        return ChangedPeriods(everything, f"找不到提交 {base}（不是 git 仓库，或克隆的历史太浅），生成全部周期")
    # -z: names as they are (git otherwise quotes 办件记录.csv as octal escapes)
    tracked = _git(inputs_root, "diff", "-z", "--name-only", "--no-renames", "--relative", base, "--", ".") or ""
    untracked = _git(inputs_root, "ls-files", "-z", "--others", "--exclude-standard", "--", ".") or ""
    paths = [name for name in (tracked + untracked).split("\0") if name.strip()]
    return ChangedPeriods(periods_of(paths, inputs_root), f"与提交 {base[:12]} 相比，inputs 中改动了 {len(paths)} 个文件", base)


def inputs_at(base: str, inputs_root: Path, target: Path) -> bool:
    """The inputs folder as it was at commit ``base``, written to ``target``; False if git cannot give it."""
    try:
        done = subprocess.run(["git", "-C", str(inputs_root), "archive", "--format=tar", base, "."],
                              capture_output=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return False
    if done.returncode != 0:
        return False
    with tarfile.open(fileobj=io.BytesIO(done.stdout)) as archive:
        if hasattr(tarfile, "data_filter"):  # 3.12, and the security releases of 3.10 and 3.11
            archive.extractall(target, filter="data")
        else:
            archive.extractall(target, members=[m for m in archive.getmembers() if m.isfile() or m.isdir()])
    return True
