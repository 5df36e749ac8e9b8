"""The checked peer of the scale benchmark: hand-written DuckDB SQL that makes the checks a
好差评 build makes of its case records before it counts them, then the per-window figures of
``bench/hand_query.py``, on the same file (.csv or .parquet).

The checks are those of ``templates/haochaping/kind.yaml`` (dataset ``cases``) as the build
makes them (``pipeline/load/records.py``, ``sources.py``, ``schema.py``, ``cutoff.py``,
``in_period.py``), no more and no fewer:

- every column read typed: 申请日期 and 办结日期 as dates, 承诺时限（工作日） as a whole number
  (a value that is neither refuses the file), the rest as text; rows left wholly blank left out;
- a value in every required column: 办件编号, 办理窗口, 申请日期, 承诺时限（工作日）;
- every 办理窗口 one of the registry's names (全称, 简称, 正文用名 or alias);
- every 评价结果 blank or one of 满意, 基本满意, 不满意;
- 承诺时限（工作日） from 1 to 365;
- 办结日期, where given, not before 申请日期;
- no 办件编号 given twice;
- records applied for after the cut-off and outside the period counted (the build warns of
  them and leaves the late ones out).

A file that fails a check is refused: the checks that failed are printed and the exit code is 1.
Spellings the build folds (full-width characters, spaces inside a name, dates written
2023/4/3 or 2023年4月3日) are refused here: the generated files hold none.

    python bench/checked_query.py RECORDS CALENDAR.csv REGISTRY.yaml [--start 2023-01-01 --end 2023-12-31 --cutoff 2023-12-31]
"""

from __future__ import annotations

import argparse
import sys

import duckdb
import yaml

CHOICES = ("满意", "基本满意", "不满意")
REQUIRED = ("办件编号", "办理窗口", "申请日期", "承诺时限（工作日）")
COLUMNS = {"办件编号": "VARCHAR", "办理窗口": "VARCHAR", "申请日期": "DATE", "承诺时限（工作日）": "INTEGER",
           "办结日期": "DATE", "评价结果": "VARCHAR"}

LOAD = """
CREATE {kind} cases AS
SELECT c.办件编号 AS case_id, c.办理窗口 AS window_name, c.申请日期 AS applied_on,
       c."承诺时限（工作日）" AS limit_days, c.办结日期 AS completed_on, c.评价结果 AS grade
FROM {scan} AS c
WHERE NOT (c.办件编号 IS NULL AND c.办理窗口 IS NULL AND c.申请日期 IS NULL AND c."承诺时限（工作日）" IS NULL
           AND c.办结日期 IS NULL AND c.评价结果 IS NULL)
"""

CHECKS = """
SELECT count(*) FILTER (WHERE case_id IS NULL) AS "办件编号为空",
       count(*) FILTER (WHERE window_name IS NULL) AS "办理窗口为空",
       count(*) FILTER (WHERE applied_on IS NULL) AS "申请日期为空",
       count(*) FILTER (WHERE limit_days IS NULL) AS "承诺时限为空",
       count(*) FILTER (WHERE window_name IS NOT NULL AND window_name NOT IN (SELECT name FROM names)) AS "办理窗口不在名录中",
       count(*) FILTER (WHERE grade IS NOT NULL AND grade NOT IN ('满意', '基本满意', '不满意')) AS "评价结果不是选项之一",
       count(*) FILTER (WHERE limit_days < 1 OR limit_days > 365) AS "承诺时限超出 1–365",
       count(*) FILTER (WHERE completed_on < applied_on) AS "办结日期早于申请日期",
       count(*) FILTER (WHERE applied_on > DATE '{cutoff}') AS late,
       count(*) FILTER (WHERE applied_on < DATE '{start}' OR applied_on > DATE '{end}') AS outside
FROM cases
"""

REPEATS = "SELECT count(*) FROM (SELECT case_id FROM cases WHERE case_id IS NOT NULL GROUP BY case_id HAVING count(*) > 1)"

