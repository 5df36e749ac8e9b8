"""One error model: every refusal is a BulletinError that knows its exit code and how it is
shown (located, passwords hidden); the ``bulletin`` command alone prints it and exits."""

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

import click
import pytest
import yaml

import pipeline
from pipeline.core.errors import BulletinError, CommandFailed, InputError, Problem, ProgramFault
from pipeline.core.outputs import OutputBusy, OutputUnwritable
from pipeline.language.sentence import SentenceError
from pipeline.load.engine import EngineError
from pipeline.load.workbook import ReadError

from .conftest import FIXTURE_INPUTS, TEMPLATES, run_cli

PACKAGE = Path(pipeline.__file__).parent
LEFT_TO_THE_LANGUAGE = {"pipeline.language.text"}  # its Jinja errors go with the sandbox they belong to


def product_modules():
    for info in pkgutil.walk_packages([str(PACKAGE)], "pipeline."):
        if info.name not in LEFT_TO_THE_LANGUAGE and not info.name.endswith("__main__"):
            yield importlib.import_module(info.name)


def product_errors() -> list[type]:
    """Every exception class the product defines (outside the sandbox being replaced)."""
    found = set()
    for module in product_modules():
        for _, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, BaseException) and value.__module__ == module.__name__:
                found.add(value)
    return sorted(found, key=lambda c: (c.__module__, c.__name__))


def test_every_error_the_product_defines_derives_from_the_one_base():
    errors = product_errors()
    assert len(errors) >= 17, [e.__name__ for e in errors]
    assert [e.__name__ for e in errors if not issubclass(e, (BulletinError, ProgramFault, click.UsageError))] == []  # click's own: exit 2


def test_the_errors_keep_their_names_and_what_they_were():
    from pipeline.core.registry import UnknownUnit
    from pipeline.core.yamlio import YAMLKeyError, YAMLLimitError
    from pipeline.language.expressions import ExpressionError
    from pipeline.language.formats import FormatError

    assert issubclass(UnknownUnit, KeyError) and issubclass(FormatError, ValueError)
    assert issubclass(ExpressionError, ValueError) and issubclass(YAMLKeyError, yaml.MarkedYAMLError)
    assert issubclass(YAMLLimitError, yaml.YAMLError)


def test_each_error_knows_its_exit_code():
    assert InputError([]).exit_code == EngineError("x").exit_code == 1
    assert OutputBusy("x").exit_code == 2
    assert OutputUnwritable(OSError(28, "磁盘已满", "/out/a.docx"), Path("/out")).exit_code == 2
    assert CommandFailed("这是一份整改通知", 3).exit_code == 3


def test_an_error_is_shown_with_its_place_and_without_passwords():
    assert EngineError("无法连接 postgresql://clerk:hunter22@db/office").shown() == ["无法连接 postgresql://clerk:***@db/office"]
    assert SentenceError("没有名为“得分”的数据", file="2024Q1/正文.md", line=3).shown() == ["2024Q1/正文.md，第3行：没有名为“得分”的数据"]
    assert ReadError("文件为空（0 字节）", sheet="Sheet1", row=2).shown() == ["文件为空（0 字节）"]  # its file is added where it is read
    assert CommandFailed().shown() == []  # what failed is printed already


def test_the_inputs_refused_are_shown_as_one_list():
    error = InputError([Problem("bulletin.yaml", "缺少配置项：title", row=2), Problem("单位名录.yaml", "第1组为空")])
    assert error.shown() == ["输入有误，共 2 处，未生成或改动任何文件：", "  - bulletin.yaml，第2行：缺少配置项：title", "  - 单位名录.yaml：第1组为空"]


