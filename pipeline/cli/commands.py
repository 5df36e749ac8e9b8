"""The ``bulletin`` command: build, validate and inspect periodic bulletins (通报).

Also ``python -m pipeline``: everything ``make`` does, on a machine without ``make``
(an office PC running Windows).
"""

from __future__ import annotations

import os
from pathlib import Path

import click

from ..core import progress
from ..run.build import bulletin_of
from ..config.bulletin import load_config
from ..core.errors import CommandFailed, InputError, Problem
from .usage import ChineseUsageError
from .reporting import build_period, output_name_problems, report_formats, report_warnings, status_of, unexpected, DEBUG_VARIABLE
from ..merge.rebuild import is_kept_copy
from ..word.opener import open_word_file

PERIOD_HELP = "统计周期：2024Q1（季度）、2023H1（半年）、2023（年度）或 2024-03（月份）。"
PATHS = [
    click.option("--inputs", "inputs_root", default="inputs", type=click.Path(path_type=Path),
                 help="输入文件夹：每个统计周期一个子文件夹（默认 inputs）。"),
    click.option("--templates", "templates_root", default="templates", type=click.Path(path_type=Path),
                 help="通报类型文件夹：Word 模板和 kind.yaml（默认 templates）。"),
]
OUTPUTS = click.option("--outputs", "outputs_root", default="outputs", type=click.Path(path_type=Path),
                       help="输出文件夹：通报写入其中以周期命名的子文件夹（默认 outputs）。")
HELP = {"help_option_names": ["-h", "--help"]}
HEADINGS = {"Options": "选项", "Commands": "命令"}


class ChineseHelp(click.HelpFormatter):
    """click's help layout with its own words in Chinese."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args.replace("[OPTIONS]", "[选项]").replace("COMMAND [ARGS]...", "命令 ..."), prefix="用法：")

    def write_heading(self, heading: str) -> None:
        super().write_heading(HEADINGS.get(heading, heading))

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        super().write_dl([(term, text.replace("[required]", "（必填）")) for term, text in rows], col_max, col_spacing)


class ChineseContext(click.Context):
    formatter_class = ChineseHelp


class ChineseCommand(click.Command):
    context_class = ChineseContext


class ChineseGroup(click.Group):
    """``bulletin``: a command's refusal (BulletinError) is shown and sets the exit code, never a traceback."""

    context_class = ChineseContext
    command_class = ChineseCommand

    def make_context(self, info_name, args, parent=None, **extra):
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as error:  # the options of bulletin itself
            raise ChineseUsageError.of(error) from None

    def invoke(self, ctx: click.Context):
        try:
            status = status_of(lambda: super(ChineseGroup, self).invoke(ctx))
        except click.UsageError as error:
            raise ChineseUsageError.of(error) from None
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort, KeyboardInterrupt):
            raise
        except Exception as error:  # a fault of the program: told in one paragraph, never a traceback
            if os.environ.get(DEBUG_VARIABLE) == "1":
                raise
            status = unexpected(error)
        if status:
            ctx.exit(status)


def with_paths(function):
    for option in reversed(PATHS):
        function = option(function)
    return function


def command(name: str, summary: str):
    """A sub-command of ``bulletin`` whose --help is in Chinese; ``summary`` is its line in ``bulletin --help``."""
    def register(function):
        function = click.help_option("-h", "--help", help="显示本说明后退出。")(function)
        return main.command(name, short_help=summary, context_settings=HELP)(function)
    return register


@click.group("bulletin", cls=ChineseGroup, context_settings=HELP)
@click.version_option(package_name="bulletin-pipeline", message="%(prog)s %(version)s", help="显示版本后退出。")
@click.help_option("-h", "--help", help="显示本说明后退出。")
def main() -> None:
    """从结构化数据生成通报（符合 GB/T 9704 的 Word 公文）并检查。

    \b
    例：bulletin build --period 2024Q1 --check      生成并检查 2024年一季度通报
        bulletin new-period 2024Q2 --from 2024Q1    新建下一期的输入文件夹
        bulletin ci --since HEAD~1                  只生成输入有改动的周期（CI 用）
    各命令的说明：bulletin 命令 --help
    """


