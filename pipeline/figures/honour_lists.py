"""红黑榜: how often each window was named on the red (表扬) or black (曝光) list.

From postings (date, list, unit, persons named): per list, the number of postings
(distinct dates), the persons named in all (人次), and the units grouped by the number of
postings that named them, most first — as the text writes “…窗口3次，…窗口2次”.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..config.declared import FIGURES
from ..config.view import Settings
from ..core.registry import Unit
from ..load.inputs import RuleContext
from .base import figure
from .table import FigureTable

DECLARED = FIGURES.variants["honour_lists"]  # its keys and their defaults


@dataclass
class CountGroup:
    """Units named the same number of times."""

    count: int
    units: list[Unit]


@dataclass
class HonourList:
    """One list's figures over the period."""

    name: str  # 红榜 / 黑榜
    postings: int  # 发布次数
    persons: int  # 人次
    groups: list[CountGroup]


def tally_list(name: str, records: list[dict], order: str = "input") -> HonourList:
    """The figures of one list from its postings; within a count, units in order of first posting
    (``order: input``) or of the registry (``order: registry``)."""
    times: dict[Unit, set] = {}
    for record in records:
        times.setdefault(record["unit"], set()).add(record["posted_on"])
    units = list(times)
    if order == "registry":
        units.sort(key=lambda u: u.order)
    counts = sorted({len(times[u]) for u in units}, reverse=True)
    return HonourList(
        name=name,
        postings=len({r["posted_on"] for r in records}),
        persons=sum(r.get("persons") or 1 for r in records),
        groups=[CountGroup(c, [u for u in units if len(times[u]) == c]) for c in counts],
    )


@figure("honour_lists")
def honour_lists(ctx: RuleContext, params: dict) -> dict[str, HonourList]:
    """Each list's figures, by list name (红榜, 黑榜), for postings within the period."""
    name = params["dataset"]
    data = ctx.dataset(name)
    records = []
    if len(data):
        t = data.table
        records = ctx.rows(name, t.filter(t.posted_on.between(ctx.period.start, ctx.period.end)))
    names = params.get("lists") or list(dict.fromkeys(r["list"] for r in records))
    return {n: tally_list(n, [r for r in records if r["list"] == n], Settings(params, DECLARED).value("order")) for n in names}


@figure("rows")
def rows(ctx: RuleContext, params: dict) -> FigureTable:
    """The checked rows of a small table as they are (服务明星 and the like), each with its source line."""
    found = FigureTable(ctx.rows(params["dataset"]))
    found.label = "unit" if "unit" in found.columns else None
    return found
