"""Writing a bulletin over a file a clerk may have edited, losing nothing.

- No file yet, or the file is exactly as the pipeline wrote it: write the new build.
- The file was edited (its body differs from what was generated), or ``--merge`` names
  an edited file brought from elsewhere: merge the new build into it, keep the clerk's
  version beside it under a dated name, and write the merged file.
- An edited file whose data has not changed since it was built (the new build's blocks
  are the ones it carries) is left exactly as the clerk saved it.
- An edited file that lost its baseline (saved by a program that drops custom XML
  parts) is still merged, but nothing is known of the last build: wherever it differs
  from the new build, its text is kept and the new text offered as a comment.
- A file that is not a Word document fails the build; nothing is overwritten.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import InputError, Problem
from ..core.outputs import write_all
from ..word.zipped import normalise_zip
from ..word.opener import WordFileError, check_package, open_word
from .baseline import Baseline, baseline_in_file, docx_digest, file_digest, open_bytes, read_baseline, store_baseline
from .blocks import keyed
from .changes import Change, changes_between, changes_csv
from .merge import Event, merge_into

BACKUP_NAME = "{stem}_修改稿_{stamp}.docx"
EVIDENCE_SUFFIX = "_问题依据.csv"  # the evidence file beside a bulletin or a notice
CHANGES_SUFFIX = "_变更清单.csv"  # what changed since the build it replaces
BESIDE_DOCX = (EVIDENCE_SUFFIX, CHANGES_SUFFIX, ".pdf")  # what a build writes beside its .docx


def is_kept_copy(path: Path) -> bool:
    """A clerk's edited copy kept beside a rebuilt file (…_修改稿_<time>.docx): never replaced nor removed."""
    return "_修改稿_" in path.name


@dataclass
class RebuildOutcome:
    written: list[Path]
    backup: Path | None = None
    merged_from: Path | None = None
    events: list[Event] = field(default_factory=list)
    unchanged: bool = False
    same: set[Path] = field(default_factory=set)  # files written again with the bytes they already had
    changes: list[Change] | None = None  # None: no earlier build to compare with
    changes_path: Path | None = None
    earlier_removed: list[Path] = field(default_factory=list)  # an untouched build under another name: gone
    earlier_kept: list[Path] = field(default_factory=list)  # an edited build under another name: left

    @property
    def conflicts(self) -> list[Event]:
        return [e for e in self.events if e.kind in ("conflict", "kept")]


def _earlier_files(docx_path: Path, written: set, period: str, outcome: RebuildOutcome) -> list[Path]:
    """The files of this period's bulletin built earlier beside ``docx_path`` under another name
    (the title or output_name changed since): an untouched one goes with this build, one a clerk
    edited stays (both noted in ``outcome``). Only a .docx carrying the record of a build of this
    period counts, never a kept copy (…_修改稿_…) nor a clerk's own document."""
    gone = []
    for path in sorted(docx_path.parent.glob("*.docx")) if docx_path.parent.is_dir() else ():
        if path in written or is_kept_copy(path):  # this build's own (its notices too), or a kept copy
            continue
        data = path.read_bytes()
        base = baseline_of(data)
        if base is None or base.period != period:
            continue
        if is_pristine(data, base):
            outcome.earlier_removed.append(path)
            gone += [path] + [p for p in (path.with_name(path.stem + s) for s in BESIDE_DOCX) if p.is_file()]
        else:
            outcome.earlier_kept.append(path)
    return gone


def _save(docx) -> bytes:
    buffer = io.BytesIO()
    docx.save(buffer)
    return normalise_zip(buffer.getvalue())


def attach_baseline(docx, config, document, entries) -> None:
    """Put into a freshly rendered document the blocks it was built with, and its digest."""
    blocks = [p.block for p in keyed(config, document, entries, docx)]
    store_baseline(docx, Baseline(config.period.code, blocks, docx_digest(docx)))


def baseline_of(data: bytes) -> Baseline | None:
    try:
        return baseline_in_file(data)
    except (zipfile.BadZipFile, KeyError, ValueError):
        return None


def is_pristine(data: bytes, baseline: Baseline | None) -> bool:
    """True if the file (carrying ``baseline``) is a build nobody has changed since: every part matches its digest."""
    return bool(baseline and baseline.pristine and baseline.pristine == file_digest(data))


def is_current(fresh: Baseline | None, built_with: Baseline | None) -> bool:
    """True if the edited file was built from the same data as the new build: nothing to bring in."""
    return bool(built_with and fresh and built_with.blocks == fresh.blocks)


