"""Format checker: does a .docx follow GB/T 9704-2012 《党政机关公文格式》?

Every module of this package registers its rules with ``@format_rule``; importing the
package loads them all, so a new family of rules is a new module here."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from ..word.opener import open_word_file
from .base import RULES, Finding, FormatRule, format_rule
from .model import DocView

for _module in pkgutil.iter_modules(__path__):
    if _module.name not in ("base", "model"):
        importlib.import_module(f"{__name__}.{_module.name}")


def check_document(document) -> list[Finding]:
    """Every departure of a python-docx ``Document`` from the standard, rule by rule."""
    view = DocView(document)
    return [Finding(rule, place, detail) for rule in RULES.values() for place, detail in rule.check(view)]


def check_file(path: Path) -> list[Finding]:
    """Every departure of the .docx at ``path``; WordFileError if it is no Word file."""
    return check_document(open_word_file(path))


__all__ = ["RULES", "Finding", "FormatRule", "format_rule", "check_document", "check_file"]
