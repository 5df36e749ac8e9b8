"""The evidence behind each derived 存在问题 entry, as a CSV a clerk opens in Excel."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

from ..compose import StatementEvidence
from ..findings.problems import ProblemEntry
from ..findings.base import RULES

HEADER = ("问题序号", "问题标题", "规则", "规则名称", "单位", "依据", "来源文件", "行号")


def evidence_csv(entries: list[ProblemEntry], statements: list[StatementEvidence] = ()) -> bytes:
    """One row per piece of evidence, UTF-8 with BOM so that Excel on Windows reads it: the
    findings of each 存在问题 entry and the figure rows its statements printed, then each figure
    row a sentence of another section printed (问题序号 is then the section's number, 问题标题 the
    section › item it was printed in, 规则 the figure)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for number, entry in enumerate(entries, start=1):
        for finding in entry.findings:
            for item in finding.evidence:
                writer.writerow((number, entry.heading, finding.rule, finding.title or RULES[finding.rule].title,
                                 finding.unit.short_name, item.detail, item.file, "" if item.row is None else item.row))
        for row in entry.evidence:
            writer.writerow(statement_row(replace(row, section=str(number), place=entry.heading)))
    for row in statements:
        writer.writerow(statement_row(row))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def statement_row(row: StatementEvidence) -> tuple:
    return (row.section, row.place, row.figure, row.title, row.label, row.detail, row.file, "" if row.row is None else row.row)
