"""One rounding path: the office's ``numbers: {rounding: …}`` reaches every rate a bulletin
prints, the 好差评 tallies too (876 of 880 is 99.545…%, 3811 of 3816 is 99.869…%)."""

import shutil
from decimal import Decimal

import pytest
from docx import Document

from pipeline.config.declared import NUMBERS
from pipeline.core.decimals import NumberRule
from pipeline.figures.evaluations import make_tally

from .conftest import INPUTS, change_bulletin, run
from .test_evaluation_figures import RATES

PERIOD = "2023Q2"  # the 永昌县 好差评 sample


def built_text(tmp_path, numbers: dict | None) -> tuple[str, list[list[str]]]:
    """The body text and annex rows of the 2023Q2 好差评 bulletin built with ``numbers``."""
    inputs = tmp_path / "inputs"
    shutil.copytree(INPUTS, inputs)
    if numbers is not None:
        change_bulletin(inputs, {"numbers": numbers}, PERIOD)
    result = run("build", PERIOD, inputs, tmp_path / "out")
    assert result.exit_code == 0, result.output
    document = Document(str(next((tmp_path / "out" / PERIOD).glob("*.docx"))))
    rows = [[c.text for c in row.cells] for row in document.tables[0].rows[1:]]
    return "\n".join(p.text for p in document.paragraphs), rows


def annex_row(rows, unit: str) -> list[str]:
    return next(r for r in rows if r[1] == unit)


@pytest.mark.parametrize("rounding, hall, window", [("down", "99.86%", "99.54%"), ("half_up", "99.87%", "99.55%")])
def test_tallies_are_rounded_the_way_the_office_says(tmp_path, rounding, hall, window):
    text, rows = built_text(tmp_path, {"rounding": rounding})
    assert f"群众参与投票3811件，投票率{hall}。" in text
    assert annex_row(rows, "市场监管局")[8:10] == [window, window]  # 投票率, 满意率


def test_places_reach_the_tallies_too(tmp_path):
    text, rows = built_text(tmp_path, {"percent_places": 1})
    assert "群众参与投票3811件，投票率99.9%。" in text
    assert annex_row(rows, "市场监管局")[8] == "99.5%"


def test_a_tally_rounds_by_its_rule():
    counts = {"expected": 880, "voted": 876, "satisfied": 876, "basic": 0, "dissatisfied": 0, "completed": 880}
    assert make_tally("窗口", "窗口", counts, RATES)["vote_rate"] == Decimal("99.55")
    assert make_tally("窗口", "窗口", counts, RATES, numbers=NumberRule.of({"rounding": "down"}))["vote_rate"] == Decimal("99.54")
    assert make_tally("窗口", "窗口", counts, RATES, numbers=NumberRule.of({"rounding": "half_even", "percent_places": 0}))["vote_rate"] == Decimal("100")


def test_the_published_defaults_are_the_rule_of_an_office_that_says_nothing():
    assert NumberRule.of(None) == NumberRule.of({}) == NumberRule(NUMBERS.keys["percent_places"].default, NUMBERS.keys["rounding"].default)
