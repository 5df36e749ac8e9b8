"""``bulletin ci``: build and check the periods whose inputs changed, as the shipped workflows run it.

When the output folder holds no bulletin of a changed period yet (a fresh CI checkout), the
period is first built from the inputs as they were at the earlier commit, so that the new
build replaces it and writes the change list: what this push changed in the bulletin. A
bulletin already there (committed, perhaps edited by a clerk) is the earlier one instead, and
is merged into, never overwritten.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import click

from ..run.build import write_bulletin
from ..config.bulletin import load_config
from ..run.offices import built_bulletins
from ..run.changed import changed_since, inputs_at
from ..core.errors import InputError
from .reporting import build_period, output_name_problems, status_of
from ..core.tools import find_tool, missing_tool_message


def _has_bulletin(outputs_root: Path, period: str) -> bool:
    folder = Path(outputs_root) / period
    found = [*folder.glob("*.docx"), *folder.glob("*/*.docx")]  # */: one bulletin per office (offices:)
    return folder.is_dir() and any(not p.name.startswith("~$") for p in found)


def build_earlier(periods: list[str], base: str, inputs_root: Path, templates_root: Path, outputs_root: Path) -> None:
    """Each period without a bulletin yet, built from the inputs at commit ``base`` (quietly; skipped if it cannot be)."""
    missing = [p for p in periods if not _has_bulletin(outputs_root, p)]
    if not missing:
        return
    with tempfile.TemporaryDirectory(prefix="bulletin-earlier-") as folder:
        if not inputs_at(base, inputs_root, Path(folder)):
            return
        for period in missing:
            try:
                bulletins = built_bulletins(load_config(period, Path(folder), templates_root))[0]
                if output_name_problems(bulletins):  # one office's names refused: none written
                    continue
                for bulletin in bulletins:
                    write_bulletin(bulletin, outputs_root)
            except (InputError, OSError):
                continue  # new at this commit, or its inputs were not buildable then: no change list
            click.echo(f"{period}：先按提交 {base[:12]} 的输入生成上一版，以列出这次的变更。")


def run_ci(since: str, periods: tuple[str, ...], inputs_root: Path, templates_root: Path, outputs_root: Path) -> list[str]:
    """Build and check the chosen or changed periods; the periods that failed."""
    chosen = [p for p in periods if p.strip()]
    if chosen:
        click.echo(f"按命令行生成：{'、'.join(chosen)}")
    else:
        changed = changed_since(since, inputs_root, templates_root)
        click.echo(f"{changed.reason}：{'、'.join(changed.periods) or '没有周期的输入有改动，无需生成'}")
        chosen = changed.periods
        if changed.base and chosen:
            build_earlier(chosen, changed.base, inputs_root, templates_root, outputs_root)
    with_pdf = bool(chosen) and find_tool("soffice") is not None
    if chosen and not with_pdf:
        click.echo(f"只生成 .docx（{missing_tool_message('soffice', 'libreoffice-writer-nogui')}）。")
    failed = [p for p in chosen if status_of(lambda p=p: build_period(p, inputs_root, templates_root, outputs_root, with_check=True, with_pdf=with_pdf))]
    if failed:
        click.echo(f"未通过：{'、'.join(failed)}（共 {len(chosen)} 个周期）。", err=True)
    elif chosen:
        click.echo(f"已生成并检查：{'、'.join(chosen)}。")
    return failed
