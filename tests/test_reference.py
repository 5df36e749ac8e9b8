"""docs/configuration.md describes every key once, and every example on it is valid configuration:
each is put at its place in a bulletin.yaml and checked as a clerk's file is checked."""

from __future__ import annotations

import re

import pytest
import yaml

from pipeline.config.bulletin import format_problems
from pipeline.config.check import check_file
from pipeline.config.declared import SETTINGS
from pipeline.config.period_reference import PERIOD_FILE
from pipeline.config.published import REFERENCE_FILE
from pipeline.config.reference import described_keys, example, places
from pipeline.core.period import Period
from pipeline.language.formats import BUILT_IN, COMMON
from pipeline.language.sentence import Scope, SentenceError

from .conftest import ROOT

MISSING_SIBLING = "缺少必填项"  # an example shows its own key; the entry's other required keys have examples of their own
DESCRIBED = described_keys()


def placed(steps: tuple, value: dict):
    """``value`` (one key and its example) put where ``steps`` lead from the top of a file."""
    if not steps:
        return value
    step, rest = steps[0], steps[1:]
    if step[0] == "key":
        return {step[1]: placed(rest, value)}
    if step[0] == "map":
        return {step[1]: placed(rest, value)}
    if step[0] == "list":
        return [placed(rest, value)]
    inner = placed(rest, value)  # ("variant", on, value, is_default): the entry says which kind it is
    return {step[1]: step[2], **inner} if not step[3] and isinstance(inner, dict) else inner


def with_base(place, name: str, value: dict) -> dict:
    """A format's parameter shown on a built-in format that reads it (a parameter its base never reads is refused)."""
    if not place.path.startswith("formats.") or name == "base":
        return value
    base = next(b for b, (_, used, _) in BUILT_IN.items() if name in used or name in COMMON)
    return {"base": base, **value}


def example_file(place, name, key) -> str:
    value = with_base(place, name, yaml.safe_load(f"{name}: {example(key, place, name)}"))
    return yaml.safe_dump(placed(place.steps, value), allow_unicode=True, sort_keys=False)


def problems_of(text: str) -> list[str]:
    root = yaml.compose(text)
    check = check_file("bulletin.yaml", root, SETTINGS, {})
    found = check.problems + format_problems(yaml.safe_load(text), [check])
    return [p.message for p in found if MISSING_SIBLING not in p.message]


def test_every_key_described_has_an_example():
    missing = [(p.path, n) for p, n, k in DESCRIBED if example(k, p, n) is None]
    assert missing == [], "declare example= next to these keys in pipeline/config/declared.py, then run bulletin schema"


@pytest.mark.parametrize("place, name, key", DESCRIBED, ids=[f"{p.path}.{n}" for p, n, _ in DESCRIBED])
def test_the_example_of_each_key_passes_the_configuration_check(place, name, key):
    text = example_file(place, name, key)
    assert problems_of(text) == [], text


def test_a_wrong_example_would_be_refused():
    """The check the examples pass is the real one: a misspelt key or a wrong type is caught."""
    place, name, key = next(d for d in DESCRIBED if d[1] == "header" and "columns" in d[0].path)
    assert problems_of(example_file(place, "headr", key)) != []
    place, name, key = next(d for d in DESCRIBED if d[1] == "ranking_count")
    assert problems_of(yaml.safe_dump(placed(place.steps, {name: "五"}), allow_unicode=True)) != []


def test_the_key_that_tells_entries_apart_is_shown_with_the_entry_it_starts():
    page = (ROOT / REFERENCE_FILE).read_text(encoding="utf-8")
    for kind in ("scores", "table", "list"):
        section = page[page.index(f"## `annexes[…]（type: {kind}）`"):]
        assert f"`type: {kind}` |" in section[:section.index("\n## ", 1)]


def test_each_key_is_described_once_and_every_record_once():
    page = (ROOT / REFERENCE_FILE).read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([^`{]+)` \|", page, flags=re.MULTILINE)  # a key's row (not a name of period)
    assert len(rows) == len(DESCRIBED)
    headings = re.findall(r"^## (.+)$", page, flags=re.MULTILINE)
    assert len(headings) == len(set(headings)) == len(places())


def test_a_record_used_in_two_places_is_described_in_one_and_linked_from_the_other():
    page = (ROOT / REFERENCE_FILE).read_text(encoding="utf-8")
    assert page.count("| `red_header` |") == 1  # the parts of a 公文: the bulletin's and each notice's
    notices = page[page.index("## `notices`"):]
    assert "| `document` | [公文的组成部分](#document) |" in notices[:notices.index("\n## ", 1)]


def test_the_reference_page_is_short():
    assert len((ROOT / REFERENCE_FILE).read_text(encoding="utf-8").splitlines()) < 700


def test_the_period_page_lists_every_name_a_sentence_may_use_on_period():
    """What the sentence language offers on ``period`` (it lists them when a name is wrong) is what
    the page of period attributes lists."""
    with pytest.raises(SentenceError) as refused:
        Scope({"period": Period.parse("2024Q2")}).fill("{{ period.没有这个 }}")
    offered = re.search(r"（可用：(.+)）", str(refused.value)).group(1).split("、")
    page = (ROOT / PERIOD_FILE).read_text(encoding="utf-8")
    listed = re.findall(r"^\| `\{\{ period\.(\w+) \}\}` \|", page, flags=re.MULTILINE)
    assert sorted(listed) == sorted(offered)


def test_the_example_of_how_to_read_a_path_is_valid_configuration():
    page = (ROOT / REFERENCE_FILE).read_text(encoding="utf-8")
    block = page[page.index("```yaml\n") + len("```yaml\n"):page.index("```\n", page.index("```yaml\n") + 1)]
    assert yaml.safe_load(block)["datasets"]["tickets"]["columns"]["unit"] == {"header": "承办单位"}
    assert problems_of(block) == []
