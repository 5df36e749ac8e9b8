"""文件包: what Word reads besides the text — compatibility mode, stale parts, app properties,
the font table and theme languages, on/off values Word accepts without repairing the file."""

from __future__ import annotations

import re
import zipfile
from functools import lru_cache
from pathlib import Path

import docx

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import qn

from ..standard.package import COMPATIBILITY_MODE, STALE_RELATIONSHIPS, THUMBNAIL, faces_used
from ..standard.measures import FALLBACK_FONTS
from .base import format_rule

ON_OFF_ROWS = ("w:tblHeader", "w:cantSplit", "w:hidden")
TEMPLATE_APPLICATION = "Microsoft Macintosh Word"  # python-docx's default app.xml


def _package(view):
    return view.document.part.package


def _related(rels, reltypes) -> list:
    return [rel for rel in rels.values() if rel.reltype in reltypes]


@format_rule("PKG-01", "兼容模式 15（Word 2013 及以后，不显示“兼容模式”）")
def compatibility_mode(view):
    settings = view.document.settings.element
    modes = [s.get(qn("w:val")) for s in settings.iter(qn("w:compatSetting"))
             if s.get(qn("w:name")) == "compatibilityMode"]
    if modes != [COMPATIBILITY_MODE]:
        yield "文档设置", f"兼容模式 {modes[0] if modes else '未设置'}"


def _style_ids(root) -> set[str]:
    return {s.get(qn("w:styleId")) for s in root.iter(qn("w:style"))}


@lru_cache(maxsize=1)
def _template_thumbnail() -> bytes:
    """The thumbnail python-docx's own template carries (a picture of no document of ours)."""
    with zipfile.ZipFile(Path(docx.__file__).with_name("templates") / "default.docx") as package:
        return package.read("docProps/thumbnail.jpeg")


@format_rule("PKG-02", "没有遗留部件（与 styles.xml 不符的 stylesWithEffects.xml、模板缩略图）")
def no_stale_parts(view):
    styles = _style_ids(view.document.styles.element)
    for rel in _related(view.document.part.rels, STALE_RELATIONSHIPS):  # Word 2010 writes one in step: not stale
        missing = styles - _style_ids(parse_xml(rel.target_part.blob))
        if missing:
            yield str(rel.target_part.partname), f"遗留部件：缺少样式 {'、'.join(sorted(missing)[:3])} 等 {len(missing)} 个"
    for rel in _related(_package(view).rels, (THUMBNAIL,)):
        if rel.target_part.blob == _template_thumbnail():
            yield str(rel.target_part.partname), "python-docx 模板的缩略图"


@format_rule("PKG-03", "文件属性（app.xml）不是模板遗留")
def app_properties(view):
    for rel in _related(_package(view).rels, (RT.EXTENDED_PROPERTIES,)):
        text = rel.target_part.blob.decode("utf-8", "replace")
        application = re.search(r"<Application>(.*?)</Application>", text)
        if application and application.group(1) == TEMPLATE_APPLICATION and "<Characters>0<" in text:
            yield "docProps/app.xml", f"写作“{TEMPLATE_APPLICATION}”、0 字"


def _font_table(view) -> dict[str, object]:
    part = view.document.part.part_related_by(RT.FONT_TABLE)
    root = parse_xml(part.blob)
    return {f.get(qn("w:name")): f for f in root.iter(qn("w:font"))}


@format_rule("PKG-04", "字体表列出所用每种字体，中文字体注明替代字体（w:altName）")
def font_table(view):
    try:
        table = _font_table(view)
    except KeyError:
        yield "word/fontTable.xml", "没有字体表"
        return
    for face in faces_used(view.document):
        entry = table.get(face)
        if entry is None:
            yield "word/fontTable.xml", f"未列出“{face}”"
        elif face in FALLBACK_FONTS and entry.find(qn("w:altName")) is None:
            yield "word/fontTable.xml", f"“{face}”没有替代字体"


@format_rule("PKG-05", "主题字体语言为中文（w:themeFontLang eastAsia=zh-CN）")
def theme_language(view):
    lang = view.document.settings.element.find(qn("w:themeFontLang"))
    east_asia = lang.get(qn("w:eastAsia")) if lang is not None else None
    if east_asia != "zh-CN":
        yield "文档设置", f"主题东亚语言 {east_asia or '未设置'}"


@format_rule("PKG-06", "表格行的开关属性取 Word 接受的值（不写 w:val=\"true\"）")
def on_off_values(view):
    for number, table in enumerate(view.document.tables, start=1):
        for tag in ON_OFF_ROWS:
            bad = [e for e in table._tbl.iter(qn(tag)) if e.get(qn("w:val")) in ("true", "false")]
            if bad:
                yield f"表{number}", f"{tag[2:]} 写作 w:val=\"{bad[0].get(qn('w:val'))}\"（共 {len(bad)} 处）"

