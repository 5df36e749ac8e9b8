"""One bulletin from one period's inputs, as a sequence of named stages, each producing one thing:
datasets → scores → prose → validated declarations → figures → findings → completed entries →
document (assemble), then the rendered .docx and the notices (bulletin_of), then the files
(write_bulletin). Nothing here prints: results and refusals go back to the command line."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..core.yamlio import YAMLError, parse_yaml, scalar_places

from ..core import progress
from ..core.decimals import NumberRule
from ..compose import Document, compose_document, rankings_of
from ..load.prose_files import prose_documents
from ..compose.sections import document_values, speaker_for
from ..language.statements import complete_entries
from ..compose.tree import prose_files
from ..config.bulletin import CONFIG_FILE, BulletinConfig, load_config
from ..config.dates import date_problems
from ..findings.problems import ProblemEntry, check_entries, derive_entries, entry_choice_problems, entry_file_problems
from ..config.prose_check import rule_file_problems
from ..derive.scores import rank_scores
from ..derive.workdays import CalendarError
from ..load.engine import Engine, EngineError
from ..core.errors import InputError, Problem, ProblemLog, yaml_problem
from ..figures import derive_figures
from ..figures.base import check_figures
from ..figures.declared import Environment, FigureError, run_declared
from ..findings.declared import Checks
from ..figures.choices import group_problems
from ..figures.validate import declaration_problems, declarations
from ..load.cutoff import leave_out_after_cutoff
from ..load.datasets import load_datasets, load_score_table, scoring_scheme
from ..load.in_period import period_warnings
from ..core.encoding import UnknownEncoding, decode_text
from ..core.outputs import MAX_NAME_BYTES, name_problems, safe_file_name
from ..merge.rebuild import CHANGES_SUFFIX, EVIDENCE_SUFFIX, RebuildOutcome, attach_baseline, write_rebuilt
from ..write.notice_files import NoticeFile, notice_name_problems, notice_outputs, render_notices
from ..render.docx_writer import render_docx
from ..render.evidence import evidence_csv
from ..load.inputs import RuleContext
from ..language.errors import LanguageError
from ..language.sentence import Scope


@dataclass
class Bulletin:
    """A built bulletin in memory: its content, the entries behind it, and its files."""

    config: BulletinConfig
    document: Document
    entries: list[ProblemEntry]
    docx: bytes
    evidence: bytes
    warnings: list[Problem] = field(default_factory=list)  # e.g. records after the cut-off, left out
    notices: list[NoticeFile] = field(default_factory=list)  # one 整改通知 per unit, where the kind asks for them

    @property
    def file_stem(self) -> str:
        pattern = self.config.value("output_name")
        return Scope({"title": self.document.title, "period": self.config.period}).fill(pattern)


def wording_problem(config: BulletinConfig, default: str, error: LanguageError) -> Problem:
    """A text that cannot be said, at the file and line its YAML node was read from."""
    if error.file:  # a prose block of the period: its own file and line
        return Problem(f"{config.period.code}/{error.file}", str(error), row=error.line)
    shown, line, column = config.sentences.get(error.source, (f"{config.period.code}/{default}", None, None))
    return error.located(shown, line, column).problem()


def _read_text(config: BulletinConfig, name: str, log: ProblemLog, own: bool = False) -> str:
    """The text of ``name``: a data file of the inputs, or (``own``) a prose file of the period's folder."""
    path = config.period_file(name) if own else config.input_file(name)
    try:
        return decode_text(path.read_bytes())  # UTF-8 or GBK, as Notepad and WPS save it
    except FileNotFoundError:
        log.add(f"{config.period.code}/{name}", "文件不存在")
    except UnknownEncoding as exc:
        log.add(f"{config.period.code}/{name}", str(exc))
    return ""


def _problems_needed(config: BulletinConfig) -> str | None:
    """What reads the 存在问题 entries (a section of type problems, or notices), or None: then the file may be absent."""
    for i, section in enumerate(config.items("sections")):
        if section.value("type") == "problems":
            file, line = config.place("sections", i, "type")
            return f"{file}{f'第{line}行' if line else ''}的“{section.value('id') or section.value('heading')}”部分（type: problems）"
    return "整改通知（notices）" if config.given("notices") else None


