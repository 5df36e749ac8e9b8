"""A bulletin whose file name changes (its title or output_name edited) does not leave the last
build beside the new one: an untouched earlier build goes with its evidence file; one a clerk
edited is kept and said, never silently dropped nor taken for the new one."""

from __future__ import annotations

from docx import Document

from .conftest import PERIOD, change_bulletin
from .editing import paragraph_with, replace_text

NEW_TITLE = "宜城市“高效办成一件事”工作开展情况通报"


def renamed(workspace):
    old = workspace.docx
    change_bulletin(workspace.inputs, {"title": NEW_TITLE, "output_name": "一季度通报"})
    return old


def test_an_untouched_earlier_build_under_another_name_goes_with_the_new_one(workspace):
    workspace.build()
    old = renamed(workspace)
    evidence = old.with_name(old.stem + "_问题依据.csv")
    assert old.is_file() and evidence.is_file()
    result = workspace.build()
    assert not old.exists() and not evidence.exists()
    assert f"已删除：{old}（本期以前以这个文件名生成、未经修改的通报" in result.output
    folder = workspace.outputs / PERIOD
    assert sorted(p.name for p in folder.iterdir() if p.is_file()) == ["一季度通报.docx", "一季度通报_问题依据.csv"]


def test_an_earlier_build_a_clerk_edited_is_kept_and_said(workspace):
    workspace.build()
    old = workspace.docx
    document = Document(str(old))
    replace_text(paragraph_with(document, "现将有关情况通报如下"), "现将有关情况通报如下", "现将考核情况通报如下")
    document.save(str(old))
    edited = old.read_bytes()
    renamed(workspace)
    result = workspace.build()
    assert old.read_bytes() == edited
    assert f"注意：{old} 是本期以前以另一文件名生成、后经修改的通报，未删除" in result.output
    assert (workspace.outputs / PERIOD / "一季度通报.docx").is_file()


def test_a_clerks_own_document_in_the_folder_is_never_touched(workspace):
    workspace.build()
    renamed(workspace)
    own = workspace.outputs / PERIOD / "会议纪要.docx"
    Document().save(str(own))
    kept = own.read_bytes()
    workspace.build()
    assert own.read_bytes() == kept
