"""Loading a period's input tables into checked records (the I/O edge of the pipeline)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from ..config import BulletinConfig
from ..derive.scores import ScoreRow, ScoringItem, ScoringScheme
from ..errors import ProblemLog
from .reader import ReadError, read_table
from .records import load_records
from .schema import ColumnSpec, DatasetSpec, validate_rows


def _read(path: Path, dataset: DatasetSpec, config: BulletinConfig, log: ProblemLog, sheet=None) -> list[dict]:
    if not path.is_file():
        log.add(path.name, f"文件不存在（{dataset.title}）")
        return []
    try:
        table = read_table(path, [c.header for c in dataset.columns if c.required], sheet=sheet)
    except ReadError as exc:
        log.add(path.name, str(exc), sheet=exc.sheet, row=exc.row, column=exc.column)
        return []
    return validate_rows(table, dataset, config.registry, log)


def _file_entry(entry) -> tuple[str, str | None]:
    """A file named in configuration, as ``name.xlsx`` or ``{file: name.xlsx, sheet: 表1}``."""
    if isinstance(entry, dict):
        return str(entry["file"]), entry.get("sheet")
    return str(entry), None


def load_datasets(config: BulletinConfig, log: ProblemLog) -> dict[str, list[dict]]:
    """Every dataset named under ``files`` in the configuration, checked against its schema."""
    specs = config.settings.get("datasets") or {}
    datasets = {}
    for name, entry in (config.settings.get("files") or {}).items():
        if name not in specs:
            log.add(
                f"{config.period.code}/bulletin.yaml",
                f"files 中的“{name}”不是已声明的数据表（可用：{'、'.join(specs)}）",
            )
            continue
        file_name, sheet = _file_entry(entry)
        dataset = DatasetSpec.from_config(name, specs[name])
        if specs[name].get("records"):  # large tables: read and checked column-wise
            datasets[name] = load_records(config.input_file(file_name), dataset, config.registry, log, sheet)
            continue
        records = _read(config.input_file(file_name), dataset, config, log, sheet)
        datasets[name] = records
        _check_months(records, dataset, config, log)
    return datasets


def _check_months(records: list[dict], dataset: DatasetSpec, config: BulletinConfig, log: ProblemLog) -> None:
    """Month columns must name a month of the period."""
    months = set(config.period.months)
    for spec in dataset.columns:
        if spec.type != "month":
            continue
        for record in records:
            if record.get(spec.field) not in months:
                log.add(
                    record["_file"],
                    f"月份 {record.get(spec.field)} 不在统计周期 {config.period.code}（{'、'.join(sorted(months))}）内",
                    row=record["_row"],
                    column=spec.header,
                )


def scoring_scheme(group: str, settings: dict) -> ScoringScheme:
    """The items and maxima of one group's assessment, from configuration."""
    items = tuple(ScoringItem(str(name), Decimal(str(points))) for name, points in settings["items"].items())
    return ScoringScheme(group, items)


def load_score_table(config: BulletinConfig, group: str, settings: dict, log: ProblemLog) -> list[ScoreRow]:
    """One group's score table: a row per unit, “/” where an item does not apply."""
    scheme = scoring_scheme(group, settings)
    columns = [ColumnSpec("unit", settings.get("unit_header", "单位"), type="unit")]
    for i, item in enumerate(scheme.items):
        columns.append(ColumnSpec(f"item{i}", item.name, type="score", min=Decimal(0), max=item.max_points))
    columns.append(ColumnSpec("bonus", settings.get("bonus", "加分项"), type="number", required=False, default=0, min=Decimal(0)))
    columns.append(ColumnSpec("penalty", settings.get("penalty", "扣分项"), type="number", required=False, default=0, min=Decimal(0)))
    dataset = DatasetSpec(f"scores:{group}", f"{group}考核得分", tuple(columns), unique=("unit",))
    file_name, sheet = _file_entry(settings["file"])
    records = _read(config.input_file(file_name), dataset, config, log, sheet)
    rows = []
    for record in records:
        unit = record["unit"]
        if unit.group != group:
            log.add(record["_file"], f"单位“{unit.short_name}”在名录中属于“{unit.group}”，不属于“{group}”", row=record["_row"], column=columns[0].header)
            continue
        scores = tuple(record[f"item{i}"] for i in range(len(scheme.items)))
        if all(s is None for s in scores):
            log.add(record["_file"], "所有考核项目均为“/”，无法计算百分制得分", row=record["_row"])
            continue
        rows.append(ScoreRow(unit, scores, record["bonus"] or Decimal(0), record["penalty"] or Decimal(0), record["_row"]))
    if records and not log:
        present = {r.unit for r in rows}
        for unit in config.registry.group(group):
            if unit not in present:
                log.add(file_name, f"名录中的单位“{unit.short_name}”在得分表中没有记录", column=columns[0].header)
    return rows
