"""``indicators:``: a key/value table (指标 | 数值, one indicator a row) read as ONE row of named values.

    年度指标:
      from: 指标表                            # a sheet: 指标 | 数值
      indicators: {name: 指标, value: 数值}
      columns: {办结率: rate(办结数, 受理数)}   # rates between its rows, as ordinary expressions

``where`` picks the indicator rows first; the one row then takes ``columns`` like any other
figure. An indicator named twice or left unnamed is refused at its rows; a name an expression
cannot write (受理数（件）) is refused at its row too.
"""

from __future__ import annotations

import keyword

from ..config.declared import INDICATORS
from ..config.view import Settings
from ..language.expressions import ExpressionError
from . import query as q
from .table import FigureTable

MAX_INDICATORS = 1_000  # rows an indicator table may have


def one_row_query(query: q.Query, spec, registry, stem: str) -> q.Query:
    """A query over one row: each indicator row's value under its name."""
    settings = Settings(spec, INDICATORS)
    name, value = str(settings.value("name")), str(settings.value("value"))
    size = int(query.table.count().execute())
    if size > MAX_INDICATORS:
        raise ExpressionError(f"指标表有 {size:,} 行，超过上限 {MAX_INDICATORS:,} 行")
    values = _named_values(q.run_rows(query, registry), name, value)
    row = {**values, "_file": query.source.file}
    return q.Query(q.figure_source(FigureTable([row], columns=list(values)), stem), query.scope)


def _named_values(rows: list[dict], name: str, value: str) -> dict:
    """Indicator name -> its value, in the table's order; a repeated, empty or unwritable name refused."""
    values, seen = {}, {}
    for row in rows:
        where = f"{row.get('_file', '')}第{row.get('_row')}行"
        label = str(row.get(name) or "").strip()
        if not label:
            raise ExpressionError(f"{where}的指标名（“{name}”列）为空")
        if not label.isidentifier() or keyword.iskeyword(label):
            raise ExpressionError(f"{where}的指标名“{label}”不能在表达式中引用：只能含汉字、字母、数字和下划线，且不以数字开头"
                                  f"（如 受理数，而非 受理数（件））")
        if label in seen:
            raise ExpressionError(f"指标“{label}”出现了两次：{seen[label]}与{where}（每项指标只能有一行）")
        seen[label], values[label] = where, row.get(value)
    return values
