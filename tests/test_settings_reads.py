"""Outside pipeline/config/, the configuration is read through its declarations only.

A module that reads the merged settings mapping itself (``settings.get(...)``,
``settings[...]``, ``config.settings``) restates defaults config/declared.py already holds, and
can ask for a key no file may write. This test fails naming the file and line of every such
read; ``config.value(...)``, ``config.section(...)`` and ``config.items(...)`` are the way.
The Word document's own settings part (python-docx's ``document.settings``) is another thing
and is not counted.
"""

from __future__ import annotations

import ast
from pathlib import Path

PIPELINE = Path(__file__).resolve().parent.parent / "pipeline"
OWN = PIPELINE / "config"  # where the mapping is private: read, checked, merged
WORD_SETTINGS = "document"  # python-docx: Document.settings, the settings part of a .docx


def _settings_name(node: ast.AST) -> bool:
    """A name for the settings mapping: ``settings``, ``rule_settings`` …, or ``x.settings``."""
    if isinstance(node, ast.Name):
        return node.id.endswith("settings")
    return isinstance(node, ast.Attribute) and node.attr.endswith("settings")


def _word_settings(node: ast.Attribute) -> bool:
    base = node.value
    return (isinstance(base, ast.Name) and base.id == WORD_SETTINGS) or (isinstance(base, ast.Attribute) and base.attr == WORD_SETTINGS)


def direct_reads(source: str) -> list[tuple[int, str]]:
    """(line, what) of every direct read of the settings mapping in ``source``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in ("settings", "_settings") and not _word_settings(node):
            found.append((node.lineno, f".{node.attr}"))
        elif isinstance(node, ast.Attribute) and node.attr == "get" and _settings_name(node.value):
            found.append((node.lineno, ".get(…)"))
        elif isinstance(node, ast.Subscript) and _settings_name(node.value):
            found.append((node.lineno, "[…]"))
    return sorted(set(found))


def test_no_module_outside_config_reads_the_settings_mapping():
    reads = [f"{path.relative_to(PIPELINE.parent)}:{line}: {what}"
             for path in sorted(PIPELINE.rglob("*.py")) if OWN not in path.parents
             for line, what in direct_reads(path.read_text(encoding="utf-8"))]
    assert reads == [], "read these through config.value / section / items:\n" + "\n".join(reads)


def test_each_kind_of_direct_read_is_found_at_its_line():
    source = "\n".join([
        "percent = config.settings.get('numbers')",
        "order = settings['sections']",
        "sentence = rule_settings.get(name)",
        "places = config.value('numbers.percent_places')",
        "odd = document.settings.odd_and_even_pages_header_footer",
        "lang = view.document.settings.element",
    ])
    assert direct_reads(source) == [(1, ".get(…)"), (1, ".settings"), (2, "[…]"), (3, ".get(…)")]
