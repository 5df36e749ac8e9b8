"""The files of the per-unit notices (notices.py): each rendered in the kind's template with its
evidence file, written under ``outputs/<period>/<folder>/`` together with the bulletin, in the
same switch of the period's folder.

The notices folder is written anew on every build: a notice of a unit that no longer has
findings goes, and so do all of them when the kind no longer declares ``notices:``. A notice a clerk edited (its parts differ from the digest it was built with)
is kept beside the new one as ``<单位>_修改稿_<date>-<time>.docx`` before it is replaced.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ..merge.baseline import Baseline, docx_digest, store_baseline
from ..merge.rebuild import EVIDENCE_SUFFIX, backup_path, baseline_of, is_kept_copy, is_pristine
from ..compose.notices import compose_notices, notice_folder, notice_stem
from ..core.errors import Problem
from ..core.outputs import name_fault, name_problems, safe_file_name
from ..render.docx_writer import render_docx
from ..render.evidence import evidence_csv



@dataclass
class NoticeFile:
    """One unit's notice as files: its name (without extension), the .docx and its evidence."""

    stem: str
    docx: bytes
    evidence: bytes
    unit: str = ""  # the full name of the unit it is sent to (主送)


def render_notices(config, document, entries) -> list[NoticeFile]:
    """Every notice the kind asks for, rendered; none when the kind declares no ``notices:``."""
    files = []
    for notice in compose_notices(config, document, entries):
        def finish(docx):  # the digest of the notice as built: an edit is seen on the next build
            store_baseline(docx, Baseline(config.period.code, [], docx_digest(docx)))

        docx = render_docx(config.template_path, notice.document, config.issued_on, finish=finish)
        stem = safe_file_name(notice_stem(config, notice))
        files.append(NoticeFile(stem, docx, evidence_csv(notice.entries), notice.unit.full_name))
    return files


def notice_outputs(config, notices: list[NoticeFile], folder: Path) -> tuple[dict[Path, bytes], list[Path]]:
    """(path → bytes to write, files of the last build to leave out) for the notices under ``folder``."""
    name = notice_folder(config)  # none declared: the declared folder, where the last build's went
    config.confined(folder, name, "本期输出文件夹", ("notices", "folder"))  # never written outside outputs/
    place = folder / name
    files: dict[Path, bytes] = {}
    for notice in notices:
        files[place / f"{notice.stem}.docx"] = notice.docx
        files[place / f"{notice.stem}{EVIDENCE_SUFFIX}"] = notice.evidence
    for path, data in list(files.items()):
        kept = _edited(path, data)
        if kept:
            files[backup_path(path, dt.datetime.now())] = kept
    stale = [p for p in sorted(place.glob("*")) if p.is_file() and p not in files and not is_kept_copy(p)]
    return files, stale


def notice_name_problems(config, notices: list[NoticeFile], beside: list[tuple[str, str]]) -> list[Problem]:
    """The notices' file names Windows or macOS cannot create, or that are one file there (each
    unit's notice is named by its short name), at ``notices.output_name``; ``beside`` are the
    bulletin's own (name, source), checked with them when the notices share its folder."""
    folder = Path(notice_folder(config))
    parts = [p for p in folder.parts if p not in (".", "..", folder.anchor)]  # where it may lead: confined
    named = [(f"{n.stem}.docx", f"单位“{n.unit}”的整改通知") for n in notices]
    file, line = config.place("notices", "folder")
    problems = [Problem(file, f"notices.folder：文件夹名“{p}”{name_fault(p)}", row=line) for p in parts if name_fault(p)]
    shared = beside if not parts else []  # the bulletin's own faults are said by the bulletin
    faults = [f for f in name_problems(shared + named) if f not in name_problems(shared)]
    file, line = config.place("notices", "output_name")
    advice = "（整改通知以单位简称命名：请在单位名录中改用可作文件名、互不相同的简称，或用 notices.output_name 另设文件名）"
    return problems + [Problem(file, fault + advice, row=line) for fault in faults]


def _edited(path: Path, data: bytes) -> bytes | None:
    """The notice at ``path`` if a clerk changed it since it was built and the new one differs."""
    if path.suffix != ".docx" or not path.is_file():
        return None
    existing = path.read_bytes()
    return None if existing == data or is_pristine(existing, baseline_of(existing)) else existing
