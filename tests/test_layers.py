"""The program's folders are its stages, in the order data flows: no module imports a later stage.

Each folder of ``pipeline`` is one stage; a module may import modules of its own stage or of
earlier ones. An import running back up the flow (``load`` importing ``derive``), a circle of
imports inside a stage, or a module outside every stage fails here, naming the module and the
import. Imports inside functions count as much as those at the top.
"""

from __future__ import annotations

import ast
from pathlib import Path

PIPELINE = Path(__file__).resolve().parent.parent / "pipeline"

# The stages in the order data flows: exactly the folders of pipeline/ (docs/architecture.md).
STAGES = ["core", "language", "config", "word", "standard", "load", "derive", "figures", "findings",
          "compose", "render", "check", "merge", "write", "run", "cli"]
ENTRY_POINTS = {"__init__.py", "__main__.py"}  # pipeline/ itself: the package and ``python -m pipeline``


def module_of(path: Path) -> tuple[str, ...]:
    """``pipeline/load/records.py`` → ("load", "records"); a package's ``__init__`` is the package."""
    parts = path.relative_to(PIPELINE).with_suffix("").parts
    return parts[:-1] if parts[-1] == "__init__" else parts


def imported(path: Path) -> list[tuple[int, tuple[str, ...]]]:
    """(line, module inside pipeline) of every import of ``pipeline`` in ``path``, at any depth."""
    package = path.relative_to(PIPELINE).parts[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[: len(package) - node.level + 1]
            target = base + tuple(node.module.split(".")) if node.module else base
            for alias in node.names:  # ``from . import ooxml``: the module itself when there is one
                found.append((node.lineno, _module(target + (alias.name,)) or target))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("pipeline."):
            found.append((node.lineno, tuple(node.module.split(".")[1:])))
    return found


def _module(parts: tuple[str, ...]) -> tuple[str, ...] | None:
    folder = PIPELINE.joinpath(*parts)
    return parts if folder.with_suffix(".py").exists() or (folder / "__init__.py").exists() else None


def modules() -> list[Path]:
    return sorted(p for p in PIPELINE.rglob("*.py") if p.relative_to(PIPELINE).parts[0] not in ENTRY_POINTS)


def test_the_stages_are_the_folders():
    folders = sorted(p.name for p in PIPELINE.iterdir() if p.is_dir() and p.name != "__pycache__")
    assert folders == sorted(STAGES)
    loose = sorted(p.name for p in PIPELINE.glob("*.py"))
    assert loose == sorted(ENTRY_POINTS), "every module belongs to a stage's folder"


def test_no_import_runs_back_up_the_flow():
    backwards = []
    for path in modules():
        own = STAGES.index(module_of(path)[0])
        for line, target in imported(path):
            if target and STAGES.index(target[0]) > own:
                backwards.append(f"{path.relative_to(PIPELINE.parent)}:{line} imports pipeline.{'.'.join(target)}")
    assert backwards == []


def test_no_circle_of_imports():
    graph = {module_of(p): {t for _, t in imported(p) if t and t != module_of(p)} for p in modules()}
    circles = [circle for module in sorted(graph) if (circle := _circle_from(module, graph))]
    assert circles == []


def _circle_from(start: tuple, graph: dict) -> str | None:
    """A path of imports leading from ``start`` back to it, written out, if there is one."""
    seen, stack = set(), [(start, (start,))]
    while stack:
        module, path = stack.pop()
        for target in sorted(graph.get(module, ())):
            if target == start:
                return " → ".join(".".join(m) for m in path + (start,))
            if target not in seen and target[0] == start[0]:
                seen.add(target)
                stack.append((target, path + (target,)))
    return None
