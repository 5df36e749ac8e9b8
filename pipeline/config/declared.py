"""Every key of ``kind.yaml`` and ``bulletin.yaml``, declared once: type, default, meaning.

The checker (check.py), the JSON Schema and docs/configuration.md are all made from these
declarations; code reads a rule's parameters with the defaults declared here filled in.
"""

from __future__ import annotations

from dataclasses import replace

from ..core.decimals import MAX_PLACES, NumberRule
from ..language.formats import BUILT_IN
from .types import NAME_KEY, NO_DEFAULT, Anything, Choice, Key, ListOf, MapOf, OneOf, Record, Scalar, Variant

STR, SENTENCE, EXPRESSION = Scalar("str"), Scalar("sentence"), Scalar("expression")
PHRASE, NAME, CONDITION = Scalar("phrase"), Scalar("name"), Scalar("condition")  # the statement language: {{ 名称 }}, {{ 名称.列 }}, {{ 名称|格式 }} only
INT, NUMBER, BOOL, DATE = Scalar("int"), Scalar("number"), Scalar("bool"), Scalar("date")
OPEN = Record({}, open=True, title="映射（任意键）")
COUNT = Scalar("int", low=1, high=1_000_000)  # how many rows or names: at least one
AMOUNT = Scalar("int", low=0, high=1_000_000)  # a least number of items (0: none needed)
PLACES = Scalar("int", low=0, high=MAX_PLACES)  # decimal places a bulletin prints

WHEN = Key(CONDITION, "派生数据的名称：它没有任何行时，此条（此项、此部分）不出现；或条件（表达式，如 按期办结率 < 90）：不成立时不出现", example='退单较多')
STATEMENT_KEYS = {
    "text": Key(PHRASE, "句子（只能写 {{ 名称 }}、{{ 名称.列 }}、{{ 名称|格式 }}）", example='"{{ unit }}（{{ 退单数 }}件）"'),
    "each": Key(NAME, "派生数据的名称：逐行写出 text（行的各列为名称）", example='退单较多'),
    "join": Key(STR, "各行连成一段时的分隔（如“、”）；不写则每行一段", example='、'),
    "before": Key(PHRASE, "连成一段时写在前面的句子", example='退单较多的单位为：'),
    "after": Key(PHRASE, "连成一段时写在后面的句子", example='。'),
    "group": Key(STR, "按这一列分组，每组一句（组内各行为 rows）", example='unit.group'),
    "when": WHEN,
    "when_empty": Key(PHRASE, "when（或 each）的派生数据没有行时改写的句子", example='本期各单位均无退单。'),
    "file": Key(STR, "本期文件夹中的文字文件（.md 或 Word 的 .docx）：段落、（一）1．标题，可写 {{ 名称 }}、{{ 名称|格式 }}、{{ 名称.列 }} 及 ``` 语句块；不能与 text、each、items 写在同一条语句中",
                example='说明.docx'),
}
STATEMENT_LEAF = Record(STATEMENT_KEYS, title="语句")
STATEMENT_INNER = Record({**STATEMENT_KEYS, "items": Key(ListOf(OneOf((PHRASE, STATEMENT_LEAF))), "接着写的语句", example="['{{ unit }}：']")},
                         title="语句")
STATEMENT = Record({**STATEMENT_KEYS, "items": Key(ListOf(OneOf((PHRASE, STATEMENT_INNER))),
                                                   "接着写的语句：分组时每组、each 时每行（when 可写行的列名，为 0 则不写）", example="['{{ unit }}工单{{ 工单数 }}件。']")},
                   title="语句（text、each、when、file …）")
STATEMENTS = ListOf(OneOf((PHRASE, STATEMENT)))
# a rule's sentence or a check's evidence line: a sentence, or statements (three levels deep:
# the findings, each finding's rows, what a row says when a column is filled)
RULE_STATEMENT = Record({**STATEMENT_KEYS, "items": Key(ListOf(OneOf((PHRASE, STATEMENT))), "每行（每组）接着写的语句", example="['{{ unit }}：']")},
                        title="语句（each、when、items …）")
RULE_SENTENCE = OneOf((SENTENCE, RULE_STATEMENT, ListOf(OneOf((PHRASE, RULE_STATEMENT)))))

COLUMN_TYPES = ("text", "int", "number", "score", "date", "month", "unit", "choice")
ORDER = Key(STR, "发现问题的单位的顺序：input（输入顺序）、registry（名录顺序）、<数字名> 或 -<数字名>（降序）", "input", example='registry')

