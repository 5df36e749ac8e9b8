"""The evidence behind each derived 存在问题 entry, as a CSV a clerk opens in Excel."""

from __future__ import annotations

import csv
import io

from ..problems import ProblemEntry
from ..rules import RULES

HEADER = ("问题序号", "问题标题", "规则", "规则名称", "单位", "依据", "来源文件", "行号")


def evidence_csv(entries: list[ProblemEntry]) -> bytes:
    """One row per piece of evidence, UTF-8 with BOM so that Excel on Windows reads it."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for number, entry in enumerate(entries, start=1):
        for finding in entry.findings:
            for item in finding.evidence:
                writer.writerow(
                    (
                        number,
                        entry.heading,
                        finding.rule,
                        finding.title or RULES[finding.rule].title,
                        finding.unit.short_name,
                        item.detail,
                        item.file,
                        "" if item.row is None else item.row,
                    )
                )
    return ("\ufeff" + out.getvalue()).encode("utf-8")
