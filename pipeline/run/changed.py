"""Which periods' inputs changed since a commit: what CI builds after a push.

A file under ``inputs/<period>/`` belongs to that period. Any other changed file, under
``inputs/`` or ``templates/`` (a registry, one named only under ``offices:``, a record table
the offices share, a kind's kind.yaml or Word template), belongs to every period whose build
reads it: each period is loaded and built in memory, nothing written, while :mod:`.reads`
records the files it opens; a period that cannot be built is built (its errors reported). A
period folder that was deleted is not built. Without git, or when the earlier commit is not
known (the first push of a branch, a shallow clone), every period is built.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

from ..config.bulletin import CONFIG_FILE, load_config
from ..core.errors import InputError
from ..core.period import Period, PeriodError
from ..core.reads import recording

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


def files_read(period: str, inputs_root: Path, templates_root: Path, engine) -> set[Path] | None:
    """Every file under the inputs and templates folders the build of ``period`` reads (as
    :func:`.reads.recording` gives them), nothing written; None if the period cannot be built."""
    from .offices import built_bulletins

    with recording(inputs_root, templates_root) as reads:
        try:
            built_bulletins(load_config(period, inputs_root, templates_root), engine)
        except (InputError, OSError):
            return None
    return reads.paths


def periods_reading(changed: set[Path], inputs_root: Path, templates_root: Path) -> list[str]:
    """The periods a change of the files ``changed`` (absolute) concerns: their own folder's, or a file their build reads."""
    from ..load.engine import Engine

    existing = all_periods(inputs_root)
    own = {p: Path(inputs_root).resolve() / p for p in existing}
    chosen = {p for p, folder in own.items() if any(folder in f.parents for f in changed)}
    elsewhere = {f for f in changed if not any(folder in f.parents for folder in own.values())}
    if elsewhere and len(chosen) < len(existing):
        with Engine() as engine:
            for period in (p for p in existing if p not in chosen):
                read = files_read(period, inputs_root, templates_root, engine)
                if read is None or read & elsewhere:
                    chosen.add(period)
    return [period for period in existing if period in chosen]


def periods_of(paths: list[str], inputs_root: Path, templates_root: Path = Path("templates")) -> list[str]:
    """The periods the changed ``paths`` (relative to ``inputs_root``, as git prints them) belong to."""
    root = Path(inputs_root).resolve()
    return periods_reading({root / p for p in paths}, inputs_root, templates_root)


def _git(inputs_root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", "-C", str(inputs_root), *args], capture_output=True, text=True,
                              encoding="utf-8", timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


def _changed_files(base: str, root: Path) -> list[Path] | None:
    """The files under ``root`` differing between commit ``base`` and the working tree (untracked
    included), absolute; None when ``root`` is in no git repository knowing ``base``."""
    if not Path(root).is_dir() or _git(root, "rev-parse", "--verify", "--quiet", f"{base}^{{commit}}") is None:
        return None
    # -z: names as they are (git otherwise quotes 办件记录.csv as octal escapes)
    tracked = _git(root, "diff", "-z", "--name-only", "--no-renames", "--relative", base, "--", ".") or ""
    untracked = _git(root, "ls-files", "-z", "--others", "--exclude-standard", "--", ".") or ""
    return [Path(root).resolve() / name for name in (tracked + untracked).split("\0") if name.strip()]


def changed_since(base: str, inputs_root: Path, templates_root: Path = Path("templates")) -> ChangedPeriods:
    """The periods whose inputs or kind (templates/) differ between commit ``base`` and the working tree.

    The templates folder is compared when its repository knows ``base`` (the office keeps it
    with its inputs); templates shipped with the program change with the program instead."""
    base = (base or "").strip()
    everything = all_periods(inputs_root)
    if base in NO_COMMIT:
        return ChangedPeriods(everything, "未给出比较的提交（如分支的第一次推送），生成全部周期")
    inputs = _changed_files(base, inputs_root)
    if inputs is None:
        return ChangedPeriods(everything, f"找不到提交 {base}（不是 git 仓库，或克隆的历史太浅），生成全部周期")
    kinds = _changed_files(base, templates_root) or []
    reason = f"与提交 {base[:12]} 相比，inputs 中改动了 {len(inputs)} 个文件" + (
        f"，templates 中改动了 {len(kinds)} 个文件" if kinds else "")
    return ChangedPeriods(periods_reading({*inputs, *kinds}, inputs_root, templates_root), reason, base)


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