FILE_ENTRY = OneOf((STR, Record({
    "file": Key(STR, "文件名（在本期文件夹中）", example='12345热线工单.xlsx'),
    "sheet": Key(STR, "工作表名称", example='5月'),
    "postgres": Key(STR, "记录表在 PostgreSQL 中的表或视图（schema.table），代替 file", example='hotline.tickets'),
    "spark": Key(STR, "记录表在 Spark 目录中的表（数据库.表），代替 file", example='zwfw.tickets'),
    "office_column": Key(STR, "全省（全市）共用的记录表中写单位所属区县的列（表头）：offices 中每个区县只取自己的行", example='所属区县'),
}, title="{file, sheet} 或 {postgres} 或 {spark}")))

COLUMN = Record({
    "header": Key(STR, "表头（列名），与文件中的写法一致", required=True, example='承办单位'),
    "type": Key(Choice(COLUMN_TYPES), "列的类型", "text"),
    "required": Key(BOOL, "每行都必须填写", True),
    "min": Key(NUMBER, "最小值", example='0'),
    "max": Key(NUMBER, "最大值", example='60'),
    "max_column": Key(STR, "不得大于同一行的这一列", example='受理量'),
    "min_column": Key(STR, "不得小于同一行的这一列", example='received_on'),
    "choices": Key(ListOf(STR), "type: choice 时可填的选项", example='[咨询, 求助, 投诉, 举报, 建议]'),
    "default": Key(Anything(), "留空时取的值", example='0'),
    "places": Key(Scalar("int", low=0, high=10), "数字最多几位小数", example='2'),
}, title="列的声明")

DATASET = Record({
    "title": Key(STR, "数据表的中文名称，出现在提示中", example='12345热线工单'),
    "columns": Key(MapOf(COLUMN, "字段名", NAME_KEY), "各列：字段名 → 表头、类型与取值范围", required=True, example='{unit: {header: 承办单位, type: unit}, received_on: {header: 派单日期, type: date}}'),
    "unique": Key(ListOf(STR), "这些列合起来在各行间不得重复", example='[ticket_id]'),
    "dated_by": Key(STR, "给每行定日期的列；晚于统计截止日的行不计入本期", example='received_on'),
    "outside_period": Key(Choice(("warn", "refuse")), "dated_by 列的日期全部或大多（过半）不在本期时：warn（提示后照常生成）或 refuse（拒绝生成）", "warn"),
    "records": Key(BOOL, "按列读取和检查（适用于几百万行的办件记录）", False),
}, title="数据表的声明")

RULE_PARAMS = {  # the rule checks written in Python (pipeline/findings/); the others are declared under checks:
    "monthly_posting_quota": {
        "min_dynamics": Key(AMOUNT, "每月监管动态最少条数", 2, example='3'),
        "min_exposures": Key(AMOUNT, "每月曝光台信息最少条数", 1, example='2'),
        "group": Key(STR, "名录中的这一组单位没有任何发布记录时也列为问题", example='镇街'),
        "order": ORDER,
    },
}

RULE_TITLES = {
    "monthly_posting_quota": "未完成每月监管动态、曝光台发布任务",
}
SENTENCE_KEY = Key(RULE_SENTENCE, "句子或语句：findings 为发现问题的单位（每单位一行），params 为参数", example='"{{ findings|等N个 }}按期办结率低于全市标准。"')
RULES = Record({
    name: Key(Record({"params": Key(Record(params, title="参数"), "参数（阈值等）", example='{min_dynamics: 3}'), "sentence": SENTENCE_KEY},
                     title="规则检查的设置"), RULE_TITLES[name], example="{params: {min_dynamics: 3}}")
    for name, params in RULE_PARAMS.items()
}, title="规则检查")

