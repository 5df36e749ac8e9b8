"""Time `bulletin build` against a Python that only imports pandas and docxtpl.

Run on demand (``make bench``); prints the medians and their ratio. The floor is what any
pandas + docxtpl program pays before doing anything; the build should cost no more than
1.5 × that floor.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_seconds(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def interleaved_medians(first: list[str], second: list[str], runs: int) -> tuple[float, float]:
    """Median seconds of each command, run in turn so that a change in machine load hits both."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        times[0].append(run_seconds(first))
        times[1].append(run_seconds(second))
    return statistics.median(times[0]), statistics.median(times[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--period", default="2024Q1")
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    bin_dir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory() as out:
        build = [str(bin_dir / "bulletin"), "build", "--period", args.period, "--outputs", out]
        floor = [sys.executable, "-c", "import pandas, docxtpl"]
        subprocess.run(build, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)  # warm the file cache
        floor_s, build_s = interleaved_medians(floor, build, args.runs)
    print(f"import pandas, docxtpl       median of {args.runs}: {floor_s * 1000:7.0f} ms")
    print(f"bulletin build --period {args.period}  median of {args.runs}: {build_s * 1000:7.0f} ms")
    print(f"ratio build / floor: {build_s / floor_s:.2f} (target ≤ 1.50)")


if __name__ == "__main__":
    main()
