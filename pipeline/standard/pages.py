"""Where the pages of a rendered bulletin break, worked out from the document itself.

Every line of a 公文 has a fixed height (正文 and titles exactly 28.95 pt, table text exactly
20 pt), widow control is off and the characters have a fixed pitch, so the page a paragraph
lands on follows from counting lines: Word, WPS and LibreOffice break the same text at the same
places. The 版记 is placed from this count (the foot of an even last page), and the checker
uses it to find a 版记 on an odd page."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .docview import DocView, first_child, grandchild, qn
from .measures import PAGE_HEIGHT, PAGE_WIDTH

NOT_LINE_START = "，。、；：？！”’）》〕】%‰…—·,.;:?!)]}"  # 避头点: never begins a line
NOT_LINE_END = "“‘（《〔【([{"  # 避尾点: never ends a line
CLOSING_QUOTES = "”’"  # LibreOffice (ICU) breaks neither before nor after a closing quote
HANGING = "，。、；：？！”’）》〕】"  # may hang past the end of a full line
LATIN_EXTRA = 0.05  # em a Latin letter, digit or sign of the Chinese faces runs past half an em (line breaking)
AUTOSPACE = 0.21  # em set between Chinese and a Latin letter or digit (measured in LibreOffice's PDF)
LATIN_WORD = re.compile(r"[A-Za-z0-9@._%+\-/:#&]+")
AUTO_LINE = 1.3  # an auto-spaced line is about 1.3 times its type size
ROW_SLACK = 200  # twips: a table row is taken to fit only with this much to spare (rules, cell edges)
SECTION_TOP = 115  # twips LibreOffice leaves above the first line of a section's first page (measured)


@dataclass
class Geometry:
    """A section's text block, in twips."""

    width: int
    height: int
    landscape: bool


@dataclass
class Position:
    """Where the flow stands: the page number and how much of that page's text block is used."""

    page: int = 1
    used: int = 0


def section_geometry(sectpr) -> Geometry:
    size, margins = sectpr.find(qn("w:pgSz")), sectpr.find(qn("w:pgMar"))
    width = int(size.get(qn("w:w"), PAGE_WIDTH)) if size is not None else PAGE_WIDTH
    height = int(size.get(qn("w:h"), PAGE_HEIGHT)) if size is not None else PAGE_HEIGHT

    def margin(side):
        return abs(int(margins.get(qn(f"w:{side}"), 0))) if margins is not None else 0

    return Geometry(width - margin("left") - margin("right"), height - margin("top") - margin("bottom"),
                    width > height)


def char_twips(c: str, points: float, spacing: int) -> float:
    """The advance of one character: full-width CJK a whole em, Latin and digits half."""
    half = ord(c) < 0x2E80 and c not in "“”‘’—…"
    return (0.5 if half else 1.0) * points * 20 + spacing


