"""Many bulletins in one process: every period under the inputs folder, sharing one query
engine and the libraries already imported, with the rate printed at the end."""

from __future__ import annotations

import time
from pathlib import Path

import click

from ..core import progress
from ..core.errors import CommandFailed
from ..load.engine import Engine
from ..run.changed import all_periods
from .reporting import status_of


def build_all(inputs_root: Path, build_one) -> None:
    """Build and write every period with ``build_one(period, engine)``; CommandFailed if any failed."""
    periods = all_periods(inputs_root)
    if not periods:
        raise CommandFailed(f"{inputs_root} 下没有周期文件夹（如 2024Q1）")
    failed, start = [], time.perf_counter()
    with Engine() as engine:
        for number, period in enumerate(periods, 1):
            progress.stage(f"[{number}/{len(periods)}] {period}", force=True)
            if status_of(lambda: build_one(period, engine)):
                click.echo(f"{period}：未生成", err=True)
                failed.append(period)
    elapsed = time.perf_counter() - start
    built = len(periods) - len(failed)
    click.echo(f"共生成 {built}/{len(periods)} 期通报，用时 {elapsed:.1f} 秒（每秒 {built / elapsed:.1f} 期）")
    if failed:
        raise CommandFailed(f"未生成：{'、'.join(failed)}")
