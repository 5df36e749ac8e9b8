"""What the ``bulletin`` command prints: problems, warnings, what a rebuild did and changed,
format findings; and one period's build as ``bulletin build`` and ``bulletin ci`` run it."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import click

from ..core import progress
from ..run.build import bulletin_of, check_output_names, write_bulletin
from ..config.bulletin import load_config
from ..core.errors import InputError, Problem, summarised
from ..core.outputs import OutputBusy
from ..word.opener import WordFileError


def report(error: InputError) -> None:
    """Every problem of the run, one per line, with file, sheet, row and column."""
    click.echo(f"输入有误，共 {len(error.problems)} 处，未生成或改动任何文件：", err=True)
    for line in summarised(error.problems):
        click.echo(f"  - {line}", err=True)


def report_warnings(bulletin) -> None:
    """What the build left out without refusing the inputs (records after the cut-off)."""
    for warning in bulletin.warnings:
        click.echo(f"注意：{warning}", err=True)


def report_rebuild(outcome) -> None:
    """What a rebuild did with a clerk's edits: merges, conflicts, the kept copy."""
    if outcome.backup:
        click.echo(f"修改稿已另存为：{outcome.backup}")
    if outcome.merged_from:
        click.echo(f"已合并修改稿：{outcome.merged_from}")
    report_changes(outcome)
    for event in outcome.events:
        if event.kind != "data":
            click.echo(f"  {event}", err=event in outcome.conflicts)
    if outcome.conflicts:
        click.echo(f"共 {len(outcome.conflicts)} 处冲突，已在文中以批注标出，请核对。", err=True)
    for path in outcome.written:
        click.echo(f"{'未变化' if path in outcome.same else '已生成'}：{path}")


CHANGES_SHOWN = 30


def report_changes(outcome) -> None:
    """What changed since the build the new file replaces, change by change (all of them in the change list)."""
    if outcome.changes_path is None:
        return
    if outcome.changes is None:
        click.echo("上一版文件中没有生成记录（曾被不保留自定义 XML 的程序另存），无法列出与上一版相比的变更。")
        return
    if not outcome.changes:
        click.echo("与上一版相比，文字和数字均无变化（仅格式或模板不同）。")
        return
    click.echo(f"与上一版相比有 {len(outcome.changes)} 处变化（变更清单：{outcome.changes_path}）：")
    for change in outcome.changes[:CHANGES_SHOWN]:
        click.echo(f"  {change}")
    if len(outcome.changes) > CHANGES_SHOWN:
        click.echo(f"  ……其余 {len(outcome.changes) - CHANGES_SHOWN} 处见变更清单。")


def report_format(path: Path) -> int:
    """Print the GB/T 9704 findings of one .docx; the number of departures."""
    from ..check import RULES, check_file

    try:
        findings = check_file(path)
    except WordFileError as error:
        click.echo(str(error), err=True)
        return 1
    if findings:
        click.echo(f"{path}：不符合 GB/T 9704-2012 共 {len(findings)} 处：")
        for finding in findings:
            click.echo(f"  - {finding}")
    else:
        click.echo(f"{path}：格式检查通过（{len(RULES)} 条规则）。")
    return len(findings)




def _built_documents(paths: list[Path]) -> list[Path]:
    """The Word files a build wrote: the bulletin first, then its notices (not a kept 修改稿)."""
    return [p for p in paths if p.suffix == ".docx" and "_修改稿_" not in p.name]


def build_period(period: str, inputs_root: Path, templates_root: Path, outputs_root: Path, *, with_pdf: bool = False,
                 preview: bool = False, with_check: bool = False, merge_from: Path | None = None, engine=None) -> int:
    """Build one period, print what happened; the exit status (1: inputs, format or PDF; 2: cannot write).
    Queries run in ``engine`` when one is shared by many builds (``build --all``). A period declaring
    ``offices:`` gives one bulletin per office."""
    options = dict(with_pdf=with_pdf, preview=preview, with_check=with_check)
    try:
        config = load_config(period, inputs_root, templates_root)
        if config.value("offices"):
            return _build_offices(config, outputs_root, merge_from, engine, options)
        bulletin = bulletin_of(config, engine)
    except InputError as error:
        progress.done()
        report(error)
        return 1
    progress.done()
    return _write(bulletin, outputs_root, merge_from, **options)


