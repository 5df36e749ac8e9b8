"""The nearest valid name to a misspelt one (“是否为……？”): one rule for every message."""

from __future__ import annotations

import difflib

CUTOFF = 0.5  # how alike a name must be (difflib's ratio) to be offered


def nearest(word: str, candidates) -> str | None:
    """The valid name closest to a misspelt one, if any is close."""
    found = difflib.get_close_matches(str(word), [str(c) for c in candidates], n=1, cutoff=CUTOFF)
    return found[0] if found else None


def suggestion(word: str, candidates) -> str:
    """“，是否为“…”？” naming the nearest valid name, or nothing when none is close."""
    near = nearest(word, candidates)
    return f"，是否为“{near}”？" if near else ""