def calls_in(path: Path) -> list[str]:
    """``sys.exit``, ``print``, ``click.echo``/``secho`` and ``ctx.exit`` calls, and ``except BulletinError`` handlers, in one file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            name = ast.unparse(node.func)
            if name in ("sys.exit", "print", "exit", "click.echo", "click.secho", "ctx.exit"):
                found.append(name)
        if isinstance(node, ast.ExceptHandler) and node.type is not None and "BulletinError" in ast.unparse(node.type):
            found.append("except BulletinError")
    return found


def test_only_the_command_line_prints_exits_or_catches_the_base():
    outside = {str(p.relative_to(PACKAGE)): calls_in(p) for p in PACKAGE.rglob("*.py") if p.parent.name != "cli"}
    assert {file: calls for file, calls in outside.items() if calls} == {}
    inside = [call for p in (PACKAGE / "cli").glob("*.py") for call in calls_in(p)]
    assert inside.count("except BulletinError") == 1 and "sys.exit" not in inside


def test_a_missing_libreoffice_is_said_once_with_exit_code_1(tmp_path, monkeypatch):
    import pipeline.write.pdf as pdf

    monkeypatch.setattr(pdf, "find_tool", lambda name: None)
    result = run_cli("build", "--period", "2024Q1", "--inputs", str(FIXTURE_INPUTS), "--templates", str(TEMPLATES),
                     "--outputs", str(tmp_path), "--pdf")
    assert result.exit_code == 1
    assert result.output.count("PDF 未生成：") == 1 and "Traceback" not in result.output


def test_an_unknown_period_folder_is_refused_by_every_command_alike(tmp_path):
    for command in ("build", "validate"):
        result = run_cli(command, "--period", "2031Q1", "--inputs", str(FIXTURE_INPUTS), "--templates", str(TEMPLATES),
                         *(("--outputs", str(tmp_path)) if command == "build" else ()))
        assert result.exit_code == 1 and result.output.startswith("输入有误，共 1 处，未生成或改动任何文件：\n  - "), result.output


@pytest.mark.parametrize("args", [("check",), ("build",)])
def test_a_usage_mistake_is_still_clicks_own(args):
    assert run_cli(*args).exit_code == 2


def test_a_fault_of_the_program_is_told_in_one_paragraph_without_a_traceback_or_password(tmp_path, monkeypatch):
    from pipeline.cli import reporting

    def broken(*args):
        raise RuntimeError("无法连接 postgresql://clerk:s3cret@db/bulletins")

    monkeypatch.setattr(reporting, "write_bulletin", broken)
    monkeypatch.delenv("BULLETIN_DEBUG")
    result = run_cli("build", "--period", "2024Q1", "--inputs", str(FIXTURE_INPUTS), "--templates", str(TEMPLATES),
                     "--outputs", str(tmp_path))
    assert result.exit_code == 70
    assert result.output.startswith("程序内部错误（RuntimeError）：无法连接 ") and "Traceback" not in result.output
    assert "s3cret" not in result.output and "输出未改动" in result.output
    assert not any(tmp_path.iterdir())


@pytest.mark.parametrize("args, said", [
    (("build", "--bogus"), "错误：没有选项 --bogus"),
    (("frob",), "错误：没有命令 frob"),
    (("check", "/nowhere/none.docx"), "错误：FILES 给出的 /nowhere/none.docx 不存在"),
    (("build", "--period"), "错误：选项 --period 后面要写一个值"),
    (("--nope",), "错误：没有选项 --nope"),
])
def test_a_command_line_it_cannot_understand_is_told_in_chinese_with_exit_code_2(args, said):
    result = run_cli(*args)
    assert result.exit_code == 2 and said in result.output and "Error:" not in result.output, result.output


def test_a_usage_mistake_shows_the_commands_usage_and_where_its_help_is():
    result = run_cli("build", "--bogus")
    assert result.output.startswith("用法：bulletin build [选项]") and "运行 bulletin build --help 查看说明。" in result.output


def test_checking_a_period_with_nothing_built_says_to_build_it_first(tmp_path):
    result = run_cli("check", "--period", "2024Q1", "--outputs", str(tmp_path))
    assert result.exit_code == 1 and "其中没有生成的通报：请先运行 bulletin build --period 2024Q1" in result.output


def test_the_problems_of_a_run_are_listed_file_by_file_in_line_order():
    problems = [Problem("甲/kind.yaml", "三", row=141), Problem("甲/kind.yaml", "四", row=177),
                Problem("2024Q1/bulletin.yaml", "一", row=13), Problem("甲/kind.yaml", "二", row=80),
                Problem("甲/kind.yaml", "文件本身")]
    lines = InputError(problems).shown()[1:]
    assert lines == ["  - 甲/kind.yaml：文件本身", "  - 甲/kind.yaml，第80行：二", "  - 甲/kind.yaml，第141行：三",
                     "  - 甲/kind.yaml，第177行：四", "  - 2024Q1/bulletin.yaml，第13行：一"]
