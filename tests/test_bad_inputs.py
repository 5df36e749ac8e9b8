"""The bad-input corpus: every case is refused with a located Chinese message, and nothing is written.

Each folder under ``tests/bad_inputs/`` is one case: the files in it replace those of
the valid fixture period, and ``case.yaml`` says what else changes (``bulletin``:
settings merged over bulletin.yaml; ``remove``: files taken away; ``period``: the
period asked for) and which problems must be reported (file, sheet, Excel row,
column, message).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from pipeline.core.errors import Problem

from .conftest import FIXTURES, PERIOD, change_bulletin, run, snapshot

CASES = sorted(p for p in (FIXTURES.parent / "bad_inputs").iterdir() if (p / "case.yaml").is_file())


def prepare(case: Path, inputs: Path) -> dict:
    spec = yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8"))
    period_dir = inputs / PERIOD
    for file in case.iterdir():
        if file.name != "case.yaml":
            shutil.copyfile(file, period_dir / file.name)
    for name in spec.get("remove") or []:
        (period_dir / name).unlink()
    if spec.get("bulletin"):
        change_bulletin(inputs, spec["bulletin"])
    return spec


def expected_lines(spec: dict, inputs: Path) -> list[tuple[str, str]]:
    """(the place as the report prints it, the message fragment) for every expected problem."""
    lines = []
    for item in spec["expect"]:
        file = str(item["file"]).replace("{inputs}", str(inputs))
        place = str(Problem(file, "", item.get("sheet"), item.get("row"), item.get("column")))
        lines.append((f"  - {place}", str(item["message"])))
    return lines


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 30


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_is_refused_with_its_place_and_outputs_stay(case: Path, inputs: Path, good_outputs: Path, tmp_path: Path):
    spec = prepare(case, inputs)
    outputs = tmp_path / "outputs"
    shutil.copytree(good_outputs, outputs)
    before = snapshot(outputs)
    period = str(spec.get("period", PERIOD))

    built = run("build", period, inputs, outputs)
    checked = run("validate", period, inputs)

    assert built.exit_code == 1
    assert checked.exit_code == 1
    assert snapshot(outputs) == before, "a failed build changed outputs/"
    for result in (built, checked):
        report = result.output.splitlines()
        assert report[0].startswith("输入有误，共 ")
        for place, message in expected_lines(spec, inputs):
            matching = [line for line in report if line.startswith(place) and message in line]
            assert matching, f"expected “{place}…{message}” in:\n{result.output}"
    assert f"共 {len(spec['expect'])} 处" in built.output