@command("build", "生成通报，保留修改稿的改动，列出与上一版相比的变化")
@click.option("--period", help=PERIOD_HELP)
@click.option("--all", "every_period", is_flag=True, help="在一个进程中生成 inputs 下的每一期（共用查询引擎）。")
@with_paths
@OUTPUTS
@click.option("--pdf", "with_pdf", is_flag=True, help="另用 LibreOffice 转成 PDF。")
@click.option("--preview", is_flag=True, help="另生成 PDF 各页的 PNG 预览图（含 --pdf）。")
@click.option("--check", "with_check", is_flag=True, help="生成后按 GB/T 9704-2012 检查格式；有不符之处则退出码为 1。")
@click.option("--merge", "merge_from", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="从别处带回的修改稿（邮件、U 盘），把新生成的内容合并进去。")
def build(period: str | None, every_period: bool, inputs_root: Path, templates_root: Path, outputs_root: Path,
          with_pdf: bool, preview: bool, with_check: bool, merge_from: Path | None) -> None:
    """生成一个统计周期的通报到 outputs/<周期>/，保留文秘在其中的修改，并列出与上一版相比的变化。

    \b
    例：bulletin build --period 2024Q1 --check --pdf
        bulletin build --all                 生成 inputs 下的每一期
    """
    progress.enable()
    options = dict(with_pdf=with_pdf, preview=preview, with_check=with_check)
    if every_period:
        from .batch import build_all

        return build_all(inputs_root, lambda p, engine: build_period(
            p, inputs_root, templates_root, outputs_root, engine=engine, **options))
    if not period:
        raise click.UsageError("请用 --period 指定周期（如 2024Q1），或用 --all 生成 inputs 下的每一期")
    build_period(period, inputs_root, templates_root, outputs_root, merge_from=merge_from, **options)


def _period_files(period: str, outputs_root: Path) -> list[Path]:
    """The bulletins built for ``period`` and its notices (整改通知/): not the kept 修改稿 copies,
    not Word's ~$ owner files."""
    folder = outputs_root / period.strip().upper()
    found = [*sorted(folder.glob("*.docx")), *sorted(folder.glob("*/*.docx"))]
    return [p for p in found if not is_kept_copy(p) and not p.name.startswith("~$")]


@command("check", "按 GB/T 9704-2012 检查 .docx 的公文格式")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--period", help="检查 outputs/<周期>/ 中生成的通报（不必写出文件名）。")
@OUTPUTS
def check(files: tuple[Path, ...], period: str | None, outputs_root: Path) -> None:
    """按 GB/T 9704-2012 检查 FILES（.docx）的格式，逐处列出不符之处；有则退出码为 1。

    \b
    例：bulletin check 修改稿.docx
        bulletin check --period 2024Q1
    """
    files = files + tuple(_period_files(period, outputs_root)) if period else files
    if not files:
        if period:
            raise InputError([Problem(str(outputs_root / period.upper()), "其中没有生成的通报：请先运行 bulletin build --period "
                                      f"{period.upper()}，或给出要检查的 .docx 文件")])
        raise click.UsageError("请给出要检查的 .docx 文件，或用 --period 指定周期")
    report_formats(list(files))


@command("validate", "检查一个周期的输入，不写任何文件")
@click.option("--period", required=True, help=PERIOD_HELP)
@with_paths
def validate(period: str, inputs_root: Path, templates_root: Path) -> None:
    """像生成时一样检查一个统计周期的输入，列出所有问题，不写任何文件。

    \b
    例：bulletin validate --period 2024Q2
    """
    from ..run.offices import built_bulletins

    bulletins, unclaimed = built_bulletins(load_config(period, inputs_root, templates_root))
    named = output_name_problems(bulletins)  # names a build would refuse: refused here too
    if named:
        raise InputError(named)
    for warning in unclaimed:
        click.echo(f"注意：{warning}", err=True)
    for bulletin in bulletins:
        _validated(bulletin)


def _validated(bulletin) -> None:
    """What ``validate`` says of one bulletin that would be built (one per office with ``offices:``)."""
    report_warnings(bulletin)
    findings = [f for e in bulletin.entries for f in e.findings]
    said = [row for e in bulletin.entries for row in e.evidence]  # the rows a statement of an entry printed (each: 检查名)
    evidence = sum(len(f.evidence) for f in findings) + len(said)
    office = f"（{bulletin.config.office.key}）" if bulletin.config.office else ""
    click.echo(
        f"{bulletin.config.period.code}{office}：输入检查通过；存在问题 {len(bulletin.entries)} 条，"
        f"其中规则发现 {len(findings) + len(said)} 个单位次，依据 {evidence} 条（生成时写入“_问题依据.csv”）。"
        + (f"整改通知 {len(bulletin.notices)} 份。" if bulletin.notices else "")
    )


