"""What a rebuild changed: the change list (变更清单) written beside the bulletin.

The previous build's blocks travel inside the file it wrote (edited or not), so a rebuild
compares them with the new build's: sentence by sentence in the text, cell by cell (figure
by figure) in the annex tables, each with its place in words (“一、考核排名情况”第1段第2句,
附件1“住建局”行“百分制得分”列) and the old and new text. For a clerk-edited file each row
also says what the merge did with the change.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from .baseline import Block
from .blocks import parse_cell_key
from .match import changed_span
from .merge import short as _short

HEADER = ("位置", "变化", "原文", "新文", "改动之处", "修改稿中")
SENTENCE = re.compile(r"[^。；！？]*[。；！？]?")

PLACES = {
    "office": "发文机关标志", "title": "标题", "subtitle": "标题（周期）", "recipients": "主送机关",
    "opening": "开头", "closing": "结尾（整改要求和联系方式）", "date": "成文日期", "copy_to": "抄送",
    "imprint": "印发机关和印发日期",
}
OUTCOMES = {
    "data": "已按新数据更新", "merged": "与修改稿的改动合并", "conflict": "冲突：保留修改稿文字，新数据见批注",
    "reinstated": "修改稿已删除，因数据变化重新加入", "added": "已加入", "removed": "已删除",
    "kept": "修改稿改过，保留并加批注",
}


@dataclass(frozen=True)
class Change:
    """One sentence or cell whose text differs between two builds."""

    place: str
    kind: str  # 修改 / 新增 / 删除
    old: str
    new: str
    outcome: str = ""

    @property
    def span(self) -> str:
        """The words that changed, old → new (a figure, a name)."""
        if not (self.old and self.new):
            return ""
        old, new = changed_span(self.old, self.new, context=0)
        return f"{old} → {new}"

    def __str__(self) -> str:
        what = f"“{_short(self.old, 60)}” → “{_short(self.new, 60)}”" if self.old and self.new else f"“{_short(self.old or self.new, 60)}”"
        return f"{self.place}（{self.kind}）：{what}" + (f"（{self.outcome}）" if self.outcome else "")


class _Places:
    """Names in words for block keys, from the headings and table headers of either build."""

    def __init__(self, blocks: list[Block]):
        self.text = {b.key: b.text for b in blocks}

    def heading(self, key: str) -> str:
        """A 存在问题 entry named by its heading, the first sentence of its paragraph (without its number)."""
        first = next(iter(sentences(self.text.get(key, ""))), key)
        return re.sub(r"^(（[一二三四五六七八九十]+）|\d+[．.、])", "", first).rstrip("。")

    def __call__(self, key: str) -> str:
        cell = parse_cell_key(key)
        if cell is not None:
            annex, row, col = cell
            header = self.text.get(f"annex{annex}|header|{col}", f"第{col + 1}")
            return f"附件{annex}表头第{col + 1}列" if row == "header" else f"附件{annex}“{row.lstrip('#')}”行“{header}”列"
        base = key.split("#")[0]
        if base in PLACES:
            return PLACES[base]
        section = re.match(r"section(\d+)\.(heading|para(\d+))$", base)
        if section:
            heading = self.text.get(f"section{section[1]}.heading", f"第{section[1]}部分")
            return f"“{heading}”标题" if section[2] == "heading" else f"“{heading}”第{section[3]}段"
        if base.startswith("problem:"):
            return f"存在问题（{self.heading(key)}）"
        for prefix, name in (("signature", "署名第"), ("fixed:", "固定文字")):
            if base.startswith(prefix):
                rest = base[len(prefix):]
                return f"{name}{rest}行" if prefix == "signature" else f"{name}“{rest}”"
        annex = re.match(r"annex(\d+)\.(listed|label|title)$", base)
        if annex:
            return f"附件{annex[1]}" + {"listed": "（附件说明）", "label": "标签", "title": "标题"}[annex[2]]
        return key


def sentences(text: str) -> list[str]:
    return [s for s in SENTENCE.findall(text) if s]


def _paragraph_changes(place: str, old: str, new: str) -> list[Change]:
    """A changed paragraph sentence by sentence; one sentence alone keeps the paragraph's place."""
    a, b = sentences(old), sentences(new)
    result = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        pairs = max(i2 - i1, j2 - j1)
        for k in range(pairs):
            before = a[i1 + k] if i1 + k < i2 else ""
            after = b[j1 + k] if j1 + k < j2 else ""
            where = f"{place}第{(j1 + k if after else i1 + k) + 1}句" if len(a) > 1 or len(b) > 1 else place
            result.append(Change(where, "修改" if before and after else ("新增" if after else "删除"), before, after))
    return result


def changes_between(previous: list[Block], current: list[Block], events=()) -> list[Change]:
    """Every sentence and cell that differs, in the new build's order, then what the new build no longer has."""
    place = _Places(previous + current)
    outcome = {e.key: OUTCOMES.get(e.kind, "") for e in events}
    before = {b.key: b.text for b in previous}
    now = {b.key for b in current}
    result = []
    for block in current:
        old = before.get(block.key)
        if old == block.text:
            continue
        if old is None:
            found = [Change(place(block.key), "新增", "", block.text)]
        elif parse_cell_key(block.key) is not None:
            found = [Change(place(block.key), "修改", old, block.text)]
        else:
            found = _paragraph_changes(place(block.key), old, block.text)
        result += [Change(c.place, c.kind, c.old, c.new, outcome.get(block.key, "")) for c in found]
    for block in previous:
        if block.key not in now:
            result.append(Change(place(block.key), "删除", block.text, "", outcome.get(block.key, "")))
    return result


def changes_csv(changes: list[Change]) -> bytes:
    """The change list as a CSV, UTF-8 with BOM so that Excel on Windows reads it."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for change in changes:
        writer.writerow((change.place, change.kind, change.old, change.new, change.span, change.outcome))
    return ("\ufeff" + out.getvalue()).encode("utf-8")
