"""A year of generated 好差评 case records for the scale benchmark.

Writes ``bench/generated/<N>/2023/`` (a period folder: bulletin.yaml, the case records as
UTF-8 CSV with BOM, red/black list postings, prose) with N cases spread over the windows of
the 永昌县 registry and the working days of 2023. Time limits, completions (a small share
late or still open) and evaluations (a small share not 满意 or none given) are drawn from a
seeded generator, so the same N gives the same file.

    python bench/generate_records.py 1000000
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from pipeline.derive.workdays import WorkdayCalendar
from pipeline.core.registry import Registry

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "inputs" / "2023Q2"
REGISTRY = ROOT / "inputs" / "registries" / "永昌县.yaml"
YEAR = 2023
LIMITS = np.array([1, 3, 5, 7, 10, 15, 20])
GRADES = ["满意", "基本满意", "不满意"]


CHUNK = 10_000_000  # cases generated and written at a time: a province's year fits in memory chunk by chunk


def due_dates(calendar: WorkdayCalendar, applied: np.ndarray, limits: np.ndarray) -> np.ndarray:
    """The ``limit``-th working day after each application day, from the calendar's day index."""
    index = ((applied - calendar.days[0]) / np.timedelta64(1, "D")).astype(np.int64)
    return calendar.days[np.flatnonzero(calendar.is_workday)[calendar.count_through[index] + limits - 1]]


def case_table(count: int, seed: int = 2023, first_id: int = 1) -> pa.Table:
    """``count`` cases as the hall's system exports them, numbered from ``first_id``."""
    rng = np.random.default_rng(seed)
    registry = Registry.from_yaml(REGISTRY)
    names = [u.short_name for u in registry.units]
    weights = rng.pareto(1.2, len(names)) + 0.05
    weights /= weights.sum()
    calendar = WorkdayCalendar(dt.date(YEAR, 1, 1), dt.date(YEAR + 1, 3, 31))
    year_days = calendar.days[calendar.days < np.datetime64(f"{YEAR + 1}-01-01")]
    workdays = year_days[calendar.is_workday[: len(year_days)]]
    applied = workdays[rng.integers(0, len(workdays), count)]
    limits = LIMITS[rng.integers(0, len(LIMITS), count)]
    due = due_dates(calendar, applied, limits)
    span = (due - applied).astype(np.int64)
    completed = applied + (rng.random(count) * (span + 1)).astype(np.int64).astype("timedelta64[D]")
    late = rng.random(count) < 0.004
    completed[late] = due[late] + rng.integers(1, 10, int(late.sum())).astype("timedelta64[D]")
    cutoff = np.datetime64(f"{YEAR}-12-31")
    still_open = (rng.random(count) < 0.01) | (completed > cutoff)
    draw = rng.random(count)
    grade = np.select([draw < 0.95, draw < 0.97, draw < 0.975], [0, 1, 2], default=-1).astype(np.int32)
    ids = pc.binary_join_element_wise(pa.scalar("YC"), pc.cast(pa.array(np.arange(first_id, first_id + count)), pa.string()), "")
    unit_codes = rng.choice(len(names), count, p=weights).astype(np.int32)
    return pa.table(
        {
            "办件编号": ids,
            "办理窗口": pa.DictionaryArray.from_arrays(pa.array(unit_codes), pa.array(names)),
            "申请日期": pa.array(applied.astype("datetime64[D]"), pa.date32()),
            "承诺时限（工作日）": pa.array(limits.astype(np.int32)),
            "办结日期": pa.array(np.where(still_open, np.datetime64("NaT"), completed).astype("datetime64[D]"), pa.date32()),
            "评价结果": pa.DictionaryArray.from_arrays(pa.array(grade, mask=grade < 0), pa.array(GRADES)),
        }
    )


def write_period(count: int, root: Path) -> Path:
    """The period folder ``root/<count>/2023`` with ``count`` generated cases; reused if present."""
    folder = root / str(count) / str(YEAR)
    records = folder / "办件及评价记录.csv"
    if records.is_file():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    (root / str(count) / "registries").mkdir(exist_ok=True)
    shutil.copy(REGISTRY, root / str(count) / "registries" / REGISTRY.name)
    for name in ("红黑榜发布记录.csv", "季度服务明星.csv", "存在问题.yaml", "工作动态.md"):
        shutil.copy(SAMPLE / name, folder / name)
    config = (SAMPLE / "bulletin.yaml").read_text(encoding="utf-8").replace("cutoff: 2023-06-30", f"cutoff: {YEAR}-12-31")
    config = config.replace("2023-07-10", f"{YEAR + 1}-01-10")  # issued and printed after the year it reports on
    (folder / "bulletin.yaml").write_text(config, encoding="utf-8")
    partial = records.with_suffix(".tmp")
    with open(partial, "wb") as handle:
        handle.write("\ufeff".encode("utf-8"))
        for number, start in enumerate(range(0, count, CHUNK)):
            chunk = case_table(min(CHUNK, count - start), 2023 + number, start + 1)
            options = pa_csv.WriteOptions(quoting_style="none", batch_size=1 << 20, include_header=start == 0)
            pa_csv.write_csv(chunk, handle, options)
    partial.replace(records)
    return folder


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("--root", type=Path, default=ROOT / "bench" / "generated")
    print(write_period(parser.parse_args().count, parser.parse_args().root))