RATE = Record({
    "of": Key(ListOf(STR), "分子：这些票数之和", required=True, example='[非常满意, 满意]'),
    "per": Key(STR, "分母：这一票数", required=True, example='评价总数'),
}, title="{of, per}")
FIGURE_DATASET = Key(STR, "读取的数据表", required=True, example='evaluations')
QUERY_EXPR = "表达式：列名、数字、'文字'、比较、and/or/not、+-*/ 及 count() rate() workdays() 等函数"
NAMES = OneOf((STR, ListOf(STR)))
LOOKUP_MISSING = ("refuse", "blank", "drop")  # a row without a match: 拒绝（如 VLOOKUP 的 #N/A）、留空、不计
LOOKUP = Record({
    "key": Key(STR, "本表中用来查找的列（如 unit）", required=True, example='unit'),
    "match": Key(STR, "被查表中与 key 对应的列（不写则与 key 同名；名录为 unit、name 或 full_name）", example='单位名称'),
    "columns": Key(OneOf((ListOf(STR), MapOf(STR, "新列名"))), "取来的列：列名的列表，或 {新列名: 被查表的列}（不写则取 match 以外的全部列）", example='[片区]'),
    "missing": Key(Choice(LOOKUP_MISSING), "本表的行在被查表中找不到时：refuse 拒绝生成并指出这些行（如 VLOOKUP 的 #N/A）；"
                   "blank 保留该行，取来的列留空（如 IFERROR(VLOOKUP(…), \"\")）；drop 不计该行", "refuse"),
}, title="{key, match, columns, missing}")
INDICATORS = Record({
    "name": Key(STR, "写指标名称的列（如 指标）", required=True, example='指标'),
    "value": Key(STR, "写指标数值的列（如 数值）", required=True, example='数值'),
}, title="{name, value}")
QUERY_KEYS = {
    "title": Key(STR, "中文标题（写入问题依据文件）", example='各单位工单办理情况'),
    "from": Key(STR, "读取的数据表（files 中的名称）、另一个派生数据，或 registry（单位名录：每单位一行）", required=True, example='tickets'),
    "lookup": Key(MapOf(LOOKUP, "被查的数据表（files 中的名称）、派生数据或 registry（单位名录）"),
                  "按键列从另一张表取列（如 Excel 的 VLOOKUP），在 columns 和 where 之前；键在被查表中不得重复",
                  example='{registry: {key: unit, columns: [group]}}'),
    "indicators": Key(INDICATORS, "指标表（每行一项指标：指标 | 数值）读作一行，各指标为列；where 先筛选指标行，columns 再在这一行上计算（如 rate(办结数, 受理数)）",
                      example='{name: 指标, value: 数值}'),
    "where": Key(STR, "行的筛选条件（" + QUERY_EXPR + "）", example="category == '投诉' and filled(closed_on)"),
    "columns": Key(MapOf(STR, "列名", NAME_KEY), "逐行计算的新列：列名 → 表达式", example="{due_on: 'add_workdays(received_on, limit_days)'}"),
    "group_by": Key(OneOf((STR, ListOf(OneOf((STR, MapOf(STR, "列名")))))), "分组：列名、unit.group（名录中的组）、month(日期)，或其列表", example='unit'),
    "measures": Key(MapOf(STR, "指标名", NAME_KEY), "每组的指标：count() count(条件) sum() mean() min() max() distinct() rate(a, b)；"
                    "按条件：sum(x, where=条件)、mean(x, where=条件)、count(where=条件)",
                    example="{工单数: count(), 投诉数: \"count(where=category == '投诉')\", 满意率: 'rate(满意数, 回访数)'}"),
    "having": Key(STR, "分组后的筛选条件（如 按期办结率 < 90）", example='按期办结率 < 90'),
    "rank": Key(Record({
        "by": Key(STR, "排名依据的列（-列名 为降序）", required=True, example='-按期办结率'),
        "as": Key(STR, "名次列的名称", "名次", example='排名'),
        "ties": Key(Choice(("same", "input")), "并列：same 名次相同（1,2,2,4）；input 按输入顺序（1,2,3,4）", "same"),
    }, title="{by, as, ties}"), "排名", example='{by: -工单数}'),
    "order": Key(NAMES, "排序：列名或其列表，-列名 为降序；分组的顺序也可写 registry（名录顺序：按单位或 unit.group 分组时）、"
                 "table（各组在表中首次出现的顺序）或 choices（选项列按其 choices 的顺序）；默认按单位分组为 registry，其余为 table",
                 example='[-退单数, unit]'),
    "top": Key(COUNT, "排序后只取前几行", example='5'),
    "bottom": Key(COUNT, "排序后只取后几行（最后一行在前）", example='3'),
    "total": Key(STR, "加一行合计，此为其名称（指标重新计算，比率不相加）", example='合计'),
    "compare": Key(Record({
        "with": Key(Choice(("previous", "year_ago")), "previous：上期（环比）；year_ago：上年同期（同比）", "previous"),
        "measures": Key(ListOf(STR), "对比的指标（默认全部）；加列 指标_上期 或 指标_上年同期", example='[工单数, 满意率]'),
    }, title="{with, measures}"), "环比、同比：与上期或上年同期的数据对比（该期无数据时为空）", example='{with: year_ago, measures: [工单数]}'),
    "one": Key(BOOL, "必须恰有一行（如指标表中按名称查一项）", False),
    "params": Key(MapOf(Anything("数字或文字"), "参数名", NAME_KEY), "表达式中可用的参数（阈值等）", example='{标准: 90}'),
}

