"""A small province for the per-office tests: the 2023Q2 好差评 period of the samples, with its
case records in one table shared by two counties (a column 区县 naming each row's county).

永昌县's rows are the sample's records exactly, so its bulletin must be the sample's bulletin;
永宁县 gets every third record again under its own case numbers, its own registry (the sample's
with 永昌 read as 永宁), office, title, signature and output name.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import yaml

from .conftest import INPUTS

PERIOD = "2023Q2"
RECORDS = "办件及评价记录.csv"
SHARED = "全省办件.csv"  # in inputs/shared/, beside the period folders
COLUMN = "区县"
COUNTIES = ("永昌县", "永宁县")


def sample_rows() -> tuple[list[str], list[list[str]]]:
    """The header and records of the sample period's case table."""
    with open(INPUTS / PERIOD / RECORDS, encoding="utf-8-sig", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    return header, rows


def shared_rows() -> tuple[list[str], list[list[str]]]:
    """The province's table: 区县 first, 永昌县's records, then 永宁县's (every third, renumbered)."""
    header, rows = sample_rows()
    yongning = [["YN" + r[0][2:], *r[1:]] for r in rows[::3]]
    return [COLUMN, *header], [["永昌县", *r] for r in rows] + [["永宁县", *r] for r in yongning]


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows([header, *rows])


def yongning_office() -> dict:
    """What differs for 永宁县: its registry, office, title's county, signature, small tables."""
    return {
        "registry": "../registries/永宁县.yaml",
        "office": "永宁县深化“放管服”改革推进政府职能转变领导小组办公室",
        "output_name": "永宁县{{ period.year }}年{{ period.ordinal_name }}政务服务线下“好差评”通报",
        "recipients": "各乡镇人民政府，县政府有关部门、单位，省市在永宁有关单位",
        "signature": ["永宁县深化“放管服”改革推进政府", "职能转变领导小组办公室（代）"],
        "files": {"honour_lists": "永宁县/红黑榜发布记录.csv", "stars": "永宁县/季度服务明星.csv"},
    }


def province(tmp_path: Path, shared: str = SHARED) -> Path:
    """inputs/ holding the 2023Q2 period built once per county from inputs/shared/<shared>."""
    inputs = tmp_path / "inputs"
    shutil.copytree(INPUTS / PERIOD, inputs / PERIOD)
    shutil.copytree(INPUTS / "registries", inputs / "registries")
    (inputs / PERIOD / RECORDS).unlink()
    registry = (inputs / "registries/永昌县.yaml").read_text(encoding="utf-8")
    (inputs / "registries/永宁县.yaml").write_text(registry.replace("永昌", "永宁"), encoding="utf-8")
    for name in ("红黑榜发布记录.csv", "季度服务明星.csv"):
        (inputs / PERIOD / "永宁县").mkdir(exist_ok=True)
        text = (inputs / PERIOD / name).read_text(encoding="utf-8-sig")
        (inputs / PERIOD / "永宁县" / name).write_text(text.replace("永昌", "永宁"), encoding="utf-8-sig")
    write_csv(inputs / "shared" / SHARED, *shared_rows())
    set_offices(inputs, {"永昌县": {}, "永宁县": yongning_office()}, shared)
    return inputs


def set_offices(inputs: Path, offices: dict, shared: str = SHARED, column: str = COLUMN) -> None:
    """The period's bulletin.yaml with ``offices`` and its case table shared (``shared`` a file in
    inputs/shared/, or a dict such as ``{postgres: schema.table}``)."""
    path = inputs / PERIOD / "bulletin.yaml"
    settings = yaml.safe_load(path.read_text(encoding="utf-8"))
    where = {"file": f"../shared/{shared}"} if isinstance(shared, str) else dict(shared)
    settings["files"]["cases"] = {**where, "office_column": column}
    settings["offices"] = offices
    path.write_text(yaml.safe_dump(settings, allow_unicode=True, sort_keys=False), encoding="utf-8")
