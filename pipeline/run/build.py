"""One bulletin from one period's inputs: load → validate → derive → rules → render → write."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..core.yamlio import YAMLError, parse_yaml, scalar_places

from ..core import progress
from ..compose import Document, compose_document, rankings_of
from ..language.statements import prose_problems
from ..compose.sections import document_values, speaker_for
from ..language.statements import complete_entries
from ..compose.tree import prose_files
from ..config.bulletin import CONFIG_FILE, BulletinConfig, load_config
from ..config.dates import date_problems
from ..findings.problems import ProblemEntry, check_entries, derive_entries
from ..derive.scores import rank_scores
from ..derive.workdays import CalendarError
from ..load.engine import Engine, EngineError
from ..core.errors import InputError, Problem, ProblemLog, yaml_problem
from ..figures import derive_figures
from ..figures.base import check_figures
from ..figures.declared import Environment, FigureError, run_declared
from ..findings.declared import Checks
from ..figures.validate import declaration_problems
from ..load.cutoff import leave_out_after_cutoff
from ..load.datasets import load_datasets, load_score_table, scoring_scheme
from ..load.in_period import period_warnings
from ..load.reader import ReadError, decode_text
from ..core.outputs import MAX_NAME_BYTES, name_problems, safe_file_name
from ..merge.rebuild import RebuildOutcome, attach_baseline, write_rebuilt
from ..write.notice_files import NoticeFile, notice_name_problems, notice_outputs, render_notices
from ..render.docx_writer import render_docx
from ..render.evidence import evidence_csv
from ..load.inputs import RuleContext
from ..language.errors import LanguageError
from ..language.sentence import Scope

PROBLEMS_FILE = "存在问题.yaml"


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
        pattern = self.config.settings["output_name"]
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
    except ReadError as exc:
        log.add(f"{config.period.code}/{name}", str(exc))
    return ""


def _problem_entries(config: BulletinConfig, log: ProblemLog) -> list:
    text = _read_text(config, config.settings["problems_file"], log, own=True)
    try:
        entries = parse_yaml(text) or []
    except YAMLError as exc:
        log.problems.append(yaml_problem(f"{config.period.code}/{PROBLEMS_FILE}", exc))
        return []
    shown = f"{config.period.code}/{PROBLEMS_FILE}"  # where each of its sentences is, for a LanguageError
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
    log = ProblemLog(date_problems(config.period, config.settings, config.input_file(CONFIG_FILE)))
    datasets = load_datasets(config, log, engine)
    warnings += period_warnings(datasets, config.settings.get("datasets") or {}, config.period, log)
    warnings += leave_out_after_cutoff(datasets, config.settings.get("datasets") or {}, config.cutoff)
    schemes, ranked = {}, {}
    for group, settings in (config.settings.get("scoring") or {}).items():
        try:
            schemes[group] = scoring_scheme(group, settings)
        except InputError as error:  # reported with the rest; this group's table cannot be checked
            log.problems.extend(error.problems)
            continue
        ranked[group] = rank_scores(schemes[group], load_score_table(config, group, settings, log))
    prose = {}
    for section in config.settings.get("sections") or []:
        if section.get("type") == "narrative":
            prose[section["file"]] = _read_text(config, section["file"], log, own=True)
            if config.period_file(section["file"]).is_file() and not prose[section["file"]].strip():
                warnings.append(Problem(f"{config.period.code}/{section['file']}", f"文件为空：通报中不出现“{section.get('heading', '')}”一节"))
    for name in prose_files(config.settings.get("sections") or []):
        prose[name] = _read_text(config, name, log, own=True)
        for line, problem in prose_problems(name, prose[name]):
            log.add(f"{config.period.code}/{name}", problem, row=line)
    entries_config = _problem_entries(config, log)
    numbered = all(s.get("numbered", True) for s in config.settings.get("sections") or [] if s.get("type") == "problems")
    shared = config.settings.get("params") or {}  # the kind's thresholds, usable and overridable in every check
    checks = {name: {**spec, "params": {**shared, **(spec.get("params") or {})}}
              for name, spec in (config.settings.get("checks") or {}).items() if isinstance(spec, dict)}
    for problem in check_entries(entries_config, config.settings.get("rules") or {}, datasets, PROBLEMS_FILE, numbered,
                                 config.settings.get("formats"), checks, figures=set(config.settings.get("figures") or {})):
        log.problems.append(problem)
    log.problems.extend(check_figures(config.settings.get("figures"), datasets, f"{config.kind_dir.name}/kind.yaml"))
    order, problems = declaration_problems(config.settings, config.place)
    log.problems.extend(problems)
    log.raise_if_any()

    progress.stage(f"{config.period.code}：计算数字和存在问题", force=True)
    ctx = RuleContext(
        period=config.period,
        cutoff=config.cutoff,
        registry=config.registry,
        datasets=datasets,
        calendar_overrides=config.settings.get("calendar") or {},
    )
    env = Environment(ctx, config.settings, earlier=lambda which: earlier_environment(config, which, engine))
    try:
        figures = derive_figures(config.settings.get("figures"), ctx)
        env.figures.update(figures)
        figures.update(run_declared(config.settings.get("figures") or {}, env, [n for s, n in order if s == "figures"]))
        run_checks = Checks(checks, env)
        entries = derive_entries(entries_config, config.settings.get("rules") or {}, ctx, checks, run_checks)
        figures.update(run_checks.tables())  # a check's findings, readable in sentences like a figure
    except (CalendarError, EngineError) as exc:
        raise InputError([Problem(f"{config.period.code}/bulletin.yaml", str(exc))]) from None
    except FigureError as exc:
        file, line = config.place(exc.section, exc.name, *(exc.key.split(".") if exc.key else []))
        raise InputError([Problem(file, f"{exc.section}.{exc.name}{'.' + exc.key if exc.key else ''}：{exc}", row=line)]) from None
    except LanguageError as exc:
        raise InputError([wording_problem(config, PROBLEMS_FILE, exc)]) from None
    rankings = rankings_of(ranked, config.settings["ranking_count"])
    try:
        entries = complete_entries(entries, speaker_for(config, document_values(config, rankings, figures)))
    except LanguageError as exc:
        raise InputError([wording_problem(config, PROBLEMS_FILE, exc)]) from None
    try:
        document = compose_document(config, rankings, schemes, entries, prose, figures)
    except LanguageError as exc:
        raise InputError([wording_problem(config, "bulletin.yaml", exc)]) from None
    return document, entries


def earlier_environment(config: BulletinConfig, which: str, engine: Engine) -> Environment | None:
    """The inputs of the period before (``previous``) or a year before (``year_ago``), for 环比/同比;
    None when that period has no folder. Its inputs are checked like any period's."""
    period = config.period.previous if which == "previous" else config.period.year_ago
    if not (config.input_dir.parent / period.code / CONFIG_FILE).is_file():
        return None
    earlier = load_config(period.code, config.input_dir.parent, config.kind_dir.parent)
    log = ProblemLog([])
    datasets = load_datasets(earlier, log, engine)
    leave_out_after_cutoff(datasets, earlier.settings.get("datasets") or {}, earlier.cutoff)
    log.raise_if_any()
    ctx = RuleContext(earlier.period, earlier.cutoff, earlier.registry, datasets, earlier.settings.get("calendar") or {})
    return Environment(ctx, config.settings)


