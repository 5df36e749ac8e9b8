"""The live inputs/ folder is the office's: adding a period or correcting the samples leaves the suite green."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

from openpyxl import load_workbook

from .conftest import INPUTS, LIVE_INPUTS, ROOT, _live_reads, _watch_live_inputs

# the test modules that build the two samples end to end (their frozen copies under tests/fixtures/samples/)
SAMPLE_SUITES = ["tests/test_cli.py", "tests/test_bulletin_2024q1.py", "tests/test_haochaping_bulletin.py"]


def office_repository(target):
    """A copy of the project in which the office has added 2024Q2 and corrected last quarter's figures."""
    ignore = shutil.ignore_patterns("__pycache__", ".hypothesis", ".pytest_cache")
    for name in ("pipeline", "templates", "tests"):
        shutil.copytree(ROOT / name, target / name, ignore=ignore)
    shutil.copy(ROOT / "pyproject.toml", target)
    inputs = target / "inputs"  # the samples as shipped, then changed as an office would
    shutil.copytree(INPUTS, inputs)
    shutil.copytree(inputs / "2024Q1", inputs / "2024Q2")
    config = inputs / "2024Q2" / "bulletin.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("2024-06-", "2024-07-"), encoding="utf-8")
    book = load_workbook(inputs / "2024Q1" / "监管事项覆盖情况.xlsx")
    book.active["C8"] = 8  # a corrected count
    book.save(inputs / "2024Q1" / "监管事项覆盖情况.xlsx")
    records = inputs / "2023Q2" / "办件及评价记录.csv"
    records.write_text(records.read_text(encoding="utf-8-sig").replace(",满意\n", ",不满意\n", 5), encoding="utf-8-sig")
    return target


def test_a_read_under_the_live_inputs_folder_is_noted_and_one_elsewhere_is_not():
    """The audit hook in conftest.py sees every open or listing; called here on paths alone, touching no file."""
    start = len(_live_reads)
    _watch_live_inputs("open", (str(LIVE_INPUTS / "2024Q1" / "bulletin.yaml"), "r", 0))
    _watch_live_inputs("os.listdir", (str(INPUTS / "2024Q1"),))
    _watch_live_inputs("open", ("inputs", None, 0))  # a bare name opened relative to a held folder (rmtree)
    noted = _live_reads[start:]
    del _live_reads[start:]  # noted by hand, not read: the test must not fail itself
    assert noted == [str(LIVE_INPUTS / "2024Q1" / "bulletin.yaml")]


def test_an_office_adding_a_period_and_correcting_data_keeps_the_tests_green(tmp_path):
    repo = office_repository(tmp_path / "office")
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *SAMPLE_SUITES],
                          cwd=repo, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert re.search(r"\d+ passed", done.stdout) and "failed" not in done.stdout
