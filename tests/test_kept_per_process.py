"""What one process keeps from build to build — parsed configuration files and registries, parsed
Word templates, the files of the last build — is keyed by the bytes it came from: a file changed
between two builds of one process is read anew, a reader changing what it was given changes
nothing for the next, and a rebuild rewrites only the files whose bytes changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from docx import Document

from pipeline.config.bulletin import load_config

from .conftest import PERIOD, TEMPLATES, change_bulletin, run_cli


def test_a_changed_bulletin_yaml_is_read_anew_and_a_readers_changes_stay_its_own(inputs):
    first = load_config(PERIOD, inputs, TEMPLATES)
    first.value("files")["coverage"] = "别的文件.xlsx"  # a reader changing its copy
    again = load_config(PERIOD, inputs, TEMPLATES)
    assert again.value("files")["coverage"] != "别的文件.xlsx"
    change_bulletin(inputs, {"title": "改过的标题"})
    assert load_config(PERIOD, inputs, TEMPLATES).value("title") == "改过的标题"


def test_a_changed_registry_is_read_anew(inputs):
    path = next((inputs / "registries").glob("*.yaml"))
    before = load_config(PERIOD, inputs, TEMPLATES).registry
    path.write_text(path.read_text(encoding="utf-8").replace("short: 发改局", "short: 发展改革局"), encoding="utf-8")
    after = load_config(PERIOD, inputs, TEMPLATES).registry
    assert before.units[0].short_name == "发改局" and after.units[0].short_name == "发展改革局"


def _build(inputs: Path, templates: Path, outputs: Path):
    result = run_cli("build", "--period", PERIOD, "--inputs", str(inputs), "--templates", str(templates), "--outputs", str(outputs))
    assert result.exit_code == 0, result.output
    return next(p for p in (outputs / PERIOD).glob("*.docx") if "修改稿" not in p.name)


def test_a_changed_word_template_is_parsed_anew_in_the_same_process(inputs, tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    kind = yaml.safe_load((inputs / PERIOD / "bulletin.yaml").read_text(encoding="utf-8"))["kind"]
    first = _build(inputs, templates, tmp_path / "one")
    template = Document(str(templates / kind / "bulletin.docx"))
    template.core_properties.keywords = "改过的模板"
    template.save(str(templates / kind / "bulletin.docx"))
    second = _build(inputs, templates, tmp_path / "two")
    assert Document(str(first)).core_properties.keywords != "改过的模板"
    assert Document(str(second)).core_properties.keywords == "改过的模板"


def test_a_rebuild_writes_only_the_files_that_changed(inputs, tmp_path):
    outputs = tmp_path / "outputs"
    docx = _build(inputs, TEMPLATES, outputs)
    evidence = docx.with_name(docx.stem + "_问题依据.csv")
    inodes = {p: p.stat().st_ino for p in (docx, evidence)}
    _build(inputs, TEMPLATES, outputs)
    assert {p: p.stat().st_ino for p in inodes} == inodes  # the same files, not written again
    change_bulletin(inputs, {"title": "另一个标题"})
    changed = _build(inputs, TEMPLATES, outputs)
    assert changed.stat().st_ino != inodes[docx] and "另一个标题" in "".join(p.text for p in Document(str(changed)).paragraphs)
