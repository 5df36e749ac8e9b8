"""A property-based fuzzer of the configuration itself: hypothesis writes bulletin.yaml and
kind.yaml fragments from the declared settings (pipeline/config/declared.py) — valid values,
values of the wrong type or beyond their range, misspelt keys, and hostile text (Python format
strings, attribute access, paths out of the folder, passwords, enormous numbers and repeats,
deep nesting, YAML tags, repeated and non-text keys) — and runs ``bulletin build`` on each.

Every run must end in a build (exit 0) or a located refusal (exit 1, naming a file), with no
traceback, the previous outputs untouched when refused, and nothing outside the scratch
folder touched. CI runs a bounded number of examples (the same ones every time); set
BULLETIN_FUZZ_EXAMPLES=2000 (``make fuzz``) for a longer, random run.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from pipeline.config.declared import SETTINGS
from pipeline.config.types import Anything, Choice, Key, ListOf, MapOf, OneOf, Record, Scalar, Variant

from .conftest import FIXTURE_INPUTS, PERIOD, TEMPLATES, run_cli, snapshot

EXAMPLES = int(os.environ.get("BULLETIN_FUZZ_EXAMPLES", "0"))
FUZZ = settings(
    max_examples=EXAMPLES or 30,
    derandomize=not EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    database=None,
)
HOSTILE_TEXT = [
    "{names.__class__.__mro__}", "{count.__class__.__init__.__globals__}", "{names:>1500000000}",
    "{{ period.__class__.__mro__ }}", "{{ ''.__class__ }}", "{% for x in range(10**9) %}x{% endfor %}",
    "{{ x|attr('__class__') }}", "__import__('os').system('touch /tmp/pwned')", "../../../../tmp/escape",
    "/etc/passwd", "..\\..\\windows", "postgresql://clerk:Tr0ub4dor-s3cret@127.0.0.1:1/db",
    "host=127.0.0.1 password=Tr0ub4dor-s3cret", "CON", "NUL.docx", "a/b", "名称／斜线", "\u202e\u0000x",
    "'x' * 2000000000", "1e999 - 1e999", "(" * 200 + "a" + ")" * 200, "not " * 300 + "a", "工单数 in 5",
    "字" * 3000, "${PGPASSWORD}", "%(password)s", "{0}", "}}{{",
]
HOSTILE_YAML = [
    "cutoff: 2024-06-07\ncutoff: 2024-06-30\n", "~: 1\n", "true: 1\n", "1: a\n'1': b\n",
    "x: !!python/object/apply:os.system ['touch /tmp/pwned']\n", "x: &a [*a]\n",
    "a: &a ['x','x','x','x','x','x','x','x','x']\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n",
    "x: " + "[" * 5000 + "]" * 5000 + "\n", "day: 2027-02-30\n", "x: 1\n  y: 2\n", "\t x: 1\n",
]
SENTINEL = "outside.txt"


def hostile_text():
    return st.sampled_from(HOSTILE_TEXT)


def text_value():
    return st.one_of(st.text(max_size=12), hostile_text())


def scalar_value(kind: Scalar):
    if kind.kind in ("int", "number"):
        low = -10 if kind.low is None else kind.low
        high = 10**6 if kind.high is None else kind.high
        valid = st.integers(min_value=low, max_value=min(high, low + 1000))
        wrong = st.sampled_from([-1, 0, 10**30, 1e308, "three", True, [], {}])
        return st.one_of(valid, valid, wrong)
    if kind.kind == "bool":
        return st.one_of(st.booleans(), st.sampled_from(["yes", 2]))
    if kind.kind == "date":
        return st.one_of(st.dates(), st.sampled_from(["2024-13-01", "下月", 5]))
    return text_value()


def value_for(kind, depth: int = 0):
    """A strategy of values shaped (mostly) like ``kind``: valid, mutated or hostile."""
    if isinstance(kind, Key):
        kind = kind.type
    if depth > 3:
        return text_value()
    if isinstance(kind, Scalar):
        return scalar_value(kind)
    if isinstance(kind, Choice):
        return st.one_of(st.sampled_from(list(kind.values)), text_value())
    if isinstance(kind, ListOf):
        return st.lists(value_for(kind.item, depth + 1), max_size=3)
    if isinstance(kind, MapOf):
        return st.dictionaries(st.one_of(st.text(min_size=1, max_size=6), hostile_text()), value_for(kind.value, depth + 1), max_size=3)
    if isinstance(kind, (Record, Variant)):
        keys = kind.keys if isinstance(kind, Record) else next(iter(kind.variants.values())).keys
        return record_value(keys, depth)
    if isinstance(kind, OneOf):
        return st.one_of(*[value_for(o, depth + 1) for o in kind.options])
    if isinstance(kind, Anything):
        return st.one_of(text_value(), st.integers(), st.lists(text_value(), max_size=2))
    raise AssertionError(kind)


def record_value(keys: dict, depth: int):
    names = st.sampled_from(sorted(keys)) if keys else st.nothing()
    misspelt = names.map(lambda k: k[:-1] or "x") if keys else st.just("x")
    entry = st.one_of(names, names, misspelt).flatmap(lambda k: st.tuples(st.just(k), value_for(keys.get(k, Anything()), depth + 1)))
    return st.lists(entry, max_size=3).map(dict)


@st.composite
def changes(draw):
    """(file, how, change): a key of the settings set to a generated value, or raw hostile YAML."""
    target = draw(st.sampled_from(["bulletin", "bulletin", "kind"]))
    if draw(st.integers(0, 4)) == 0:
        return target, "raw", draw(st.sampled_from(HOSTILE_YAML))
    key = draw(st.sampled_from(sorted(k for k in SETTINGS.keys if k not in ("kind",))))
    return target, "key", (key, draw(value_for(SETTINGS.keys[key])))


def apply_change(project: Path, target: str, how: str, change) -> None:
    path = (project / "inputs" / PERIOD / "bulletin.yaml") if target == "bulletin" else (project / "templates" / "assessment" / "kind.yaml")
    text = path.read_text(encoding="utf-8")
    if how == "raw":
        path.write_text(text + "\n" + change, encoding="utf-8")
        return
    key, value = change
    data = yaml.safe_load(text)
    data[key] = value
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def located(output: str) -> bool:
    return bool(re.search(r"\.(yaml|xlsx|csv|md|docx)|第\d+行", output))


@FUZZ
@given(changes())
@example(("bulletin", "raw", "x: &a [*a]\n"))  # found by the fuzzer: a recursive alias reached the checker
def test_any_configuration_builds_or_is_refused_at_its_place(change):
    target, how, body = change
    event(f"{target}:{how}:{body[0] if how == 'key' else body.splitlines()[0][:12]}")
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        project = root / "project"
        shutil.copytree(FIXTURE_INPUTS, project / "inputs")
        shutil.copytree(TEMPLATES, project / "templates")
        (root / SENTINEL).write_text("untouched", encoding="utf-8")
        outputs = project / "outputs"
        previous = run_cli("build", "--period", PERIOD, "--inputs", str(project / "inputs"), "--templates",
                           str(project / "templates"), "--outputs", str(outputs))
        assert previous.exit_code == 0, previous.output
        before = snapshot(outputs)
        apply_change(project, target, how, body)
        result = run_cli("build", "--period", PERIOD, "--inputs", str(project / "inputs"), "--templates",
                         str(project / "templates"), "--outputs", str(outputs))
        assert result.exit_code in (0, 1), result.output
        assert "Traceback" not in result.output, result.output
        assert "Tr0ub4dor-s3cret" not in result.output
        if result.exit_code == 1:
            event("refused")
            assert located(result.output), result.output
            assert snapshot(outputs) == before, "a refused build changed outputs/"
        else:
            event("built")
            for docx in outputs.rglob("*.docx"):
                assert docx.resolve().is_relative_to(outputs.resolve())
        assert (root / SENTINEL).read_text(encoding="utf-8") == "untouched"
        assert sorted(p.name for p in root.iterdir()) == sorted(["project", SENTINEL]), "a file was written outside the project"
        assert not Path("/tmp/pwned").exists() and not Path("/tmp/escape").exists()
