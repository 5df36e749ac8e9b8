"""The period's prose files read as prose documents: Markdown (.md, UTF-8 or GBK) or Word (.docx),
each checked at its lines before any figure is computed."""

from __future__ import annotations

from ..config.bulletin import BulletinConfig
from ..config.check import show_path
from ..config.prose_check import file_with_other_keys, prose_problems
from ..core.encoding import UnknownEncoding, decode_text
from ..core.errors import Problem, ProblemLog
from ..language.prose import ProseDocument, ProseError, markdown_lines, parse_prose, where
from ..word.opener import WordFileError
from ..word.prose_docx import docx_lines

WORD_SUFFIX = ".docx"
IN_ITEMS = "file 只能写在 body 中（文件中的段落和标题自成一体，不能作为编号的一项）：请移到这一部分或这一项的 body 下"
FIRST_LEVEL = {"document": 1}  # a document's headings start at 一、; a prose block's at （一）


def read_prose(config: BulletinConfig, name: str, log: ProblemLog, statements: bool = True) -> ProseDocument:
    """The document in the period's file ``name`` (an empty one, its problem logged, if it cannot be read)."""
    shown = f"{config.period.code}/{name}"
    try:
        data = config.period_file(name).read_bytes()
        lines = docx_lines(data, shown) if name.lower().endswith(WORD_SUFFIX) else markdown_lines(decode_text(data))
        return parse_prose(name, lines, statements)
    except FileNotFoundError:
        log.add(shown, "文件不存在")
    except WordFileError as exc:
        log.add(shown, exc.reason)
    except UnknownEncoding as exc:
        log.add(shown, str(exc))
    except ProseError as exc:
        log.add(shown, str(exc), row=exc.line)
    return ProseDocument(name)


def prose_documents(config: BulletinConfig, log: ProblemLog, warnings: list[Problem], statements_files: list[str]) -> dict:
    """File name → document of the period's prose files: narrative sections (printed as typed),
    document sections and the files statements name (``statements_files``), each checked."""
    prose = {}
    for section in config.items("sections"):
        kind = section.value("type")
        if kind == "narrative":
            prose[section.value("file")] = _narrative(config, section, log, warnings)
        elif kind == "document":
            prose[section.value("file")] = _checked(config, section.value("file"), log, FIRST_LEVEL["document"])
    for name in statements_files:
        prose[name] = _checked(config, name, log, 2)
    log.problems.extend(combined_file_problems(config))
    return prose


def _narrative(config: BulletinConfig, section, log: ProblemLog, warnings: list[Problem]) -> ProseDocument:
    name = section.value("file")
    document = read_prose(config, name, log, statements=False)
    if config.period_file(name).is_file() and not document.parts and not log.problems:
        warnings.append(Problem(f"{config.period.code}/{name}", f"文件为空：通报中不出现“{section.value('heading')}”一节"))
    log.problems.extend(_slots_in_narrative(f"{config.period.code}/{name}", document))
    return document


NARRATIVE_SLOT = ("“{slot}”不会被填写：type: narrative 的文字原样印出。要在文字中写数据，请把此节改为"
                  " type: document，或在 body 中写 - file: {name}（见 docs/documents.md）")


def _slots_in_narrative(shown: str, document: ProseDocument) -> list[Problem]:
    """A {{ }} or {% %} typed in a narrative, which prints as typed: refused at its line, never printed."""
    found = []
    for part in document.parts:
        slot = next((mark for mark in ("{{", "{%") if mark in part.line.text), None)
        if slot:
            message = NARRATIVE_SLOT.format(slot=slot + " … " + ("}}" if slot == "{{" else "%}"), name=shown.split("/")[-1])
            found.append(Problem(shown, where(part.line) + message, row=part.line.row))
    return found


def _checked(config: BulletinConfig, name: str, log: ProblemLog, first: int) -> ProseDocument:
    document = read_prose(config, name, log)
    log.problems.extend(prose_problems(f"{config.period.code}/{name}", document, config.value("formats"), first))
    return document


def combined_file_problems(config: BulletinConfig) -> list[Problem]:
    """A statement of kind.yaml or bulletin.yaml naming a ``file`` and also text or items, at its line."""
    found = []
    for path, keys in _file_statements(config.value("sections"), ("sections",)):
        problem = file_with_other_keys(keys) or (IN_ITEMS if "items" in path[-2:-1] else None)
        if problem:
            file, line = config.place(*path, "file")
            found.append(Problem(file, f"{show_path(path)}：{problem}", row=line))
    return found


def _file_statements(node, path: tuple) -> list[tuple[tuple, list]]:
    """(path, keys) of every statement under ``node`` that names a ``file`` (sections themselves excepted)."""
    if isinstance(node, list):
        return [found for i, item in enumerate(node) for found in _file_statements(item, path + (i,))]
    if not isinstance(node, dict):
        return []
    own = [(path, list(node))] if node.get("file") and "heading" not in node and node.get("type") is None else []
    return own + [found for key in ("body", "items") for found in _file_statements(node.get(key), path + (key,))]
