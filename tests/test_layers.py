"""The program's folders read in the order data flows: no module imports a later stage.

Each module of ``pipeline`` belongs to one stage; it may import modules of its own stage or
of earlier ones. An import running back up the flow (``load`` importing ``derive``) or a
cycle between two stages fails here, naming the module and the import.
"""

from __future__ import annotations

import ast
from pathlib import Path

PIPELINE = Path(__file__).resolve().parent.parent / "pipeline"

# Stages in the order data flows; a module's stage is its folder, else its own name.
STAGES = [
    ("reads", "yamlio", "passwords", "decimals", "encoding", "registry", "errors", "period", "progress", "tools", "text", "dates", "outputs",
     "extension", "formats", "sentence", "statements"),
    ("settings", "document_parts"),
    ("config",),
    ("engine",),
    ("load",),
    ("derive",),
    ("rules",),
    ("figures",),
    ("problems",),
    ("compose", "table_annex", "list_annex", "notices"),
    ("render",),
    ("check", "wordfile"),
    ("merge",),
    ("notice_files", "offices", "build", "reporting", "batch", "changed", "ci", "new_period", "cli", "__main__", "__init__"),
]
STAGE_OF = {name: i for i, names in enumerate(STAGES) for name in names}


def stage(parts: tuple[str, ...]) -> int:
    """The stage of ``pipeline.<parts>``: its top-level folder or module."""
    return STAGE_OF[parts[0]]


def imported(path: Path) -> list[tuple[int, tuple[str, ...]]]:
    """(line, module path inside pipeline) of every relative import in ``path``, at any depth."""
    package = path.relative_to(PIPELINE).parts[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[: len(package) - node.level + 1]
            target = base + tuple((node.module or "").split(".")) if node.module else base
            if not target:  # ``from . import x`` at the top: x is the module
                found += [(node.lineno, (alias.name,)) for alias in node.names]
            else:
                found.append((node.lineno, tuple(p for p in target if p)))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("pipeline."):
            found.append((node.lineno, tuple(node.module.split(".")[1:])))
    return found


def test_every_module_has_a_stage():
    names = {p.relative_to(PIPELINE).parts[0].removesuffix(".py") for p in PIPELINE.rglob("*.py")}
    assert sorted(names - set(STAGE_OF)) == [], "a new top-level module needs its place in STAGES"


def test_no_import_runs_back_up_the_flow():
    backwards = []
    for path in sorted(PIPELINE.rglob("*.py")):
        own = stage(path.relative_to(PIPELINE).with_suffix("").parts)
        for line, target in imported(path):
            if target and stage(target) > own:
                backwards.append(f"{path.relative_to(PIPELINE.parent)}:{line} imports pipeline.{'.'.join(target)}")
    assert backwards == []
