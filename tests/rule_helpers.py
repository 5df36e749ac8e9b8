"""Small inputs for rule checks: checked rows stored in the query engine as a build stores them."""

from __future__ import annotations

import atexit
import datetime as dt
from pathlib import Path

import yaml

from pipeline.load.engine import Engine
from pipeline.config.view import bulletin_view
from pipeline.figures.declared import Environment
from pipeline.findings.declared import run_check
from pipeline.load.schema import DatasetSpec
from pipeline.load.tables import stored_table
from pipeline.config.declared import rule_defaults
from pipeline.core.period import Period
from pipeline.core.registry import Registry, Unit
from pipeline.findings.base import RULES
from pipeline.load.inputs import RuleContext

REGISTRY = Registry(
    [
        Unit("宜城市生态环境局", "生态环境局", "市直部门", 0, ("环保局",)),
        Unit("宜城市文化和旅游局", "文旅局", "市直部门", 1),
        Unit("宜城市住房和城乡建设局", "住建局", "市直部门", 2),
        Unit("宜城市气象局", "气象局", "市直部门", 3),
        Unit("宜城市王集镇人民政府", "王集镇", "镇街", 4),
    ]
)


def unit(name: str) -> Unit:
    return REGISTRY.resolve(name)


def records(rows: list[dict], file: str = "数据.xlsx") -> list[dict]:
    """Rows as the loader returns them: resolved units and their Excel row numbers."""
    out = []
    for i, row in enumerate(rows, start=2):
        record = {"_file": file, "_row": i, **row}
        if "unit" in record:
            record["unit"] = unit(record["unit"])
        out.append(record)
    return out


KIND = yaml.safe_load((Path(__file__).resolve().parent.parent / "templates/assessment/kind.yaml").read_text(encoding="utf-8"))
ENGINE = Engine()
atexit.register(ENGINE.close)


def stored(datasets: dict) -> dict:
    """Rows of each dataset (as the assessment kind declares it) stored in the engine."""
    return {
        name: stored_table(ENGINE, DatasetSpec.from_config(name, KIND["datasets"][name]), records(rows), "数据.xlsx")
        for name, rows in datasets.items()
    }


def run_rule(name: str, datasets: dict, params: dict | None = None, period="2024Q1", cutoff=dt.date(2024, 6, 7)):
    """A rule check of the assessment kind, declared (checks:) or in Python (rules:), as a build runs it."""
    ctx = RuleContext(Period.parse(period), cutoff, REGISTRY, stored(datasets))
    if name in KIND["checks"]:
        return run_check(name, KIND["checks"][name], Environment(ctx, bulletin_view(KIND)), params or {})
    return RULES[name].function(ctx, {**rule_defaults(name), **(params or {})})  # as the build fills them in
