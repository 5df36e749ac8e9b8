"""The configuration language of ``kind.yaml`` and ``bulletin.yaml``: declared, checked, published.

declared.py declares every key once (type, default, meaning); check.py checks a file
against the declarations at its lines; published.py makes the JSON Schema and the
reference page docs/configuration.md from the same declarations.
"""

from .check import check_file, suggestion
from .declared import RULE_PARAMS, SETTINGS, rule_defaults
from .types import NO_DEFAULT

__all__ = ["NO_DEFAULT", "RULE_PARAMS", "SETTINGS", "check_file", "suggestion", "rule_defaults"]