QUERY = Record(QUERY_KEYS, title="声明的查询")
CHECK = Record({
    **QUERY_KEYS,
    "title": Key(STR, "规则名称（写入问题依据文件）", required=True, example='按期办结率低于全市标准'),
    "sentence": SENTENCE_KEY,
    "evidence": Key(RULE_SENTENCE, "每个发现问题的行在问题依据文件中的说明（句子或语句，行的各列为名称）", required=True, example='按期办结率{{ 按期办结率 }}%，低于{{ 标准 }}%'),
    "per": Key(NAMES, "按这些列合并为一条发现（如 unit）：其 count 为行数，rows 为各行；order 此时对合并后的发现排序", example='unit'),
    "evidence_rows": Key(COUNT, "与 per 同用：每条发现最多列出几行依据（count 仍为全部行数），适用于上百万行的记录表", example='20'),
    "params": Key(MapOf(Anything("数字或文字"), "参数名", NAME_KEY), "参数（阈值等），可在存在问题.yaml 中按条覆盖", example='{标准: 90}'),
}, title="声明的规则检查")
NUMBERS = Record({
    "percent_places": Key(PLACES, "百分数保留几位小数", NumberRule.places, example='1'),
    "rounding": Key(Choice(("half_up", "half_even", "down")), "舍入：half_up 四舍五入；half_even 银行家舍入；down 截去", NumberRule.rounding),
}, title="数字的写法")
FIGURES = Variant("derive", {
    "evaluation_tallies": Record({
        "derive": Key(STR, "计算方法", required=True, example="evaluation_tallies"),
        "dataset": FIGURE_DATASET,
        "groups": Key(ListOf(STR), "按名录中的这些组合计", example='[窗口, 大厅]'),
        "labels": Key(MapOf(STR, "组名"), "合计行在正文中的名称", example='{大厅: 政务服务大厅}'),
        "rates": Key(MapOf(RATE, "比率名"), "各比率 = of 之和 ÷ per", example='{好评率: {of: [非常满意, 满意], per: 评价总数}}'),
        "fields": Key(MapOf(STR, "字段"), "所用字段在数据表中的名称", example='{unit: 窗口名称}'),
        "grades": Key(MapOf(STR, "票种"), "评价结果的写法", example='{非常满意: 非常满意, 不满意: 差评}'),
    }, title="evaluation_tallies"),
    "honour_lists": Record({
        "derive": Key(STR, "计算方法", required=True),
        "dataset": FIGURE_DATASET,
        "lists": Key(ListOf(STR), "榜单名称及顺序", example='[红榜, 黑榜]'),
        "order": Key(Choice(("input", "registry")), "同一次数内单位的顺序", "input"),
    }, title="honour_lists"),
    "rows": Record({
        "derive": Key(STR, "计算方法", required=True),
        "dataset": FIGURE_DATASET,
    }, title="rows"),
    "query": QUERY,
}, default="query", title="派生数据")

HEADING = Key(SENTENCE, "标题（按顺序编号“一、二、三”）", required=True, example='总体情况')
KEEP_EMPTY = Key(BOOL, "没有内容时也保留此部分", False)
SECTION_ID = Key(STR, "此部分的标识：本期 bulletin.yaml 可按它只替换这一部分（sections: {标识: {…}}）", example='overview')
SECTION_TYPE = Key(Choice(("text", "narrative", "problems", "document")),
                   "text：此处的句子；narrative：期内文件中的文字（原样印出）；problems：存在问题条目；document：期内文件（.md 或 .docx）按其“一、”标题分为各部分", "text")
EACH = Record({
    "each": Key(EXPRESSION, "列表表达式：逐项成段", required=True, example='honours.rows'),
    "text": Key(SENTENCE, "每段的句子（item 为当前项，index 从 1 起）", required=True, example='"{{ index }}．{{ item.unit }}"'),
}, title="{each, text}")



def item_record(level: str, below=None) -> Record:
    """An item at one heading level: a statement, or a ``topic``/``lead`` heading with what is under it."""
    keys = {**STATEMENT.keys,
            "topic": Key(PHRASE, "单独成行的标题（不加句号），其下为 body 和 items", example='工单量和退单'),
            "lead": Key(PHRASE, "段首标题（加句号），body 的第一段接在其后", example='工单办理'),
            "body": Key(STATEMENTS, "标题下的各段", example="['全市共派发工单{{ 全市.工单数 }}件。']")}
    if below is not None:
        keys["items"] = Key(ListOf(OneOf((PHRASE, below))), "下一级编号的各项（有项不出现时其余各项依次前移）", example="[{topic: 市直部门, body: ['市直部门共承办工单{{ 市直.工单数 }}件。']}]")
    return Record(keys, title=f"{level}的一项")


