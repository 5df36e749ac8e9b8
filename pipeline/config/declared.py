"""Every key of ``kind.yaml`` and ``bulletin.yaml``, declared once: type, default, meaning.

The checker (check.py), the JSON Schema and docs/configuration.md are all made from these
declarations; code reads a rule's parameters with the defaults declared here filled in.
"""

from __future__ import annotations

from dataclasses import replace

from ..core.decimals import MAX_PLACES, NumberRule
from ..language.formats import BUILT_IN
from .types import NO_DEFAULT, Anything, Choice, Key, ListOf, MapOf, OneOf, Record, Scalar, Variant

STR, SENTENCE, EXPRESSION = Scalar("str"), Scalar("sentence"), Scalar("expression")
PHRASE, NAME, CONDITION = Scalar("phrase"), Scalar("name"), Scalar("condition")  # the statement language: {{ 名称 }}, {{ 名称.列 }}, {{ 名称|格式 }} only
INT, NUMBER, BOOL, DATE = Scalar("int"), Scalar("number"), Scalar("bool"), Scalar("date")
OPEN = Record({}, open=True, title="映射（任意键）")
COUNT = Scalar("int", low=1, high=1_000_000)  # how many rows or names: at least one
AMOUNT = Scalar("int", low=0, high=1_000_000)  # a least number of items (0: none needed)
PLACES = Scalar("int", low=0, high=MAX_PLACES)  # decimal places a bulletin prints

WHEN = Key(CONDITION, "派生数据的名称：它没有任何行时，此条（此项、此部分）不出现；或条件（表达式，如 按期办结率 < 90）：不成立时不出现")
STATEMENT_KEYS = {
    "text": Key(PHRASE, "句子（只能写 {{ 名称 }}、{{ 名称.列 }}、{{ 名称|格式 }}）"),
    "each": Key(NAME, "派生数据的名称：逐行写出 text（行的各列为名称）"),
    "join": Key(STR, "各行连成一段时的分隔（如“、”）；不写则每行一段"),
    "before": Key(PHRASE, "连成一段时写在前面的句子"),
    "after": Key(PHRASE, "连成一段时写在后面的句子"),
    "group": Key(STR, "按这一列分组，每组一句（组内各行为 rows）"),
    "when": WHEN,
    "when_empty": Key(PHRASE, "when（或 each）的派生数据没有行时改写的句子"),
    "file": Key(STR, "本期文件夹中的文字文件（.md 或 Word 的 .docx）：段落、（一）1．标题，可写 {{ 名称 }}、{{ 名称|格式 }}、{{ 名称.列 }} 及 ``` 语句块；不能与 text、each、items 写在同一条语句中"),
}
STATEMENT_LEAF = Record(STATEMENT_KEYS, title="语句")
STATEMENT_INNER = Record({**STATEMENT_KEYS, "items": Key(ListOf(OneOf((PHRASE, STATEMENT_LEAF))), "接着写的语句")},
                         title="语句")
STATEMENT = Record({**STATEMENT_KEYS, "items": Key(ListOf(OneOf((PHRASE, STATEMENT_INNER))),
                                                   "接着写的语句：分组时每组、each 时每行（when 可写行的列名，为 0 则不写）")},
                   title="语句（text、each、when、file …）")
STATEMENTS = ListOf(OneOf((PHRASE, STATEMENT)))
# a rule's sentence or a check's evidence line: a sentence, or statements (three levels deep:
# the findings, each finding's rows, what a row says when a column is filled)
RULE_STATEMENT = Record({**STATEMENT_KEYS, "items": Key(ListOf(OneOf((PHRASE, STATEMENT))), "每行（每组）接着写的语句")},
                        title="语句（each、when、items …）")
RULE_SENTENCE = OneOf((SENTENCE, RULE_STATEMENT, ListOf(OneOf((PHRASE, RULE_STATEMENT)))))

