"""Derived figures a kind of bulletin declares under ``figures:`` in ``kind.yaml``.

A figure is a function ``(RuleContext, params) -> object`` registered with
``@figure("name", datasets=[...])``. Its result is available by the declared name to the
sentences of ``text`` sections and to ``table`` annexes. Adding a derivation is adding a
module to this package; which ones a kind uses, on which data, is configuration.
"""

import importlib
import pkgutil

from .base import FIGURES, derive_figures, figure

for _module in pkgutil.iter_modules(__path__):
    if _module.name != "base":
        importlib.import_module(f"{__name__}.{_module.name}")

__all__ = ["FIGURES", "derive_figures", "figure"]