ITEM_4 = item_record("（1）级")
ITEM_3 = item_record("1．级", ITEM_4)
ITEM_2 = item_record("（一）级", ITEM_3)
SECTIONS = Variant("type", {
    "text": Record({"id": SECTION_ID, "heading": HEADING, "type": SECTION_TYPE, "keep_empty": KEEP_EMPTY,
                    "paragraphs": Key(ListOf(OneOf((SENTENCE, EACH))), "各段的句子（旧写法）", example="['全市共派发工单{{ 全市.工单数 }}件。']"),
                    "body": Key(STATEMENTS, "各段：语句（text、each、file …）", example="['全市共派发工单{{ 全市.工单数 }}件。']"),
                    "items": Key(ListOf(OneOf((PHRASE, ITEM_2))), "编号（一）（二）的各项；没有内容的项不出现，其余依次前移", example="[{topic: 工单量, body: ['全市共派发工单{{ 全市.工单数 }}件。']}]"),
                    "numbering": Key(Choice(("（一）", "1．")), "items 从哪一级编号起：（一）或 1．", "（一）"),
                    "when": WHEN, "when_empty": Key(PHRASE, "when 的派生数据没有行时，此部分只写这一句", example="本期各单位均未收到差评。")}, title="text"),
    "narrative": Record({"id": SECTION_ID, "heading": HEADING, "type": SECTION_TYPE, "keep_empty": KEEP_EMPTY,
                         "file": Key(STR, "本期文件夹中写这一部分文字的 .md 文件", required=True, example='总体情况.md')}, title="narrative"),
    "problems": Record({"id": SECTION_ID, "heading": HEADING, "type": SECTION_TYPE, "keep_empty": KEEP_EMPTY,
                        "numbered": Key(BOOL, "各条编（一）（二）", True)}, title="problems"),
    "document": Record({"id": SECTION_ID, "type": SECTION_TYPE,
                        "file": Key(STR, "本期文件夹中撰写的文件（.md 或 Word 的 .docx）：其“一、”级标题为正文的各部分，"
                                         "段落中可写 {{ 名称 }}、{{ 名称|格式 }}、{{ 名称.列 }} 及 ``` 语句块", required=True,
                                          example='年度工作总结.docx')},
                       title="document"),
}, default="text", title="正文的一部分")

FORMAT = Record({
    "base": Key(Choice(tuple(BUILT_IN)), "以哪个内置格式为基础（不写则为同名的内置格式）"),
    "sep": Key(STR, "列举时的分隔", "、", example='，'),
    "strip": Key(STR, "列举、等N个、不重复、去尾：每个名称去掉的末尾文字（如 局：公安局 → 公安；去尾默认为“局”）", example='局'),
    "distinct": Key(BOOL, "列举、等N个：相同的名称只写一次，空的不写（如 {base: 等N个, show: 8, distinct: true}）", False),
    "show": Key(COUNT, "等N个：列出的名称个数", 3, example='8'),
    "more": Key(Scalar("str", slots=("names", "count", "unit")),
                "等N个：多于 show 个时的写法，{{ 名单 }} 为列出的名称，{{ 个数 }} 为总数，{{ 单位 }} 为量词后的名词",
                "{{ 名单 }}等{{ 个数 }}个{{ 单位 }}", example='"{{ 名单 }}等{{ 个数 }}个{{ 单位 }}"'),
    "unit": Key(STR, "等N个：“个”后的名词", "单位", example='部门'),
    "places": Key(PLACES, "百分比、万：小数位数", example='1'),
    "below": Key(STR, "近：略低于整数时的字", "近", example='接近'),
    "above": Key(STR, "近：略高于整数时的字", "超", example='超过'),
    "word": Key(STR, "分别：多于一项时写的词", "分别", example='依次'),
    "none": Key(STR, "没有值（无从计算）时写的文字", "—", example='无'),
}, title="命名格式")

