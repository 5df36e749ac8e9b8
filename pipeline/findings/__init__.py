"""Rule checks that write the 存在问题 entries. Every module here registers its checks."""

import importlib
import pkgutil

from .base import RULES, Evidence, Finding, order_findings, rule
from ..load.inputs import RuleContext

for _module in pkgutil.iter_modules(__path__):
    if _module.name != "base":
        importlib.import_module(f"{__name__}.{_module.name}")

__all__ = ["RULES", "Evidence", "Finding", "RuleContext", "order_findings", "rule"]
