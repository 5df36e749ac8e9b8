"""A read-only view of a .docx for the format rules: the effective font, size, indent and
spacing of each paragraph and run as Word resolves them (direct formatting → character
style → paragraph style and its bases → document defaults), and where each thing is."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from docx.oxml.ns import qn as _qualified

from ..word.package_parts import derived_once
from .measures import SIZE_3, font_family

HEADING_PATTERNS = (  # 结构层次序数: level → how its number looks
    (1, re.compile(r"^[一二三四五六七八九十]+、")),
    (2, re.compile(r"^（[一二三四五六七八九十]+）")),
    (3, re.compile(r"^\d+[.．]")),
    (4, re.compile(r"^（\d+）")),
)
NOT_BODY_STYLES = {"公文标题", "发文机关标志", "附件标签", "附件标题", "附件说明", "附件说明单件", "附件说明续行", "发文机关署名",
                   "成文日期", "版记", "印发机关和日期", "主送机关", "表格文字", "表格表头", "表注",
                   "发文字号", "发文字号和签发人", "附件名单"}


class _ClarkNames(dict):
    """"w:pPr" → its Clark name, worked out the first time it is asked for."""

    def __missing__(self, name: str) -> str:
        self[name] = _qualified(name)
        return self[name]


qn = _ClarkNames().__getitem__  # looked up millions of times on a long document: a lookup in C


@dataclass(eq=False)
class Para:
    """A top-level paragraph with its 1-based number in the document."""

    number: int
    paragraph: object  # docx.text.paragraph.Paragraph
    style: str  # the paragraph style's name

    @cached_property
    def text(self) -> str:
        return self.paragraph.text

    @property
    def place(self) -> str:
        words = self.text.strip()
        return f"第{self.number}段“{words[:14]}{'…' if len(words) > 14 else ''}”"

    @property
    def ppr(self):
        return self.paragraph._p.find(qn("w:pPr"))


class StyleSheet:
    """A styles part as the rules read it: each style by id, the document defaults, and each style
    chain's properties, found once. Kept with a styles part a template shares with its documents,
    which never changes (word/package_parts.py); made anew for any other."""

    def __init__(self, styles):
        self.styles = {s.get(qn("w:styleId")): s for s in styles.findall(qn("w:style"))}
        defaults = styles.find(qn("w:docDefaults"))
        self.default_rpr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr")) if defaults is not None else None
        self.default_ppr = defaults.find(qn("w:pPrDefault") + "/" + qn("w:pPr")) if defaults is not None else None
        self.chains: dict = {}  # (style id, w:pPr or w:rPr) → that part of the style chain, found once


def style_sheet(document) -> StyleSheet:
    """The :class:`StyleSheet` of ``document``'s styles part (python-docx's default styles where a
    file has none), made once for a shared part."""
    return derived_once(document.part._styles_part, "style sheet", lambda part: StyleSheet(part.element))


class DocView:
    """The document as the rules read it."""

    def __init__(self, document):
        self.document = document
        sheet = style_sheet(document)
        self._styles, self._default_rpr, self._default_ppr = sheet.styles, sheet.default_rpr, sheet.default_ppr
        self._chains = sheet.chains
        self._paragraph_chains: dict = {}  # w:p element → its pPr chain
        self._run_chains: dict = {}  # (w:r, w:p) elements → the run's rPr chain
        self._style_ids: dict = {}  # w:p element → its paragraph style id
        self._text_runs: dict = {}  # w:p element → its runs with visible text
        self._values: dict = {}  # (element(s), tag, attribute) → an effective property, resolved once
        self._children: dict = {}  # w:pPr or w:rPr element → {child tag: first such child}
        self.memo: dict = {}  # what a rule or the page layout computed once over the whole document

    @cached_property
    def paragraphs(self) -> list[Para]:
        return [Para(i, p, self._style_name(p._p)) for i, p in enumerate(self.document.paragraphs, start=1)]

    def _style_name(self, p_element) -> str:
        style = self._styles.get(self._paragraph_style_id(p_element))
        name = style.find(qn("w:name")) if style is not None else None
        return name.get(qn("w:val")) if name is not None else ""

    @cached_property
    def _default_paragraph_style(self) -> str | None:
        for style_id, style in self._styles.items():
            if style.get(qn("w:type")) == "paragraph" and style.get(qn("w:default")) in ("1", "true"):
                return style_id
        return None

    def style_id(self, name: str) -> str | None:
        """The id of the style named ``name`` (its w:name), or None."""
        for style_id, style in self._styles.items():
            found = style.find(qn("w:name"))
            if found is not None and found.get(qn("w:val")) == name:
                return style_id
        return None

    def style_names(self, name: str) -> list[str]:
        """The style named ``name`` and the styles it is based on, by name (lower case)."""
        names = []
        for style in self._style_chain(self.style_id(name)):
            found = style.find(qn("w:name"))
            names.append(found.get(qn("w:val")).lower() if found is not None else "")
        return names

    def style_value(self, name: str, props: str, tag: str, attr: str):
        """A property of the style named ``name`` as Word resolves it (``props``: w:rPr or w:pPr)."""
        chain = [s.find(qn(props)) for s in self._style_chain(self.style_id(name))]
        chain.append(self._default_rpr if props == "w:rPr" else self._default_ppr)
        return self._first([e for e in chain if e is not None], tag, attr)

    @property
    def custom_styles(self) -> list[tuple[str, object]]:
        """(name, element) of every style the document defines itself (w:customStyle)."""
        result = []
        for style in self._styles.values():
            name = style.find(qn("w:name"))
            if style.get(qn("w:customStyle")) in ("1", "true", "on") and name is not None:
                result.append((name.get(qn("w:val")), style))
        return result

    def styled(self, *names: str) -> list[Para]:
        return [p for p in self.paragraphs if p.style in names]

    # --- style chains -------------------------------------------------------------------
    def _style_chain(self, style_id: str | None):
        seen = set()
        while style_id and style_id in self._styles and style_id not in seen:
            seen.add(style_id)
            style = self._styles[style_id]
            yield style
            based = style.find(qn("w:basedOn"))
            style_id = based.get(qn("w:val")) if based is not None else None

    def _paragraph_style_id(self, p_element) -> str | None:
        """The paragraph's style id (found once per paragraph)."""
        if p_element not in self._style_ids:
            self._style_ids[p_element] = self._own_style_id(p_element)
        return self._style_ids[p_element]

    def _own_style_id(self, p_element) -> str | None:
        ppr = p_element.find(qn("w:pPr"))
        pstyle = ppr.find(qn("w:pStyle")) if ppr is not None else None
        if pstyle is not None:
            return pstyle.get(qn("w:val"))
        return self._default_paragraph_style

    def _style_props(self, style_id: str | None, props: str) -> list:
        """The ``props`` elements (w:pPr or w:rPr) of a style and its bases, looked up once per style."""
        key = (style_id, props)
        if key not in self._chains:
            self._chains[key] = [e for e in (s.find(qn(props)) for s in self._style_chain(style_id)) if e is not None]
        return self._chains[key]

    def ppr_chain(self, p_element) -> list:
        """pPr elements in the order Word consults them (found once per paragraph: the view reads
        a document nobody changes while it is read)."""
        if p_element not in self._paragraph_chains:
            self._paragraph_chains[p_element] = self._ppr_chain(p_element)
        return self._paragraph_chains[p_element]

    def _ppr_chain(self, p_element) -> list:
        own = p_element.find(qn("w:pPr"))
        chain = [own] if own is not None else []
        chain += self._style_props(self._paragraph_style_id(p_element), "w:pPr")
        if self._default_ppr is not None:
            chain.append(self._default_ppr)
        return chain

    def rpr_chain(self, r_element, p_element) -> list:
        """rPr elements in the order Word consults them for a run (found once per run)."""
        key = (r_element, p_element)
        if key not in self._run_chains:
            self._run_chains[key] = self._rpr_chain(r_element, p_element)
        return self._run_chains[key]

    def _rpr_chain(self, r_element, p_element) -> list:
        rpr = r_element.find(qn("w:rPr"))
        chain = [rpr] if rpr is not None else []
        rstyle = rpr.find(qn("w:rStyle")) if rpr is not None else None
        if rstyle is not None:
            chain += self._style_props(rstyle.get(qn("w:val")), "w:rPr")
        chain += self._style_props(self._paragraph_style_id(p_element), "w:rPr")
        if self._default_rpr is not None:
            chain.append(self._default_rpr)
        return chain

    # --- effective run properties ---------------------------------------------------------
    def _child(self, element, tag: str):
        """The first child of ``element`` called ``tag`` (a Clark name): the children of a
        properties element are indexed once, however many paragraphs share its style."""
        children = self._children.get(element)
        if children is None:
            children = self._children[element] = {}
            for child in element:
                children.setdefault(child.tag, child)
        return children.get(tag)

    def _first(self, chain, tag: str, attr: str):
        tag, attr = qn(tag), qn(attr)
        for element in chain:
            found = self._child(element, tag)
            value = found.get(attr) if found is not None else None
            if value is not None:
                return value
        return None

    def _once(self, key: tuple, compute):
        """``compute()`` the first time ``key`` is asked for, the same answer after: the view
        reads a document nobody changes while it is read."""
        if key not in self._values:
            self._values[key] = compute()
        return self._values[key]

    def _run_value(self, r_element, p_element, tag: str, attr: str):
        """A run property as Word resolves it (looked up once per run and property)."""
        return self._once((r_element, p_element, tag, attr),
                          lambda: self._first(self.rpr_chain(r_element, p_element), tag, attr))

    def east_asian_font(self, r_element, p_element) -> str | None:
        """The East Asian face of a run; ``theme`` if a theme font decides it."""
        return self._once((r_element, p_element, "eastAsia"), lambda: self._east_asian_font(r_element, p_element))

    def _east_asian_font(self, r_element, p_element) -> str | None:
        for rpr in self.rpr_chain(r_element, p_element):
            fonts = self._child(rpr, qn("w:rFonts"))
            if fonts is None:
                continue
            if fonts.get(qn("w:eastAsiaTheme")):
                return "theme"
            if fonts.get(qn("w:eastAsia")):
                return fonts.get(qn("w:eastAsia"))
        return None

    def size(self, r_element, p_element) -> float:
        value = self._run_value(r_element, p_element, "w:sz", "w:val")
        return to_int(value) / 2 if value else 10.0

    def spacing(self, r_element, p_element) -> int:
        """Character spacing of a run in twips (negative: 紧缩)."""
        return to_int(self._run_value(r_element, p_element, "w:spacing", "w:val") or 0)

    def bold(self, r_element, p_element) -> bool:
        return self._once((r_element, p_element, "bold"), lambda: self._bold(r_element, p_element))

    def _bold(self, r_element, p_element) -> bool:
        for rpr in self.rpr_chain(r_element, p_element):
            b = self._child(rpr, qn("w:b"))
            if b is not None:
                return b.get(qn("w:val"), "true") not in ("0", "false", "off")
        return False

    def color(self, r_element, p_element) -> str | None:
        return self._run_value(r_element, p_element, "w:color", "w:val")

    def text_runs(self, p_element) -> list:
        """Runs of a paragraph that carry visible text (found once per paragraph; not to be changed)."""
        if p_element not in self._text_runs:
            self._text_runs[p_element] = self._visible_runs(p_element)
        return self._text_runs[p_element]

    def _visible_runs(self, p_element) -> list:
        return [r for r in p_element.iter(qn("w:r")) if "".join(t.text or "" for t in r.iter(qn("w:t"))).strip()]

    def run_text(self, r_element) -> str:
        return "".join(t.text or "" for t in r_element.iter(qn("w:t")))

    # --- effective paragraph properties ---------------------------------------------------
    def ppr_value(self, p_element, tag: str, attr: str):
        """A paragraph property as Word resolves it (looked up once per paragraph and property)."""
        return self._once((p_element, tag, attr), lambda: self._first(self.ppr_chain(p_element), tag, attr))

    def alignment(self, p_element) -> str:
        return self.ppr_value(p_element, "w:jc", "w:val") or "left"

    def indent_chars(self, p_element, kind: str, font_points: float = SIZE_3) -> float:
        """An indent in characters (``kind``: left/start, right/end, firstLine, hanging)."""
        chars, twips = self._once((p_element, "ind", kind), lambda: self._indent(p_element, kind))
        if chars is not None:
            return to_int(chars) / 100
        if twips is not None:
            return to_int(twips) / (font_points * 20)
        return 0.0

    def _indent(self, p_element, kind: str) -> tuple:
        """(w:…Chars, w:… in twips) of the nearest w:ind that sets the indent ``kind``."""
        aliases = {"left": ("left", "start"), "right": ("right", "end")}.get(kind, (kind,))
        for ppr in self.ppr_chain(p_element):
            ind = self._child(ppr, qn("w:ind"))
            if ind is None:
                continue
            for name in aliases:
                chars = ind.get(qn(f"w:{name}Chars"))
                if chars is not None:
                    return chars, None
                twips = ind.get(qn(f"w:{name}"))
                if twips is not None:
                    return None, twips
        return None, None

    def first_line_chars(self, p_element, font_points: float = SIZE_3) -> float:
        """Signed first-line indent in characters: negative for a hanging indent."""
        hanging = self.indent_chars(p_element, "hanging", font_points)
        return -hanging if hanging else self.indent_chars(p_element, "firstLine", font_points)

    def flag(self, p_element, tag: str, default: bool = False) -> bool:
        """An on/off paragraph property: the nearest element decides (present without w:val means
        on); ``default`` where none sets it (True for w:snapToGrid)."""
        return self._once((p_element, "flag", tag, default), lambda: self._flag(p_element, tag, default))

    def _flag(self, p_element, tag: str, default: bool) -> bool:
        for ppr in self.ppr_chain(p_element):
            found = self._child(ppr, qn(tag))
            if found is not None:
                return found.get(qn("w:val"), "true") not in ("0", "false", "off")
        return default

    def named_styles(self, *names: str) -> list[tuple[str, object]]:
        """(name, element) of the styles with these names."""
        return [(name, self._styles[self.style_id(name)]) for name in names if self.style_id(name)]

    def sections_of_body(self) -> list[tuple[object, list]]:
        """(sectPr, body elements) for each section in order (found once per view)."""
        if "sections" not in self.memo:
            self.memo["sections"] = self._sections_of_body()
        return self.memo["sections"]

    def _sections_of_body(self) -> list[tuple[object, list]]:
        result, current = [], []
        for element in self.document.element.body:
            if element.tag == qn("w:sectPr"):
                result.append((element, current))
                current = []
                continue
            current.append(element)
            sect = grandchild(element, "w:pPr", "w:sectPr") if element.tag == qn("w:p") else None
            if sect is not None:
                result.append((sect, current))
                current = []
        return result


