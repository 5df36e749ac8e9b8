"""The render passes (排版步骤), as Sphinx has its transforms: each a small named function over
one :class:`~.context.RenderContext`, registered with its order at the product's one registry of
extension points. The writer runs them from the lowest order up; a name or an order taken twice
is refused, naming both modules. Adding a pass is adding a function in a module the writer loads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..core.extension import DuplicateExtension, Extensions


@dataclass(frozen=True)
class RenderPass:
    name: str  # 中文, as the registry and its refusals show it
    order: int  # lower runs first
    run: Callable  # (RenderContext) -> None


PASSES = Extensions("排版步骤")


def render_pass(name: str, order: int, passes: Extensions = PASSES):
    """Register the decorated function as the pass ``name``, run at ``order``."""

    def register(function):
        taken = next((p for p in passes.values() if p.order == order), None)
        if taken is not None:
            raise DuplicateExtension(f"{passes.kind}“{name}”的次序 {order} 已由“{taken.name}”占用："
                                     f"{passes.modules[taken.name]} 与 {function.__module__}")
        passes.register(name, RenderPass(name, order, function), function.__module__)
        return function

    return register


def in_order(passes: Extensions = PASSES) -> list[RenderPass]:
    """The registered passes, first to last."""
    return sorted(passes.values(), key=lambda each: each.order)


def run_passes(context, passes: Extensions = PASSES) -> None:
    """Every registered pass over ``context``, in order."""
    for each in in_order(passes):
        each.run(context)