def _build_offices(config, outputs_root: Path, merge_from: Path | None, engine, options: dict) -> int:
    """Every office's bulletin built, then written each to its folder; the rate printed."""
    from ..run.offices import built_bulletins

    if merge_from is not None:
        raise InputError([Problem("命令行参数 --merge", "本期用 offices 为每个区县各生成一份通报，--merge 无法确定合并到哪一份：请分别在各区县的输出文件夹中修改")])
    start = time.perf_counter()
    bulletins, unclaimed = built_bulletins(config, engine)
    progress.done()
    for warning in unclaimed:
        click.echo(f"注意：{warning}", err=True)
    named = output_name_problems(bulletins)  # every office's file names, before any is written
    if named:
        raise InputError(named)
    statuses = [_write(b, outputs_root, None, **options) for b in bulletins]
    written, elapsed = statuses.count(0), time.perf_counter() - start
    click.echo(f"{config.period.code}：共生成 {written} 个区县的通报" + (f"（另有 {len(bulletins) - written} 个未生成）" if written < len(bulletins) else "")
               + f"，用时 {elapsed:.1f} 秒（每秒 {written / elapsed:.1f} 份）")
    return max(statuses, default=0)


def output_name_problems(bulletins) -> list[Problem]:
    """What is wrong with the names of the bulletins' files (checked before any is written), each
    problem of a per-office bulletin saying which office."""
    problems = []
    for bulletin in bulletins:
        try:
            check_output_names(bulletin)
        except InputError as error:
            office = bulletin.config.office
            problems += [replace(p, message=f"（{office.key}）{p.message}") if office else p for p in error.problems]
    return problems


def _write(bulletin, outputs_root: Path, merge_from: Path | None, *, with_pdf: bool, preview: bool, with_check: bool) -> int:
    """Write one built bulletin and print what happened; the exit status."""
    try:
        report_warnings(bulletin)
        outcome = write_bulletin(bulletin, outputs_root, merge_from)
    except InputError as error:
        report(error)
        return 1
    except OutputBusy as error:
        click.echo(str(error), err=True)
        return 2
    except OSError as error:  # e.g. the previous bulletin is open in Word, or the disk is full
        click.echo(
            f"无法写入 {error.filename or outputs_root}：{error.strerror or error}；该文件保持原样"
            "（若正在 Word 或 WPS 中打开，请关闭后重试）。",
            err=True,
        )
        return 2
    report_rebuild(outcome)
    paths = outcome.written
    if not outcome.unchanged and not (with_pdf or preview):
        from ..write.pdf import remove_stale_renderings

        removed = remove_stale_renderings(paths[0])
        if removed:
            click.echo(f"已删除与新文件不符的 PDF 和预览图 {len(removed)} 个（需要时请用 --pdf 或 --preview 重新生成）。")
    if with_check and sum(report_format(p) for p in _built_documents(paths)):  # the bulletin and its notices
        return 1
    if with_pdf or preview:
        from ..write.pdf import PREVIEW_FOLDER, PdfError, pdf_to_pngs, write_pdf

        try:
            pdf = write_pdf(paths[0].read_bytes(), paths[0].with_suffix(".pdf"))  # as written: merged
            click.echo(f"已生成：{pdf}")
            if preview:
                pages = pdf_to_pngs(pdf, paths[0].parent / PREVIEW_FOLDER)
                click.echo(f"已生成：{len(pages)} 页预览图于 {pages[0].parent}")
        except PdfError as error:
            click.echo(f"PDF 未生成：{error}", err=True)
            return 1
    return 0