def _problem_entries(config: BulletinConfig, log: ProblemLog) -> list:
    name = config.value("problems_file")
    needed = _problems_needed(config)
    if not config.period_file(name).is_file():
        if needed:
            log.add(f"{config.period.code}/{name}", f"文件不存在：{needed}列出此文件中的存在问题条目；"
                                                     "本期没有存在问题时，请写一个只有 [] 的文件")
        return []
    text = _read_text(config, name, log, own=True)
    try:
        entries = parse_yaml(text) or []
    except YAMLError as exc:
        log.problems.append(yaml_problem(f"{config.period.code}/{config.value('problems_file')}", exc, text))
        return []
    shown = f"{config.period.code}/{config.value('problems_file')}"  # where each of its sentences is, for a LanguageError
    for sentence, (line, column) in scalar_places(text).items():
        config.sentences.setdefault(sentence, (shown, line, column))
    return entries


def assemble(config: BulletinConfig, warnings: list[Problem], engine: Engine | None = None) -> tuple[Document, list[ProblemEntry]]:
    """Everything the document says, derived from the inputs; raises InputError listing every problem.

    What the build leaves out without refusing (records after the cut-off) goes to ``warnings``.
    Record tables and the queries on them run in ``engine`` (a fresh one, closed afterwards, if none is given).
    """
    if engine is None:
        with Engine() as own:
            return assemble(config, warnings, own)
    try:
        return _assemble(config, warnings, engine)
    finally:
        engine.release()


def _assemble(config: BulletinConfig, warnings: list[Problem], engine: Engine) -> tuple[Document, list[ProblemEntry]]:
    """The stages from the inputs to the document: load, validate, derive, figures, findings, compose."""
    log = ProblemLog(date_problems(config.period, config.view, config.input_file(CONFIG_FILE)))
    datasets = _datasets(config, log, engine, warnings)
    schemes, ranked = _scores(config, log)
    prose = _prose(config, log, warnings)
    entries_config = _problem_entries(config, log)
    checks = _checks(config)
    order = _validated(config, log, datasets, entries_config, checks)
    progress.stage(f"{config.period.code}：计算数字和存在问题", force=True)
    ctx = _rule_context(config, datasets)
    env = Environment(ctx, config.view, earlier=lambda which: earlier_environment(config, which, engine))
    with _computed(config):
        figures = _figures(config, ctx, env, order)
        entries = _findings(config, entries_config, ctx, checks, env, figures)
    rankings = rankings_of(ranked, config.value("ranking_count"))
    entries = _completed(config, entries, rankings, figures)
    with _worded(config, "bulletin.yaml"):
        document = compose_document(config, rankings, schemes, entries, prose, figures)
    return document, entries


def _datasets(config: BulletinConfig, log: ProblemLog, engine: Engine, warnings: list[Problem]) -> dict:
    """The period's record tables, loaded; records outside the period or after the cut-off go to ``warnings``."""
    datasets = load_datasets(config, log, engine)
    warnings += period_warnings(datasets, config.value("datasets"), config.period, log)
    warnings += leave_out_after_cutoff(datasets, config.value("datasets"), config.cutoff)
    return datasets


def _scores(config: BulletinConfig, log: ProblemLog) -> tuple[dict, dict]:
    """(group → scoring scheme, group → ranked scores) of each scored group whose table can be read."""
    schemes, ranked = {}, {}
    for group, settings in config.items("scoring"):
        try:
            schemes[group] = scoring_scheme(group, settings)
        except InputError as error:  # reported with the rest; this group's table cannot be checked
            log.problems.extend(error.problems)
            continue
        ranked[group] = rank_scores(schemes[group], load_score_table(config, group, settings, log))
    return schemes, ranked


def _prose(config: BulletinConfig, log: ProblemLog, warnings: list[Problem]) -> dict:
    """File name → prose document of the period's prose files: narrative and document sections and
    the files statements name."""
    return prose_documents(config, log, warnings, prose_files(config.value("sections")))


def _checks(config: BulletinConfig) -> dict:
    """The kind's declared checks, each with the kind's shared thresholds under its own."""
    shared = config.value("params")  # the kind's thresholds, usable and overridable in every check
    return {name: {**spec, "params": {**shared, **(spec.get("params") or {})}}
            for name, spec in config.value("checks").items() if isinstance(spec, dict)}


