"""Each kind rewritten in the declared language: every sentence of its kind.yaml and of its
periods' bulletin.yaml and 存在问题.yaml holds only {{ 名称 }}, {{ 名称.列 }} and {{ 名称|格式 }}
with named formats — no {% %}, no Jinja filter, no method call, no literal."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pipeline.language.sentence import phrase_problem

ROOT = Path(__file__).resolve().parent.parent
KINDS = ["assessment", "haochaping", "hotline", "annual"]  # the kinds written in the language
# the periods' frozen copies (the live inputs/ folder is the office's, and no test reads it)
PERIOD_FOLDERS = [ROOT / "tests/fixtures/samples", ROOT / "tests/fixtures/inputs", ROOT / "tests/fixtures/hotline"]


def strings(value, path=""):
    """(path, text) of every string in a loaded YAML document."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from strings(inner, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for number, inner in enumerate(value):
            yield from strings(inner, f"{path}[{number}]")
    elif isinstance(value, str):
        yield path, value


def load(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def period_files(kind: str) -> list[Path]:
    """bulletin.yaml and 存在问题.yaml of every period folder of ``kind`` kept for the tests."""
    found = []
    for folder in PERIOD_FOLDERS:
        for config in sorted(folder.glob("*/bulletin.yaml")):
            if (load(config) or {}).get("kind") == kind:
                found += [config] + sorted(config.parent.glob("存在问题.yaml"))
    return found


def declared_formats(kind: str) -> dict:
    return (load(ROOT / "templates" / kind / "kind.yaml") or {}).get("formats") or {}


@pytest.mark.parametrize("kind", KINDS)
def test_every_sentence_of_the_kind_and_its_periods_is_in_the_language(kind):
    files = [ROOT / "templates" / kind / "kind.yaml", *period_files(kind)]
    assert len(files) >= 2, files  # the kind and at least one period (存在问题.yaml only where the kind prints its entries)
    formats = declared_formats(kind)
    problems = [f"{file.relative_to(ROOT)}：{path}：{problem}"
                for file in files for path, text in strings(load(file))
                for problem in [phrase_problem(text, formats)] if problem]
    assert problems == []


@pytest.mark.parametrize("sentence", [
    "{% if a %}甲{% endif %}", "{{ findings|join('、') }}", "{{ rows|length }}", "{{ a if b else '' }}",
    "{{ findings|map(attribute='rate') }}", "{{ unit.name() }}", "{{ 日期|date }}",
])
def test_the_scan_refuses_jinja(sentence):
    assert phrase_problem(sentence, {}) is not None
