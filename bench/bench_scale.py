"""Scale benchmark: the 好差评 build on generated case records against hand-written DuckDB peers.

For each size (10,000,000 cases by default) it generates the inputs once under
``bench/generated/`` or ``--root`` (not timed; files present are reused), then runs, each in a
fresh process and alternating: ``bulletin build``, ``bench/checked_query.py`` (the checked peer:
the checks the build makes of the records, then the figures, in hand-written SQL) and
``bench/hand_query.py`` (the bare query: one SQL query of the same per-window figures), all on
the same file, printing wall time, CPU time and peak memory (maximum resident set size) of each
and the build's ratio to either peer. ``--parquet`` does the same from a Parquet copy
of the records; ``--batch N`` times N small bulletins (the 2024Q1 fixture period) built in one
process sharing one engine; ``--offices K`` builds one bulletin for each of K counties from one
shared Parquet table of the N records (a column 区县 naming each row's county). Run on demand:
``make bench-scale``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate_records import ROOT, YEAR  # noqa: E402

BUILD = "import sys; from pipeline.cli import main; sys.exit(main())"
RECORDS = "办件及评价记录.csv"


def measure(command: list[str]) -> tuple[float, float, int, str]:
    """(wall seconds, CPU seconds, peak resident memory in bytes, output) of one command in its own process."""
    with tempfile.TemporaryFile() as log:  # a file, not a pipe: a full pipe would stall the command
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        log.seek(0)
        output = log.read().decode("utf-8", "replace")
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{output}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024, output


def calendar_file(folder: Path) -> Path:
    """The working-day calendar of the generated year as a small CSV the hand query joins."""
    from pipeline.derive.workdays import WorkdayCalendar

    import datetime as dt

    calendar = WorkdayCalendar.covering(dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31), 20)
    path = folder / "calendar.csv"
    lines = ["day,through,workday"] + [
        f"{d},{n},{str(bool(w)).lower()}" for d, n, w in zip(calendar.days, calendar.count_through, calendar.is_workday)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def generated(size: int, root: Path) -> Path:
    """The period folder of ``size`` generated cases (reused if present), written by a process of
    its own: a child's peak memory as the kernel reports it starts from its parent's."""
    script = ROOT / "bench" / "generate_records.py"
    subprocess.run([sys.executable, str(script), str(size), "--root", str(root)], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return root / str(size) / str(YEAR)


def parquet_copy(folder: Path, name: str, parquet_name: str, columns: str = "*") -> Path:
    """A copy of the period folder (``<root>/<N>-<name>/``) whose records are a Parquet file of
    ``columns`` of the .csv's, written by DuckDB; the copy's folder."""
    target = folder.parent.parent / f"{folder.parent.name}-{name}" / str(YEAR)
    parquet = target / parquet_name
    if not parquet.is_file():
        shutil.copytree(folder, target, ignore=shutil.ignore_patterns(RECORDS), dirs_exist_ok=True)
        shutil.copytree(folder.parent / "registries", target.parent / "registries", dirs_exist_ok=True)
        # in a process of its own: a child's peak memory as the kernel reports it starts from its parent's
        copy = f"COPY (SELECT {columns} FROM read_csv('{folder / RECORDS}', header = true)) TO '{parquet}' (FORMAT parquet)"
        script = f"import duckdb; duckdb.sql('SET enable_progress_bar = false'); duckdb.sql({copy!r})"
        subprocess.run([sys.executable, "-c", script], check=True)
    return target


def as_parquet(folder: Path) -> Path:
    """A copy of the period whose records are a Parquet file (typed columns)."""
    target = parquet_copy(folder, "parquet", "办件及评价记录.parquet")
    config = (target / "bulletin.yaml").read_text(encoding="utf-8").replace(RECORDS, "办件及评价记录.parquet")
    (target / "bulletin.yaml").write_text(config, encoding="utf-8")
    return target


def out_of_order(folder: Path) -> Path:
    """A copy of the period whose case ids come in no order (the rows sorted by a hash of the id):
    the build cannot prove them unique in one streaming pass and groups their hashes instead."""
    target = folder.parent.parent / f"{folder.parent.name}-shuffled" / str(YEAR)
    records = target / RECORDS
    if not records.is_file():
        shutil.copytree(folder, target, ignore=shutil.ignore_patterns(RECORDS), dirs_exist_ok=True)
        shutil.copytree(folder.parent / "registries", target.parent / "registries", dirs_exist_ok=True)
        copy = (f"COPY (SELECT * FROM read_csv('{folder / RECORDS}', header = true, all_varchar = true)"
                f" ORDER BY hash(\"办件编号\")) TO '{records}' (HEADER)")
        script = f"import duckdb; duckdb.sql('SET enable_progress_bar = false'); duckdb.sql({copy!r})"
        subprocess.run([sys.executable, "-c", script], check=True)
    return target


PEERS = (("build", "the build"), ("checked", "the checked peer"), ("query", "the bare query"))


def peer_commands(folder: Path, records: Path, calendar: Path, outputs: str) -> dict[str, list[str]]:
    """The build, the checked peer (the build's checks and the figures in hand-written SQL) and the
    bare query (the figures alone) on the same records."""
    registry = next((folder.parent / "registries").glob("*.yaml"))
    return {
        "build": [sys.executable, "-c", BUILD, "build", "--period", str(YEAR), "--inputs", str(folder.parent), "--outputs", outputs],
        "checked": [sys.executable, str(ROOT / "bench" / "checked_query.py"), str(records), str(calendar), str(registry)],
        "query": [sys.executable, str(ROOT / "bench" / "hand_query.py"), str(records), str(calendar)],
    }


def compare(label: str, folder: Path, records: Path, calendar: Path, repeat: int) -> None:
    """Build, checked peer and bare query alternately ``repeat`` times (so the load of a shared
    machine falls on all alike); print each run and the build's ratios to both peers' medians."""
    runs = {name: [] for name, _ in PEERS}
    with tempfile.TemporaryDirectory() as outputs:
        commands = peer_commands(folder, records, calendar, outputs)
        for _ in range(repeat):
            for name, _ in PEERS:
                runs[name].append(measure(commands[name]))
    for name, results in runs.items():
        for seconds, cpu, peak, _ in results:
            print(f"{label:>22}  {name:>7}  {seconds:>8.2f}  {cpu:>8.2f}  {peak / 1e6:>8.0f}", flush=True)
    median = {n: sorted(r[0] for r in rs)[len(rs) // 2] for n, rs in runs.items()}
    ratios = ", ".join(f"{median['build'] / median[n]:.2f}× {words}'s" for n, words in PEERS[1:])
    print(f"{label:>22}  ratio    the build's wall time is {ratios}  (load {os.getloadavg()[0]:.1f})")


STAGES = (("assemble", "inputs, figures, findings, text"), ("_rendered", "bulletin rendered"),
          ("_notices", "notices rendered"))


def batch(count: int) -> None:
    """``count`` builds of the small fixture period in one process, one engine, first with the
    bulletin alone (a copy of the kinds without ``notices:``), then with its 整改通知; the time of
    each stage per bulletin (configuration read, inputs to text, rendering, writing)."""
    from bench.bench_build import without_notices

    with tempfile.TemporaryDirectory() as copy:
        alone, elapsed = _batch(count, "small bulletins alone", without_notices(Path(copy) / "templates"))
        peer = bare_render(alone, count)
        print(f"{count} renders by the peer, docxtpl alone filling the same template with the same document and"
              f" saving it: {peer:.1f} s; the bulletins alone took {elapsed / peer:.2f}× that")
    _batch(count, "small bulletins with their notices", ROOT / "templates")


def bare_render(bulletin, count: int) -> float:
    """Seconds for ``count`` renders of the bulletin's template with its document by docxtpl alone
    (open, fill, save; no checks, no passes, no notices): the floor any docxtpl program pays."""
    import io

    from docxtpl import DocxTemplate

    start = time.perf_counter()
    for _ in range(count):
        template = DocxTemplate(str(bulletin.config.template_path))
        template.render({"doc": bulletin.document}, autoescape=True)
        template.save(io.BytesIO())
    return time.perf_counter() - start


def _batch(count: int, label: str, templates: Path):
    """The build of ``count`` bulletins timed by stage and printed; (the last bulletin, the seconds
    they all took)."""
    from pipeline.config.bulletin import load_config
    from pipeline.load.engine import Engine
    from pipeline.run import build

    spent = {"configuration read": 0.0, **{name: 0.0 for _, name in STAGES}, "written": 0.0}
    originals = {function: getattr(build, function) for function, _ in STAGES}
    for function, name in STAGES:  # the build calls its stages through the module: time each there
        setattr(build, function, _timed(originals[function], spent, name))
    inputs, each = ROOT / "tests" / "fixtures" / "inputs", []
    start = time.perf_counter()
    try:
        with Engine() as engine, tempfile.TemporaryDirectory() as outputs:
            for i in range(count):
                began = time.perf_counter()
                config = _timed(load_config, spent, "configuration read")("2024Q1", inputs, templates)
                bulletin = build.bulletin_of(config, engine)
                _timed(build.write_bulletin, spent, "written")(bulletin, Path(outputs) / str(i))
                each.append(time.perf_counter() - began)
    finally:
        for function, original in originals.items():
            setattr(build, function, original)
    elapsed = time.perf_counter() - start
    print(f"{count} {label} in one process: {elapsed:.1f} s ({count / elapsed:.1f} bulletins/s,"
          f" load {os.getloadavg()[0]:.1f}); a bulletin: median {sorted(each)[len(each) // 2] * 1000:.1f} ms,"
          f" fastest {min(each) * 1000:.1f} ms")
    for name, seconds in spent.items():
        print(f"  {name:>32}: {seconds / count * 1000:6.1f} ms a bulletin")
    print(f"  {'the rest':>32}: {(elapsed - sum(spent.values())) / count * 1000:6.1f} ms a bulletin")
    return bulletin, elapsed


def _timed(function, spent: dict, name: str):
    def timed(*args, **kwargs):
        began = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent[name] += time.perf_counter() - began
    return timed


def office_period(folder: Path, count: int) -> Path:
    """A copy of the period whose records are one Parquet table shared by ``count`` counties
    (县001 …), each declared under ``offices:`` with its own office name."""
    import yaml

    county = f"printf('县%03d', hash(\"办件编号\") % {count} + 1) AS 区县, *"
    target = parquet_copy(folder, f"offices-{count}", "全省办件.parquet", county)
    settings = yaml.safe_load((folder / "bulletin.yaml").read_text(encoding="utf-8"))
    settings["files"]["cases"] = {"file": "全省办件.parquet", "office_column": "区县"}
    settings["offices"] = {f"县{i:03d}": {"office": f"县{i:03d}政务服务管理办公室"} for i in range(1, count + 1)}
    (target / "bulletin.yaml").write_text(yaml.safe_dump(settings, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


def offices(folder: Path, size: int, count: int) -> None:
    """One bulletin per county from the shared table, in one process: rate and peak memory."""
    target = office_period(folder, count)
    with tempfile.TemporaryDirectory() as outputs:
        build = [sys.executable, "-c", BUILD, "build", "--period", str(YEAR), "--inputs", str(target.parent), "--outputs", outputs]
        seconds, cpu, peak, output = measure(build)
    rate = next(line for line in output.splitlines() if "个区县的通报" in line)
    print(f"{size:,} records, {count} offices: wall {seconds:.2f} s, CPU {cpu:.2f} s, peak {peak / 1e6:.0f} MB"
          f" ({count / seconds:.1f} bulletins/s with process start); the build says: {rate}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000_000])
    parser.add_argument("--root", type=Path, default=ROOT / "bench" / "generated")
    parser.add_argument("--repeat", type=int, default=1, help="alternated runs of each; the median is compared")
    parser.add_argument("--parquet", action="store_true", help="also from a Parquet copy of the records")
    parser.add_argument("--shuffled", action="store_true", help="also from a copy of the .csv whose case ids come in no order")
    parser.add_argument("--batch", type=int, default=0, help="also time this many small bulletins in one process")
    parser.add_argument("--offices", type=int, default=0, help="also build one bulletin per county for this many counties")
    parser.add_argument("--no-compare", dest="compare", action="store_false", help="skip the build against its peers")
    args = parser.parse_args()
    print(f"{'records':>22}  {'what':>7}  {'wall s':>8}  {'CPU s':>8}  {'peak MB':>8}")
    for size in args.sizes:
        folder = generated(size, args.root)
        calendar = calendar_file(folder.parent)
        if args.compare:
            compare(f"{size:,} CSV", folder, folder / RECORDS, calendar, args.repeat)
        if args.offices:
            offices(folder, size, args.offices)
        if args.shuffled and args.compare:
            target = out_of_order(folder)
            compare(f"{size:,} CSV unordered", target, target / RECORDS, calendar, args.repeat)
        if args.parquet and args.compare:
            target = as_parquet(folder)
            compare(f"{size:,} Parquet", target, target / "办件及评价记录.parquet", calendar, args.repeat)
    if args.batch:
        batch(args.batch)


if __name__ == "__main__":
    main()
