"""The score annex (考核得分表) and the rankings the text names, from the ranked scores."""

from __future__ import annotations

from decimal import Decimal

from ..config.view import Settings
from ..derive.scores import RankedScore, ScoringScheme, bottom, top
from .document import AnnexTable, Ranking
from .numbers import column_format, format_number


def rankings_of(groups: dict[str, list[RankedScore]], count: int) -> dict[str, Ranking]:
    return {
        group: Ranking(group, ranked, [str(r.unit) for r in top(ranked, count)], [str(r.unit) for r in bottom(ranked, count)])
        for group, ranked in groups.items()
    }


def annex_table(number: int, title: str, scheme: ScoringScheme, ranked: list[RankedScore], settings: Settings) -> AnnexTable:
    """A score table in rank order, with the columns the annex settings name."""
    columns = settings.value("columns")
    number_format = str(settings.value("number_format"))
    header: list[str] = []
    cells: list[list[str]] = [[] for _ in ranked]

    def add(title_text: str, values: list, fmt_values=True):
        header.append(title_text)
        decimals = [v for v in values if isinstance(v, Decimal)]
        fmt = column_format(decimals, number_format)
        for row, value in zip(cells, values):
            if value is None:
                row.append("/")
            elif isinstance(value, Decimal):
                row.append("" if value == 0 and not fmt_values else format_number(value, fmt))
            else:
                row.append(str(value))

    for column in columns:
        if column == "rank":
            add(settings.value("rank_header"), [r.rank for r in ranked])
        elif column == "unit":
            names = [str(r.unit) for r in ranked]
            add(settings.value("unit_header"), names)
        elif column == "items":
            for i, item in enumerate(scheme.items):
                add(item.header, [r.row.item_scores[i] for r in ranked])
        elif column == "bonus":
            add("加分项", [r.row.bonus for r in ranked], fmt_values=False)
        elif column == "penalty":
            add("扣分项", [r.row.penalty for r in ranked], fmt_values=False)
        elif column == "earned":
            add("实得分", [r.earned for r in ranked])
        elif column == "percent":
            add("百分制得分", [r.percent for r in ranked])
        else:
            raise ValueError(f"未知的附件表列“{column}”")
    return AnnexTable(number, title, header, cells)
