"""教程用的表：清河县2024年6月（或7月）各单位政务服务办件情况（各单位办件情况.xlsx），每次生成的内容相同。

    python docs/tutorial/生成样表.py inputs/2024-06
    python docs/tutorial/生成样表.py inputs/2024-07 7

各单位的表从业务系统导出即可；这个脚本只为教程和它的测试（tests/test_tutorial.py）备一张表。
"""

import datetime as dt
import sys
from pathlib import Path

from openpyxl import Workbook

FILE_NAME = "各单位办件情况.xlsx"
HEADERS = ["单位", "受理件数", "办结件数", "按时办结件数", "好评件数", "差评件数"]
JUNE = [
    ["县发改局", 86, 84, 84, 80, 0],
    ["县公安局", 412, 405, 401, 389, 2],
    ["县人社局", 356, 350, 347, 331, 1],
    ["县自然资源局", 64, 60, 55, 58, 1],
    ["县住建局", 128, 117, 110, 112, 3],
    ["县市场监管局", 298, 296, 295, 280, 0],
    ["县不动产登记中心", 377, 371, 369, 350, 1],
    ["县医保局", 203, 203, 202, 198, 0],
    ["城关镇", 145, 143, 141, 139, 0],
    ["河东镇", 92, 90, 84, 85, 2],
    ["柳林镇", 77, 77, 77, 74, 0],
]
JULY = [
    ["县发改局", 90, 88, 88, 85, 0],
    ["县公安局", 398, 392, 390, 377, 1],
    ["县人社局", 371, 366, 364, 350, 0],
    ["县自然资源局", 70, 68, 66, 65, 0],
    ["县住建局", 135, 130, 122, 121, 2],
    ["县市场监管局", 305, 301, 300, 290, 0],
    ["县不动产登记中心", 362, 360, 359, 345, 1],
    ["县医保局", 210, 208, 208, 203, 0],
    ["城关镇", 150, 149, 147, 144, 1],
    ["河东镇", 95, 94, 91, 90, 1],
    ["柳林镇", 80, 79, 79, 76, 0],
]
MONTHS = {6: JUNE, 7: JULY}


def write_sheet(folder: Path, month: int = 6) -> Path:
    """The sheet of ``month`` (6 or 7), written into ``folder``."""
    book = Workbook()
    book.properties.created = book.properties.modified = dt.datetime(2024, month + 1, 1, 9, 0)
    sheet = book.active
    sheet.title = "办件情况"
    for row in [HEADERS, *MONTHS[month]]:
        sheet.append(row)
    folder.mkdir(parents=True, exist_ok=True)
    book.save(folder / FILE_NAME)
    return folder / FILE_NAME


if __name__ == "__main__":
    print(f"已生成：{write_sheet(Path(sys.argv[1]), *map(int, sys.argv[2:3])).as_posix()}")
