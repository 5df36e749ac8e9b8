"""The ``bulletin`` command: build, validate and inspect periodic bulletins (通报)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import progress
from .build import build_bulletin, write_bulletin
from .errors import InputError, summarised

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
    for line in summarised(error.problems):
        click.echo(f"  - {line}", err=True)


@click.group()
@click.version_option(package_name="bulletin-pipeline")
def main() -> None:
    """Build official bulletins (通报) from structured data."""


@main.command()
@click.option("--period", help="Reporting period: 2024Q1, 2023H1, 2023 or 2024-03.")
@click.option("--all", "every_period", is_flag=True, help="Build every period under the inputs folder, in one process.")
@with_paths
@click.option("--outputs", "outputs_root", default="outputs", show_default=True, type=click.Path(path_type=Path),
              help="Folder the bulletin is written to, under a sub-folder per period.")
@click.option("--pdf", "with_pdf", is_flag=True, help="Also convert the .docx to PDF with LibreOffice.")
@click.option("--preview", is_flag=True, help="Also write PNG pages of the PDF (implies --pdf).")
@click.option("--check", "with_check", is_flag=True, help="Then check the .docx against GB/T 9704-2012; exit 1 on any departure.")
@click.option("--merge", "merge_from", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="An edited copy of the bulletin (e-mail, USB stick) to merge the new build into.")
def build(period: str | None, every_period: bool, inputs_root: Path, templates_root: Path, outputs_root: Path,
          with_pdf: bool, preview: bool, with_check: bool, merge_from: Path | None) -> None:
    """Build the bulletin of PERIOD into outputs/<period>/, keeping a clerk's edits to it."""
    progress.enable()
    if every_period:
        from .batch import build_all

        sys.exit(build_all(inputs_root, templates_root, outputs_root, report, report_rebuild))
    if not period:
        raise click.UsageError("请用 --period 指定周期（如 2024Q1），或用 --all 生成 inputs 下的每一期")
    try:
        bulletin = build_bulletin(period, inputs_root, templates_root)
        outcome = write_bulletin(bulletin, outputs_root, merge_from)
    except InputError as error:
        progress.done()
        report(error)
        sys.exit(1)
    except OSError as error:  # e.g. the previous bulletin is open in Word, or the disk is full
        click.echo(
            f"无法写入 {error.filename or outputs_root}：{error.strerror or error}；该文件保持原样"
            "（若正在 Word 或 WPS 中打开，请关闭后重试）。",
            err=True,
        )
        sys.exit(2)
    progress.done()
    report_rebuild(outcome)
    paths = outcome.written
    if not outcome.unchanged and not (with_pdf or preview):
        from .render.pdf import remove_stale_renderings

        removed = remove_stale_renderings(paths[0])
        if removed:
            click.echo(f"已删除与新文件不符的 PDF 和预览图 {len(removed)} 个（需要时请用 --pdf 或 --preview 重新生成）。")
    if with_check and report_format(paths[0]):
        sys.exit(1)
    if with_pdf or preview:
        from .render.pdf import PREVIEW_FOLDER, PdfError, pdf_to_pngs, write_pdf

        try:
            pdf = write_pdf(paths[0].read_bytes(), paths[0].with_suffix(".pdf"))  # as written: merged
            click.echo(f"已生成：{pdf}")
            if preview:
                pages = pdf_to_pngs(pdf, paths[0].parent / PREVIEW_FOLDER)
                click.echo(f"已生成：{len(pages)} 页预览图于 {pages[0].parent}")
        except PdfError as error:
            click.echo(f"PDF 未生成：{error}", err=True)
            sys.exit(1)


def report_rebuild(outcome) -> None:
    """What a rebuild did with a clerk's edits: merges, conflicts, the kept copy."""
    if outcome.backup:
        click.echo(f"修改稿已另存为：{outcome.backup}")
    if outcome.merged_from:
        click.echo(f"已合并修改稿：{outcome.merged_from}")
    updates = [e for e in outcome.events if e.kind == "data"]
    if updates:
        click.echo(f"按新数据更新 {len(updates)} 处（修改稿未改动的段落和单元格）。")
    for event in outcome.events:
        if event.kind != "data":
            click.echo(f"  {event}", err=event in outcome.conflicts)
    if outcome.conflicts:
        click.echo(f"共 {len(outcome.conflicts)} 处冲突，已在文中以批注标出，请核对。", err=True)
    for path in outcome.written:
        click.echo(f"{'未变化' if outcome.unchanged and path.suffix == '.docx' else '已生成'}：{path}")


def report_format(path: Path) -> int:
    """Print the GB/T 9704 findings of one .docx; the number of departures."""
    from .check import RULES, check_file

    findings = check_file(path)
    if findings:
        click.echo(f"{path}：不符合 GB/T 9704-2012 共 {len(findings)} 处：")
        for finding in findings:
            click.echo(f"  - {finding}")
    else:
        click.echo(f"{path}：格式检查通过（{len(RULES)} 条规则）。")
    return len(findings)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def check(files: tuple[Path, ...]) -> None:
    """Check FILES (.docx) against GB/T 9704-2012; list every departure, exit 1 if any."""
    if sum(report_format(path) for path in files):
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
    findings = [f for e in bulletin.entries for f in e.findings]
    evidence = sum(len(f.evidence) for f in findings)
    click.echo(
        f"{bulletin.config.period.code}：输入检查通过；存在问题 {len(bulletin.entries)} 条，"
        f"其中规则发现 {len(findings)} 个单位次，依据 {evidence} 条（生成时写入“_问题依据.csv”）。"
    )


@main.command()
@click.argument("edited", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--period", required=True, help="Reporting period whose data the file is checked against.")
@with_paths
def verify(edited: Path, period: str, inputs_root: Path, templates_root: Path) -> None:
    """Check every figure and unit of an edited bulletin EDITED against the data of PERIOD."""
    from .merge.baseline import open_bytes
    from .merge.blocks import keyed
    from .merge.verify import verify_document

    try:
        bulletin = build_bulletin(period, inputs_root, templates_root)
    except InputError as error:
        report(error)
        sys.exit(1)
    fresh = keyed(bulletin.config, bulletin.document, bulletin.entries, open_bytes(bulletin.docx))
    not_found: list[str] = []
    found = verify_document(open_bytes(edited.read_bytes()), bulletin.document.annexes, fresh, bulletin.config.registry, not_found)
    for snippet in not_found:
        click.echo(f"  （文中已无此段，未核对：“{snippet}”）")
    for disagreement in found:
        click.echo(f"  - {disagreement}")
    if found:
        click.echo(f"{edited}：与数据不一致 {len(found)} 处。", err=True)
        sys.exit(1)
    click.echo(f"{edited}：所有数字、排名和单位均与 {bulletin.config.period.code} 的数据一致。")


@main.command("make-template")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def make_template(path: Path) -> None:
    """Write a fresh bulletin Word template (styles, page setup, tags) to PATH."""
    from .render.template_builder import build_template

    build_template(path)
    click.echo(f"已生成模板：{path}")
