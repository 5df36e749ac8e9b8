"""Configuration that would take all memory or never finish is refused at its file and line, at once:
sentences of the older Jinja templates that would make gigabytes of text or loop for hours (no
sentence is run as a program: they are outside the statement language), YAML aliases that expand
without bound."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from .conftest import PERIOD, change_bulletin, run, snapshot

MAX_SECONDS = 10  # a refusal takes no longer than reading the inputs

BOMB = """\
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
"""

SENTENCES = {
    "repeat": '{{ "x" * 4000000000 }}',
    "repeat_list": "{{ ([1] * 4000000000)|length }}",
    "nested_ranges": "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "nested_loops_in_time": "{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}",
    "padding": '{{ "x"|center(4000000000) }}',
    "padding_method": '{{ "x".rjust(4000000000) }}',
    "format_width": '{{ "%4000000000d"|format(1) }}',
    "format_method": '{{ "{:>4000000000}".format(1) }}',
    "power": "{{ 9 ** 999999999 }}",
    "doubling_list": '{% set l = ["x"] %}{% for i in range(60) %}{{ l.extend(l) }}{% endfor %}',
    "many_small_pieces": '{% for i in range(10000) %}{{ "x" * 99999 }}{% endfor %}',
}


def _line(path: Path, fragment: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if fragment in line)


def _refused(inputs: Path, tmp_path: Path, good_outputs: Path) -> str:
    import shutil

    outputs = tmp_path / "outputs"
    shutil.copytree(good_outputs, outputs)
    before = snapshot(outputs)
    started = time.monotonic()
    result = run("build", PERIOD, inputs, outputs)
    assert time.monotonic() - started < MAX_SECONDS
    assert result.exit_code == 1, result.output
    assert snapshot(outputs) == before
    return result.output


@pytest.mark.parametrize("name", sorted(SENTENCES))
def test_a_sentence_beyond_the_limits_is_refused_at_its_line(name, inputs, tmp_path, good_outputs):
    sentence = SENTENCES[name]
    change_bulletin(inputs, {"opening": f"现将考核情况通报如下：{sentence}"})
    output = _refused(inputs, tmp_path, good_outputs)
    line = _line(inputs / PERIOD / "bulletin.yaml", "opening:")
    assert f"{PERIOD}/bulletin.yaml，第{line}行：opening：句子“现将考核情况通报如下：" in output, output
    assert "不是允许的写法" in output and "bulletin migrate" in output


def test_the_file_name_sentence_is_bounded_too(inputs, tmp_path, good_outputs):
    change_bulletin(inputs, {"output_name": '{{ title }}{{ "x" * 4000000000 }}'})
    output = _refused(inputs, tmp_path, good_outputs)
    assert f"{PERIOD}/bulletin.yaml，第{_line(inputs / PERIOD / 'bulletin.yaml', 'output_name:')}行" in output


@pytest.mark.parametrize("file", ["bulletin.yaml", "存在问题.yaml", "../registries/测试市.yaml"])
def test_a_yaml_alias_bomb_is_refused_at_its_line(file, inputs, tmp_path, good_outputs):
    path = inputs / PERIOD / file
    text = path.read_text(encoding="utf-8")
    if text.lstrip().startswith("-"):  # a list at the top: the bomb goes into an entry
        text = "- bomb:\n" + "".join(f"    {line}\n" for line in BOMB.splitlines()) + text
    else:
        text = BOMB.replace("a: &a", "bomb_a: &a") + text
        text = text.replace("\nb:", "\nbomb_b:").replace("\nc:", "\nbomb_c:").replace("\nd:", "\nbomb_d:")
        text = text.replace("\ne:", "\nbomb_e:").replace("\nf:", "\nbomb_f:").replace("\ng:", "\nbomb_g:")
        text = text.replace("\nh:", "\nbomb_h:").replace("\ni:", "\nbomb_i:")
    path.write_text(text, encoding="utf-8")
    output = _refused(inputs, tmp_path, good_outputs)
    assert "YAML 内容超出限制" in output and "别名" in output
    assert "行" in output and Path(file).name in output


def test_anchors_and_merge_keys_of_ordinary_size_are_read():
    from pipeline.core.yamlio import parse_yaml

    assert parse_yaml("base: &base {phone: 1}\nuse:\n  <<: *base\n  email: x\n") == {
        "base": {"phone": 1}, "use": {"phone": 1, "email": "x"}}
