"""The ``bulletin`` command: build, validate and inspect periodic bulletins (通报)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .build import build_bulletin, write_bulletin
from .errors import InputError

PATHS = [
    click.option("--inputs", "inputs_root", default="inputs", show_default=True, type=click.Path(path_type=Path),
                 help="Folder holding one sub-folder of inputs per period."),
    click.option("--templates", "templates_root", default="templates", show_default=True, type=click.Path(path_type=Path),
                 help="Folder holding the bulletin kinds (Word template + kind.yaml)."),
]


def with_paths(function):
    for option in reversed(PATHS):
        function = option(function)
    return function


def report(error: InputError) -> None:
    """Every problem of the run, one per line, with file, sheet, row and column."""
    click.echo(f"输入有误，共 {len(error.problems)} 处，未生成或改动任何文件：", err=True)
    for problem in error.problems:
        click.echo(f"  - {problem}", err=True)


@click.group()
@click.version_option(package_name="bulletin-pipeline")
def main() -> None:
    """Build official bulletins (通报) from structured data."""


@main.command()
@click.option("--period", required=True, help="Reporting period: 2024Q1, 2023H1, 2023 or 2024-03.")
@with_paths
@click.option("--outputs", "outputs_root", default="outputs", show_default=True, type=click.Path(path_type=Path),
              help="Folder the bulletin is written to, under a sub-folder per period.")
def build(period: str, inputs_root: Path, templates_root: Path, outputs_root: Path) -> None:
    """Build the bulletin of PERIOD into outputs/<period>/."""
    try:
        bulletin = build_bulletin(period, inputs_root, templates_root)
    except InputError as error:
        report(error)
        sys.exit(1)
    try:
        paths = write_bulletin(bulletin, outputs_root)
    except OSError as error:  # e.g. the previous bulletin is open in Word, or the disk is full
        click.echo(
            f"无法写入 {error.filename or outputs_root}：{error.strerror or error}；该文件保持原样"
            "（若正在 Word 或 WPS 中打开，请关闭后重试）。",
            err=True,
        )
        sys.exit(2)
    for path in paths:
        click.echo(f"已生成：{path}")


@main.command()
@click.option("--period", required=True, help="Reporting period: 2024Q1, 2023H1, 2023 or 2024-03.")
@with_paths
def validate(period: str, inputs_root: Path, templates_root: Path) -> None:
    """Check the inputs of PERIOD as a build does, writing nothing; list every problem found."""
    try:
        bulletin = build_bulletin(period, inputs_root, templates_root)
    except InputError as error:
        report(error)
        sys.exit(1)
    findings = sum(len(e.findings) for e in bulletin.entries)
    click.echo(f"{bulletin.config.period.code}：输入检查通过；存在问题 {len(bulletin.entries)} 条，规则发现 {findings} 项。")


@main.command("make-template")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def make_template(path: Path) -> None:
    """Write a fresh bulletin Word template (styles, page setup, tags) to PATH."""
    from .render.template_builder import build_template

    build_template(path)
    click.echo(f"已生成模板：{path}")