def build_bulletin(period: str, inputs_root: Path, templates_root: Path, engine: Engine | None = None) -> Bulletin:
    """The bulletin of ``period`` in memory, nothing written; queries run in ``engine`` if given."""
    return bulletin_of(load_config(period, inputs_root, templates_root), engine)


def bulletin_of(config: BulletinConfig, engine: Engine | None = None) -> Bulletin:
    """The bulletin ``config`` describes, in memory, nothing written."""
    warnings: list[Problem] = []
    document, entries = assemble(config, warnings, engine)
    progress.stage(f"{config.period.code}：排版", force=True)
    # the blocks it was built with travel inside the file, for merging a clerk's edits later
    docx = render_docx(config.template_path, document, config.issued_on,
                       finish=lambda d: attach_baseline(d, config, document, entries))
    try:
        notices = render_notices(config, document, entries)
    except LanguageError as exc:
        raise InputError([wording_problem(config, "bulletin.yaml", exc)]) from None
    return Bulletin(config, document, entries, docx, evidence_csv(entries, document.evidence), warnings, notices)


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
    own = [(f"{stem}{suffix}", "通报") for suffix in (".docx", "_问题依据.csv", "_变更清单.csv")]
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
    evidence_path = folder / f"{stem}_问题依据.csv"
    others, stale = notice_outputs(bulletin.config, bulletin.notices, folder)
    return write_rebuilt(bulletin, docx_path, evidence_path, folder / f"{stem}_变更清单.csv", merge_from, others, stale)
