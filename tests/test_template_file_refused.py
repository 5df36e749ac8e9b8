"""A kind's Word template that is no Word document — another format under a .docx name, a damaged
package, a part far larger than any template — is refused naming the template, exit code 1, and
nothing is written; a template that is sound but repaired in place builds in the same process."""

from __future__ import annotations

import io
import shutil
import zipfile

import pytest
import yaml

from .conftest import PERIOD, TEMPLATES, run_cli


def _templates(inputs, tmp_path):
    """A copy of the templates, and the path of the template the fixture period's kind uses."""
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    kind = yaml.safe_load((inputs / PERIOD / "bulletin.yaml").read_text(encoding="utf-8"))["kind"]
    return templates, templates / kind / "bulletin.docx"


def _repacked(data: bytes, change) -> bytes:
    """The package ``data`` with each (name, bytes) entry passed through ``change`` (None drops it)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            changed = change(info.filename, source.read(info.filename))
            if changed is not None:
                target.writestr(info.filename, changed)
    return out.getvalue()


def _build(inputs, templates, outputs):
    return run_cli("build", "--period", PERIOD, "--inputs", str(inputs), "--templates", str(templates), "--outputs", str(outputs))


DAMAGES = {
    "not a zip": lambda data: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,  # an old .doc renamed .docx
    "cut short": lambda data: data[: len(data) // 2],
    "no main part": lambda data: _repacked(data, lambda name, blob: None if name == "word/document.xml" else blob),
    "broken XML": lambda data: _repacked(data, lambda name, blob: blob[:-40] if name == "word/document.xml" else blob),
    "a part decompressing to gigabytes": None,  # built below: a zip whose directory declares a huge part
}


def _huge_part(data: bytes) -> bytes:
    """The package with one more part whose zip directory entry declares 1 GiB (as a zip bomb's
    does), its data a byte."""
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_STORED) as target:
        target.writestr("word/media/image1.png", b"x")
    raw = bytearray(out.getvalue())
    entry = raw.rfind(b"PK\x01\x02")  # the directory entry of the part just added, the last
    raw[entry + 24:entry + 28] = (1 << 30).to_bytes(4, "little")  # its uncompressed size
    return bytes(raw)


@pytest.mark.parametrize("damage", list(DAMAGES))
def test_a_template_that_is_no_word_document_is_refused_naming_it(inputs, tmp_path, damage):
    templates, template = _templates(inputs, tmp_path)
    data = template.read_bytes()
    template.write_bytes(_huge_part(data) if DAMAGES[damage] is None else DAMAGES[damage](data))
    outputs = tmp_path / "outputs"
    result = _build(inputs, templates, outputs)
    assert result.exit_code == 1, result.output
    said = "拒绝读取" if DAMAGES[damage] is None else "无法作为 Word 文件打开"
    assert f"{template}：" in result.output and said in result.output
    assert "程序内部错误" not in result.output and "Traceback" not in result.output
    assert not outputs.exists() or not any(p.is_file() for p in outputs.rglob("*"))


def test_a_template_repaired_after_a_refusal_builds_in_the_same_process(inputs, tmp_path):
    templates, template = _templates(inputs, tmp_path)
    sound = template.read_bytes()
    template.write_bytes(sound[: len(sound) // 2])
    assert _build(inputs, templates, tmp_path / "refused").exit_code == 1
    template.write_bytes(sound)
    result = _build(inputs, templates, tmp_path / "outputs")
    assert result.exit_code == 0, result.output
    assert list((tmp_path / "outputs" / PERIOD).glob("*.docx"))


@pytest.mark.parametrize("marker, said", [("{{ doc.title ", "填写标记有误"),  # a {{ left open while the template was edited
                                          ("{% if doc.title %}", "填写标记有误"),  # an if without its endif
                                          ("{{ doc.__class__.__mro__ }}", "填写标记有误"),  # what the sandbox refuses
                                          ("{{ doc.no_such_field.title }}", "填写标记有误")])
def test_a_template_whose_fill_in_markers_are_wrong_is_refused_naming_it(inputs, tmp_path, marker, said):
    from docx import Document

    templates, template = _templates(inputs, tmp_path)
    document = Document(str(template))
    document.paragraphs[0].add_run(marker)
    document.save(str(template))
    outputs = tmp_path / "outputs"
    result = _build(inputs, templates, outputs)
    assert result.exit_code == 1, result.output
    assert f"{template}：" in result.output and said in result.output
    assert "程序内部错误" not in result.output
    assert not outputs.exists() or not any(p.is_file() for p in outputs.rglob("*"))
