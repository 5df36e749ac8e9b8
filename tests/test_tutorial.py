"""docs/tutorial.md, done as a clerk does it: in an empty folder, every file it says to write is
written, every command it shows is run through the command line in order, and what each prints
is what the tutorial shows; the bulletin it builds says what the tutorial says it says; and the
files it ends with are the ones kept in docs/tutorial/."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import openpyxl
import yaml
from docx import Document

from .conftest import ROOT, run_cli
from .test_configuration_language import as_json

TUTORIAL = ROOT / "docs" / "tutorial.md"
KEPT = ROOT / "docs" / "tutorial"
SHEET_SCRIPT = "docs/tutorial/生成样表.py"
WRITE = re.compile(r"^新建 `([^`]+)`：$")
APPEND = re.compile(r"^在 `([^`]+)` 末尾接着写：$")
REPLACE = re.compile(r"把 `([^`]+)` 中的 `([^`]+)` 改成 `([^`]+)`")
FIRST_PERIOD = "2024-06"  # the period the tutorial writes and shows; the next one is started from it
REFUSED = "未生成或改动任何文件"  # what a refusal says: its exit code is 1


@dataclass
class Step:
    action: str  # write, append, replace, run, document
    path: str = ""
    text: str = ""
    new: str = ""


def fenced(lines: list[str], start: int) -> tuple[str, str, int]:
    """The info word and the text of the fenced block opening at ``start``, and the line after it."""
    info = lines[start].strip()[3:]
    end = next(i for i in range(start + 1, len(lines)) if lines[i].strip() == "```")
    return info, "".join(line + "\n" for line in lines[start + 1:end]), end + 1


def next_block(lines: list[str], start: int) -> tuple[str, str, int]:
    opening = next(i for i in range(start, len(lines)) if lines[i].startswith("```"))
    return fenced(lines, opening)


def steps() -> list[Step]:
    """What the tutorial has the clerk do, in its order."""
    lines, found, i = TUTORIAL.read_text(encoding="utf-8").splitlines(), [], 0
    while i < len(lines):
        line = lines[i]
        if (match := WRITE.match(line) or APPEND.match(line)):
            _, text, i = next_block(lines, i + 1)
            found.append(Step("write" if WRITE.match(line) else "append", match.group(1), text))
            continue
        found += [Step("replace", *m.groups()) for m in REPLACE.finditer(line)]
        if line.startswith("```console") or line.startswith("```text"):
            info, text, i = fenced(lines, i)
            found += commands(text) if info == "console" else [Step("document", text=text)]
            continue
        i += 1
    return found


def commands(block: str) -> list[Step]:
    """``$ command`` lines, each with the lines it prints below it."""
    found = []
    for line in block.splitlines():
        if line.startswith("$ "):
            found.append(Step("run", text=line[2:]))
        else:
            found[-1].new += line + "\n"
    return found


def normalised(text: str, folder: Path) -> str:
    text = text.replace(str(folder) + "/", "").replace("\t", " ")
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


def run_command(command: str, folder: Path) -> tuple[int, str]:
    words = shlex.split(command)
    if words[:2] == ["mkdir", "-p"]:
        for name in words[2:]:
            (folder / name).mkdir(parents=True, exist_ok=True)
        return 0, ""
    if words[:2] == ["python", SHEET_SCRIPT]:
        done = subprocess.run([sys.executable, str(ROOT / SHEET_SCRIPT), *words[2:]], cwd=folder,
                              capture_output=True, text=True, encoding="utf-8")
        return done.returncode, done.stdout + done.stderr
    assert words[0] == "bulletin", f"教程中的命令只能是 bulletin、mkdir -p 或 python {SHEET_SCRIPT}：{command}"
    result = run_cli(*words[1:])
    return result.exit_code, result.output


def document_text(folder: Path) -> str:
    """The first period's built bulletin as the tutorial shows it: its paragraphs, then its tables row by row."""
    (path,) = [p for p in (folder / "outputs" / FIRST_PERIOD).glob("*.docx") if "修改稿" not in p.name]
    document = Document(str(path))
    lines = [p.text for p in document.paragraphs if p.text.strip()]
    lines += [" | ".join(cell.text for cell in row.cells) for table in document.tables for row in table.rows]
    return "\n".join(lines)


