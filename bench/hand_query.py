"""The reference for the scale benchmark: one hand-written DuckDB SQL query computing the
好差评 per-window figures — counts by grade, completed, overdue against working-day due
dates — from the generated case records (.csv or .parquet), as a person would write it.

    python bench/hand_query.py bench/generated/10000000/2023/办件及评价记录.csv CALENDAR.csv
"""

import sys

import duckdb

QUERY = """
WITH cal AS (SELECT * FROM read_csv('{calendar}', header = true)),
     work AS (SELECT through AS ordinal, day AS work_day FROM cal WHERE workday),
     cases AS (SELECT * FROM {scan})
SELECT 办理窗口 AS unit,
       count(*) AS expected,
       count(评价结果) AS voted,
       count(*) FILTER (WHERE 评价结果 = '满意') AS satisfied,
       count(*) FILTER (WHERE 评价结果 = '基本满意') AS basic,
       count(*) FILTER (WHERE 评价结果 = '不满意') AS dissatisfied,
       count(*) FILTER (WHERE 办结日期 <= DATE '2023-12-31') AS completed,
       count(*) FILTER (WHERE CASE WHEN 办结日期 IS NULL OR 办结日期 > DATE '2023-12-31'
                                   THEN DATE '2023-12-31' > work_day ELSE 办结日期 > work_day END) AS overdue
FROM cases
JOIN cal ON cal.day = cases.申请日期
JOIN work ON work.ordinal = cal.through + cases."承诺时限（工作日）"
WHERE 申请日期 BETWEEN DATE '2023-01-01' AND DATE '2023-12-31'
GROUP BY 1 ORDER BY 1
"""


def main(records: str, calendar: str) -> None:
    scan = f"read_parquet('{records}')" if records.endswith(".parquet") else f"read_csv('{records}', header = true)"
    rows = duckdb.sql(QUERY.format(calendar=calendar, scan=scan)).fetchall()
    print(len(rows), "windows,", sum(r[1] for r in rows), "cases,", sum(r[7] for r in rows), "overdue")


if __name__ == "__main__":
    main(*sys.argv[1:3])
