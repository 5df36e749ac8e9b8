"""One bulletin per office (区县) of a province, from one period folder.

``offices:`` in a period's ``bulletin.yaml`` names each office and the settings that differ
for it (发文机关, 标题, 单位名录, 署名, files, …; anything the file may set). Each office's
configuration is the period's with its own settings over it (:func:`office_configs`). A
record table the offices share names its office column in ``files:`` (``office_column``);
it is read once and each office counts its own rows (:mod:`.load.shared`). Every office is
built in memory before any is written: one wrong office writes nothing.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ..core import progress
from .build import Bulletin, bulletin_of
from ..config.bulletin import CONFIG_FILE, BulletinConfig, Office, load_registry
from ..core.encoding import decode_text
from ..core.errors import InputError, Problem
from ..load.datasets import records_location
from ..load.schema import DatasetSpec
from ..load.shared import forget, unclaimed_rows
from ..core.outputs import name_fault, name_key
from ..core.yamlio import key_lines


def _office_lines(path: Path) -> dict[str, int]:
    """The line of each office's key under ``offices:``."""
    lines = key_lines(decode_text(path.read_bytes()))
    return {path[1]: line for path, line in lines.items() if len(path) == 2 and path[0] == "offices"}


def _folder_name_problems(office: Office, folders: dict[str, Office], where: str) -> list[Problem]:
    """An office's key is its output folder's name: one Windows or macOS cannot create, or the
    same folder there as an earlier office's (case and full/half width ignored), is refused."""
    fault = name_fault(office.key)
    if fault:
        return [Problem(where, f"offices.{office.key}：区县名用作输出文件夹名，{fault}", row=office.line)]
    first = folders.setdefault(name_key(office.key), office)
    if first is not office:
        return [Problem(where, f"offices.{office.key}：区县名用作输出文件夹名，与第{first.line}行的 {first.key} "
                               "在 Windows 和 macOS 上是同一个文件夹（不分大小写、全角半角），两份通报会写到一处", row=office.line)]
    return []


def office_configs(config: BulletinConfig) -> list[BulletinConfig]:
    """Each office's configuration, in the order ``offices:`` lists them; InputError naming the
    line of an office that cannot be one (a name no folder can take, a value given twice, its registry)."""
    where = f"{config.period.code}/{CONFIG_FILE}"
    lines = _office_lines(config.input_file(CONFIG_FILE))
    configs, problems, values, folders = [], [], {}, {}
    for key, overrides in config.value("offices").items():
        key, overrides = str(key), dict(overrides or {})
        office = Office(key, str(overrides.pop("value", key)), lines.get(key))
        problems += _folder_name_problems(office, folders, where)
        if office.value in values:
            problems.append(Problem(where, f"offices.{key}：value“{office.value}”与 {values[office.value]} 相同，同一行不能计入两份通报", row=office.line))
        values.setdefault(office.value, key)
        try:
            registry = load_registry(config.input_dir, str(overrides["registry"]), config.period.code) if "registry" in overrides else config.registry
        except InputError as error:
            problems += [replace(p, message=f"offices.{key}.registry：{p.message}", row=p.row or office.line) for p in error.problems]
            continue
        configs.append(replace(config.with_overrides(overrides), registry=registry, office=office))
    if problems:
        raise InputError(problems)
    return configs


def _shared_tables(config: BulletinConfig):
    """(location, dataset, office column, sheet) of each record table the offices share."""
    specs = config.value("datasets")
    for name, entry in config.value("files").items():
        if isinstance(entry, dict) and entry.get("office_column") and name in specs:
            dataset = DatasetSpec.from_config(name, specs[name])
            yield records_location(config, entry), dataset, str(entry["office_column"]), entry.get("sheet")


def _of_office(office: Office, problems: list[Problem]) -> list[Problem]:
    """Problems found building one office's bulletin, each saying which office it is."""
    return [replace(p, message=f"（{office.key}）{p.message}") for p in problems]


def office_bulletins(config: BulletinConfig, engine) -> tuple[list[Bulletin], list[Problem]]:
    """Every office's bulletin in memory, and the rows of the shared tables no office claims;
    InputError with the problems of every office that failed."""
    configs = office_configs(config)
    bulletins, problems, seen = [], [], set()
    try:
        for number, office in enumerate(configs, 1):
            progress.stage(f"[{number}/{len(configs)}] {office.office.key}", force=True)
            try:
                bulletins.append(bulletin_of(office, engine))
            except InputError as error:
                fresh = [p for p in error.problems if p not in seen]  # a shared file's fault: said once
                seen.update(fresh)
                problems += _of_office(office.office, fresh)
        if problems:
            raise InputError(problems)
        claimed = [c.office.value for c in configs]
        unclaimed = [p for table in _shared_tables(config) for p in unclaimed_rows(engine, *table, claimed)]
    finally:
        forget(engine)
    return bulletins, unclaimed


def built_bulletins(config: BulletinConfig, engine=None) -> tuple[list[Bulletin], list[Problem]]:
    """The period's bulletins in memory (one per office with ``offices:``, else the one) and the rows
    of shared tables no office claims; queries run in ``engine``, or in one of their own."""
    if engine is None:
        from ..load.engine import Engine

        with Engine() as own:
            return built_bulletins(config, own)
    if not config.value("offices"):
        return [bulletin_of(config, engine)], []
    return office_bulletins(config, engine)
