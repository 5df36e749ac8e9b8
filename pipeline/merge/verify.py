"""Checking an edited bulletin against the data: every figure and every unit it names.

The figures are derived afresh from the period's inputs. In the text, each paragraph
the data wrote (the ranking, each rule-derived 存在问题 entry, dates and contacts) is
found again in the edited file, and its *facts* — numbers with their decimals and %,
and unit names — are compared in order with those of the fresh build: a percentage
typed wrong, a unit left out, added or moved to another place in a ranking is reported.
In the annex tables every row is found by its unit and every cell compared, the rank
included. Prose a clerk supplied (总体情况, hand-written entries) is not checked.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher

from ..compose import AnnexTable
from ..core.registry import Registry, UnknownUnit
from .baseline import read_baseline
from .blocks import Placed, body_paragraphs, body_tables, header_rows, parse_cell_key, unit_column
from .match import align

NUMBER = r"\d+(?:\.\d+)?(?:\s*%)?"


@dataclass(frozen=True)
class Disagreement:
    place: str
    message: str

    def __str__(self) -> str:
        return f"{self.place}：{self.message}"


def _plain(text: str) -> str:
    """Width-folded (４６．６７％ → 46.67%), so that how a figure was typed does not count."""
    return unicodedata.normalize("NFKC", text)


def fact_pattern(registry: Registry) -> re.Pattern:
    """Unit names (any spelling the registry knows, longest first) or numbers."""
    names = sorted({_plain(n) for u in registry for n in (u.full_name, u.short_name, *u.aliases)}, key=len, reverse=True)
    return re.compile("|".join([*(re.escape(n) for n in names), NUMBER]))


def facts(text: str, pattern: re.Pattern) -> list[str]:
    return [re.sub(r"\s+", "", fact) for fact in pattern.findall(_plain(text))]


def _snippet(text: str) -> str:
    return text[:18] + ("…" if len(text) > 18 else "")


def _joined(items: list[str]) -> str:
    return "、".join(items)


def compare_facts(expected: list[str], found: list[str]) -> list[str]:
    """What differs between two fact sequences, in words; a fact in the wrong place is named as such."""
    ops = [op for op in SequenceMatcher(None, expected, found, autojunk=False).get_opcodes() if op[0] != "equal"]
    moved = set()
    messages = []
    for a in (op for op in ops if op[0] == "delete"):
        for b in (op for op in ops if op[0] == "insert" and op not in moved):
            if expected[a[1]:a[2]] == found[b[3]:b[4]]:
                moved |= {a, b}
                i1, i2, j1, j2 = min(a[1], b[1]), max(a[2], b[2]), min(a[3], b[3]), max(a[4], b[4])
                messages.append(f"“{_joined(expected[a[1]:a[2]])}”的位置与数据不符：文中顺序为“{_joined(found[j1:j2])}”，"
                                f"按数据应为“{_joined(expected[i1:i2])}”")
                break
    for tag, i1, i2, j1, j2 in (op for op in ops if op not in moved):
        if tag == "replace":
            messages.append(f"文中为“{_joined(found[j1:j2])}”，按数据应为“{_joined(expected[i1:i2])}”")
        elif tag == "delete":
            messages.append(f"缺少“{_joined(expected[i1:i2])}”")
        else:
            messages.append(f"多出“{_joined(found[j1:j2])}”（按数据不应出现于此）")
    return messages


def check_text(edited_docx, fresh: list[Placed], pattern: re.Pattern, not_found: list[str]) -> list[Disagreement]:
    """Each data-written paragraph of the fresh build against its counterpart in the edited file.

    A paragraph the file was built with but no longer has (an entry the leadership struck
    out) is not a disagreement: its first words are added to ``not_found``. A paragraph
    the data now calls for that the file was never built with (a new 存在问题 entry) is.
    """
    fresh_paras = [p.block for p in fresh if parse_cell_key(p.block.key) is None]
    paragraphs = body_paragraphs(edited_docx)
    texts = [p.text for p in paragraphs]
    # the clerk's file carries what it was built from: closer to its text than the fresh build
    base = read_baseline(edited_docx)
    base_paras = [b for b in base.blocks if parse_cell_key(b.key) is None] if base else fresh_paras
    where = {base_paras[i].key: j for i, j in align([b.text for b in base_paras], texts).items()}
    built_with = {b.key for b in base_paras}
    result, last = [], -1
    for block in fresh_paras:
        if block.key in where:
            last = where[block.key]
        if not block.checked:
            continue
        if block.key not in where and block.key in built_with:
            not_found.append(_snippet(block.text))
            continue
        if block.key not in where:
            place = f"正文第{last + 1}段之后" if last >= 0 else "正文开头"
            result.append(Disagreement(place, f"缺少按数据应有的一段：“{_snippet(block.text)}”"))
            continue
        index = where[block.key]
        place = f"正文第{index + 1}段“{_snippet(texts[index])}”"
        for message in compare_facts(facts(block.text, pattern), facts(texts[index], pattern)):
            result.append(Disagreement(place, message))
    return result


def check_table(number: int, table, annex: AnnexTable, registry: Registry) -> list[Disagreement]:
    """One annex table of the edited file against the fresh one, row by unit, cell by cell."""
    result = []
    rows = [[cell.text.replace("\n", "").strip() for cell in row.cells] for row in table.rows]  # a header broken on purpose reads whole
    rows = rows[max(header_rows(table._tbl) - 1, 0):]  # the titles' row: a group row above them is wording
    if not rows:
        return [Disagreement(f"附件{number}", "表格为空")]
    for col, (found, expected) in enumerate(zip(rows[0], annex.header)):
        if found != expected:
            result.append(Disagreement(f"附件{number}表头第{col + 1}列", f"文中为“{found}”，应为“{expected}”"))
    unit_col = unit_column(annex, registry)
    if unit_col is None:
        return result
    expected_rows = {row[unit_col]: row for row in annex.rows}
    seen = set()
    for r, row in enumerate(rows[1:], start=2):
        if unit_col >= len(row):
            continue
        try:
            unit = registry.resolve(row[unit_col]).short_name
        except UnknownUnit as error:
            result.append(Disagreement(f"附件{number}第{r}行", str(error)))
            continue
        place = f"附件{number}第{r}行（{unit}）"
        if unit not in expected_rows:
            result.append(Disagreement(place, "按数据该单位不在此表中"))
            continue
        seen.add(unit)
        expected = expected_rows[unit]
        for col, (found, wanted) in enumerate(zip(row, expected)):
            if found != wanted:
                result.append(Disagreement(f"{place}“{annex.header[col]}”", f"文中为“{found}”，按数据应为“{wanted}”"))
    for unit in expected_rows:
        if unit not in seen:
            result.append(Disagreement(f"附件{number}", f"缺少“{unit}”一行"))
    return result


def verify_document(
    edited_docx, annexes: list[AnnexTable], fresh: list[Placed], registry: Registry, not_found: list[str] | None = None
) -> list[Disagreement]:
    """Every disagreement between the edited file and the data, text first, then the annexes."""
    result = check_text(edited_docx, fresh, fact_pattern(registry), [] if not_found is None else not_found)
    tables = body_tables(edited_docx)
    for position, annex in enumerate(a for a in annexes if a.is_table):  # a list annex has no table
        if position >= len(tables):
            result.append(Disagreement(f"附件{annex.number}", "文中找不到该附件表格"))
            continue
        result += check_table(annex.number, tables[position], annex, registry)
    return result
