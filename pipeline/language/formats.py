"""Named formats (命名格式): how a sentence writes a figure, as clerks write it.

``{{ 低于标准|等N个 }}`` → 甲局、乙局、丙局等7个单位; ``{{ 全市.按期办结率|百分比 }}`` → 92.5%.
Each built-in format is a function of the value and its parameters; an office declares more
under ``formats:`` in kind.yaml (``名单: {base: 等N个, show: 5}``), a built-in one with other
parameters. A value that is not there (None) prints as the format's ``none`` parameter.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_FLOOR, Decimal

from ..core.decimals import rounded, trimmed
from ..core.period import CHINESE_NUMERALS, format_date, format_month_day
from ..core.suggest import suggestion
from .errors import LanguageError

MAX_TEXT_CHARS = 100_000  # the most text (or items) one configured sentence may make
NONE_TEXT = "—"  # what a missing value prints as unless the format says otherwise


def chinese_number(n: int) -> str:
    """Small counts in Chinese numerals as running text writes them: 3 → 三, 12 → 十二."""
    n = int(n)
    if n < 0 or n > 99:
        return str(n)
    if n <= 10:
        return CHINESE_NUMERALS[n] if n else "零"
    tens, ones = divmod(n, 10)
    return (CHINESE_NUMERALS[tens] if tens > 1 else "") + "十" + (CHINESE_NUMERALS[ones] if ones else "")


class FormatError(LanguageError):
    """A value a format cannot write (a word where a number is needed …)."""


def format_percent(value) -> str:
    """A rate as a table cell prints it, the same way in every row: two places at most, trailing
    zeros dropped (100%, 99.5%, 99.87%); blank when there is no rate (None)."""
    return "" if value is None else f"{trimmed(value, 2)}%"


def items_of(value) -> list:
    """A list's printable items: a table's rows by the column that names them, a list as it is."""
    if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
        return [value]
    label = getattr(value, "label", None)
    return [row_name(row, label) for row in value]


def row_name(row, label: str | None = None):
    """The name of one row: its label column, else its first column; anything else as it is."""
    if not isinstance(row, dict):
        return row
    if label and label in row:
        return row[label]
    columns = [k for k in row if not str(k).startswith("_")]
    return row[columns[0]] if columns else ""


def plain(value) -> str:
    """A value written without a format: dates the 公文 way, lists joined with 、."""
    if value is None:
        return NONE_TEXT
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, (list, tuple)):
        return "、".join(plain(v) for v in items_of(value))
    if isinstance(value, float):
        raise FormatError("小数应由派生数据给出（Decimal），不能直接写入句子")
    return str(value)


def number(value) -> Decimal:
    """A count or rate as a Decimal; a format's result (``个数``) may feed the next one (``中文``)."""
    if isinstance(value, str) and re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", value):
        return Decimal(value)
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise FormatError(f"“{value}”不是数字")
    return Decimal(value)


def names_of(value, p: dict) -> list[str]:
    """The names a list format writes: every item, or with ``distinct`` each filled one once."""
    items = items_of(value)
    if p.get("distinct"):
        items = list(dict.fromkeys(v for v in items if v is not None and v != ""))
    return [without_end(plain(v), p) for v in items]


def without_end(name: str, p: dict) -> str:
    """A name without the ending ``strip`` names (公安局 → 公安 for strip: 局); a name that is only it stays."""
    end = str(p.get("strip") or "")
    return name[: -len(end)] if end and name.endswith(end) and name != end else name


def _list(value, p: dict) -> str:
    return str(p["sep"]).join(names_of(value, p))


def _distinct(value, p: dict) -> str:
    """``不重复``: the different values, in order, the empty ones left out."""
    found = [v for v in items_of(value) if v is not None and v != ""]
    return str(p["sep"]).join(dict.fromkeys(without_end(plain(v), p) for v in dict.fromkeys(found)))


def _as_is(value, p: dict) -> str:
    return plain(value)


# ``more:`` of 等N个 names three things, in the statement language's braces ({{ 名单 }}等{{ 个数 }}个{{ 单位 }});
# the older single-brace spelling ({names}等{count}个{unit}) means the same. Nothing else is filled in:
# the text is never a Python format string.
MORE_SLOTS = {"名单": "names", "个数": "count", "单位": "unit"}
_MORE_SLOT = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}|\{([^{}]*)\}")


def slots_problem(text: str, slots) -> str | None:
    """Why ``text`` is not text with only the named ``slots`` in it, or None."""
    allowed = {*slots, *(word for word, slot in MORE_SLOTS.items() if slot in slots)}
    unknown = [m.group(0) for m in _MORE_SLOT.finditer(text) if (m.group(1) or m.group(2) or "").strip() not in allowed]
    if unknown or "{" in _MORE_SLOT.sub("", text) or "}" in _MORE_SLOT.sub("", text):
        shown = "、".join(f"{{{{ {w} }}}}" for w, s in MORE_SLOTS.items() if s in slots)
        return f"“{(unknown or [text])[0][:40]}”不能写在此处：只能写文字和 {shown}"
    return None