def _ideograph(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf"


def _latin(c: str) -> bool:
    return c.isascii() and c.isalnum()


def autospaces(text: str) -> int:
    """How many Chinese–Latin or Chinese–digit joins ``text`` has: Word, WPS and LibreOffice
    each set a little space in every one (调整中文与西文、数字的间距)."""
    return sum((_ideograph(a) and _latin(b)) or (_latin(a) and _ideograph(b)) for a, b in zip(text, text[1:]))


def text_width(text: str, points: float, spacing: int) -> float:
    """The width of ``text`` on one line, in twips, its autospace included."""
    return sum(char_twips(c, points, spacing) for c in text) + autospaces(text) * AUTOSPACE * points * 20


def _units(text: str) -> list[str]:
    """Pieces no line break falls inside: a Latin word or number, a CJK character, each with the
    punctuation that may not be parted from it (避头尾)."""
    pieces: list[str] = []
    i = 0
    while i < len(text):
        match = LATIN_WORD.match(text, i)
        piece = match.group(0) if match else text[i]
        i += len(piece)
        if pieces and (piece[0] in NOT_LINE_START or pieces[-1][-1] in NOT_LINE_END + CLOSING_QUOTES):
            pieces[-1] += piece
        else:
            pieces.append(piece)
    return pieces


def count_lines(text: str, first: float, rest: float, points: float, spacing: int) -> int:
    """Lines a paragraph of ``text`` takes with ``first`` twips on its first line, ``rest`` on the
    others."""
    return len(laid_lines(text, first, rest, points, spacing))


@lru_cache(maxsize=8192)  # a batch lays out the same headings, names and figures again and again
def laid_lines(text: str, first: float, rest: float, points: float, spacing: int) -> tuple:
    """:func:`line_ends` of a paragraph, worked out once for the same text and measures: the page
    count and the check for stretched lines lay out the same paragraphs."""
    return tuple(line_ends(text, first, rest, points, spacing))


def line_ends(text: str, first: float, rest: float, points: float, spacing: int):
    """Each line of ``text`` as laid out: the twips left empty at its end, and whether a line
    follows in the same run of text (a justified line spreads what is left; a last line does not).
    A closing mark may hang past the end of a full line (标点溢出边界), as all three programs let it."""
    lines = 0
    for segment in text.split("\n"):
        lines += 1
        room, used, previous = first if lines == 1 else rest, 0.0, ""
        for unit in _units(segment):
            width = text_width(previous[-1:] + unit, points, spacing) - text_width(previous[-1:], points, spacing)
            width += sum(c.isascii() for c in unit) * LATIN_EXTRA * points * 20
            previous = unit
            hanging = sum(char_twips(c, points, spacing) for c in unit[len(unit.rstrip(HANGING)):])
            if used and used + width - hanging > room + 1:
                yield room - used, True
                lines += 1
                room, used = rest, 0.0
            used += width
        yield room - used, False


def _formatted_runs(p) -> bool:
    """Whether a run of paragraph element ``p`` has properties of its own (its w:r/w:rPr)."""
    return any(first_child(r, "w:rPr") is not None for r in p.iterchildren(qn("w:r")))


class PageCounter:
    """Lays the body of a python-docx document out line by line, as the three programs do."""

    def __init__(self, docx, view: DocView | None = None):
        self.view = view if view is not None else DocView(docx)
        self.position = Position()
        self._plain: dict = {}  # style id → measures of a paragraph formatted by its style alone

    # --- paragraph measures ------------------------------------------------------------
    def _first_run(self, p):
        """The paragraph's first run with text, or a bare run standing for its style's type."""
        runs = self.view.text_runs(p)
        return runs[0] if runs else p.makeelement(qn("w:r"), {})

    def _size(self, p) -> float:
        return self.view.size(self._first_run(p), p)

    def _spacing(self, p) -> int:
        return self.view.spacing(self._first_run(p), p)

    def line_height(self, p, points: float) -> int:
        """One line of the paragraph: its exact spacing, else about 1.3 times its type."""
        rule = self.view.ppr_value(p, "w:spacing", "w:lineRule")
        line = self.view.ppr_value(p, "w:spacing", "w:line")
        if rule == "exact" and line:
            return int(line)
        return round(points * 20 * AUTO_LINE * (int(line) / 240 if line and rule in (None, "auto") else 1))

    def _measures(self, p) -> tuple:
        """(type size, character spacing, left, right and first-line indents, line, space before
        and after) of a paragraph; looked up once per style for a paragraph formatted by its
        style alone (every annex cell)."""
        ppr = p.find(qn("w:pPr"))
        plain = (ppr is None or all(c.tag == qn("w:pStyle") for c in ppr)) and not _formatted_runs(p)
        key = self.view._paragraph_style_id(p) if plain else None
        if key is not None and key in self._plain:
            return self._plain[key]
        points, spacing = self._size(p), self._spacing(p)
        found = (points, spacing, *(self.view.indent_chars(p, side, points) * points * 20 for side in ("left", "right")),
                 self.view.first_line_chars(p, points) * points * 20, self.line_height(p, points),
                 int(self.view.ppr_value(p, "w:spacing", "w:before") or 0),
                 int(self.view.ppr_value(p, "w:spacing", "w:after") or 0))
        if key is not None:
            self._plain[key] = found
        return found

    def paragraph_height(self, p, width: int) -> int:
        """A paragraph's lines at ``width`` twips, with the space and rules around it."""
        points, spacing, left, right, first, line, before, after = self._measures(p)
        text = self._laid_text(p)
        room = width - left - right
        lines = count_lines(text, room - first, room, points, spacing)
        return lines * line + before + after + self._rules_height(p)

    @staticmethod
    def _laid_text(p) -> str:
        """The paragraph's text with each line break as a newline."""
        return "".join((t.text or "") if t.tag == qn("w:t") else "\n" for t in p.iter(qn("w:t"), qn("w:br")))

    def spread_gaps(self, p, width: int) -> list[float]:
        """What justification spreads over each line but the last of a paragraph at ``width``
        twips: the room each leaves empty before its line break, in characters of its type size."""
        points, spacing, left, right, first, *_ = self._measures(p)
        text = self._laid_text(p)
        room = width - left - right
        return [gap / (points * 20) for gap, wrapped in laid_lines(text, room - first, room, points, spacing) if wrapped]

    @staticmethod
    def _rules_height(p) -> int:
        """What the rules above and below a paragraph add: their width and their space."""
        borders = grandchild(p, "w:pPr", "w:pBdr")
        edges = [borders.find(qn(f"w:{side}")) for side in ("top", "bottom")] if borders is not None else []
        return sum(round((int(e.get(qn("w:sz"), 4)) / 8 + int(e.get(qn("w:space"), 0))) * 20)
                   for e in edges if e is not None and e.get(qn("w:val")) not in ("nil", "none"))

    # --- tables --------------------------------------------------------------------------
    @staticmethod
    def cell_margins(tbl) -> int:
        """Left plus right cell margins of a table (Word's default 0.19 cm each if unset)."""
        margins = grandchild(tbl, "w:tblPr", "w:tblCellMar")
        sides = [margins.find(qn(f"w:{side}")) if margins is not None else None for side in ("left", "right")]
        return sum(int(side.get(qn("w:w"), 108)) if side is not None else 108 for side in sides)

    def row_height(self, tr, margins: int = 216) -> int:
        """A table row: its tallest cell, or its set height if more, and the rule under it."""
        tallest = 0
        for tc in tr.iter(qn("w:tc")):
            width_el = grandchild(tc, "w:tcPr", "w:tcW")
            width = int(width_el.get(qn("w:w"), 0)) if width_el is not None else 0
            cell = sum(self.paragraph_height(p, max(width - margins, 1)) for p in tc.findall(qn("w:p")))
            tallest = max(tallest, cell)
        height = grandchild(tr, "w:trPr", "w:trHeight")
        floor = int(height.get(qn("w:val"), 0)) if height is not None else 0
        return max(tallest, floor) + 10  # the rule between rows

    def _is_header(self, tr) -> bool:
        return grandchild(tr, "w:trPr", "w:tblHeader") is not None

    def place_table(self, tbl, geometry: Geometry) -> None:
        rows, margins = tbl.findall(qn("w:tr")), self.cell_margins(tbl)
        header = sum(self.row_height(tr, margins) for tr in rows if self._is_header(tr))
        for tr in rows:
            height = self.row_height(tr, margins)
            if self.position.used and self.position.used + height > geometry.height - ROW_SLACK:
                self.new_page()
                self.position.used = header if not self._is_header(tr) else 0
            self.position.used += height

    # --- the flow --------------------------------------------------------------------------
    def new_page(self) -> None:
        self.position = Position(self.position.page + 1, 0)

    def place_paragraph(self, p, geometry: Geometry, following_height: int = 0) -> None:
        height = self.paragraph_height(p, geometry.width)
        if self.view.flag(p, "w:pageBreakBefore") and self.position.used:
            self.new_page()
        keep = following_height if self.view.flag(p, "w:keepNext") else 0
        whole = self.view.flag(p, "w:keepLines") or keep  # else it may split: only its first line must fit
        needed = height if whole else min(height, self.line_height(p, self._size(p)))
        if self.position.used and self.position.used + needed + keep > geometry.height:
            self.new_page()
        if height > geometry.height - self.position.used:  # a paragraph longer than the rest of the page
            spill = height - (geometry.height - self.position.used)
            pages, rest = divmod(spill, geometry.height)
            self.position = Position(self.position.page + 1 + pages, rest)
            return
        self.position.used += height
        if any(b.get(qn("w:type")) == "page" for b in p.iter(qn("w:br"))):
            self.new_page()

    def _first_line(self, element) -> int:
        """Height of the first line of ``element`` (what keep-with-next keeps a heading with)."""
        if element is None or element.tag != qn("w:p"):
            return 0
        return self.line_height(element, self._size(element))

    def run(self, until=None) -> Position:
        """Lay out the body up to (not including) ``until``; the position reached."""
        body_sectpr = self.view.document.element.body.find(qn("w:sectPr"))  # read once, not per section
        for sectpr, elements in self.view.sections_of_body():
            geometry = section_geometry(sectpr)
            for i, element in enumerate(elements):
                if element is until:
                    return self.position
                if element.tag == qn("w:tbl"):
                    self.place_table(element, geometry)
                elif element.tag == qn("w:p"):
                    following = elements[i + 1] if i + 1 < len(elements) else None
                    self.place_paragraph(element, geometry, self._first_line(following))
            if sectpr is not body_sectpr:
                self.new_page()
                self.position.used = SECTION_TOP
        return self.position


def position_before(docx, element) -> tuple[Position, Geometry]:
    """The page and the used height where ``element`` would start, and that section's text block."""
    counter = PageCounter(docx)
    position = counter.run(until=element)
    for sectpr, elements in counter.view.sections_of_body():
        if element in elements:
            return position, section_geometry(sectpr)
    return position, section_geometry(counter.view.sections_of_body()[-1][0])


def end_of_body(view: DocView) -> Position:
    """Where the whole body of ``view``'s document ends, laid out once per view (every rule that
    asks about the last page shares one layout)."""
    if "end_of_body" not in view.memo:
        view.memo["end_of_body"] = PageCounter(view.document, view).run()
    return view.memo["end_of_body"]


def page_count(docx) -> int:
    """Pages of the whole document."""
    return PageCounter(docx).run().page


def block_height(docx, paragraphs, width: int) -> int:
    """Height of a run of paragraphs (the 版记) laid one under another."""
    counter = PageCounter(docx)
    return sum(counter.paragraph_height(p, width) for p in paragraphs)
