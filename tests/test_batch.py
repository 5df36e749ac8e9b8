"""Many bulletins in one process (``build --all``), and progress shown only on a terminal."""

from __future__ import annotations

import io
import shutil

from pipeline.core import progress
from pipeline.run.build import build_bulletin

from .conftest import FIXTURE_INPUTS, INPUTS, TEMPLATES, run_cli


def two_periods(tmp_path):
    inputs = tmp_path / "inputs"
    shutil.copytree(FIXTURE_INPUTS, inputs, ignore=shutil.ignore_patterns("2024"))  # 2024Q1 only
    shutil.copytree(INPUTS / "2023Q2", inputs / "2023Q2")
    shutil.copy(INPUTS / "registries/永昌县.yaml", inputs / "registries/永昌县.yaml")
    (inputs / "notes").mkdir()  # not a period: left alone
    return inputs


def test_build_all_writes_every_period_as_single_builds_do(tmp_path):
    inputs, outputs = two_periods(tmp_path), tmp_path / "outputs"
    result = run_cli("build", "--all", "--inputs", str(inputs), "--templates", str(TEMPLATES), "--outputs", str(outputs))
    assert result.exit_code == 0, result.output
    assert "共生成 2/2 期通报" in result.output and "每秒" in result.output
    for period in ("2023Q2", "2024Q1"):
        (docx,) = (outputs / period).glob("*.docx")
        assert docx.read_bytes() == build_bulletin(period, inputs, TEMPLATES).docx
    assert "\r" not in result.output  # not a terminal: no progress line


def test_a_failing_period_does_not_stop_the_others(tmp_path):
    inputs, outputs = two_periods(tmp_path), tmp_path / "outputs"
    (inputs / "2023Q2/红黑榜发布记录.csv").unlink()
    result = run_cli("build", "--all", "--inputs", str(inputs), "--templates", str(TEMPLATES), "--outputs", str(outputs))
    assert result.exit_code == 1
    assert "共生成 1/2 期通报" in result.output and "未生成：2023Q2" in result.output
    assert list((outputs / "2024Q1").glob("*.docx")) and not (outputs / "2023Q2").exists()


def test_build_without_a_period_or_all_is_a_usage_error():
    result = run_cli("build")
    assert result.exit_code == 2 and "--all" in result.output


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_names_the_stage_and_rows_on_a_terminal_only(tmp_path):
    terminal, log = Terminal(), io.StringIO()
    try:
        progress.enable(terminal)
        build_bulletin("2023Q2", INPUTS, TEMPLATES)
        progress.done()
        progress.enable(log)
        build_bulletin("2023Q2", INPUTS, TEMPLATES)
    finally:
        progress.enable(io.StringIO())
    shown = terminal.getvalue()
    assert "检查 办件及评价记录.csv：6,296 行" in shown and "2023Q2：排版" in shown
    assert shown.endswith("\r") and log.getvalue() == ""


def _rewrite_template(template, old: str, new: str) -> None:
    """The Word template with one piece of its document text changed."""
    import zipfile

    entries = {}
    with zipfile.ZipFile(template) as source:
        for info in source.infolist():
            entries[info.filename] = source.read(info.filename)
    entries["word/document.xml"] = entries["word/document.xml"].replace(old.encode(), new.encode())
    with zipfile.ZipFile(template, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in entries.items():
            target.writestr(name, data)


def _built_in_new_process(inputs, templates, tmp_path) -> bytes:
    import subprocess
    import sys

    out = tmp_path / "fresh.docx"
    script = (
        "from pathlib import Path; from pipeline.run.build import build_bulletin; "
        f"Path({str(out)!r}).write_bytes(build_bulletin('2024Q1', Path({str(inputs)!r}), Path({str(templates)!r})).docx)"
    )
    subprocess.run([sys.executable, "-c", script], check=True)
    return out.read_bytes()


def test_a_shared_engine_serves_nothing_stale_after_inputs_or_template_change(tmp_path):
    """What a batch keeps between bulletins (compiled queries, calendar tables, compiled template
    parts) is keyed by what it was made from: after a changed input or Word template, a build in
    the shared engine gives the bytes of a build in a new process."""
    from pipeline.load.engine import Engine

    inputs, templates = tmp_path / "inputs", tmp_path / "templates"
    shutil.copytree(FIXTURE_INPUTS, inputs)
    shutil.copytree(TEMPLATES, templates)
    with Engine() as engine:
        first = build_bulletin("2024Q1", inputs, templates, engine).docx
        assert build_bulletin("2024Q1", inputs, templates, engine).docx == first
        config = inputs / "2024Q1/bulletin.yaml"
        config.write_text(config.read_text(encoding="utf-8").replace("cutoff: 2024-06-07", "cutoff: 2024-03-05"), encoding="utf-8")
        cases = inputs / "2024Q1/办件记录.csv"
        cases.write_text(cases.read_text(encoding="utf-8-sig").replace("2024-03-01,5,2024-03-20", "2024-03-01,5,2024-03-04"), encoding="utf-8-sig")
        changed = build_bulletin("2024Q1", inputs, templates, engine).docx
        assert changed != first and changed == _built_in_new_process(inputs, templates, tmp_path)
        _rewrite_template(templates / "assessment/bulletin.docx", "{{ doc.recipients }}：", "{{ doc.recipients }}：（见附件）")
        retemplated = build_bulletin("2024Q1", inputs, templates, engine).docx
    assert retemplated != changed and retemplated == _built_in_new_process(inputs, templates, tmp_path)


def test_a_small_build_does_not_import_pandas(tmp_path):
    """pandas costs a small build a quarter of a second to import; nothing a build of tables
    in the embedded engine does needs it."""
    import subprocess
    import sys

    script = (
        "import sys; from pathlib import Path; from pipeline.run.build import build_bulletin; "
        f"build_bulletin('2024Q1', Path({str(FIXTURE_INPUTS)!r}), Path({str(TEMPLATES)!r})); "
        "print('pandas' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False", result.stderr


def test_small_tables_are_queried_on_one_thread_and_a_large_record_file_on_every_core(tmp_path):
    import duckdb

    from pipeline.load.engine import PARALLEL_BYTES, Engine

    def threads(engine) -> int:
        return engine.backend().con.execute("SELECT current_setting('threads')").fetchone()[0]

    every_core = duckdb.connect().execute("SELECT current_setting('threads')").fetchone()[0]
    with Engine() as engine:
        build_bulletin("2024Q1", FIXTURE_INPUTS, TEMPLATES, engine)
        assert threads(engine) == 1
        engine.parallel(PARALLEL_BYTES - 1)
        assert threads(engine) == 1
        engine.parallel(PARALLEL_BYTES)
        assert threads(engine) == every_core
        engine.release()  # the next build of a batch starts on one thread again
        assert threads(engine) == 1