def fill_slots(text: str, values: dict) -> str:
    """``text`` with each named place replaced by its value (as text), nothing evaluated."""
    def value(match: re.Match) -> str:
        word = (match.group(1) or match.group(2) or "").strip()
        key = MORE_SLOTS.get(word, word)
        if key not in values:
            raise FormatError(slots_problem(text, tuple(values)) or f"“{match.group(0)}”不能写在此处")
        return str(values[key])

    return _MORE_SLOT.sub(value, text)


def _first_names(value, p: dict) -> str:
    """``等N个``: the first ``show`` names, then 等N个单位 when there are more."""
    names = names_of(value, p)
    shown = str(p["sep"]).join(names[: int(p["show"])])
    if len(names) <= int(p["show"]):
        return shown
    return fill_slots(str(p["more"]), {"names": shown, "count": len(names), "unit": p["unit"]})


def _strip(value, p: dict) -> str:
    """``去尾``: a name (or each of a list's) without its ending: 公安局 → 公安."""
    return str(p["sep"]).join(names_of(value, p))


def _count(value, p: dict) -> str:
    return str(len(items_of(value)) if isinstance(value, (list, tuple)) else number(value))


def _chinese(value, p: dict) -> str:
    return chinese_number(int(number(value)))


def _two(value, p: dict) -> str:
    """2 → 两 (两批, 两个), other counts in Chinese numerals."""
    return "两" if number(value) == 2 else _chinese(value, p)


def _about(value, p: dict) -> str:
    """123 → 100余, 2480 → 2000余: down to the leading digit, 余 when something was cut."""
    n = number(value)
    if n < 10:
        return str(n)
    step = Decimal(10) ** (len(str(int(n))) - 1)
    floor = (n / step).to_integral_value(ROUND_FLOOR) * step
    return f"{int(floor)}余" if floor != n else str(int(n))


def _ten_thousands(value, p: dict) -> str:
    """54321 → 5.4万 (one place, half up, .0 dropped); below 10000 as it is."""
    n = number(value)
    if n < 10000:
        return str(n)
    return trimmed(n / 10000, int(p["places"])) + "万"


def _percent(value, p: dict) -> str:
    """A rate (already rounded the office's way) as 12.34%, trailing zeros dropped."""
    return trimmed(number(value), int(p["places"])) + "%"


def _whole_percent(value, p: dict) -> str:
    return f"{rounded(number(value), 0)}%"


def _near(value, p: dict) -> str:
    """29.6 → 近30%, 30.4 → 超30%, 30 → 30%: the whole percent and which side of it the rate is."""
    n = number(value)
    whole = rounded(n, 0)
    word = p["below"] if whole > n else p["above"] if whole < n else ""
    return f"{word}{whole}%"


def _a_date(value) -> dt.date:
    if not isinstance(value, dt.date):
        raise FormatError(f"“{value}”不是日期")
    return value


def _date(value, p: dict) -> str:
    return format_date(_a_date(value))


def _numeric_date(value, p: dict) -> str:
    return _a_date(value).isoformat()


def _month_day(value, p: dict) -> str:
    return format_month_day(_a_date(value))


def _sum(value, p: dict) -> str:
    """The numbers of a list (a column of a table) added up: [7, 4, 3] → 14."""
    return str(sum((number(v) for v in items_of(value) if v is not None), Decimal(0)))


def _month_end(value, p: dict) -> str:
    """``月底``: the last day of a month as 2024年3月底; any other day is no 月底 and refused."""
    day = _a_date(value)
    if (day + dt.timedelta(days=1)).month == day.month:
        raise FormatError(f"{format_date(day)}不是月末，不能写作“{day.year}年{day.month}月底”（请用格式“日期”）")
    return f"{day.year}年{day.month}月底"


def _until_month_end(value, p: dict) -> str:
    """``截至月底``: 截至2024年3月底 (for ``period.end``)."""
    return "截至" + _month_end(value, p)


def _respectively(value, p: dict) -> str:
    return str(p["word"]) if len(items_of(value)) > 1 else ""