COLUMN_TYPES = ("text", "int", "number", "score", "date", "month", "unit", "choice")
ORDER = Key(STR, "发现问题的单位的顺序：input（输入顺序）、registry（名录顺序）、<数字名> 或 -<数字名>（降序）", "input")

FILE_ENTRY = OneOf((STR, Record({
    "file": Key(STR, "文件名（在本期文件夹中）"),
    "sheet": Key(STR, "工作表名称"),
    "postgres": Key(STR, "记录表在 PostgreSQL 中的表或视图（schema.table），代替 file"),
    "spark": Key(STR, "记录表在 Spark 目录中的表（数据库.表），代替 file"),
    "office_column": Key(STR, "全省（全市）共用的记录表中写单位所属区县的列（表头）：offices 中每个区县只取自己的行"),
}, title="{file, sheet} 或 {postgres} 或 {spark}")))

COLUMN = Record({
    "header": Key(STR, "表头（列名），与文件中的写法一致", required=True),
    "type": Key(Choice(COLUMN_TYPES), "列的类型", "text"),
    "required": Key(BOOL, "每行都必须填写", True),
    "min": Key(NUMBER, "最小值"),
    "max": Key(NUMBER, "最大值"),
    "max_column": Key(STR, "不得大于同一行的这一列"),
    "min_column": Key(STR, "不得小于同一行的这一列"),
    "choices": Key(ListOf(STR), "type: choice 时可填的选项"),
    "default": Key(Anything(), "留空时取的值"),
    "places": Key(Scalar("int", low=0, high=10), "数字最多几位小数"),
}, title="列的声明")

DATASET = Record({
    "title": Key(STR, "数据表的中文名称，出现在提示中"),
    "columns": Key(MapOf(COLUMN, "字段名"), "各列：字段名 → 表头、类型与取值范围", required=True),
    "unique": Key(ListOf(STR), "这些列合起来在各行间不得重复"),
    "dated_by": Key(STR, "给每行定日期的列；晚于统计截止日的行不计入本期"),
    "outside_period": Key(Choice(("warn", "refuse")), "dated_by 列的日期全部或大多（过半）不在本期时：warn（提示后照常生成）或 refuse（拒绝生成）", "warn"),
    "records": Key(BOOL, "按列读取和检查（适用于几百万行的办件记录）", False),
}, title="数据表的声明")

RULE_PARAMS = {  # the rule checks written in Python (pipeline/findings/); the others are declared under checks:
    "monthly_posting_quota": {
        "min_dynamics": Key(AMOUNT, "每月监管动态最少条数", 2),
        "min_exposures": Key(AMOUNT, "每月曝光台信息最少条数", 1),
        "group": Key(STR, "名录中的这一组单位没有任何发布记录时也列为问题"),
        "order": ORDER,
    },
}

RULE_TITLES = {
    "monthly_posting_quota": "未完成每月监管动态、曝光台发布任务",
}
SENTENCE_KEY = Key(RULE_SENTENCE, "句子或语句：findings 为发现问题的单位（每单位一行），params 为参数")
RULES = Record({
    name: Key(Record({"params": Key(Record(params, title="参数"), "参数（阈值等）"), "sentence": SENTENCE_KEY},
                     title="规则检查的设置"), RULE_TITLES[name])
    for name, params in RULE_PARAMS.items()
}, title="规则检查")