ANNEX_TITLE = Key(SENTENCE, "附件标题", required=True, example='市直部门考核得分情况')
ANNEX_NOTE = Key(SENTENCE, "表注（表下的“注：……”）", example='注：“/”表示该项不适用。')
TABLE_COLUMN = Record({
    "header": Key(STR, "表头", required=True, example='满意率（%）'),
    "value": Key(STR, "每行取的值", required=True, example='满意率'),
    "format": Key(Choice(("percent",)), "数字的写法"),
    "group": Key(STR, "表头上方一行的合并标题", example='回访情况'),
}, title="{header, value, …}")
LIST_ANNEX = Record({
    "type": Key(Choice(("scores", "table", "list")), "list：名单（每行一个名称）", required=True),
    "title": ANNEX_TITLE,
    "rows": Key(EXPRESSION, "名单的各项（派生数据的表达式，如 honours.rows）", required=True, example='honours.rows'),
    "value": Key(STR, "每项印出的值（行中的字段名）", "name", example='unit'),
    "numbered": Key(BOOL, "各行前编“1．2．3．”", False),
}, title="list")
SCORE_COLUMNS = ("rank", "unit", "items", "bonus", "penalty", "earned", "percent")
ANNEXES = Variant("type", {
    "scores": Record({
        "type": Key(Choice(("scores", "table", "list")), "scores：考核得分表；table：派生数据的表；list：名单", "scores"),
        "group": Key(STR, "scoring 中的评分组", required=True, example='市直部门'),
        "title": ANNEX_TITLE,
        "note": ANNEX_NOTE,
        "unit_header": Key(STR, "单位列的表头", "单位", example="单位名称"),
        "rank_header": Key(STR, "排名列的表头", "排名", example='名次'),
        "columns": Key(ListOf(Choice(SCORE_COLUMNS)), "各列及顺序", list(SCORE_COLUMNS), example='[rank, unit, earned, percent]'),
        "number_format": Key(Choice(("0.00", "0", "auto")), "得分的写法：0.00 两位小数，0 整数，auto 全为整数时写整数", "0.00"),
    }, title="scores"),
    "table": Record({
        "type": Key(Choice(("scores", "table", "list")), "scores：考核得分表；table：派生数据的表；list：名单", required=True),
        "title": ANNEX_TITLE,
        "note": ANNEX_NOTE,
        "rows": Key(EXPRESSION, "表的各行（派生数据的表达式）", required=True, example='各单位'),
        "columns": Key(ListOf(TABLE_COLUMN), "各列", required=True, example='[{header: 单位, value: unit}, {header: 满意率（%）, value: 满意率, format: percent}]'),
        "blank_zero": Key(BOOL, "零或无从计算的单元格留空", False),
    }, title="table"),
    "list": LIST_ANNEX,
}, default="scores", title="附件")

DOCUMENT = Record({
    "red_header": Key(BOOL, "版头：红色发文机关标志及其下的红色分隔线", True),
    "doc_number": Key(SENTENCE, "发文字号，如 宜放管服办〔2024〕3号：发文机关标志下空二行居中（不写则无）", example='宜放管服办〔2024〕3号'),
    "signer": Key(STR, "签发人姓名（上行文）：与发文字号同一行，发文字号居左空一字，签发人居右空一字", example='张三'),
    "recipients": Key(BOOL, "印主送机关（recipients 的文字，为空则不印）", True),
    "signature": Key(BOOL, "印发文机关署名", True),
    "imprint": Key(BOOL, "印版记（抄送机关、印发机关和印发日期）", True),
}, title="公文的组成部分")

NOTICES = Record({
    "title": Key(SENTENCE, "每份通知的标题（unit 为该单位，如 关于{{ unit.short_name }}存在问题的整改通知）", required=True, example='关于{{ unit.short_name }}存在问题的整改通知'),
    "subtitle": Key(SENTENCE, "标题下的副标题", "", example="（{{ period.full_name }}）"),
    "output_name": Key(SENTENCE, "每份通知的文件名（不含扩展名）", "{{ unit.short_name }}", example='"{{ unit.short_name }}整改通知"'),
    "folder": Key(STR, "通知所在的文件夹（在本期输出文件夹中）", "整改通知", example='整改通知（6月）'),
    "recipients": Key(SENTENCE, "主送机关", "{{ unit.full_name }}", example='"{{ unit.full_name }}党组"'),
    "opening": Key(SENTENCE, "开头语", ""),
    "heading": Key(SENTENCE, "问题部分的标题（编为“一、”）", "存在问题", example='需整改的问题'),
    "closing": Key(SENTENCE, "结尾语", ""),
    "rules": Key(ListOf(STR), "列入通知的规则检查的名称（默认：全部）", example='[按期办结率低于标准]'),
    "document": Key(DOCUMENT, "通知的组成部分：版头、发文字号、主送、署名、版记", example='{red_header: false}'),
}, title="每个单位的整改通知")

