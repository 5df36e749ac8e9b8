"""What the ``bulletin`` command prints: problems, warnings, what a rebuild did and changed,
format findings; and one period's build as ``bulletin build`` and ``bulletin ci`` run it.

:func:`status_of` is the one place a refusal (a BulletinError) is shown and becomes an exit code."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import click

from ..core import progress
from ..run.build import bulletin_of, check_output_names, write_bulletin
from ..config.bulletin import load_config
from ..core.errors import BulletinError, CommandFailed, InputError, Problem
from ..core.outputs import OutputUnwritable
from ..merge.rebuild import is_kept_copy
from ..core.passwords import scrubbed


def status_of(action) -> int:
    """Run ``action()``: 0 when it is done, else the exit code of the BulletinError it raised,
    which is printed on standard error as the clerk reads it."""
    try:
        action()
    except BulletinError as error:
        progress.done()
        for line in error.shown():
            click.echo(line, err=True)
        return error.exit_code
    return 0


INTERNAL_ERROR = 70  # EX_SOFTWARE: a fault of the program, not of the inputs
DEBUG_VARIABLE = "BULLETIN_DEBUG"  # set to 1 to see the Python traceback of an internal error


def unexpected(error: Exception) -> int:
    """A fault of the program itself, told without a traceback (and without passwords): what to report."""
    progress.done()
    click.echo(f"程序内部错误（{type(error).__name__}）：{scrubbed(str(error))[:500]}", err=True)
    click.echo(f"这不是输入文件的问题，输出未改动。请把这条信息和所用的输入交给维护人员；设置环境变量 {DEBUG_VARIABLE}=1 可看到详细位置。", err=True)
    return INTERNAL_ERROR


def all_done(actions) -> None:
    """Run every action (each shown as :func:`status_of` shows it); CommandFailed with the highest exit code if any failed."""
    worst = max([status_of(action) for action in actions], default=0)
    if worst:
        raise CommandFailed(exit_code=worst)


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
    for path in outcome.earlier_removed:
        click.echo(f"已删除：{path}（本期以前以这个文件名生成、未经修改的通报；标题或 output_name 已改）")
    for path in outcome.earlier_kept:
        click.echo(f"注意：{path} 是本期以前以另一文件名生成、后经修改的通报，未删除，其中的修改也未并入新通报；"
                   "需要时请用 --merge 并入，不再需要时请删除。", err=True)


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


def report_format(path: Path) -> None:
    """Print the GB/T 9704 findings of one .docx; CommandFailed if there are any."""
    from ..check import RULES, check_file

    findings = check_file(path)
    if findings:
        click.echo(f"{path}：不符合 GB/T 9704-2012 共 {len(findings)} 处：")
        for finding in findings:
            click.echo(f"  - {finding}")
        raise CommandFailed()
    click.echo(f"{path}：格式检查通过（{len(RULES)} 条规则）。")


def report_formats(paths: list[Path]) -> None:
    """The findings of every file in turn; CommandFailed if any file departs or cannot be read."""
    all_done([lambda path=path: report_format(path) for path in paths])




def _built_documents(paths: list[Path]) -> list[Path]:
    """The Word files a build wrote: the bulletin first, then its notices (not a kept 修改稿)."""
    return [p for p in paths if p.suffix == ".docx" and not is_kept_copy(p)]


def build_period(period: str, inputs_root: Path, templates_root: Path, outputs_root: Path, *, with_pdf: bool = False,
                 preview: bool = False, with_check: bool = False, merge_from: Path | None = None, engine=None) -> None:
    """Build one period and print what happened; a BulletinError if it failed (exit code 1: inputs,
    format or PDF; 2: cannot write). Queries run in ``engine`` when one is shared by many builds
    (``build --all``). A period declaring ``offices:`` gives one bulletin per office."""
    options = dict(with_pdf=with_pdf, preview=preview, with_check=with_check)
    config = load_config(period, inputs_root, templates_root)
    if config.value("offices"):
        return _build_offices(config, outputs_root, merge_from, engine, options)
    bulletin = bulletin_of(config, engine)
    progress.done()
    _write(bulletin, outputs_root, merge_from, **options)


def _build_offices(config, outputs_root: Path, merge_from: Path | None, engine, options: dict) -> None:
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
    statuses = [status_of(lambda b=b: _write(b, outputs_root, None, **options)) for b in bulletins]
    written, elapsed = statuses.count(0), time.perf_counter() - start
    click.echo(f"{config.period.code}：共生成 {written} 个区县的通报" + (f"（另有 {len(bulletins) - written} 个未生成）" if written < len(bulletins) else "")
               + f"，用时 {elapsed:.1f} 秒（每秒 {written / elapsed:.1f} 份）")
    if max(statuses, default=0):
        raise CommandFailed(exit_code=max(statuses))


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


def _write(bulletin, outputs_root: Path, merge_from: Path | None, *, with_pdf: bool, preview: bool, with_check: bool) -> None:
    """Write one built bulletin and print what happened; a BulletinError if it could not be."""
    try:
        report_warnings(bulletin)
        outcome = write_bulletin(bulletin, outputs_root, merge_from)
    except OSError as error:  # e.g. the previous bulletin is open in Word, or the disk is full
        raise OutputUnwritable(error, outputs_root) from None
    report_rebuild(outcome)
    paths = outcome.written
    if not outcome.unchanged and not (with_pdf or preview):
        from ..write.pdf import remove_stale_renderings

        removed = remove_stale_renderings(paths[0])
        if removed:
            click.echo(f"已删除与新文件不符的 PDF 和预览图 {len(removed)} 个（需要时请用 --pdf 或 --preview 重新生成）。")
    if with_check:
        report_formats(_built_documents(paths))  # the bulletin and its notices
    if with_pdf or preview:
        from ..write.pdf import PREVIEW_FOLDER, pdf_to_pngs, write_pdf

        pdf = write_pdf(paths[0].read_bytes(), paths[0].with_suffix(".pdf"))  # as written: merged
        click.echo(f"已生成：{pdf}")
        if preview:
            pages = pdf_to_pngs(pdf, paths[0].parent / PREVIEW_FOLDER)
            click.echo(f"已生成：{len(pages)} 页预览图于 {pages[0].parent}")
