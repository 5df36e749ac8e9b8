"""The annexes (附件) of a document, in the order the kind declares them: each entry of
``annexes:`` one of three types, composed here from the figures and the ranked scores.

``type: table`` — rows of a declared figure, columns from configuration::

    annexes:
      - type: table
        title: …统计表
        rows: votes.rows            # a figure's name (or name.field): its rows
        blank_zero: true            # a count of 0 prints as an empty cell
        columns:
          - {header: 序号, value: number}          # 1, 2, 3 … in row order
          - {header: 单位, value: name}
          - {header: 应投票次数, value: expected, group: 票次}   # group: a header row above, spanning
          - {header: 投票率, value: vote_rate, format: percent}

``type: list`` — a plain list of names (突出单位名单 and the like), one a line::

      - type: list
        title: '{{ period.year }}年度政务服务工作突出单位名单'
        rows: 红榜单位                 # a figure's name: its rows (or names)
        value: unit                     # the field of each row to print
        numbered: true                  # 1．2．3． before each name

``type: scores`` (the default) — the score table (考核得分表) of one scoring group in rank order,
with the columns the entry names; the rankings the text names come from the same scores.

A row is anything whose fields can be read as ``row[value]`` (a mapping or a figure's row).
"""

from __future__ import annotations

from decimal import Decimal

from ..config.view import Settings
from ..core.suggest import suggestion
from ..derive.scores import RankedScore, ScoringScheme, bottom, top
from ..language.errors import LanguageError
from ..language.expressions import rows_of
from ..language.formats import format_percent
from .document import AnnexTable, Ranking
from .numbers import column_format, format_number


def compose_annexes(declared: list[Settings], values: dict, rankings: dict[str, Ranking], schemes: dict[str, ScoringScheme],
                    fill) -> list[AnnexTable]:
    """The annexes in order: a figure's rows as a table or a list of names, or a group's score table;
    their titles and notes said by ``fill``."""
    annexes = []
    for annex in declared:
        number = len(annexes) + 1
        if annex.value("type") == "table":
            annexes.append(AnnexTable(number, *table_annex(annex, values, fill)))
            annexes[-1].groups = [str(c.value("group") or "") for c in annex.items("columns")]
        elif annex.value("type") == "list":
            title, lines = list_annex(annex, values, fill)
            annexes.append(AnnexTable(number, title, [], [], lines=lines))
        else:
            group = annex.value("group")
            annexes.append(annex_table(number, fill(annex.value("title")), schemes[group], rankings[group].ranked, annex))
        annexes[-1].note = fill(annex.value("note")) if annex.value("type") != "list" and annex.value("note") else ""
    if len(annexes) == 1:
        annexes[0].only = True
    return annexes


# type: table

def cell_text(value, fmt: str | None, blank_zero: bool) -> str:
    """One cell as printed: rates through ``percent``; zeros blank if configured; None blank."""
    if value is None:
        return ""
    if fmt == "percent":
        return "" if blank_zero and value == 0 else format_percent(value)
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool) and blank_zero and value == 0:
        return ""
    return str(value)


def table_annex(settings: Settings, values: dict, fill) -> tuple[str, list[str], list[list[str]]]:
    """(title, header, rows) of the table a ``type: table`` entry declares, filled from the
    figures in ``values``, its title said by ``fill``. Column widths follow the content when the document is rendered."""
    rows = rows_of(settings.value("rows"), values)
    columns = settings.items("columns")
    for column in columns:
        if column.value("value") != "number":
            check_field(rows, str(column.value("value")), settings)
    blank_zero = bool(settings.value("blank_zero"))
    cells = [[str(index) if c.value("value") == "number" else cell_text(row[c.value("value")], c.value("format"), blank_zero)
              for c in columns] for index, row in enumerate(rows, start=1)]
    header = [str(c.value("header")) for c in columns]
    return fill(settings.value("title")), header, cells


def row_fields(rows) -> list[str] | None:
    """The fields every row of ``rows`` has: a figure's columns, or those of a list of mappings;
    None for a list of names."""
    if hasattr(rows, "columns"):
        return list(dict.fromkeys([*rows.columns, *(key for row in rows for key in row if not key.startswith("_"))]))
    mappings = [row for row in rows if isinstance(row, dict)]
    return list(mappings[0]) if mappings and len(mappings) == len(rows) else None