def _validated(config: BulletinConfig, log: ProblemLog, datasets: dict, entries_config: list, checks: dict) -> list:
    """The order the declared figures and checks run in, once every entry, figure and declaration
    is checked; InputError listing every problem found up to here."""
    numbered = all(s.value("numbered") for s in config.items("sections") if s.value("type") == "problems")
    for problem in check_entries(entries_config, config.section("rules"), datasets, config.value("problems_file"), numbered,
                                 config.value("formats"), checks, figures=set(config.value("figures"))):
        log.problems.append(problem)
    log.problems.extend(entry_file_problems(entries_config, _entry_place(config)))
    log.problems.extend(rule_file_problems(config.value("checks"), config.value("rules"), config.place))
    log.problems.extend(check_figures(config.value("figures"), datasets, f"{config.kind_dir.name}/kind.yaml"))
    order, problems = declaration_problems(config.view, config.place)
    log.problems.extend(problems)
    if not problems:
        log.problems.extend(group_problems(declarations(config.view), [u.group for u in config.registry], config.place))
        log.problems.extend(entry_choice_problems(entries_config, declarations(config.view), config.view, _entry_place(config)))
    log.raise_if_any()
    return order


def _entry_place(config: BulletinConfig):
    """Where a text value of 存在问题.yaml is written (its places were noted when the file was read)."""
    shown = f"{config.period.code}/{config.value('problems_file')}"
    return lambda value: config.sentences.get(str(value), (shown, None))[:2]


def _rule_context(config: BulletinConfig, datasets: dict) -> RuleContext:
    """What the figures and rules are computed from."""
    return RuleContext(
        period=config.period,
        cutoff=config.cutoff,
        registry=config.registry,
        datasets=datasets,
        calendar_overrides=config.value("calendar"),
        numbers=NumberRule(int(config.value("numbers.percent_places")), config.value("numbers.rounding")),
    )


def _figures(config: BulletinConfig, ctx: RuleContext, env: Environment, order: list) -> dict:
    """Name → value of every figure: the built-in derivations, then the declared ones in their order."""
    figures = derive_figures(config.value("figures"), ctx)
    env.figures.update(figures)
    figures.update(run_declared(config.value("figures"), env, [n for s, n in order if s == "figures"]))
    return figures


def _findings(config: BulletinConfig, entries_config: list, ctx: RuleContext, checks: dict, env: Environment,
              figures: dict) -> list[ProblemEntry]:
    """The 存在问题 entries the rules and checks find; each check's findings join ``figures``."""
    run_checks = Checks(checks, env)
    entries = derive_entries(entries_config, config.section("rules"), ctx, checks, run_checks)
    figures.update(run_checks.tables())  # a check's findings, readable in sentences like a figure
    return entries


def _completed(config: BulletinConfig, entries: list[ProblemEntry], rankings, figures: dict) -> list[ProblemEntry]:
    """The entries with their sentences written out."""
    with _worded(config, config.value("problems_file")):
        return complete_entries(entries, speaker_for(config, document_values(config, rankings, figures)))


@contextmanager
def _computed(config: BulletinConfig):
    """A calendar, query, figure or wording failure while computing refused as InputError at its file and line."""
    try:
        with _worded(config, config.value("problems_file")):
            try:
                yield
            except FigureError as exc:  # placed at its declaration, before any other language error
                file, line = config.place(exc.section, exc.name, *(exc.key.split(".") if exc.key else []))
                raise InputError([Problem(file, f"{exc.section}.{exc.name}{'.' + exc.key if exc.key else ''}：{exc}", row=line)]) from None
    except (CalendarError, EngineError) as exc:
        raise InputError([Problem(f"{config.period.code}/bulletin.yaml", str(exc))]) from None


@contextmanager
def _worded(config: BulletinConfig, default: str):
    """A sentence that cannot be written refused as InputError at the file and line that configure it
    (``default``: the file it is looked for in first)."""
    try:
        yield
    except LanguageError as exc:
        raise InputError([wording_problem(config, default, exc)]) from None


def earlier_environment(config: BulletinConfig, which: str, engine: Engine) -> Environment | None:
    """The inputs of the period before (``previous``) or a year before (``year_ago``), for 环比/同比;
    None when that period has no folder. Its inputs are checked like any period's."""
    period = config.period.previous if which == "previous" else config.period.year_ago
    if not (config.input_dir.parent / period.code / CONFIG_FILE).is_file():
        return None
    earlier = load_config(period.code, config.input_dir.parent, config.kind_dir.parent)
    log = ProblemLog([])
    datasets = load_datasets(earlier, log, engine)
    leave_out_after_cutoff(datasets, earlier.value("datasets"), earlier.cutoff)
    log.raise_if_any()
    ctx = RuleContext(earlier.period, earlier.cutoff, earlier.registry, datasets, earlier.value("calendar"))
    return Environment(ctx, config.view)