RATE = Record({
    "of": Key(ListOf(STR), "分子：这些票数之和", required=True),
    "per": Key(STR, "分母：这一票数", required=True),
}, title="{of, per}")
FIGURE_DATASET = Key(STR, "读取的数据表", required=True)
QUERY_EXPR = "表达式：列名、数字、'文字'、比较、and/or/not、+-*/ 及 count() rate() workdays() 等函数"
NAMES = OneOf((STR, ListOf(STR)))
QUERY_KEYS = {
    "title": Key(STR, "中文标题（写入问题依据文件）"),
    "from": Key(STR, "读取的数据表（files 中的名称）或另一个派生数据", required=True),
    "where": Key(STR, "行的筛选条件（" + QUERY_EXPR + "）"),
    "columns": Key(MapOf(STR, "列名"), "逐行计算的新列：列名 → 表达式"),
    "group_by": Key(OneOf((STR, ListOf(OneOf((STR, MapOf(STR, "列名")))))), "分组：列名、unit.group（名录中的组）、month(日期)，或其列表"),
    "measures": Key(MapOf(STR, "指标名"), "每组的指标：count() count(条件) sum() mean() min() max() distinct() rate(a, b)"),
    "having": Key(STR, "分组后的筛选条件（如 按期办结率 < 90）"),
    "rank": Key(Record({
        "by": Key(STR, "排名依据的列（-列名 为降序）", required=True),
        "as": Key(STR, "名次列的名称", "名次"),
        "ties": Key(Choice(("same", "input")), "并列：same 名次相同（1,2,2,4）；input 按输入顺序（1,2,3,4）", "same"),
    }, title="{by, as, ties}"), "排名"),
    "order": Key(NAMES, "排序：列名或其列表，-列名 为降序；默认单位按名录顺序，其余按输入顺序"),
    "top": Key(COUNT, "排序后只取前几行"),
    "bottom": Key(COUNT, "排序后只取后几行（最后一行在前）"),
    "total": Key(STR, "加一行合计，此为其名称（指标重新计算，比率不相加）"),
    "compare": Key(Record({
        "with": Key(Choice(("previous", "year_ago")), "previous：上期（环比）；year_ago：上年同期（同比）", "previous"),
        "measures": Key(ListOf(STR), "对比的指标（默认全部）；加列 指标_上期 或 指标_上年同期"),
    }, title="{with, measures}"), "环比、同比：与上期或上年同期的数据对比（该期无数据时为空）"),
    "one": Key(BOOL, "必须恰有一行（如指标表中按名称查一项）", False),
    "params": Key(MapOf(Anything("数字或文字"), "参数名"), "表达式中可用的参数（阈值等）"),
}

QUERY = Record(QUERY_KEYS, title="声明的查询")
CHECK = Record({
    **QUERY_KEYS,
    "title": Key(STR, "规则名称（写入问题依据文件）", required=True),
    "sentence": SENTENCE_KEY,
    "evidence": Key(RULE_SENTENCE, "每个发现问题的行在问题依据文件中的说明（句子或语句，行的各列为名称）", required=True),
    "per": Key(NAMES, "按这些列合并为一条发现（如 unit）：其 count 为行数，rows 为各行；order 此时对合并后的发现排序"),
    "evidence_rows": Key(COUNT, "与 per 同用：每条发现最多列出几行依据（count 仍为全部行数），适用于上百万行的记录表"),
    "params": Key(MapOf(Anything("数字或文字"), "参数名"), "参数（阈值等），可在存在问题.yaml 中按条覆盖"),
}, title="声明的规则检查")
NUMBERS = Record({
    "percent_places": Key(PLACES, "百分数保留几位小数", NumberRule.places),
    "rounding": Key(Choice(("half_up", "half_even", "down")), "舍入：half_up 四舍五入；half_even 银行家舍入；down 截去", NumberRule.rounding),
}, title="数字的写法")
FIGURES = Variant("derive", {
    "evaluation_tallies": Record({
        "derive": Key(STR, "计算方法", required=True),
        "dataset": FIGURE_DATASET,
        "groups": Key(ListOf(STR), "按名录中的这些组合计"),
        "labels": Key(MapOf(STR, "组名"), "合计行在正文中的名称"),
        "rates": Key(MapOf(RATE, "比率名"), "各比率 = of 之和 ÷ per"),
        "fields": Key(MapOf(STR, "字段"), "所用字段在数据表中的名称"),
        "grades": Key(MapOf(STR, "票种"), "评价结果的写法"),
    }, title="evaluation_tallies"),
    "honour_lists": Record({
        "derive": Key(STR, "计算方法", required=True),
        "dataset": FIGURE_DATASET,
        "lists": Key(ListOf(STR), "榜单名称及顺序"),
        "order": Key(Choice(("input", "registry")), "同一次数内单位的顺序", "input"),
    }, title="honour_lists"),
    "rows": Record({
        "derive": Key(STR, "计算方法", required=True),
        "dataset": FIGURE_DATASET,
    }, title="rows"),
    "query": QUERY,
}, default="query", title="派生数据")