def check_period(period: str, base: Baseline | None, source: Path, purpose: str = "合并；未覆盖任何文件") -> None:
    """Refuse a file built for another period: its figures are not this period's."""
    if base and base.period and base.period != period:
        raise InputError([Problem(str(source), f"这是 {base.period} 的通报，不能与 {period} 的数据{purpose}")])


def merge_bytes(bulletin, edited: bytes, name: str = "修改稿") -> tuple[bytes, list[Event]]:
    """The clerk's file ``edited`` with the new build merged into it."""
    clerk = open_word(edited, name)
    base = read_baseline(clerk)
    fresh = open_bytes(bulletin.docx)
    placed = keyed(bulletin.config, bulletin.document, bulletin.entries, fresh)
    result = merge_into(clerk, base, fresh, placed)
    store_baseline(clerk, Baseline(bulletin.config.period.code, [p.block for p in placed]))
    return _save(clerk), result.events


def _check_word(data: bytes | None, path: Path | None) -> None:
    """InputError if a file to be merged or kept is no Word file, or too large to open safely."""
    if data is not None and path is not None:
        try:
            check_package(data, str(path))
        except WordFileError as error:
            raise InputError([Problem(str(path), f"{error.reason}；未合并、未覆盖任何文件")]) from None


def backup_path(path: Path, now: dt.datetime) -> Path:
    stamp = now.strftime("%Y%m%d-%H%M%S")
    candidate = path.with_name(BACKUP_NAME.format(stem=path.stem, stamp=stamp))
    n = 2
    while candidate.exists():
        candidate = path.with_name(BACKUP_NAME.format(stem=path.stem, stamp=f"{stamp}-{n}"))
        n += 1
    return candidate


def _new_bytes(bulletin, edited: bytes | None, edited_base, existing_pristine: bool, merge_from, docx_path, outcome) -> bytes:
    """The file to write: the new build, the clerk's file as it is, or the two merged."""
    if edited is None or (merge_from is None and existing_pristine):
        return bulletin.docx
    if is_current(baseline_of(bulletin.docx), edited_base):
        return edited
    source = merge_from or docx_path
    try:
        data, outcome.events = merge_bytes(bulletin, edited, str(source))
    except WordFileError as error:
        raise InputError([Problem(str(source), f"{error.reason}；未合并、未覆盖任何文件")]) from None
    return data


def write_rebuilt(bulletin, docx_path: Path, evidence_path: Path, changes_path: Path,
                  merge_from: Path | None = None, others: dict | None = None, stale: tuple = ()) -> RebuildOutcome:
    """Write the bulletin to ``docx_path``, merging a clerk's edits (see module docstring), and
    beside it at ``changes_path`` what changed since the build it replaces; ``others`` (path →
    bytes: the notices) switch with them, and the ``stale`` files of the last build go."""
    existing = docx_path.read_bytes() if docx_path.is_file() else None
    edited = merge_from.read_bytes() if merge_from else existing
    for data, path in ((existing, docx_path), (edited, merge_from)):
        _check_word(data, path)
    outcome = RebuildOutcome([docx_path, evidence_path], merged_from=merge_from)
    edited_base = baseline_of(edited) if edited is not None else None  # each file's baseline is read once
    existing_base = edited_base if merge_from is None else (baseline_of(existing) if existing is not None else None)
    existing_pristine = existing is not None and is_pristine(existing, existing_base)
    if edited is not None:
        check_period(bulletin.config.period.code, edited_base, merge_from or docx_path)
    data = _new_bytes(bulletin, edited, edited_base, existing_pristine, merge_from, docx_path, outcome)
    files = {docx_path: data, evidence_path: bulletin.evidence, **(others or {})}
    if existing == data:
        outcome.unchanged = True  # the change list of the build that made this file stays as it is
    elif edited is not None:
        if existing is not None and not existing_pristine:
            outcome.backup = backup_path(docx_path, dt.datetime.now())
            files[outcome.backup] = existing
        outcome.changes_path = changes_path
        if edited_base is not None:  # else saved by a program that dropped the record of its build
            outcome.changes = changes_between(edited_base.blocks, baseline_in_file(bulletin.docx).blocks, outcome.events)
            files[changes_path] = changes_csv(outcome.changes)
            outcome.written.append(changes_path)
    outcome.same = {path for path, data in files.items() if path.is_file() and path.read_bytes() == data}
    outcome.written += list(others or {})
    earlier = _earlier_files(docx_path, set(files) | set(stale), bulletin.config.period.code, outcome)
    write_all(files, [*stale, *earlier])  # all of them switch at once
    if outcome.changes is None and outcome.changes_path is not None:
        changes_path.unlink(missing_ok=True)  # a list from an earlier build would describe other changes
    return outcome