def first_child(element, tag: str):
    """The first child of ``element`` called ``tag`` (a prefixed name), reading its children only
    up to it: lxml's find counts every child first, every row of a table of thousands."""
    tag = qn(tag)
    for child in element:
        if child.tag == tag:
            return child
    return None


def grandchild(element, child: str, tag: str):
    """The first ``tag`` in the first ``child`` of ``element`` (prefixed names): where the path
    ``child/tag`` would read every child of ``element``."""
    found = first_child(element, child)
    return first_child(found, tag) if found is not None else None


def to_int(value) -> int:
    """An integer attribute as Word or another program wrote it (``240``, ``240.0``, or a negative
    number written unsigned, as LibreOffice writes ``charSpace``); 0 if unreadable."""
    try:
        number = int(float(value))
    except (TypeError, ValueError):
        return 0
    return number - 2**32 if 2**31 <= number < 2**32 else number


def is_family(name: str | None, canonical: str) -> bool:
    """Whether a font name is ``canonical`` or one of its aliases (仿宋 for 仿宋_GB2312)."""
    return font_family(name) == canonical


def heading_level(text: str) -> int:
    """1–4 for a paragraph that opens with a 结构层次序数 (一、（一）1.（1）), else 0."""
    for level, pattern in HEADING_PATTERNS:
        if pattern.match(text.strip()):
            return level
    return 0
