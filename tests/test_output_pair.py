"""The bulletin and its evidence file switch together, even when a build is killed mid-way;
a build waiting for another says for whom, and not forever; a title too long for a file name is named."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from pipeline.core import outputs as output_module
from pipeline.core.outputs import output_lock, write_all

from .conftest import FIXTURE_INPUTS, PERIOD, ROOT, change_bulletin, run, snapshot

OLD = {"通报.docx": b"old bulletin", "通报_问题依据.csv": b"old evidence", "通报_修改稿_20240101-000000.docx": b"kept"}
NEW = {"通报.docx": b"new bulletin", "通报_问题依据.csv": b"new evidence"}


def _folder_with_old_pair(tmp_path: Path) -> Path:
    folder = tmp_path / "outputs" / PERIOD
    folder.mkdir(parents=True)
    for name, data in OLD.items():
        (folder / name).write_bytes(data)
    (folder / "preview").mkdir()
    (folder / "preview" / "page-1.png").write_bytes(b"png")
    return folder


def _killed_while_writing(folder: Path, patch: str) -> int:
    """Run write_all of the new pair in another process that ``patch`` kills mid-way; its exit status."""
    script = textwrap.dedent(f"""
        import os, signal, sys
        from pathlib import Path
        from pipeline.core import outputs
        {patch}
        folder = Path({str(folder)!r})
        outputs.write_all({{folder / name: data for name, data in {NEW!r}.items()}})
    """)
    return subprocess.run([sys.executable, "-c", script], cwd=ROOT).returncode


def _pair(folder: Path) -> tuple[bytes, bytes]:
    return (folder / "通报.docx").read_bytes(), (folder / "通报_问题依据.csv").read_bytes()


def test_a_build_killed_before_the_switch_leaves_the_old_pair_and_its_leftovers_are_removed(tmp_path):
    folder = _folder_with_old_pair(tmp_path)
    before = snapshot(folder)
    status = _killed_while_writing(folder, "outputs._swap_in = lambda *a: os.kill(os.getpid(), signal.SIGKILL)")
    assert status == -9
    assert snapshot(folder) == before
    assert [p.name for p in folder.parent.glob(f".{PERIOD}.new-*")], "the killed build staged a folder"
    write_all({folder / name: data for name, data in NEW.items()})
    assert _pair(folder) == (b"new bulletin", b"new evidence")
    assert (folder / "通报_修改稿_20240101-000000.docx").read_bytes() == b"kept"
    assert (folder / "preview" / "page-1.png").read_bytes() == b"png"
    assert sorted(p.name for p in folder.parent.iterdir()) == [PERIOD], "leftovers of the killed build remain"


def test_killed_between_the_two_renames_where_folders_cannot_be_swapped_the_old_pair_comes_back(tmp_path):
    folder = _folder_with_old_pair(tmp_path)
    before = snapshot(folder)
    patch = textwrap.dedent("""
        outputs._exchange = lambda *a: False
        real_rename = os.rename
        def rename(source, target):
            if ".new-" in str(source):
                os.kill(os.getpid(), signal.SIGKILL)
            real_rename(source, target)
        os.rename = rename
    """).replace("\n", "\n        ")
    assert _killed_while_writing(folder, patch) == -9
    assert not folder.exists(), "the old folder was moved aside"
    write_all({folder / name: data for name, data in NEW.items()})  # the next build puts the old folder back first
    assert _pair(folder) == (b"new bulletin", b"new evidence")
    assert {k: v for k, v in snapshot(folder).items() if k not in NEW} == {k: v for k, v in before.items() if k not in NEW}
    assert sorted(p.name for p in folder.parent.iterdir()) == [PERIOD]


def test_a_build_waiting_for_another_says_whose_lock_and_gives_up_in_time(tmp_path, monkeypatch):
    outputs = tmp_path / "outputs"
    outputs.mkdir()
    monkeypatch.setattr(output_module, "LOCK_WAIT_SECONDS", 0.5)
    with output_lock(outputs):
        result = run("build", PERIOD, FIXTURE_INPUTS, outputs)
    assert result.exit_code == 2
    assert f"正被进程 {os.getpid()}" in result.output
    assert "等待其完成（最多 0 秒）" in result.output or "等待其完成" in result.output
    assert "未改动任何文件" in result.output
    assert not list(outputs.glob(f"{PERIOD}*")), "something was written while the lock was held"
    assert run("build", PERIOD, FIXTURE_INPUTS, outputs).exit_code == 0


def test_a_title_too_long_for_a_file_name_is_named_in_the_configuration(inputs, tmp_path):
    change_bulletin(inputs, {"title": "测试市" + "关于进一步做好政务服务工作" * 10 + "的通报"})
    outputs = tmp_path / "outputs"
    result = run("build", PERIOD, inputs, outputs)
    assert result.exit_code == 1, result.output
    assert "bulletin.yaml" in result.output and "文件名过长" in result.output and "output_name" in result.output
    assert "Word" not in result.output
    assert not outputs.exists() or not list(outputs.rglob("*.docx"))