HEADING = Key(SENTENCE, "标题（按顺序编号“一、二、三”）", required=True)
KEEP_EMPTY = Key(BOOL, "没有内容时也保留此部分", False)
SECTION_ID = Key(STR, "此部分的标识：本期 bulletin.yaml 可按它只替换这一部分（sections: {标识: {…}}）")
SECTION_TYPE = Key(Choice(("text", "narrative", "problems", "document")),
                   "text：此处的句子；narrative：期内文件中的文字（原样印出）；problems：存在问题条目；document：期内文件（.md 或 .docx）按其“一、”标题分为各部分", "text")
EACH = Record({
    "each": Key(EXPRESSION, "列表表达式：逐项成段", required=True),
    "text": Key(SENTENCE, "每段的句子（item 为当前项，index 从 1 起）", required=True),
}, title="{each, text}")



def item_record(level: str, below=None) -> Record:
    """An item at one heading level: a statement, or a ``topic``/``lead`` heading with what is under it."""
    keys = {**STATEMENT.keys,
            "topic": Key(PHRASE, "单独成行的标题（不加句号），其下为 body 和 items"),
            "lead": Key(PHRASE, "段首标题（加句号），body 的第一段接在其后"),
            "body": Key(STATEMENTS, "标题下的各段")}
    if below is not None:
        keys["items"] = Key(ListOf(OneOf((PHRASE, below))), "下一级编号的各项（有项不出现时其余各项依次前移）")
    return Record(keys, title=f"{level}的一项")


ITEM_4 = item_record("（1）级")
ITEM_3 = item_record("1．级", ITEM_4)
ITEM_2 = item_record("（一）级", ITEM_3)
SECTIONS = Variant("type", {
    "text": Record({"id": SECTION_ID, "heading": HEADING, "type": SECTION_TYPE, "keep_empty": KEEP_EMPTY,
                    "paragraphs": Key(ListOf(OneOf((SENTENCE, EACH))), "各段的句子（旧写法）"),
                    "body": Key(STATEMENTS, "各段：语句（text、each、file …）"),
                    "items": Key(ListOf(OneOf((PHRASE, ITEM_2))), "编号（一）（二）的各项；没有内容的项不出现，其余依次前移"),
                    "numbering": Key(Choice(("（一）", "1．")), "items 从哪一级编号起：（一）或 1．", "（一）"),
                    "when": WHEN, "when_empty": Key(PHRASE, "when 的派生数据没有行时，此部分只写这一句")}, title="text"),
    "narrative": Record({"id": SECTION_ID, "heading": HEADING, "type": SECTION_TYPE, "keep_empty": KEEP_EMPTY,
                         "file": Key(STR, "本期文件夹中写这一部分文字的 .md 文件", required=True)}, title="narrative"),
    "problems": Record({"id": SECTION_ID, "heading": HEADING, "type": SECTION_TYPE, "keep_empty": KEEP_EMPTY,
                        "numbered": Key(BOOL, "各条编（一）（二）", True)}, title="problems"),
    "document": Record({"id": SECTION_ID, "type": SECTION_TYPE,
                        "file": Key(STR, "本期文件夹中撰写的文件（.md 或 Word 的 .docx）：其“一、”级标题为正文的各部分，"
                                         "段落中可写 {{ 名称 }}、{{ 名称|格式 }}、{{ 名称.列 }} 及 ``` 语句块", required=True)},
                       title="document"),
}, default="text", title="正文的一部分")

