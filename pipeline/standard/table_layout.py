"""Annex table columns: each header broken on purpose (名称⏎（N分）, and only between words),
each column as wide as its widest figure and its header lines, the table filling its line.

A header that can break at no listed word stays whole; a figure or a unit never wraps."""

from __future__ import annotations

import math
from itertools import combinations

from .measures import chars_in
from .title_breaks import UNKNOWN, break_costs

HEADER_LINES = 4  # a header cell may take this many lines
UNIT_OPEN = "（("


def header_break_points(title: str) -> list[int]:
    """Where a header may break: before its （N分）, and between words."""
    points = {i for i, cost in break_costs(title).items() if cost < UNKNOWN}
    points |= {i for i, c in enumerate(title) if i and c in UNIT_OPEN}
    return sorted(points)


def header_splits(title: str) -> list[tuple[str, ...]]:
    """For 1…HEADER_LINES lines, the split of ``title`` whose widest line is narrowest; once
    broken, a header's （N分） stands on a line of its own."""
    points = header_break_points(title)
    unit = [i for i, c in enumerate(title) if i and c in UNIT_OPEN][-1:]
    splits = []
    for breaks in range(0, min(HEADER_LINES - 1, len(points)) + 1):
        best = None
        for chosen in combinations(points, breaks):
            if breaks and unit and unit[0] not in chosen:
                continue
            edges = (0, *chosen, len(title))
            lines = tuple(title[a:b] for a, b in zip(edges, edges[1:]))
            if best is None or max(map(chars_in, lines)) < max(map(chars_in, best)):
                best = lines
        splits.append(best)
    return splits


SPARE = 40  # twips a column keeps beyond its widest text: the stand-in faces run wider than an em grid


def text_twips(text: str, points: float) -> float:
    """The width of ``text`` set in ``points``: full-width characters an em, Latin and digits half."""
    return chars_in(text) * points * 20


def column_options(title: str, cells: list[str], data_points: float, header_points: float,
                   padding: int) -> list[tuple[int, tuple[str, ...]]]:
    """(width in twips, header lines) of a column at each number of header lines, widest first."""
    data = max((text_twips(c, data_points) for c in cells), default=0)
    options = []
    for lines in header_splits(title):
        header = max(text_twips(line, header_points) for line in lines)
        need = math.ceil(max(data, header, data_points * 20)) + padding + SPARE
        if not options or need < options[-1][0]:
            options.append((need, lines))
    return options


def _columns(header, rows, data_points, header_points, padding):
    return [column_options(title, [row[i] for row in rows if i < len(row)], data_points, header_points, padding)
            for i, title in enumerate(header)]


def narrowest(header, rows, data_points: float, header_points: float, padding: int) -> int:
    """The table's width with every header broken as far as it may be."""
    return sum(options[-1][0] for options in _columns(header, rows, data_points, header_points, padding))


def fit_columns(header: list[str], rows: list[list[str]], total: int, data_points: float, header_points: float,
                padding: int) -> tuple[list[int], list[tuple[str, ...]]]:
    """Column widths filling ``total`` and each header's lines: headers broken only as far as
    the table needs, widest saving first; the room left shared evenly."""
    columns = _columns(header, rows, data_points, header_points, padding)
    chosen = [0] * len(columns)
    while sum(c[i][0] for c, i in zip(columns, chosen)) > total:
        savings = [(c[i][0] - c[i + 1][0], n) for n, (c, i) in enumerate(zip(columns, chosen)) if i + 1 < len(c)]
        if not savings:
            break
        chosen[max(savings)[1]] += 1
    needs = [c[i][0] for c, i in zip(columns, chosen)]
    spare = total - sum(needs)
    widths = [n * total // sum(needs) for n in needs] if spare < 0 else [n + spare // len(needs) for n in needs]
    widths[-1] += total - sum(widths)
    return widths, [c[i][1] for c, i in zip(columns, chosen)]
