"""Time `bulletin build` against a Python that only imports pandas and docxtpl.

Run on demand (``make bench``); prints the medians and their ratios. The floor is what any
pandas + docxtpl program pays before doing anything; the build with its 整改通知 should cost
no more than 1.5 × that floor, and the bulletin alone no more than 1.2 ×.

The build runs as ``python -m pipeline`` with this checkout first on the path, so it times the
code beside this file, its modules compiled to bytecode once as an installed product's are. The bulletin alone is the same period built with a copy of the kinds
whose ``kind.yaml`` declares no ``notices:`` (``--templates`` pointing at the copy): the same
inputs, figures and document, without the notices.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# this checkout first on the path; its modules compiled once (the first run writes __pycache__), as an
# installed product's are and as the floor's libraries are: PYTHONDONTWRITEBYTECODE would have every
# run compile the pipeline from source again
ENV = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
       "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}


def run_seconds(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL, env=ENV)
    return time.perf_counter() - start


def interleaved_medians(commands: list[list[str]], runs: int) -> list[float]:
    """Median seconds of each command, run in turn so that a change in machine load hits them all."""
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(runs):
        for spent, command in zip(times, commands):
            spent.append(run_seconds(command))
    return [statistics.median(t) for t in times]


def without_notices(target: Path) -> Path:
    """A copy of the kinds with no ``notices:`` in any kind.yaml."""
    import yaml

    shutil.copytree(ROOT / "templates", target)
    for kind in target.glob("*/kind.yaml"):
        settings = yaml.safe_load(kind.read_text(encoding="utf-8"))
        settings.pop("notices", None)
        kind.write_text(yaml.safe_dump(settings, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--period", default="2024Q1")
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as out, tempfile.TemporaryDirectory() as alone:
        build = [sys.executable, "-m", "pipeline", "build", "--period", args.period, "--outputs", out]
        bulletin = [*build[:-1], alone, "--templates", str(without_notices(Path(alone) / "templates"))]
        floor = [sys.executable, "-c", "import pandas, docxtpl"]
        for command in (build, bulletin):  # warm the file cache; the outputs are there, as on a clerk's machine
            subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL, env=ENV)
        floor_s, build_s, bulletin_s = interleaved_medians([floor, build, bulletin], args.runs)
    print(f"import pandas, docxtpl                       median of {args.runs}: {floor_s * 1000:7.0f} ms")
    print(f"bulletin build --period {args.period} (and notices) median of {args.runs}: {build_s * 1000:7.0f} ms"
          f"   ratio {build_s / floor_s:.2f} (target ≤ 1.50)")
    print(f"bulletin build --period {args.period}, bulletin alone median of {args.runs}: {bulletin_s * 1000:7.0f} ms"
          f"   ratio {bulletin_s / floor_s:.2f} (target ≤ 1.20)")
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")


if __name__ == "__main__":
    main()
