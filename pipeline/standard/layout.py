"""Layout decisions that depend on the text: how a title breaks into lines and where the
署名 sits over the 成文日期 (annex columns: table_layout.py). Pure functions."""

from __future__ import annotations

import re
from functools import lru_cache

from .pages import text_width
from .measures import SIZE_3, char_width_twips, chars_in, condensed_spacing
from .title_breaks import break_costs


def split_title(text: str, per_line: int) -> list[str]:
    """A title in lines of at most ``per_line`` characters, words kept whole and lines of
    similar length (回行时词意完整、排列对称、长短适宜). One line if it fits."""
    return list(_title_lines(text, per_line))


@lru_cache(maxsize=1024)  # the 发文机关标志 and the title stand in the bulletin and in each notice alike
def _title_lines(text: str, per_line: int) -> tuple[str, ...]:
    return tuple(_split(text, per_line))


def _split(text: str, per_line: int) -> list[str]:
    if chars_in(text) <= per_line:
        return [text]
    points = break_costs(text)
    candidates = sorted(points) + [len(text)]
    average = chars_in(text) / -(-chars_in(text) // per_line)

    @lru_cache(maxsize=None)
    def best(start: int) -> tuple[float, tuple[int, ...]]:
        if start == len(text):
            return 0.0, ()
        options = []
        for end in candidates:
            if end <= start:
                continue
            width = chars_in(text[start:end])
            if width > per_line:
                break
            rest_cost, rest = best(end)
            cost = (width - average) ** 2 + points.get(end, 0.0) + 10.0 + rest_cost
            options.append((cost, (end,) + rest))
        return min(options, default=(float("inf"), ()))

    cost, ends = best(0)
    if cost == float("inf"):  # no break point fits: cut at the width
        return [text[i:i + per_line] for i in range(0, len(text), per_line)]
    starts = (0,) + ends[:-1]
    return [text[a:b] for a, b in zip(starts, ends)]


def signature_right_indents(lines: list[str], date: str, date_indent: float = 4) -> list[float]:
    """Right indent (in characters) of each 署名 line, centred over the 成文日期, which stands
    ``date_indent`` characters in from the right (GB/T 9704-2012 7.3.5.1). Widths as set:
    half-width digits and the space between them and the Chinese characters counted."""
    def chars(text: str) -> float:
        return text_width(text, SIZE_3, condensed_spacing()) / char_width_twips(SIZE_3)

    centre = date_indent + chars(date) / 2
    return [max(0.0, round(centre - chars(line) / 2, 1)) for line in lines]


NOTE_PREFIX = re.compile(r"^(附件：)?(\d+[．.])?")


def annex_note_layout(text: str, continued: bool) -> tuple[int, int]:
    """(where the line starts, width of its “附件：1．” prefix), in twips, for a 附件说明 line:
    左空二字, and a continued item (2．…) under the 1 of the first."""
    def width(part: str) -> int:
        return round(text_width(part, SIZE_3, condensed_spacing()))

    start = 2 * char_width_twips(SIZE_3) + (width("附件：") if continued else 0)
    return start, width(NOTE_PREFIX.match(text.strip()).group(0))