def check_field(rows, field: str, settings: Settings) -> None:
    """Refuse, at the annex's ``rows:``, a field its rows do not have, with the nearest one."""
    fields = row_fields(rows)
    if fields is None or field in fields:
        return
    rows_text = str(settings.value("rows"))
    raise LanguageError(f"附件“{settings.value('title')}”：“{rows_text}”的各行没有“{field}”{suggestion(field, fields)}"
                        f"（可用：{'、'.join(fields)}）", rows_text)


# type: list

def list_line(row, value: str) -> str:
    """One row as its line: the declared field of a row, or the item itself (a name, a unit)."""
    if isinstance(row, (str, int)) or not hasattr(row, "__getitem__"):
        return str(row)
    return str(row[value])


def list_field(settings: Settings, rows) -> str:
    """The field a list prints: as written; unwritten, ``name``, or else the column that names a
    figure's rows (its unit) when its rows have no ``name``."""
    value = str(settings.value("value"))
    columns = row_fields(rows)
    if settings.given("value") or columns is None or value in columns:
        return value
    label = getattr(rows, "label", None) or "unit"
    return label if label in columns else value


def list_annex(settings: Settings, values: dict, fill) -> tuple[str, list[str]]:
    """(title, lines) of the list a ``type: list`` entry declares, filled from the figures in ``values``."""
    rows = rows_of(settings.value("rows"), values)
    value = list_field(settings, rows)
    check_field(rows, value, settings)
    names = [list_line(row, value) for row in rows]
    if settings.value("numbered"):
        names = [f"{i}．{name}" for i, name in enumerate(names, start=1)]
    return fill(settings.value("title")), names


# type: scores

def rankings_of(groups: dict[str, list[RankedScore]], count: int) -> dict[str, Ranking]:
    """The first and last ``count`` units of each scored group, as the text names them."""
    return {
        group: Ranking(group, ranked, [str(r.unit) for r in top(ranked, count)], [str(r.unit) for r in bottom(ranked, count)])
        for group, ranked in groups.items()
    }


SCORE_COLUMNS = {  # column → (header, value of a ranked score, zeros printed as numbers)
    "bonus": ("加分项", lambda r: r.row.bonus, False),
    "penalty": ("扣分项", lambda r: r.row.penalty, False),
    "earned": ("实得分", lambda r: r.earned, True),
    "percent": ("百分制得分", lambda r: r.percent, True),
}


def annex_table(number: int, title: str, scheme: ScoringScheme, ranked: list[RankedScore], settings: Settings) -> AnnexTable:
    """A score table in rank order, with the columns the annex settings name."""
    number_format = str(settings.value("number_format"))
    header: list[str] = []
    cells: list[list[str]] = [[] for _ in ranked]
    for column in settings.value("columns"):
        for title_text, values, zeros in _score_columns(column, scheme, ranked, settings):
            header.append(title_text)
            _add_column(cells, values, column_format([v for v in values if isinstance(v, Decimal)], number_format), zeros)
    return AnnexTable(number, title, header, cells)


def _score_columns(column: str, scheme: ScoringScheme, ranked: list[RankedScore], settings: Settings) -> list[tuple]:
    """(header, values, zeros printed) of the table columns one configured column gives."""
    if column == "rank":
        return [(settings.value("rank_header"), [r.rank for r in ranked], True)]
    if column == "unit":
        return [(settings.value("unit_header"), [str(r.unit) for r in ranked], True)]
    if column == "items":
        return [(item.header, [r.row.item_scores[i] for r in ranked], True) for i, item in enumerate(scheme.items)]
    if column in SCORE_COLUMNS:
        header, value, zeros = SCORE_COLUMNS[column]
        return [(header, [value(r) for r in ranked], zeros)]
    raise ValueError(f"未知的附件表列“{column}”")


def _add_column(cells: list[list[str]], values: list, fmt, zeros: bool) -> None:
    for row, value in zip(cells, values):
        if value is None:
            row.append("/")
        elif isinstance(value, Decimal):
            row.append("" if value == 0 and not zeros else format_number(value, fmt))
        else:
            row.append(str(value))