FORMAT = Record({
    "base": Key(Choice(tuple(BUILT_IN)), "以哪个内置格式为基础（不写则为同名的内置格式）"),
    "sep": Key(STR, "列举时的分隔", "、"),
    "show": Key(COUNT, "等N个：列出的名称个数", 3),
    "more": Key(Scalar("str", slots=("names", "count", "unit")),
                "等N个：多于 show 个时的写法，{{ 名单 }} 为列出的名称，{{ 个数 }} 为总数，{{ 单位 }} 为量词后的名词",
                "{{ 名单 }}等{{ 个数 }}个{{ 单位 }}"),
    "unit": Key(STR, "等N个：“个”后的名词", "单位"),
    "places": Key(PLACES, "百分比、万：小数位数"),
    "below": Key(STR, "近：略低于整数时的字", "近"),
    "above": Key(STR, "近：略高于整数时的字", "超"),
    "word": Key(STR, "分别：多于一项时写的词", "分别"),
    "none": Key(STR, "没有值（无从计算）时写的文字", "—"),
}, title="命名格式")

ANNEX_TITLE = Key(SENTENCE, "附件标题", required=True)
ANNEX_NOTE = Key(SENTENCE, "表注（表下的“注：……”）")
TABLE_COLUMN = Record({
    "header": Key(STR, "表头", required=True),
    "value": Key(STR, "每行取的值", required=True),
    "format": Key(Choice(("percent",)), "数字的写法"),
    "group": Key(STR, "表头上方一行的合并标题"),
}, title="{header, value, …}")
LIST_ANNEX = Record({
    "type": Key(Choice(("scores", "table", "list")), "list：名单（每行一个名称）", required=True),
    "title": ANNEX_TITLE,
    "rows": Key(EXPRESSION, "名单的各项（派生数据的表达式，如 honours.rows）", required=True),
    "value": Key(STR, "每项印出的值（行中的字段名）", "name"),
    "numbered": Key(BOOL, "各行前编“1．2．3．”", False),
}, title="list")
SCORE_COLUMNS = ("rank", "unit", "items", "bonus", "penalty", "earned", "percent")
ANNEXES = Variant("type", {
    "scores": Record({
        "type": Key(Choice(("scores", "table", "list")), "scores：考核得分表；table：派生数据的表；list：名单", "scores"),
        "group": Key(STR, "scoring 中的评分组", required=True),
        "title": ANNEX_TITLE,
        "note": ANNEX_NOTE,
        "unit_header": Key(STR, "单位列的表头", "单位"),
        "rank_header": Key(STR, "排名列的表头", "排名"),
        "columns": Key(ListOf(Choice(SCORE_COLUMNS)), "各列及顺序", list(SCORE_COLUMNS)),
        "number_format": Key(Choice(("0.00", "0", "auto")), "得分的写法：0.00 两位小数，0 整数，auto 全为整数时写整数", "0.00"),
    }, title="scores"),
    "table": Record({
        "type": Key(Choice(("scores", "table", "list")), "scores：考核得分表；table：派生数据的表；list：名单", required=True),
        "title": ANNEX_TITLE,
        "note": ANNEX_NOTE,
        "rows": Key(EXPRESSION, "表的各行（派生数据的表达式）", required=True),
        "columns": Key(ListOf(TABLE_COLUMN), "各列", required=True),
        "blank_zero": Key(BOOL, "零或无从计算的单元格留空", False),
    }, title="table"),
    "list": LIST_ANNEX,
}, default="scores", title="附件")

DOCUMENT = Record({
    "red_header": Key(BOOL, "版头：红色发文机关标志及其下的红色分隔线", True),
    "doc_number": Key(SENTENCE, "发文字号，如 宜放管服办〔2024〕3号：发文机关标志下空二行居中（不写则无）"),
    "signer": Key(STR, "签发人姓名（上行文）：与发文字号同一行，发文字号居左空一字，签发人居右空一字"),
    "recipients": Key(BOOL, "印主送机关（recipients 的文字，为空则不印）", True),
    "signature": Key(BOOL, "印发文机关署名", True),
    "imprint": Key(BOOL, "印版记（抄送机关、印发机关和印发日期）", True),
}, title="公文的组成部分")