NOT_APPLICABLE = 3  # verify's exit code for a file it does not check (an 整改通知)


@command("verify", "用数据核对修改稿中的数字、排名和单位")
@click.argument("edited", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--period", required=True, help="用哪个统计周期的数据核对。")
@click.option("--office", default=None, help="按区县出通报（offices:）时，用哪个区县的数据核对（默认：按文件认出）。")
@with_paths
def verify(edited: Path, period: str, office: str | None, inputs_root: Path, templates_root: Path) -> None:
    """用 --period 所指周期的数据核对修改稿 EDITED 中的每个数字、排名和单位名称。

    \b
    只核对通报；整改通知（退出码 3）由 build 从同一数据重新生成即可。
    例：bulletin verify 修改稿.docx --period 2024Q1
    """
    from ..merge.baseline import open_bytes
    from ..merge.blocks import keyed
    from ..merge.rebuild import baseline_of, check_period
    from ..merge.verify import verify_document

    base = baseline_of(edited.read_bytes())
    if base and base.pristine and not base.blocks:  # built as a notice: it carries no bulletin blocks
        raise CommandFailed(f"{edited}：这是一份整改通知，verify 只核对通报（整改通知由 bulletin build 从同一数据生成，"
                            "数据有变请重新生成），未核对。", NOT_APPLICABLE)
    config = load_config(period, inputs_root, templates_root)
    check_period(config.period.code, base, edited, f"核对（请用 --period {base.period if base else ''} 核对）")
    bulletin = _bulletin_to_verify(config, base, edited, office)
    fresh = keyed(bulletin.config, bulletin.document, bulletin.entries, open_bytes(bulletin.docx))
    not_found: list[str] = []
    document = open_word_file(edited)
    found = verify_document(document, bulletin.document.annexes, fresh, bulletin.config.registry, not_found)
    for snippet in not_found:
        click.echo(f"  （文中已无此段，未核对：“{snippet}”）")
    for disagreement in found:
        click.echo(f"  - {disagreement}")
    if found:
        raise CommandFailed(f"{edited}：与数据不一致 {len(found)} 处。")
    whose = f"{bulletin.config.office.key}（{bulletin.config.period.code}）" if bulletin.config.office else bulletin.config.period.code
    click.echo(f"{edited}：所有数字、排名和单位均与 {whose} 的数据一致。")


def _bulletin_to_verify(config, base, edited: Path, office: str | None):
    """The fresh bulletin ``edited`` is checked against: the period's, or with ``offices:`` the
    office's it was built for (recognised by the blocks it carries); InputError if ``--office``
    names another office than the file's."""
    if not config.value("offices"):
        return bulletin_of(config)
    from ..merge.rebuild import baseline_of
    from ..run.offices import built_bulletins

    bulletins, _ = built_bulletins(config)
    keys = [b.config.office.key for b in bulletins]
    if office is not None and office not in keys:
        raise InputError([Problem("命令行参数 --office", f"{config.period.code} 没有区县“{office}”（有：{'、'.join(keys)}）")])
    texts = {b.text for b in base.blocks} if base else set()
    shared = [len(texts & {b.text for b in baseline_of(x.docx).blocks}) for x in bulletins]
    own = bulletins[shared.index(max(shared))] if texts else None
    if own is not None and office is not None and own.config.office.key != office:
        raise InputError([Problem(str(edited), f"这是 {own.config.office.key} 的通报，不能用 {office} 的数据核对（请用 --office {own.config.office.key}）")])
    if own is None and office is None:
        raise InputError([Problem(str(edited), f"认不出是哪个区县的通报，请用 --office 指明（{'、'.join(keys)}）")])
    return own or bulletins[keys.index(office)]


@command("new-period", "由上一期的文件夹新建下一期，列出要填写的内容")
@click.argument("period")
@click.option("--from", "source", required=True, help="从哪个统计周期的文件夹复制。")
@with_paths
def new_period(period: str, source: str, inputs_root: Path, templates_root: Path) -> None:
    """由上一期的文件夹新建 inputs/PERIOD/：沿用单位名录、评分方案和文字设置以及文字稿（.md、.docx）的文字，清空日期、撰写的文字和数据，并列出要填写的内容。

    \b
    例：bulletin new-period 2024Q2 --from 2024Q1
    """
    from ..run.new_period import create_period

    folder, tasks = create_period(period, source, inputs_root, templates_root)
    click.echo(f"已新建 {folder}：沿用 {source.upper()} 的单位名录、评分方案、通报文字和规则条目；{_what_new_period_did(tasks)}")
    click.echo("请填写：")
    for number, task in enumerate(tasks, start=1):
        click.echo(f"  {number}. {task}")
    click.echo(f"填好后检查：bulletin validate --period {folder.name}")


def _what_new_period_did(tasks: list) -> str:
    """The closing clause of new-period: which documents keep their wording, what was emptied."""
    kept = list(dict.fromkeys(t.file for t in tasks if t.wording == "kept"))
    emptied = "日期、撰写的文字和数据" if any(t.wording == "emptied" for t in tasks) else "日期和数据"
    carried = f"{'、'.join(kept)}沿用上期的文字；" if kept else ""
    return f"{carried}{emptied}已清空。"


@command("ci", "只生成并检查输入有改动的周期（CI 用）")
@click.option("--since", default="", help="与哪个提交比较（如 HEAD~1、推送前的提交）；为空或找不到时生成全部周期。")
@click.option("--period", "periods", multiple=True, help="只生成这些周期（可重复；为空则按 --since 判断）。")
@with_paths
@OUTPUTS
def ci(since: str, periods: tuple[str, ...], inputs_root: Path, templates_root: Path, outputs_root: Path) -> None:
    """只生成并检查输入有改动的周期（CI 在 inputs/ 有改动时运行）；装有 LibreOffice 时另生成 PDF。
    文秘改过的通报不会被覆盖：新内容合并进去，原稿另存。

    \b
    例：bulletin ci --since HEAD~1
        bulletin ci --period 2024Q2
    """
    from .ci import run_ci

    if run_ci(since, periods, inputs_root, templates_root, outputs_root):
        raise CommandFailed()


@command("make-template", "生成通报的 Word 模板")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def make_template(path: Path) -> None:
    """把新的通报 Word 模板（样式、页面设置、标记）写到 PATH。

    \b
    例：bulletin make-template templates/assessment/bulletin.docx
    """
    from ..render.template_builder import build_template

    build_template(path)
    click.echo(f"已生成模板：{path}")


@command("schema", "由配置项声明重新生成 JSON Schema 和配置参考页")
@click.option("--root", default=".", type=click.Path(file_okay=False, path_type=Path),
              help="写入哪个文件夹（默认当前文件夹，即项目根目录）。")
def schema(root: Path) -> None:
    """由 pipeline/config/declared.py 中的配置项声明，重新生成供编辑器补全和检查用的
    JSON Schema（schemas/bulletin-config.schema.json）、配置参考页（docs/configuration.md）
    和统计周期写法页（docs/period-attributes.md，由 pipeline/core/period.py 生成）。

    \b
    例：bulletin schema
    """
    from ..config.published import published_files

    for name, text in published_files().items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
        click.echo(f"已生成：{name}")


@command("migrate", "把配置中旧的 Jinja 写法改写为语句")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...", type=click.Path(exists=True, path_type=Path))
@click.option("--check", "only_check", is_flag=True, help="只列出要改写之处，不写文件；有要改写之处则退出码为 1。")
def migrate(paths: tuple[Path, ...], only_check: bool) -> None:
    """把 PATH 中仍用旧的 Jinja 写法（{% if %}、{% for %}、|percent、|join('、') 等）的句子，
    就地改写为语句（{{ 名称 }}、{{ 名称|格式 }}、each、when），注释和排版不变。PATH 可以是通报类型
    文件夹（templates/assessment）、周期文件夹（inputs/2024Q1）或一个 YAML 文件。无法改写之处
    逐一列出（文件和行），原样保留，退出码为 1。

    \b
    例：bulletin migrate templates/assessment inputs/2024Q1
        bulletin migrate --check templates/assessment
    """
    from ..config.migrate import migrate_paths

    migration = migrate_paths(paths, write=not only_check)
    verb = "应改写" if only_check else "已改写"
    for problem in sorted(migration.changed, key=lambda p: (p.file, p.row or 0)):
        click.echo(f"{verb}：{problem}")
    for problem in sorted(migration.refused, key=lambda p: (p.file, p.row or 0)):
        click.echo(f"无法改写：{problem}", err=True)
    if not migration.changed and not migration.refused:
        click.echo("没有需要改写的 Jinja 写法。")
    if migration.refused or (only_check and migration.changed):
        raise CommandFailed(exit_code=1)
