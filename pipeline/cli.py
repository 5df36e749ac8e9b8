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
@click.option("--pdf", "with_pdf", is_flag=True, help="Also convert the .docx to PDF with LibreOffice.")
@click.option("--preview", is_flag=True, help="Also write PNG pages of the PDF (implies --pdf).")
def build(period: str, inputs_root: Path, templates_root: Path, outputs_root: Path, with_pdf: bool,
          preview: bool) -> None:
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
    if with_pdf or preview:
        from .render.pdf import PdfError, pdf_to_pngs, write_pdf

        try:
            pdf = write_pdf(bulletin.docx, paths[0].with_suffix(".pdf"))
            click.echo(f"已生成：{pdf}")
            if preview:
                pages = pdf_to_pngs(pdf, paths[0].parent / "preview")
                click.echo(f"已生成：{len(pages)} 页预览图于 {pages[0].parent}")
        except PdfError as error:
            click.echo(f"PDF 未生成：{error}", err=True)
            sys.exit(1)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def check(files: tuple[Path, ...]) -> None:
    """Check FILES (.docx) against GB/T 9704-2012; list every departure, exit 1 if any."""
    from .check import RULES, check_file

    total = 0
    for path in files:
        findings = check_file(path)
        total += len(findings)
        if findings:
            click.echo(f"{path}：不符合 GB/T 9704-2012 共 {len(findings)} 处：")
            for finding in findings:
                click.echo(f"  - {finding}")
        else:
            click.echo(f"{path}：格式检查通过（{len(RULES)} 条规则）。")
    if total:
        sys.exit(1)


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
