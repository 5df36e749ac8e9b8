"""Loading a period's input tables into checked records (the I/O edge of the pipeline)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from ..config.bulletin import BulletinConfig
from ..config.view import Settings
from .engine import Engine
from .scoring import ScoreRow, ScoringItem, ScoringScheme
from ..core.reads import note
from ..core.suggest import suggestion
from ..core.errors import InputError, Problem, ProblemLog
from .reader import ReadError, read_table
from .records import load_records
from .shared import office_records
from .tables import stored_table
from .schema import ColumnSpec, Context, DatasetSpec, to_decimal, validate_rows

SCORE_PLACES = 2  # a score with more places than the annex prints would make its figures disagree


def _read(
    path: Path, dataset: DatasetSpec, config: BulletinConfig, log: ProblemLog, sheet=None, refused: list | None = None
) -> list[dict] | None:
    """Checked records of one input file; None when the file could not be read at all."""
    if not path.is_file():
        log.add(path.name, f"文件不存在（{dataset.title}），请放在 {config.period.code} 文件夹中或修改 bulletin.yaml 的文件名")
        return None
    try:
        table = read_table(
            path,
            [c.header for c in dataset.columns if c.required],
            sheet=sheet,
            optional_headers=[c.header for c in dataset.columns if not c.required],
        )
    except ReadError as exc:
        log.add(path.name, str(exc), sheet=exc.sheet, row=exc.row, column=exc.column)
        return None
    return validate_rows(table, dataset, Context(config.registry, config.period), log, refused)


def _file_entry(entry) -> tuple[str, str | None]:
    """A file named in configuration, as ``name.xlsx`` or ``{file: name.xlsx, sheet: 表1}``."""
    if isinstance(entry, dict):
        return str(entry["file"]), entry.get("sheet")
    return str(entry), None


def records_location(config: BulletinConfig, entry):
    """Where a record table lives: ``{postgres: schema.table}``, ``{spark: db.table}`` or a file."""
    if isinstance(entry, dict):
        for engine in ("postgres", "spark"):
            if entry.get(engine):
                return engine, str(entry[engine])
    location = config.input_file(_file_entry(entry)[0])
    note(location)  # read, or missing: either way the build depends on it (ci)
    return location


def _declared(name: str, specs: dict) -> str:
    """The declared table nearest ``name`` and all of them, or how to declare one where none is."""
    if not specs:
        return "：datasets 中还没有声明任何数据表（在 kind.yaml 的 datasets 中写出它的各列：表头和类型）"
    return f"{suggestion(name, specs)}（可用：{'、'.join(specs)}）"


def load_datasets(config: BulletinConfig, log: ProblemLog, engine: Engine) -> dict[str, object]:
    """Every dataset named under ``files`` in the configuration, checked against its schema."""
    specs = config.value("datasets")
    datasets = {}
    for name, entry in config.value("files").items():
        if name not in specs:
            log.add(
                f"{config.period.code}/bulletin.yaml",
                f"files 中的“{name}”不是已声明的数据表{_declared(name, specs)}",
            )
            continue
        dataset = DatasetSpec.from_config(name, specs[name])
        if isinstance(entry, dict) and not entry.get("file") and not (
                specs[name].get("records") and any(entry.get(e) for e in ("postgres", "spark"))):
            where = "、".join(("file", "postgres", "spark") if specs[name].get("records") else ("file",))
            log.add(f"{config.period.code}/bulletin.yaml", f"files 中的“{name}”缺少 {where}（写出文件名或数据库中的表）")
            continue
        if specs[name].get("records"):  # large tables: read and checked in the query engine
            sheet = entry.get("sheet") if isinstance(entry, dict) else None
            location = records_location(config, entry)
            if isinstance(entry, dict) and entry.get("office_column"):  # one table for every office: this office's rows
                datasets[name] = office_records(location, dataset, config, log, engine, sheet, str(entry["office_column"]))
                continue
            datasets[name] = load_records(location, dataset, config.registry, log, engine, sheet, config.view)
            continue
        file_name, sheet = _file_entry(entry)
        records = _read(config.input_file(file_name), dataset, config, log, sheet) or []
        sheet_name = next((r["_sheet"] for r in records), sheet)
        datasets[name] = stored_table(engine, dataset, records, Path(file_name).name, sheet_name)
    return datasets


def scoring_scheme(group: str, settings: Settings) -> ScoringScheme:
    """The items and maxima of one group's assessment, from configuration; InputError if unusable."""
    where = f"bulletin.yaml 的 scoring.{group}"
    items = settings.value("items")
    problems = []
    if not isinstance(items, dict) or not items:
        problems.append(f"{where} 缺少 items（考核项目及其满分，如 {{事项管理: 10}}）")
        items = {}
    if not settings.value("file"):
        problems.append(f"{where} 缺少 file（得分表文件名）")
    parsed = []
    for name, points in items.items():
        try:
            maximum = to_decimal(points)
        except ValueError:
            maximum = None
        if maximum is None or maximum <= 0:
            problems.append(f"{where}.items 中“{name}”的满分应为正数，实为“{points}”")
        else:
            parsed.append(ScoringItem(str(name), maximum))
    if problems:
        raise InputError([Problem("bulletin.yaml", message) for message in problems])
    return ScoringScheme(group, tuple(parsed))


def load_score_table(config: BulletinConfig, group: str, settings: Settings, log: ProblemLog) -> list[ScoreRow]:
    """One group's score table: a row per unit, “/” where an item does not apply."""
    scheme = scoring_scheme(group, settings)
    columns = [ColumnSpec("unit", settings.value("unit_header"), type="unit")]
    for i, item in enumerate(scheme.items):
        columns.append(ColumnSpec(f"item{i}", item.name, type="score", min=Decimal(0), max=item.max_points, places=SCORE_PLACES))
    for field_name, header in (("bonus", settings.value("bonus")), ("penalty", settings.value("penalty"))):
        columns.append(ColumnSpec(field_name, header, type="number", required=False, default=0, min=Decimal(0), places=SCORE_PLACES))
    dataset = DatasetSpec(f"scores:{group}", f"{group}考核得分", tuple(columns), unique=("unit",))
    file_name, sheet = _file_entry(settings.value("file"))
    refused: list[dict] = []
    records = _read(config.input_file(file_name), dataset, config, log, sheet, refused)
    if records is None:
        return []
    rows = []
    for record in records:
        unit = record["unit"]
        if unit.group != group:
            log.add(
                record["_file"],
                f"单位“{unit.short_name}”在名录中属于“{unit.group}”，不属于“{group}”，应填在{unit.group}的得分表中",
                sheet=record["_sheet"],
                row=record["_row"],
                column=columns[0].header,
            )
            continue
        scores = tuple(record[f"item{i}"] for i in range(len(scheme.items)))
        if all(s is None for s in scores):
            log.add(record["_file"], "所有考核项目均为“/”，无法计算百分制得分", sheet=record["_sheet"], row=record["_row"])
            continue
        rows.append(ScoreRow(unit, scores, record["bonus"] or Decimal(0), record["penalty"] or Decimal(0), record["_row"]))
    named = {r.get("unit") for r in records + refused}
    sheet = next((r["_sheet"] for r in records + refused), sheet)
    for unit in config.registry.group(group):
        if unit not in named:
            log.add(
                file_name,
                f"单位名录中{group}“{unit.short_name}”在得分表中没有记录，每个单位应有一行",
                sheet=sheet,
                column=columns[0].header,
            )
    return rows