NOTICES = Record({
    "title": Key(SENTENCE, "每份通知的标题（unit 为该单位，如 关于{{ unit.short_name }}存在问题的整改通知）", required=True),
    "subtitle": Key(SENTENCE, "标题下的副标题", ""),
    "output_name": Key(SENTENCE, "每份通知的文件名（不含扩展名）", "{{ unit.short_name }}"),
    "folder": Key(STR, "通知所在的文件夹（在本期输出文件夹中）", "整改通知"),
    "recipients": Key(SENTENCE, "主送机关", "{{ unit.full_name }}"),
    "opening": Key(SENTENCE, "开头语", ""),
    "heading": Key(SENTENCE, "问题部分的标题（编为“一、”）", "存在问题"),
    "closing": Key(SENTENCE, "结尾语", ""),
    "rules": Key(ListOf(STR), "列入通知的规则检查的名称（默认：全部）"),
    "document": Key(DOCUMENT, "通知的组成部分：版头、发文字号、主送、署名、版记"),
}, title="每个单位的整改通知")

SCORING = Record({
    "file": Key(FILE_ENTRY, "考核得分表文件", required=True),
    "unit_header": Key(STR, "单位列的表头", "单位"),
    # the full marks are checked with the score table (scoring_scheme), so both are reported together
    "items": Key(MapOf(Anything("满分（正数）"), "考核项目"), "考核项目及其满分（正数）", required=True),
    "bonus": Key(STR, "加分项列的表头", "加分项"),
    "penalty": Key(STR, "扣分项列的表头", "扣分项"),
}, title="评分方案")

