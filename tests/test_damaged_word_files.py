"""A .docx that is no Word file, or a damaged or hostile one, given to check, verify or a build:
a message naming the file, exit 1, nothing overwritten; never a traceback, never all memory."""

from __future__ import annotations

import io
import os
import shutil
import sys
import subprocess
import zipfile
from pathlib import Path

import pytest

from pipeline.word.opener import MAX_PART_BYTES

from .conftest import INPUTS, ROOT, run_cli


def rezipped(data: bytes, change) -> bytes:
    """The package with ``change(name, bytes)`` applied to every part (None drops the part), plus what it adds."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            changed = change(name, source.read(name))
            if changed is not None:
                target.writestr(name, changed)
    return buffer.getvalue()


def with_huge_part(data: bytes, size: int = MAX_PART_BYTES + (1 << 20)) -> bytes:
    """The package plus a media part that decompresses to ``size`` bytes (a few hundred KB zipped)."""
    buffer = io.BytesIO(data)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as target:
        with target.open("word/media/huge.bin", "w", force_zip64=True) as part:
            block = bytes(1 << 20)
            for _ in range(size >> 20):
                part.write(block)
    return buffer.getvalue()


def _without_styles_target(name: str, data: bytes):
    return None if name == "word/styles.xml" else data  # document.xml.rels still points at it


def _dangling_image(name: str, data: bytes):
    if name == "word/_rels/document.xml.rels":
        return data.replace(b"</Relationships>", b'<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/'
                            b'officeDocument/2006/relationships/image" Target="media/none.png"/></Relationships>')
    return data


DAMAGES = {
    "not_a_zip": lambda good: b"PK\x03\x04 not really a zip",
    "word_owner_file": lambda good: b"\x0bclerk name" + bytes(150),
    "empty": lambda good: b"",
    "no_main_document": lambda good: rezipped(good, lambda n, d: None if n == "word/document.xml" else d),
    "missing_styles_part": lambda good: rezipped(good, _without_styles_target),
    "dangling_image_relationship": lambda good: rezipped(good, _dangling_image),
    "document_not_xml": lambda good: rezipped(good, lambda n, d: b"<w:document" if n == "word/document.xml" else d),
    "huge_part": with_huge_part,
}


@pytest.fixture(scope="module")
def good_docx(built_2024q1: Path) -> bytes:
    (path,) = built_2024q1.glob("*.docx")
    return path.read_bytes()


@pytest.mark.parametrize("damage", sorted(DAMAGES))
def test_check_names_a_damaged_file_and_exits_1(damage, good_docx, tmp_path):
    path = tmp_path / "修改稿.docx"
    path.write_bytes(DAMAGES[damage](good_docx))
    result = run_cli("check", str(path))
    assert result.exit_code == 1
    assert str(path) in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("damage", ["not_a_zip", "no_main_document", "dangling_image_relationship", "huge_part"])
def test_verify_names_a_damaged_file_and_exits_1(damage, good_docx, tmp_path):
    path = tmp_path / "修改稿.docx"
    path.write_bytes(DAMAGES[damage](good_docx))
    result = run_cli("verify", str(path), "--period", "2024Q1", "--inputs", str(INPUTS), "--templates", str(ROOT / "templates"))
    assert result.exit_code == 1
    assert str(path) in result.output and "无法作为 Word 文件打开" in result.output or "字节" in result.output


@pytest.mark.parametrize("damage", ["huge_part", "missing_styles_part", "document_not_xml", "no_main_document"])
def test_a_build_over_a_damaged_edited_bulletin_keeps_it_as_it_is(damage, good_docx, workspace):
    """Refused with the file named, or (its data being current) left exactly as saved: never replaced."""
    workspace.build()
    damaged = DAMAGES[damage](good_docx)
    workspace.docx.write_bytes(damaged)
    result = workspace.run("build", "--period", "2024Q1")
    assert workspace.docx.read_bytes() == damaged
    assert workspace.backups() == []
    if damage in ("huge_part", "no_main_document"):
        assert result.exit_code == 1, result.output
        assert "未合并、未覆盖任何文件" in result.output
    else:
        assert result.exit_code in (0, 1) and "未变化" in result.output or "未合并" in result.output


def test_make_check_leaves_out_the_owner_file_word_keeps_beside_an_open_bulletin(tmp_path, good_docx):
    folder = tmp_path / "outputs" / "2024Q1"
    folder.mkdir(parents=True)
    (folder / "通报.docx").write_bytes(good_docx)
    (folder / "~$通报.docx").write_bytes(DAMAGES["word_owner_file"](good_docx))
    (folder / "通报_修改稿_20240101-000000.docx").write_bytes(b"not checked")
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    for made_from in ("pyproject.toml", "requirements.lock"):
        (tmp_path / made_from).touch()
        os.utime(tmp_path / made_from, (0, 0))  # older than the installed command: make installs nothing
    done = subprocess.run(["make", "check", f"BIN={Path(sys.executable).parent}"], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "通报.docx：格式检查通过" in done.stdout and "~$" not in done.stdout + done.stderr
