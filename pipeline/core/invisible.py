"""Characters no one sees (zero-width spaces pasted in with a name), written out wherever a message shows text."""

from __future__ import annotations

import unicodedata

# Characters that show as nothing (or as a space) and that name_key keeps; named where clerks meet them.
INVISIBLE_NAMES = {"\u200b": "零宽空格", "\u200c": "零宽不连字", "\u200d": "零宽连字", "\ufeff": "零宽不换行空格",
                   "\u2060": "词连接符", "\u00ad": "软连字符", "\u202e": "从右至左覆盖", "\u200e": "从左至右标记",
                   "\u200f": "从右至左标记"}


def is_invisible(ch: str) -> bool:
    """A format or control character, or one no font draws (unassigned, private use)."""
    return unicodedata.category(ch) in ("Cf", "Cc", "Co", "Cn") and ch not in "\t\n\r"


def show_invisible(text: str) -> str:
    """``text`` with each invisible character written out: 环保局⟦U+200B 零宽空格⟧."""
    return "".join(
        f"⟦U+{ord(ch):04X} {INVISIBLE_NAMES.get(ch) or unicodedata.name(ch, '不可见字符')}⟧" if is_invisible(ch) else ch
        for ch in text
    )