def do(step: Step, folder: Path) -> None:
    path = folder / step.path
    if step.action in ("write", "append"):
        path.parent.mkdir(parents=True, exist_ok=True)
        before = path.read_text(encoding="utf-8") if step.action == "append" else ""
        path.write_text(before + step.text, encoding="utf-8")
    elif step.action == "replace":
        text = path.read_text(encoding="utf-8")
        assert text.count(step.text) == 1, f"{step.path} 中应恰有一处“{step.text}”"
        path.write_text(text.replace(step.text, step.new), encoding="utf-8")
    elif step.action == "run":
        code, output = run_command(step.text, folder)
        assert normalised(output, folder) == normalised(step.new, folder), step.text
        assert code == (1 if REFUSED in step.new else 0), step.text
    else:
        assert normalised(document_text(folder), folder) == normalised(step.text, folder)


def published() -> list[str]:
    """The lines of the published bulletin the tutorial starts from (its first block without a language)."""
    lines = TUTORIAL.read_text(encoding="utf-8").splitlines()
    _, text, _ = fenced(lines, lines.index("```"))
    return [line.strip() for line in text.splitlines() if line.strip()]


def test_the_tutorial_runs_as_written(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    done = steps()
    assert {s.action for s in done} == {"write", "append", "replace", "run", "document"}
    for step in done:
        do(step, tmp_path)
    built = document_text(tmp_path).splitlines()
    assert [line for line in published() if line not in built] == []  # every line of the published bulletin
    kept = sorted(str(p.relative_to(KEPT)) for p in KEPT.rglob("*") if p.is_file() and p.suffix in (".yaml", ".md"))
    written = sorted({s.path for s in done if s.action == "write"})
    assert kept == written
    assert {name: (tmp_path / name).read_text(encoding="utf-8") for name in kept} == \
        {name: (KEPT / name).read_text(encoding="utf-8") for name in kept}


def shown_sheet() -> list[list[str]]:
    """The table of the tutorial's first section: the Excel sheet the clerk starts from."""
    rows = [line for line in TUTORIAL.read_text(encoding="utf-8").splitlines() if line.startswith("| ")]
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows if not set(row) <= set("|- ")]


def test_the_sheet_the_tutorial_shows_is_the_one_its_script_writes(tmp_path):
    subprocess.run([sys.executable, str(ROOT / SHEET_SCRIPT), str(tmp_path)], check=True, capture_output=True)
    (path,) = tmp_path.glob("*.xlsx")
    sheet = openpyxl.load_workbook(path).active
    assert [[str(v) for v in row] for row in sheet.iter_rows(values_only=True)] == shown_sheet()


def test_a_table_named_before_any_is_declared_is_refused_with_how_to_declare_it(tmp_path, monkeypatch):
    """A new kind's first mistake: the period names its sheet under files: before kind.yaml declares it."""
    shutil.copytree(KEPT / "inputs", tmp_path / "inputs")
    (tmp_path / "templates" / "zwfw").mkdir(parents=True)
    (tmp_path / "templates" / "zwfw" / "kind.yaml").write_text("name: 政务服务工作情况通报\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert run_cli("make-template", "templates/zwfw/bulletin.docx").exit_code == 0
    result = run_cli("validate", "--period", "2024-06")
    assert result.exit_code == 1
    assert "2024-06/bulletin.yaml：files 中的“办件”不是已声明的数据表：datasets 中还没有声明任何数据表" in result.output
    assert "Traceback" not in result.output


def test_the_files_the_tutorial_writes_satisfy_the_schema_its_first_line_names():
    """The editor the tutorial's first line points at underlines nothing in the files it ends with."""
    schema_path = ROOT / "templates" / "zwfw"  # where the kind is written, in the project's root
    first = (KEPT / "templates" / "zwfw" / "kind.yaml").read_text(encoding="utf-8").splitlines()[0]
    schema = json.loads((schema_path / first.split("$schema=")[1]).resolve().read_text(encoding="utf-8"))
    for name in ("templates/zwfw/kind.yaml", "inputs/2024-06/bulletin.yaml"):
        jsonschema.validate(as_json(yaml.safe_load((KEPT / name).read_text(encoding="utf-8"))), schema)
