"""Scale benchmark: build the 好差评 bulletin from a year of generated case records.

For each size (1,000,000 and 10,000,000 cases by default) it generates the inputs once
under ``bench/generated/`` (git-ignored; not timed), then runs ``bulletin build`` in a fresh
process and prints its wall time and peak memory (maximum resident set size). The target
is under 10 s and under 4 GB for 10,000,000 cases. Run on demand: ``make bench-scale``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate_records import ROOT, YEAR, write_period  # noqa: E402

BUILD = "import sys; from pipeline.cli import main; sys.exit(main())"


def measure(period_folder: Path, outputs: Path) -> tuple[float, float, int, str]:
    """(wall seconds, CPU seconds, peak resident memory in bytes, output) of one build in its own process."""
    command = [sys.executable, "-c", BUILD, "build", "--period", str(YEAR),
               "--inputs", str(period_folder.parent), "--outputs", str(outputs)]
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    output = process.stdout.read().decode("utf-8", "replace")
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"build failed:\n{output}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024, output


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1_000_000, 10_000_000])
    parser.add_argument("--root", type=Path, default=ROOT / "bench" / "generated")
    args = parser.parse_args()
    print(f"{'cases':>12}  {'CSV MB':>8}  {'build s':>8}  {'CPU s':>8}  {'peak MB':>8}  load")
    for size in args.sizes:
        folder = write_period(size, args.root)
        megabytes = (folder / "办件及评价记录.csv").stat().st_size / 1e6
        with tempfile.TemporaryDirectory() as outputs:
            seconds, cpu, peak, _ = measure(folder, Path(outputs))
        load = os.getloadavg()[0]  # other work on the machine lengthens the wall time, not the CPU time
        print(f"{size:>12,}  {megabytes:>8.0f}  {seconds:>8.2f}  {cpu:>8.2f}  {peak / 1e6:>8.0f}  {load:.1f}", flush=True)


if __name__ == "__main__":
    main()