SCORING = Record({
    "file": Key(FILE_ENTRY, "考核得分表文件", required=True, example='市直部门得分.xlsx'),
    "unit_header": Key(STR, "单位列的表头", "单位", example="单位名称"),
    # the full marks are checked with the score table (scoring_scheme), so both are reported together
    "items": Key(MapOf(Anything("满分（正数）"), "考核项目"), "考核项目及其满分（正数）", required=True, example='{政务公开: 20, 监管事项: 30}'),
    "bonus": Key(STR, "加分项列的表头", "加分项", example='加分'),
    "penalty": Key(STR, "扣分项列的表头", "扣分项", example='扣分'),
}, title="评分方案")

SETTING_KEYS = {
    "name": Key(STR, "通报类型的名称", example='12345热线工单办理情况通报'),
    "template": Key(STR, "Word 模板文件（在通报类型文件夹中）", "bulletin.docx", example='本局通报.docx'),
    "kind": Key(STR, "通报类型（templates/ 下的文件夹名）", required=True, example='hotline'),
    "registry": Key(STR, "单位名录文件（相对本期文件夹）", required=True, example='../registries/宜城市.yaml'),
    "office": Key(STR, "发文机关", required=True, example='宜城市政务服务和大数据管理局'),
    "title": Key(SENTENCE, "标题", required=True, example='宜城市政务服务工作情况通报'),
    "subtitle": Key(SENTENCE, "标题下的副标题", "（{{ period.full_name }}）", example="（{{ period.month_span }}）"),
    "output_name": Key(SENTENCE, "生成的文件名（不含扩展名）", "{{ title }}（{{ period.full_name }}）", example='"{{ title }}（{{ period.name }}）"'),
    "recipients": Key(SENTENCE, "主送机关", "", example="各镇人民政府、街道办事处，市直各部门"),
    "opening": Key(SENTENCE, "开头语", "", example="现将{{ period.full_name }}全市政务服务工作情况通报如下："),
    "closing": Key(SENTENCE, "结尾语", "", example="请各单位对照通报的问题认真整改。联系电话：{{ contact.phone }}。"),
    "signature": Key(OneOf((STR, ListOf(STR))), "发文机关署名，可分行（默认为发文机关）", example='[宜城市政务服务和大数据管理局, 宜城市“放管服”改革协调小组办公室]'),
    "issued_on": Key(DATE, "成文日期", required=True, example='2024-06-10'),
    "cutoff": Key(DATE, "统计截止日", required=True, example='2024-06-07'),
    "rectification_deadline": Key(DATE, "整改反馈期限", example='2024-06-28'),
    "contact": Key(MapOf(STR, "项目"), "联系方式（句子中写 {{ contact.phone }} 等）", example="{phone: '0710-4212345', email: ycrx12345@163.com}"),
    "imprint": Key(Record({
        "printed_by": Key(SENTENCE, "印发机关（默认为发文机关）", example='宜城市政务服务和大数据管理局办公室'),
        "printed_on": Key(DATE, "印发日期（默认为成文日期）", example='2024-06-11'),
        "copy_to": Key(SENTENCE, "抄送机关", "", example='市委办公室，市政府办公室'),
    }, title="版记"), "版记", example='{copy_to: 市委办公室，市政府办公室}'),
    "document": Key(DOCUMENT, "公文的组成部分：版头、发文字号、签发人、主送机关、署名、版记各印与否（写入 .docx，格式检查据此）", example='{red_header: false, recipients: false}'),
    "notices": Key(NOTICES, "每个发现问题的单位另出一份整改通知，只列该单位的问题（与通报同时生成）", example="{title: '关于{{ unit.short_name }}存在问题的整改通知'}"),
    "files": Key(MapOf(FILE_ENTRY, "数据表名"), "本期的数据文件：数据表名 → 文件名", example='{tickets: 12345热线工单.csv}'),
    "datasets": Key(MapOf(DATASET, "数据表名"), "输入表的列（表头）、类型与取值范围", example='{tickets: {columns: {unit: {header: 承办单位, type: unit}}}}'),
    "scoring": Key(MapOf(SCORING, "评分组"), "考核得分表与评分方案", example='{市直部门: {file: 市直部门得分.xlsx, items: {政务公开: 20, 监管事项: 30}}}'),
    "rules": Key(RULES, "规则检查：参数与句子模板", example='{monthly_posting_quota: {params: {min_dynamics: 3}}}'),
    "figures": Key(MapOf(FIGURES, "派生数据名", NAME_KEY), "派生数据：名称 → 声明的查询（from、group_by、measures……）或计算方法（derive）与参数", example='{全市: {from: tickets, measures: {工单数: count()}}}'),
    "checks": Key(MapOf(CHECK, "规则名", NAME_KEY), "声明的规则检查：发现问题的行（每行一个单位）、参数与句子", example="{满意率低于标准: {title: 满意率低于全市标准, from: 各单位, where: 满意率 < 85, evidence: '满意率{{ 满意率 }}%'}}"),
    "params": Key(MapOf(Anything("数字或文字"), "参数名", NAME_KEY), "各派生数据和规则检查的表达式中可用的参数（如全市标准）", example='{按期办结率标准: 90, 满意率标准: 85}'),
    "numbers": Key(NUMBERS, "比率的写法：小数位数与舍入", example='{percent_places: 1}'),
    "ranking_count": Key(Scalar("int", low=0, high=100), "排名前、后各列几位", 3, example='5'),
    "sections": Key(OneOf((ListOf(SECTIONS), MapOf(SECTIONS, "部分的 id"))),
                    "正文各部分，按顺序；本期 bulletin.yaml 写成 {id: {…}} 时只替换该部分", example="[{heading: 总体情况, body: ['全市共派发工单{{ 全市.工单数 }}件。']}]"),
    "formats": Key(MapOf(FORMAT, "格式名", NAME_KEY), "本机关的命名格式：名称 → 基础格式与参数（句子中写 {{ 名称|格式名 }}）", example='{八个单位: {base: 等N个, show: 8}}'),
    "annexes": Key(ListOf(ANNEXES), "附件，按顺序：得分表、派生数据的表或名单", example='[{type: table, title: 各单位工单办理情况表, rows: 各单位}]'),
    "problems_file": Key(STR, "存在问题条目的文件", "存在问题.yaml", example='存在问题（手写）.yaml'),
    "calendar": Key(MapOf(Record({
        "holidays": Key(ListOf(DATE), "该年落在工作日的法定节假日（放假日期）", example='[2027-01-01, 2027-02-08]'),
        "workdays": Key(ListOf(DATE), "该年调休上班的周末", example='[2027-01-30]'),
    }, title="{holidays, workdays}"), "四位数的年份（如 2027）", key_pattern=r"(19|20|21)\d\d"),
        "工作日历的补充（国务院尚未公布的年份等）：年份 → holidays、workdays", example="{'2027': {holidays: [2027-01-01], workdays: [2027-01-30]}}"),
    "postgres": Key(Record({
        "host": Key(STR, "服务器地址（默认取环境变量 PGHOST）", example='db.example.local'),
        "port": Key(Anything("整数或文字"), "端口（默认取 PGPORT）", example='5433'),
        "database": Key(STR, "数据库名（默认取 PGDATABASE）", example='zwfw'),
        "user": Key(STR, "用户名（默认取 PGUSER）", example='bulletin'),
        "password": Key(STR, "不应写在文件中：请用环境变量 PGPASSWORD 或 ~/.pgpass", example='~'),
    }, title="PostgreSQL 连接"), "记录表所在的 PostgreSQL（files 中写 {postgres: schema.table} 时使用）", example='{host: db.example.local, database: zwfw}'),
    "spark": Key(Record({
        "master": Key(STR, "Spark 主节点（默认取 SPARK_MASTER，再默认 local[2]）", example="'spark://10.0.0.5:7077'"),
    }, title="Spark 连接"), "记录表所在的 Spark（files 中写 {spark: 数据库.表} 时使用）", example="{master: 'spark://10.0.0.5:7077'}"),
}
OFFICE = Record({
    "value": Key(STR, "共用记录表中 office_column 列里本区县的写法（默认为键名）", example='永昌'),
    **{name: replace(key, required=False, default=NO_DEFAULT) for name, key in SETTING_KEYS.items() if name != "kind"},
}, title="一个区县与本期设置不同的配置项（未写的取本期的设置）")
SETTINGS = Record({
    **SETTING_KEYS,
    "offices": Key(MapOf(OFFICE, "区县（输出子文件夹名）"),
                   "一次为每个区县各生成一份通报：区县 → 与本期设置不同的配置项（发文机关、标题、单位名录、署名……）；"
                   "共用的记录表在 files 中用 office_column 指明区县列", example='{永昌县: {office: 永昌县政务服务和大数据管理局, registry: ../registries/永昌县.yaml}}'),
}, title="通报配置")


def rule_defaults(name: str) -> dict:
    """The declared default of every parameter of rule ``name``."""
    return {k: key.default for k, key in RULE_PARAMS.get(name, {}).items() if key.default is not NO_DEFAULT}
