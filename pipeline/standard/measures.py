"""The figures of GB/T 9704-2012 《党政机关公文格式》 that the template is built from and the
format checker checks against: one place for page geometry, type sizes and typefaces."""

from __future__ import annotations

import math

# 页面：A4, in twips (1/1440 inch)
PAGE_WIDTH = 11906  # 210 mm
PAGE_HEIGHT = 16838  # 297 mm
MARGIN_TOP = 2098  # 天头 37 mm
MARGIN_BOTTOM = 1984  # 35 mm
MARGIN_LEFT = 1588  # 订口 28 mm
MARGIN_RIGHT = 1474  # 26 mm
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT  # 版心宽 156 mm
TEXT_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM  # 版心高 225 mm

LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
LINE_PITCH = 579  # twips: 28.95 pt, 22 lines in the 225 mm text block
TABLE_LINE = 400  # twips: 20 pt, the exact line of 小四 table text

# 字号 in points
SIZE_2 = 22.0  # 二号
SIZE_3 = 16.0  # 三号
SIZE_4 = 14.0  # 四号
SIZE_SMALL_4 = 12.0  # 小四
SIZE_5 = 10.5  # 五号

# Typefaces as Word templates in use name them (the standard names the style, not the product)
XIAOBIAOSONG = "方正小标宋简体"  # 小标宋体
FANGSONG = "仿宋_GB2312"  # 仿宋体
KAITI = "楷体_GB2312"  # 楷体
HEITI = "黑体"
SONGTI = "宋体"

# The face a stock Windows has in place of each (w:altName in the font table): Word and WPS
# substitute it where the named face is not installed.
FALLBACK_FONTS = {XIAOBIAOSONG: "宋体", FANGSONG: "仿宋", KAITI: "楷体", HEITI: "SimHei", SONGTI: "SimSun"}

# Names under which each typeface is found on clerks' machines; the checker accepts any.
FONT_ALIASES = {
    XIAOBIAOSONG: (XIAOBIAOSONG, "方正小标宋_GBK", "方正小标宋", "小标宋", "FZXiaoBiaoSong-B05S", "华文中宋"),
    FANGSONG: (FANGSONG, "仿宋", "FangSong", "FangSong_GB2312", "方正仿宋_GBK", "方正仿宋简体", "华文仿宋", "STFangsong"),
    KAITI: (KAITI, "楷体", "KaiTi", "KaiTi_GB2312", "方正楷体_GBK", "方正楷体简体", "华文楷体", "STKaiti"),
    HEITI: (HEITI, "SimHei", "方正黑体_GBK", "方正黑体简体", "华文黑体", "STHeiti"),
    SONGTI: (SONGTI, "SimSun", "新宋体", "NSimSun", "方正书宋_GBK", "华文宋体", "STSong"),
}

# 版记 rules: 首条、末条分隔线 0.35 mm (1 pt = 8 eighths), 中间分隔线 0.25 mm (0.75 pt = 6 eighths)
IMPRINT_THICK = 8
IMPRINT_THIN = 6

IMPRINT_STYLES = ("版记", "印发机关和日期")  # the 版记's paragraph styles: 抄送, 印发机关和印发日期
PAGE_NUMBER_DASH = "—"  # 一字线 on either side of the page number
ANNEX_LABEL = "附件"
BODY_STYLE = "公文正文"  # not 正文: Chinese Word and WPS show their built-in Normal style under that name
CELL_PADDING = 56  # twips: cell margins of 0.05 cm either side (Word's default 0.19 cm leaves a wide table no room)


def font_family(name: str | None) -> str | None:
    """The canonical typeface a font name stands for (仿宋 → 仿宋_GB2312), or None if unknown."""
    if not name:
        return None
    for canonical, aliases in FONT_ALIASES.items():
        if name in aliases:
            return canonical
    return None


def char_width_twips(points: float) -> int:
    """The width of one full-width character of ``points`` in twips."""
    return round(points * 20)


def condensed_spacing() -> int:
    """Character spacing (twips, negative: 紧缩) that fits 28 characters of 三号 into the 156 mm
    line. Word, WPS and LibreOffice all honour it, where a character grid narrower than the type
    is honoured by Word alone (LibreOffice gives each character two cells of it)."""
    return math.floor(TEXT_WIDTH / CHARS_PER_LINE - char_width_twips(SIZE_3))


def chars_per_line(spacing: int, points: float = SIZE_3, width: int = TEXT_WIDTH) -> float:
    """How many characters of ``points`` with ``spacing`` twips between them fill ``width``."""
    return width / (char_width_twips(points) + spacing)


def chars_in(text: str) -> float:
    """Width of ``text`` in full-width characters: ASCII letters and digits count half."""
    return sum(0.5 if ord(c) < 0x2E80 and c not in "“”‘’—…" else 1.0 for c in text)