FIGURES = """
WITH cal AS (SELECT * FROM read_csv('{calendar}', header = true)),
     work AS (SELECT through AS ordinal, day AS work_day FROM cal WHERE workday)
SELECT unit,
       count(*) AS expected,
       count(grade) AS voted,
       count(*) FILTER (WHERE grade = '满意') AS satisfied,
       count(*) FILTER (WHERE grade = '基本满意') AS basic,
       count(*) FILTER (WHERE grade = '不满意') AS dissatisfied,
       count(*) FILTER (WHERE completed_on <= DATE '{cutoff}') AS completed,
       count(*) FILTER (WHERE CASE WHEN completed_on IS NULL OR completed_on > DATE '{cutoff}'
                                   THEN DATE '{cutoff}' > work_day ELSE completed_on > work_day END) AS overdue
FROM cases
JOIN names ON names.name = cases.window_name
JOIN cal ON cal.day = cases.applied_on
JOIN work ON work.ordinal = cal.through + cases.limit_days
WHERE applied_on BETWEEN DATE '{start}' AND DATE '{end}' AND applied_on <= DATE '{cutoff}'
GROUP BY 1 ORDER BY 1
"""


def registry_names(path: str) -> list[tuple[str, int]]:
    """Every spelling of the registry (全称, 简称, 正文用名, aliases) with its unit's position."""
    data = yaml.safe_load(open(path, encoding="utf-8-sig"))
    entries = [entry for members in data["groups"].values() for entry in members]
    return [(str(name), order) for order, entry in enumerate(entries)
            for name in dict.fromkeys([entry["name"], entry.get("short"), entry.get("text"), *(entry.get("aliases") or [])]) if name]


def scan(records: str) -> str:
    if records.endswith(".parquet"):
        return f"read_parquet('{records}')"
    columns = ", ".join(f"'{name}': '{kind}'" for name, kind in COLUMNS.items())
    return f"read_csv('{records}', header = true, auto_detect = false, delim = ',', quote = '\"', columns = {{{columns}}})"


def refusals(con, dates: dict) -> list[str]:
    """The checks the file fails, each with the number of rows that fail it."""
    checks = con.execute(CHECKS.format(**dates))
    counts = dict(zip([d[0] for d in checks.description], checks.fetchone()))
    print(f"{counts.pop('late')} records after the cut-off, {counts.pop('outside')} outside the period")
    (repeated,) = con.execute(REPEATS).fetchone()
    counts["办件编号重复"] = repeated
    return [f"{name}：{count} 行" for name, count in counts.items() if count]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("records")
    parser.add_argument("calendar")
    parser.add_argument("registry")
    for name, default in (("start", "2023-01-01"), ("end", "2023-12-31"), ("cutoff", "2023-12-31")):
        parser.add_argument(f"--{name}", default=default)
    args = parser.parse_args(argv)
    dates = {"start": args.start, "end": args.end, "cutoff": args.cutoff}
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    con.execute("CREATE TABLE names (name VARCHAR, unit INTEGER)")
    con.executemany("INSERT INTO names VALUES (?, ?)", registry_names(args.registry))
    try:
        kind = "VIEW" if args.records.endswith(".parquet") else "TABLE"  # a Parquet file is read where it lies
        con.execute(LOAD.format(kind=kind, scan=scan(args.records)))
    except duckdb.Error as exc:
        print(f"refused: {str(exc).splitlines()[0]}")
        return 1
    failed = refusals(con, dates)
    if failed:
        print("refused:", "；".join(failed))
        return 1
    rows = con.execute(FIGURES.format(calendar=args.calendar, **dates)).fetchall()
    print(len(rows), "windows,", sum(r[1] for r in rows), "cases,", sum(r[7] for r in rows), "overdue")
    return 0


if __name__ == "__main__":
    sys.exit(main())