SETTING_KEYS = {
    "name": Key(STR, "通报类型的名称"),
    "template": Key(STR, "Word 模板文件（在通报类型文件夹中）", "bulletin.docx"),
    "kind": Key(STR, "通报类型（templates/ 下的文件夹名）", required=True),
    "registry": Key(STR, "单位名录文件（相对本期文件夹）", required=True),
    "office": Key(STR, "发文机关", required=True),
    "title": Key(SENTENCE, "标题", required=True),
    "subtitle": Key(SENTENCE, "标题下的副标题", "（{{ period.full_name }}）"),
    "output_name": Key(SENTENCE, "生成的文件名（不含扩展名）", "{{ title }}（{{ period.full_name }}）"),
    "recipients": Key(SENTENCE, "主送机关", ""),
    "opening": Key(SENTENCE, "开头语", ""),
    "closing": Key(SENTENCE, "结尾语", ""),
    "signature": Key(OneOf((STR, ListOf(STR))), "发文机关署名，可分行（默认为发文机关）"),
    "issued_on": Key(DATE, "成文日期", required=True),
    "cutoff": Key(DATE, "统计截止日", required=True),
    "rectification_deadline": Key(DATE, "整改反馈期限"),
    "contact": Key(MapOf(STR, "项目"), "联系方式（句子中写 {{ contact.phone }} 等）"),
    "imprint": Key(Record({
        "printed_by": Key(SENTENCE, "印发机关（默认为发文机关）"),
        "printed_on": Key(DATE, "印发日期（默认为成文日期）"),
        "copy_to": Key(SENTENCE, "抄送机关", ""),
    }, title="版记"), "版记"),
    "document": Key(DOCUMENT, "公文的组成部分：版头、发文字号、签发人、主送机关、署名、版记各印与否（写入 .docx，格式检查据此）"),
    "notices": Key(NOTICES, "每个发现问题的单位另出一份整改通知，只列该单位的问题（与通报同时生成）"),
    "files": Key(MapOf(FILE_ENTRY, "数据表名"), "本期的数据文件：数据表名 → 文件名"),
    "datasets": Key(MapOf(DATASET, "数据表名"), "输入表的列（表头）、类型与取值范围"),
    "scoring": Key(MapOf(SCORING, "评分组"), "考核得分表与评分方案"),
    "rules": Key(RULES, "规则检查：参数与句子模板"),
    "figures": Key(MapOf(FIGURES, "派生数据名"), "派生数据：名称 → 声明的查询（from、group_by、measures……）或计算方法（derive）与参数"),
    "checks": Key(MapOf(CHECK, "规则名"), "声明的规则检查：发现问题的行（每行一个单位）、参数与句子"),
    "params": Key(MapOf(Anything("数字或文字"), "参数名"), "各派生数据和规则检查的表达式中可用的参数（如全市标准）"),
    "numbers": Key(NUMBERS, "比率的写法：小数位数与舍入"),
    "ranking_count": Key(Scalar("int", low=0, high=100), "排名前、后各列几位", 3),
    "sections": Key(OneOf((ListOf(SECTIONS), MapOf(SECTIONS, "部分的 id"))),
                    "正文各部分，按顺序；本期 bulletin.yaml 写成 {id: {…}} 时只替换该部分"),
    "formats": Key(MapOf(FORMAT, "格式名"), "本机关的命名格式：名称 → 基础格式与参数（句子中写 {{ 名称|格式名 }}）"),
    "annexes": Key(ListOf(ANNEXES), "附件，按顺序：得分表、派生数据的表或名单"),
    "problems_file": Key(STR, "存在问题条目的文件", "存在问题.yaml"),
    "calendar": Key(MapOf(Record({
        "holidays": Key(ListOf(DATE), "该年落在工作日的法定节假日（放假日期）"),
        "workdays": Key(ListOf(DATE), "该年调休上班的周末"),
    }, title="{holidays, workdays}"), "四位数的年份（如 2027）", key_pattern=r"(19|20|21)\d\d"),
        "工作日历的补充（国务院尚未公布的年份等）：年份 → holidays、workdays"),
    "postgres": Key(Record({
        "host": Key(STR, "服务器地址（默认取环境变量 PGHOST）"),
        "port": Key(Anything("整数或文字"), "端口（默认取 PGPORT）"),
        "database": Key(STR, "数据库名（默认取 PGDATABASE）"),
        "user": Key(STR, "用户名（默认取 PGUSER）"),
        "password": Key(STR, "不应写在文件中：请用环境变量 PGPASSWORD 或 ~/.pgpass"),
    }, title="PostgreSQL 连接"), "记录表所在的 PostgreSQL（files 中写 {postgres: schema.table} 时使用）"),
    "spark": Key(Record({
        "master": Key(STR, "Spark 主节点（默认取 SPARK_MASTER，再默认 local[2]）"),
    }, title="Spark 连接"), "记录表所在的 Spark（files 中写 {spark: 数据库.表} 时使用）"),
}
OFFICE = Record({
    "value": Key(STR, "共用记录表中 office_column 列里本区县的写法（默认为键名）"),
    **{name: replace(key, required=False, default=NO_DEFAULT) for name, key in SETTING_KEYS.items() if name != "kind"},
}, title="一个区县与本期设置不同的配置项（未写的取本期的设置）")
SETTINGS = Record({
    **SETTING_KEYS,
    "offices": Key(MapOf(OFFICE, "区县（输出子文件夹名）"),
                   "一次为每个区县各生成一份通报：区县 → 与本期设置不同的配置项（发文机关、标题、单位名录、署名……）；"
                   "共用的记录表在 files 中用 office_column 指明区县列"),
}, title="通报配置")


def rule_defaults(name: str) -> dict:
    """The declared default of every parameter of rule ``name``."""
    return {k: key.default for k, key in RULE_PARAMS.get(name, {}).items() if key.default is not NO_DEFAULT}