def build_bulletin(period: str, inputs_root: Path, templates_root: Path, engine: Engine | None = None) -> Bulletin:
    """The bulletin of ``period`` in memory, nothing written; queries run in ``engine`` if given."""
    return bulletin_of(load_config(period, inputs_root, templates_root), engine)


def bulletin_of(config: BulletinConfig, engine: Engine | None = None) -> Bulletin:
    """The bulletin ``config`` describes, in memory, nothing written: assembled, rendered, its notices."""
    warnings: list[Problem] = []
    document, entries = assemble(config, warnings, engine)
    progress.stage(f"{config.period.code}：排版", force=True)
    docx = _rendered(config, document, entries)
    notices = _notices(config, document, entries)
    return Bulletin(config, document, entries, docx, evidence_csv(entries, document.evidence), warnings, notices)


def _rendered(config: BulletinConfig, document: Document, entries: list[ProblemEntry]) -> bytes:
    """The bulletin's .docx; the blocks it was built with travel inside the file, for merging a
    clerk's edits later."""
    return render_docx(config.template_path, document, config.issued_on,
                       finish=lambda d: attach_baseline(d, config, document, entries))


def _notices(config: BulletinConfig, document: Document, entries: list[ProblemEntry]) -> list[NoticeFile]:
    """One 整改通知 per unit, where the kind asks for them."""
    with _worded(config, "bulletin.yaml"):
        return render_notices(config, document, entries)


LONGEST_SUFFIX = "_修改稿_20240101-000000-99.docx"  # the longest name a bulletin's files get (a kept copy)


def check_name_length(stem: str, period: str, advice: str = "请缩短 title，或用 output_name 另设一个较短的文件名") -> None:
    """InputError if a file of the bulletin (or of a notice) would be named beyond what Linux or Windows allow."""
    size = len(f"{stem}{LONGEST_SUFFIX}".encode("utf-8"))
    if size > MAX_NAME_BYTES:
        raise InputError([Problem(
            f"{period}/bulletin.yaml",
            f"由标题生成的文件名“{stem}”过长（连同“{LONGEST_SUFFIX}”共 {size} 字节，文件名最多 {MAX_NAME_BYTES} 字节，"
            f"约 75 个汉字）：文件名过长，{advice}",
        )])


def output_stem(bulletin: Bulletin) -> str:
    """The name (without extension) of the bulletin's files, from ``output_name``."""
    try:
        return safe_file_name(bulletin.file_stem)
    except LanguageError as exc:
        raise InputError([wording_problem(bulletin.config, "bulletin.yaml", exc)]) from None


def check_output_names(bulletin: Bulletin, stem: str | None = None) -> None:
    """InputError, before anything is written, if a file the bulletin writes (its own, its notices')
    cannot be created on Windows or macOS, or two of them would be one file there."""
    stem = output_stem(bulletin) if stem is None else stem
    check_name_length(stem, bulletin.config.period.code)
    for notice in bulletin.notices:
        check_name_length(notice.stem, bulletin.config.period.code, "请用 notices.output_name 另设一个较短的文件名")
    own = [(f"{stem}{suffix}", "通报") for suffix in (".docx", EVIDENCE_SUFFIX, CHANGES_SUFFIX)]
    file, line = bulletin.config.place("output_name")
    problems = [Problem(file, f"{p}（请用 output_name 另设文件名）", row=line) for p in name_problems(own)]
    problems += notice_name_problems(bulletin.config, bulletin.notices, own)
    if problems:
        raise InputError(problems)


def write_bulletin(bulletin: Bulletin, outputs_root: Path, merge_from: Path | None = None) -> RebuildOutcome:
    """Write the .docx and its evidence file under ``outputs/<period>/`` (``outputs/<period>/<office>/``
    for one office's bulletin), keeping a clerk's edits."""
    folder = bulletin.config.output_dir(outputs_root)
    stem = output_stem(bulletin)
    check_output_names(bulletin, stem)
    docx_path = folder / f"{stem}.docx"
    evidence_path = folder / f"{stem}{EVIDENCE_SUFFIX}"
    others, stale = notice_outputs(bulletin.config, bulletin.notices, folder)
    return write_rebuilt(bulletin, docx_path, evidence_path, folder / f"{stem}{CHANGES_SUFFIX}", merge_from, others, stale)