LIST = {"sep": "、", "distinct": False, "strip": ""}
# name -> (function, its parameters with their defaults, one-line meaning)
BUILT_IN = {
    "列举": (_list, LIST, "逐个列出名称：甲、乙、丙"),
    "等N个": (_first_names, {**LIST, "show": 3, "more": "{{ 名单 }}等{{ 个数 }}个{{ 单位 }}", "unit": "单位"},
              "列出前 show 个名称，多于 show 个时接“等N个单位”"),
    "个数": (_count, {}, "个数：列表的项数，数字原样"),
    "中文": (_chinese, {}, "中文数字：3 → 三"),
    "两": (_two, {}, "2 写作“两”（两批），其他数写中文数字"),
    "约数": (_about, {}, "约数：123 → 100余"),
    "万": (_ten_thousands, {"places": 1}, "以万为单位：54321 → 5.4万"),
    "百分比": (_percent, {"places": 2}, "百分比：12.34%（末尾的 0 省去）"),
    "整百分比": (_whole_percent, {}, "整数百分比：29.6 → 30%"),
    "近": (_near, {"below": "近", "above": "超"}, "近似百分比：29.6 → 近30%，30.4 → 超30%"),
    "日期": (_date, {"none": None}, "日期：2024年6月12日（没有填写时不能生成）"),
    "月日": (_month_day, {"none": None}, "月日：6月12日（没有填写时不能生成）"),
    "月底": (_month_end, {"none": None}, "月底：2024年3月底（须是月末那一天，如 period.end）"),
    "截至月底": (_until_month_end, {"none": None}, "截至月底：截至2024年3月底（须是月末那一天，如 period.end）"),
    "合计": (_sum, {}, "合计：一列数字之和（超期办件 7、4、3 → 14）"),
    "分别": (_respectively, {"word": "分别"}, "多于一项时写“分别”，否则不写"),
    "不重复": (_distinct, {"sep": "、", "strip": ""}, "列出各不相同的值，空的不写：甲、乙"),
    "去尾": (_strip, {"sep": "、", "strip": "局"}, "名称去掉末尾的 strip（默认“局”）：公安局 → 公安"),
    "空则不写": (_as_is, {"none": ""}, "原样写出，没有填写时不写"),
    "数字日期": (_numeric_date, {"none": None}, "数字日期：2024-06-12（问题依据等表格中）"),
}
COMMON = {"none": NONE_TEXT}  # every format: what a missing value prints as
# the formats that read a list (a figure's rows, a column's values): after another format, which has
# already written its value as text, they would see one item and change nothing
READS_LIST = ("列举", "等N个", "不重复", "分别", "合计", "个数")


def base_of(name: str, declared: dict | None = None) -> str:
    """The built-in format a format is: itself, or the ``base`` of one the office declared."""
    spec = (declared or {}).get(name)
    return str(spec.get("base", name)) if isinstance(spec, dict) else name


def unused_parameters(name: str, spec: dict) -> list[str]:
    """The parameters of declared format ``name`` its base does not use (``show`` on 不重复)."""
    base = str(spec.get("base", name))
    if base not in BUILT_IN:
        return []
    used = {"base", *COMMON, *BUILT_IN[base][1]}
    return [str(key) for key in spec if key not in used]


def base_problem(name: str, spec: dict) -> str | None:
    """Why declared format ``name`` has no base to write with (a new name without ``base:``), or None."""
    if "base" in spec or name in BUILT_IN:
        return None
    return f"“{name}”不是内置格式，须写 base: 指明以哪个内置格式为基础{suggestion(name, BUILT_IN)}（可用：{'、'.join(BUILT_IN)}）"


def unused_problem(name: str, spec: dict, key: str) -> str:
    """Why parameter ``key`` of declared format ``name`` is refused: its base never reads it."""
    base = str(spec.get("base", name))
    used = [k for k in (*BUILT_IN[base][1], *COMMON)]
    based = f"基于“{base}”，" if base != name else ""
    return f"格式“{name}”{based}不用参数“{key}”，写了也不起作用{suggestion(key, used)}（“{base}”可用的参数：{'、'.join(used)}）"


def chain_problem(slot_text: str, formats: tuple, late: str, declared: dict | None = None) -> str:
    """Why format ``late`` of a chain is refused: an earlier format has already written the list as text."""
    earlier = formats[formats.index(late) - 1]
    base, first = base_of(late, declared), base_of(earlier, declared)
    based = f"（基于“{base}”）" if base != late else ""
    advice = f"；要不重复地列出，请在 formats: 中给“{late}”加 distinct: true，写作 {{{{ …|{late} }}}}" \
        if first == "不重复" and base in ("列举", "等N个") else f"；请只写一个，放在名称之后（{{{{ …|{late} }}}}）"
    return (f"“{slot_text}”：格式“{late}”{based}读的是一列名称或数字，而它前面的“{earlier}”已把值写成了一句文字，"
            f"“{late}”在此不起作用{advice}")


def format_names(declared: dict | None = None) -> list[str]:
    return [*BUILT_IN, *(declared or {})]


def parameters(name: str, declared: dict | None = None) -> tuple:
    """(function, parameters) of format ``name``: a built-in one, or one the office declared."""
    declared = declared or {}
    if name in declared:
        spec = dict(declared[name] or {})
        function, defaults, _ = BUILT_IN[spec.pop("base", name)]
        return function, {**COMMON, **defaults, **spec}
    function, defaults, _ = BUILT_IN[name]
    return function, {**COMMON, **defaults}


def apply_format(name: str, value, declared: dict | None = None) -> str:
    """``value`` written by format ``name``; FormatError when the value does not fit it."""
    function, params = parameters(name, declared)
    if value is None or value == "":
        if params["none"] is None:
            raise FormatError("用到的日期没有填写（bulletin.yaml 中该项为空）")
        return str(params["none"])
    try:
        text = function(value, params)
    except (KeyError, IndexError, ValueError) as exc:
        if isinstance(exc, FormatError):
            raise
        raise FormatError(f"格式“{name}”的参数有误（{exc}）") from None
    if len(text) > MAX_TEXT_CHARS:
        raise FormatError(f"格式“{name}”写出 {len(text):,} 个字，超过一句的上限 {MAX_TEXT_CHARS:,} 字")
    return text
