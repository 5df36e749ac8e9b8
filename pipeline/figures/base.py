"""What a figure derivation is, the table of known ones, and running those a kind declares."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..core.errors import Problem
from ..core.extension import Extensions
from ..load.inputs import RuleContext


@dataclass(frozen=True)
class FigureDef:
    name: str
    function: Callable[[RuleContext, dict], object]
    datasets: tuple[str, ...]  # parameters naming the input tables it reads


FIGURES = Extensions("计算方法")


def figure(name: str, datasets: tuple[str, ...] | list[str] = ("dataset",)):
    """Register a derivation under ``name``; ``datasets`` are its parameters that name input tables."""

    def register(function):
        FIGURES.register(name, FigureDef(name, function, tuple(datasets)), function.__module__)
        return function

    return register


def check_figures(declared: dict, datasets: dict, source: str) -> list[Problem]:
    """Configuration problems: unknown derivations, input tables not configured."""
    problems = []
    for name, spec in (declared or {}).items():
        if "derive" not in (spec or {}):
            continue  # a declared query: checked by validate.py
        derive = (spec or {}).get("derive")
        if derive not in FIGURES:
            problems.append(Problem(source, f"figures.{name}：未知的计算方法“{derive}”（可用：{'、'.join(sorted(FIGURES))}）"))
            continue
        for param in FIGURES[derive].datasets:
            table = spec.get(param)
            if table not in datasets:
                problems.append(Problem(source, f"figures.{name}：需要数据表“{table}”，请在 bulletin.yaml 的 files 中配置"))
    return problems


def derive_figures(declared: dict, ctx: RuleContext) -> dict[str, object]:
    """Every figure computed in Python (``derive:``), by name, from the checked inputs."""
    return {name: FIGURES[spec["derive"]].function(ctx, spec) for name, spec in (declared or {}).items() if "derive" in spec}
