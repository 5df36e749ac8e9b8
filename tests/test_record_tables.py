"""Large record tables read column-wise: the same checks as any table, errors still located."""

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml
from openpyxl import Workbook

from pipeline.load.engine import Engine
from pipeline.core.errors import ProblemLog
from pipeline.load.records import load_records
from pipeline.load.schema import DatasetSpec
from pipeline.core.period import Period
from pipeline.core.registry import Registry
from pipeline.config.view import bulletin_view
from pipeline.figures.declared import Environment
from pipeline.findings.declared import run_check
from pipeline.load.inputs import RuleContext

from .conftest import INPUTS, TEMPLATES, run_cli

KIND = yaml.safe_load((TEMPLATES / "haochaping/kind.yaml").read_text(encoding="utf-8"))
CASES = DatasetSpec.from_config("cases", KIND["datasets"]["cases"])
REGISTRY = Registry.from_yaml(INPUTS / "registries/永昌县.yaml")
HEADER = "办件编号,办理窗口,申请日期,承诺时限（工作日）,办结日期,评价结果"


def write_csv(path: Path, lines: list[str], encoding="utf-8-sig") -> Path:
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding=encoding)
    return path


@pytest.fixture(scope="module")
def engine():
    with Engine() as engine:
        yield engine


def load(path: Path, engine: Engine):
    log = ProblemLog()
    records = load_records(path, CASES, REGISTRY, log, engine)
    return records, [str(p) for p in log.problems]


def rows_of(records) -> list[dict]:
    """The checked table's rows in source order, as Python values."""
    return records.table.order_by("_row").to_pyarrow().to_pylist()


def test_csv_columns_come_out_typed(tmp_path, engine):
    path = write_csv(tmp_path / "r.csv", ["A1,县市场监管局,2023-04-03,5,2023-04-07,满意", "A2,农业银行,2023-04-04,3,,"])
    records, problems = load(path, engine)
    assert problems == []
    rows = rows_of(records)
    assert [r["unit"] for r in rows] == [REGISTRY.resolve("市场监管局").order, REGISTRY.resolve("中国农业银行").order]
    assert [r["applied_on"] for r in rows] == [dt.date(2023, 4, 3), dt.date(2023, 4, 4)]
    assert rows[1]["completed_on"] is None and [r["grade"] for r in rows] == [0, None]
    assert records.rows([r["_row"] for r in rows]) == [2, 3]


def test_window_absent_from_registry_is_located_with_a_suggestion(tmp_path, engine):
    path = write_csv(tmp_path / "r.csv", ["A1,发改局,2023-04-03,5,2023-04-07,满意", "A2,县统计局窗口,2023-04-03,5,,", "A3,市场监管,2023-04-03,5,,"])
    _, problems = load(path, engine)
    assert any("第3行" in p and "“办理窗口”列" in p and "县统计局窗口" in p for p in problems)
    assert any("第4行" in p and "是否为“市场监管局”" in p for p in problems)


def test_bad_dates_and_limits_are_located_whatever_path_reads_them(tmp_path, engine):
    path = write_csv(tmp_path / "r.csv", ["A1,发改局,2023-04-03,0,2023-04-07,满意", "A2,发改局,2023/4/31,5,,", "A3,发改局,2023-04-05,5,2023-04-01,很好"])
    _, problems = load(path, engine)
    assert any("第2行" in p and "承诺时限" in p and "不能小于 1" in p for p in problems)
    assert any("第3行" in p and "申请日期" in p for p in problems)
    assert any("第4行" in p and "办结日期" in p and "不能早于" in p for p in problems)
    assert any("第4行" in p and "评价结果" in p and "很好" in p for p in problems)


def test_blank_lines_do_not_shift_the_row_numbers(tmp_path, engine):
    path = write_csv(tmp_path / "r.csv", ["A1,发改局,2023-04-03,5,,", "", ",,,,,", "A2,县统计局,2023-04-03,5,,"])
    records, problems = load(path, engine)
    assert len(problems) == 1 and "第5行" in problems[0]  # header 1, A1 2, two blank lines, then 5


def test_fast_path_limits_are_checked(tmp_path, engine):
    path = write_csv(tmp_path / "r.csv", ["A1,发改局,2023-04-03,400,2023-04-07,满意"])
    _, problems = load(path, engine)
    assert len(problems) == 1 and "第2行" in problems[0] and "不能大于 365" in problems[0]


def test_missing_required_value_and_repeated_case_number(tmp_path, engine):
    path = write_csv(tmp_path / "r.csv", ["A1,发改局,2023-04-03,5,,", "A2,,2023-04-03,5,,", "A1,公安局,2023-04-04,5,,"])
    _, problems = load(path, engine)
    assert any("第3行" in p and "缺少数值" in p for p in problems)
    assert any("第4行" in p and "与第2行重复" in p for p in problems)


@pytest.mark.parametrize("limit_set", [None, "300MB"])
def test_a_large_record_file_gives_the_engine_more_memory_unless_a_limit_is_set(tmp_path, monkeypatch, limit_set):
    from pipeline.load import records as module

    if limit_set:
        monkeypatch.setenv("BULLETIN_MEMORY_LIMIT", limit_set)
    else:
        monkeypatch.delenv("BULLETIN_MEMORY_LIMIT", raising=False)
    path = write_csv(tmp_path / "r.csv", ["A1,发改局,2023-04-03,5,,"])
    with Engine() as engine:
        limit = "SELECT current_setting('memory_limit')"
        load(path, engine)
        small = engine.backend().con.execute(limit).fetchone()
        monkeypatch.setattr(module, "LARGE_FILE_BYTES", 0)  # as a province's year of cases
        records, problems = load(path, engine)
        assert problems == [] and len(records) == 1
        large = engine.backend().con.execute(limit).fetchone()
        engine.release()  # the next build of a batch gets the engine's own limit again
        released = engine.backend().con.execute(limit).fetchone()
    assert (large == small) == bool(limit_set) and released == small


def test_line_breaks_inside_cells_and_blank_lines_keep_the_rows_true(tmp_path, engine):
    path = write_csv(tmp_path / "r.csv", ['"A\n1",发改局,2023-04-03,5,,', "", "A2,发改局,2023-04-03,5,,", "A2,县统计局,2023-04-03,5,,"])
    _, problems = load(path, engine)
    assert len(problems) == 2
    assert "第6行" in problems[0] and "县统计局" in problems[0]  # header 1, a cell on 2–3, blank 4
    assert "第6行" in problems[1] and "与第5行重复" in problems[1]


def test_gbk_csv_with_a_title_row_and_an_xlsx_read_alike(tmp_path, engine):
    gbk = tmp_path / "r.csv"
    gbk.write_text("永昌县办件记录导出\n" + HEADER + "\nA1,县市场监管局,2023-04-03,5,2023-04-07,满意\n", encoding="gb18030")
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    sheet.append(["A1", "县市场监管局", dt.date(2023, 4, 3), 5, dt.date(2023, 4, 7), "满意"])
    book.save(tmp_path / "r.xlsx")
    (a, pa_), (b, pb) = load(gbk, engine), load(tmp_path / "r.xlsx", engine)
    assert pa_ == pb == []
    ra, rb = rows_of(a), rows_of(b)
    assert a.rows([r["_row"] for r in ra]) == [3] and b.rows([r["_row"] for r in rb]) == [2]
    for name in ("unit", "applied_on", "limit_days", "completed_on", "grade"):
        assert [r[name] for r in ra] == [r[name] for r in rb]


def test_overdue_counts_follow_statutory_holidays(tmp_path, engine):
    # 5 working days after 2023-04-24 skip the 劳动节 holiday (4/29–5/3) and count 调休 4/23 no more: due 5/4.
    path = write_csv(
        tmp_path / "r.csv",
        [
            "A1,人社局,2023-04-24,5,2023-05-04,满意",  # on the last day: not overdue
            "A2,人社局,2023-04-24,5,2023-05-05,满意",  # one working day late
            "A3,医保局,2023-06-01,3,,",  # still open at the cut-off, due 6/6
            "A4,医保局,2023-06-28,3,,",  # open but not yet due
        ],
    )
    records, problems = load(path, engine)
    assert problems == []
    ctx = RuleContext(Period.parse("2023Q2"), dt.date(2023, 6, 30), REGISTRY, {"cases": records})
    kind = KIND
    findings = run_check("overdue_case_counts", kind["checks"]["overdue_case_counts"], Environment(ctx, bulletin_view(kind)), {})
    assert [(f.unit.short_name, f["count"]) for f in findings] == [("人社局", 1), ("医保局", 1)]
    assert [e.row for f in findings for e in f.evidence] == [3, 4]
    assert "应于2023年5月4日前办结" in findings[0].evidence[0].detail
    capped = {**kind["checks"]["overdue_case_counts"], "evidence_rows": 1}
    path = write_csv(tmp_path / "r2.csv", ["B1,医保局,2023-06-01,3,,", "B2,医保局,2023-06-02,3,,", "B3,人社局,2023-06-01,3,,"])
    records, _ = load(path, engine)
    ctx = RuleContext(Period.parse("2023Q2"), dt.date(2023, 6, 30), REGISTRY, {"cases": records})
    findings = run_check("overdue_case_counts", capped, Environment(ctx, bulletin_view(kind)), {})
    assert [(f.unit.short_name, f["count"], len(f.evidence)) for f in findings] == [("医保局", 2, 1), ("人社局", 1, 1)]


def test_build_stops_on_an_unknown_window_and_writes_nothing(tmp_path):
    inputs = tmp_path / "inputs"
    shutil.copytree(INPUTS / "2023Q2", inputs / "2023Q2")
    shutil.copytree(INPUTS / "registries", inputs / "registries")
    records = inputs / "2023Q2/办件及评价记录.csv"
    with open(records, "a", encoding="utf-8") as handle:
        handle.write("X1,县统计局,2023-05-05,5,2023-05-08,满意\n")
    outputs = tmp_path / "outputs"
    result = run_cli("build", "--period", "2023Q2", "--inputs", str(inputs), "--templates", str(TEMPLATES), "--outputs", str(outputs))
    assert result.exit_code == 1
    assert "办件及评价记录.csv，第6298行，“办理窗口”列：单位“县统计局”不在单位名录中" in result.output
    assert not outputs.exists() or not any(outputs.rglob("*.docx"))


def test_parquet_records_are_checked_and_located_like_csv(tmp_path, engine):
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({
        "办件编号": ["A1", "A2"], "办理窗口": ["发改局", "县统计局"], "申请日期": [dt.date(2023, 4, 3)] * 2,
        "承诺时限（工作日）": [5, 5], "办结日期": [None, None], "评价结果": ["满意", None],
    })
    pq.write_table(table, tmp_path / "r.parquet")
    records, problems = load(tmp_path / "r.parquet", engine)
    assert len(problems) == 1 and "r.parquet，第2行，“办理窗口”列" in problems[0] and "县统计局" in problems[0]


def test_a_file_read_converted_still_locates_blanks_after_blank_rows_and_repeats(tmp_path, engine):
    # every window and grade known: the file is stored converted while read; the checks run on that table
    path = write_csv(tmp_path / "r.csv", ["A1,发改局,2023-04-03,5,,", ",,,,,", "A2,发改局,,5,2023-04-01,满意", "A1,公安局,2023-04-04,400,,"])
    records, problems = load(path, engine)
    assert records.source.typed
    assert any("第4行" in p and "申请日期" in p and "缺少数值" in p for p in problems)
    assert any("第5行" in p and "不能大于 365" in p for p in problems)
    assert any("第5行" in p and "与第2行重复" in p for p in problems)


def test_a_bad_window_past_the_sampled_top_of_the_file_is_still_located(tmp_path, engine):
    good = [f"A{i},发改局,2023-04-03,5,2023-04-07,满意" for i in range(3000)]  # beyond the 64 KB looked at first
    path = write_csv(tmp_path / "r.csv", [*good, "B1,县统计局,2023-04-03,5,,"])
    records, problems = load(path, engine)
    assert not records.source.typed
    assert len(problems) == 1 and "第3002行" in problems[0] and "县统计局" in problems[0]


def test_parquet_read_converted_gives_what_the_csv_gives(tmp_path, engine):
    import pyarrow as pa
    import pyarrow.parquet as pq

    lines = ["A1,县市场监管局,2023-04-03,5,2023-04-07,满意", "A2,农业银行,2023-04-04,3,,", "A1,公安局,2023-04-04,0,2023-04-01,"]
    pq.write_table(pa.table({
        "办件编号": ["A1", "A2", "A1"], "办理窗口": ["县市场监管局", "农业银行", "公安局"],
        "申请日期": [dt.date(2023, 4, 3), dt.date(2023, 4, 4), dt.date(2023, 4, 4)], "承诺时限（工作日）": [5, 3, 0],
        "办结日期": [dt.date(2023, 4, 7), None, dt.date(2023, 4, 1)], "评价结果": ["满意", None, None],
    }), tmp_path / "r.parquet")
    (parquet, from_parquet), (csv, from_csv) = load(tmp_path / "r.parquet", engine), load(write_csv(tmp_path / "r.csv", lines), engine)
    assert parquet.source.typed and csv.source.typed
    assert len(from_parquet) == len(from_csv) == 3  # a Parquet file's rows counted from 1, a CSV's from its header
    assert any("r.parquet，第3行" in p and "不能小于 1" in p for p in from_parquet) and any("第4行" in p and "不能小于 1" in p for p in from_csv)
    assert any("第3行" in p and "不能早于" in p for p in from_parquet) and any("第4行" in p and "不能早于" in p for p in from_csv)
    assert any("与第1行重复" in p for p in from_parquet) and any("与第2行重复" in p for p in from_csv)
    good = lines[:2]
    pq.write_table(pq.read_table(tmp_path / "r.parquet").slice(0, 2), tmp_path / "good.parquet")
    a, b = load(tmp_path / "good.parquet", engine)[0], load(write_csv(tmp_path / "good.csv", good), engine)[0]
    assert [{k: v for k, v in r.items() if k != "_row"} for r in rows_of(a)] == [{k: v for k, v in r.items() if k != "_row"} for r in rows_of(b)]


ORDERED_IDS = [
    (["YC9", "YC10", "YC11", "YC100"], True),  # numbered as exported, without leading zeros
    (["0009", "0010", "0011"], True),
    (["A1", "A2", "A3", "A4", "A5"], True),  # across the batches (two keys a batch here)
    (["A1", "A2", "A2", "A3"], False),  # a repeat at the edge of a batch
    (["A1", "A3", "A2"], False),
    (["YC10", "YC9"], False),
    (["A1", None, "A3"], False),  # blanks are left to the grouping
]


@pytest.mark.parametrize("ids, proven", ORDERED_IDS)
def test_keys_in_order_prove_themselves_unique_in_one_pass(engine, monkeypatch, ids, proven):
    import pyarrow as pa

    from pipeline.load import unique
    from pipeline.load.engine import arrow_memtable

    monkeypatch.setattr(unique, "ORDER_BATCH", 2)
    data = pa.table({"_row": pa.array(range(len(ids)), pa.int64()), "k": pa.array(ids, pa.string())})
    stored, in_memory = engine.upload("ids", data), arrow_memtable("ids", data, {"_row": "int64", "k": "string"})
    reading_both = stored.filter(stored["_row"].isin(in_memory["_row"]))  # the in-memory table registered when streamed
    assert unique.keys_in_order(stored, "k") is proven and unique.keys_in_order(reading_both, "k") is proven


def test_ids_in_order_need_no_grouping_and_a_repeat_among_them_is_still_located(tmp_path, engine, monkeypatch):
    from pipeline.load import records as module

    lines = [f"YC{i},发改局,2023-04-03,5,," for i in range(1, 12)]
    records, problems = load(write_csv(tmp_path / "ordered.csv", lines), engine)
    assert problems == [] and len(records) == 11
    monkeypatch.setattr(module, "repeated_hashes", lambda *a: pytest.fail("ids in order were grouped"))
    assert load(write_csv(tmp_path / "again.csv", lines), engine)[1] == []
    monkeypatch.undo()
    _, problems = load(write_csv(tmp_path / "repeat.csv", [*lines, "YC5,公安局,2023-04-04,5,,"]), engine)
    assert len(problems) == 1 and "第13行" in problems[0] and "与第6行重复" in problems[0]


@pytest.mark.parametrize("limit", ["40000", "3000000000", "-70000"])
def test_a_whole_number_beyond_the_narrow_type_it_is_read_as_is_still_located(tmp_path, engine, limit):
    path = write_csv(tmp_path / "r.csv", ["A1,发改局,2023-04-03,5,,", f"A2,发改局,2023-04-03,{limit},,"])
    records, problems = load(path, engine)
    assert not records.source.typed and records.table is None
    words = "不能小于 1" if limit.startswith("-") else "不能大于 365"
    assert len(problems) == 1 and "第3行" in problems[0] and "承诺时限" in problems[0] and words in problems[0]


def test_the_narrow_stored_columns_come_out_as_wide_as_declared(tmp_path, engine):
    records, problems = load(write_csv(tmp_path / "r.csv", ["A1,发改局,2023-04-03,365,,满意"]), engine)
    assert problems == [] and records.source.typed
    schema = records.table.schema()
    assert schema["limit_days"].is_int64() and schema["unit"].is_int32() and rows_of(records)[0]["limit_days"] == 365


@pytest.mark.parametrize("positions, stored", [([0, 5, 30], "TINYINT"), ([], "TINYINT"), ([3, 127], "TINYINT"), ([3, 128], "SMALLINT"),
                                               ([40000], "INTEGER")])
def test_a_unit_column_is_stored_in_the_narrowest_type_its_registry_positions_fit(positions, stored):
    from pipeline.load.stored_types import unit_type

    assert unit_type(positions) == stored


@pytest.mark.parametrize("cells", [['"A\n1",发改局,2023-04-03,5,,', "", "A2,发改局,2023-04-03,5,,", "A2,县统计局,2023-04-03,5,,"],
                                   ["A1,发改局,2023-04-03,5,,", "A2,发改局,2023-04-03,5,,", "A2,县统计局,2023-04-03,5,,"]])
def test_a_large_file_is_counted_while_it_is_read_and_its_rows_stay_true(tmp_path, monkeypatch, cells):
    """Read as a large file is (every core, its lines counted on another thread meanwhile), a
    file locates its rows as when counted afterwards, line breaks in cells and blank lines or not."""
    from pipeline.load import engine as module
    from pipeline.load import sources

    path = write_csv(tmp_path / "r.csv", cells)
    with Engine() as small:
        expected = load(path, small)[1]
    monkeypatch.setattr(module, "PARALLEL_BYTES", 0)
    counted, real = [], sources.line_count
    monkeypatch.setattr(sources, "line_count", lambda *args: counted.append(args) or real(*args))
    with Engine() as large:
        assert load(path, large)[1] == expected and len(expected) == 2
    assert len(counted) == 1 and counted[0][1] is large.stopping  # counted once, ahead, stopped with the engine


def test_a_count_begun_ahead_stops_when_its_engine_closes(tmp_path):
    import threading

    from pipeline.load.sources import line_count

    path = write_csv(tmp_path / "r.csv", ["A1,发改局,2023-04-03,5,,"])
    stop = threading.Event()
    assert line_count(path, stop) == 2
    stop.set()
    assert line_count(path, stop) is None


def test_a_count_the_engine_stopped_before_it_began_is_made_when_the_rows_are_asked_for(tmp_path, monkeypatch):
    from concurrent.futures import Future

    from pipeline.load import engine as module

    path = write_csv(tmp_path / "r.csv", ['"A\n1",发改局,2023-04-03,5,,', "A1,县统计局,2023-04-03,5,,"])
    monkeypatch.setattr(module, "PARALLEL_BYTES", 0)
    with Engine() as engine:
        records, problems = load(path, engine)
        cancelled = Future()
        cancelled.cancel()
        records.source.counted, records.source._regular = cancelled, None
        assert records.source.rows([1]) == [4]  # header 1, a cell on 2–3, then 4


@pytest.mark.parametrize("ids, proven", ORDERED_IDS)
def test_keys_followed_on_another_thread_say_what_they_say_here(monkeypatch, ids, proven):
    """On a large file the order is followed on another thread, on a connection of its own, while
    the other checks run; a table only the build's own connection sees is followed here instead."""
    import pyarrow as pa

    from pipeline.load import unique
    from pipeline.load.engine import PARALLEL_BYTES, arrow_memtable

    monkeypatch.setattr(unique, "ORDER_BATCH", 2)
    data = pa.table({"_row": pa.array(range(len(ids)), pa.int64()), "k": pa.array(ids, pa.string())})
    with Engine() as engine:
        assert unique.keys_in_order_ahead(engine.upload("ids", data), "k", engine) is None  # a small build: here
        engine.parallel(PARALLEL_BYTES)
        stored, in_memory = engine.upload("ids", data), arrow_memtable("ids", data, {"_row": "int64", "k": "string"})
        assert unique.keys_in_order_ahead(stored, "k", engine).result() is proven
        temporary = stored.filter(stored["_row"].isin(in_memory["_row"]))  # reads a temporary table
        assert unique.keys_in_order_ahead(temporary, "k", engine).result() is None


def test_a_large_file_s_ids_in_order_are_proven_on_another_thread_and_a_repeat_still_located(tmp_path, monkeypatch):
    from pipeline.load import engine as engine_module
    from pipeline.load import records as module

    monkeypatch.setattr(engine_module, "PARALLEL_BYTES", 0)
    lines = [f"YC{i},发改局,2023-04-03,5,," for i in range(1, 12)]
    with Engine() as engine:
        monkeypatch.setattr(module, "repeated_hashes", lambda *a: pytest.fail("ids in order were grouped"))
        monkeypatch.setattr(module, "keys_in_order", lambda *a: pytest.fail("the order was followed again here"))
        records, problems = load(write_csv(tmp_path / "ordered.csv", lines), engine)
        assert problems == [] and len(records) == 11
        monkeypatch.undo()
        monkeypatch.setattr(engine_module, "PARALLEL_BYTES", 0)
        _, problems = load(write_csv(tmp_path / "repeat.csv", [*lines, "YC5,公安局,2023-04-04,5,,"]), engine)
    assert len(problems) == 1 and "第13行" in problems[0] and "与第6行重复" in problems[0]


def sample_2023q2(tmp_path: Path, monkeypatch, temporary: str) -> tuple[Path, Path, Path]:
    """(the system's temporary folder, named ``temporary``; a copy of the 2023Q2 sample; an outputs folder)."""
    import tempfile

    folder = tmp_path / temporary
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    periods = tmp_path / "periods"
    shutil.copytree(INPUTS / "2023Q2", periods / "2023Q2")
    shutil.copytree(INPUTS / "registries", periods / "registries")
    return folder, periods, tmp_path / "outputs"


def build_2023q2(periods: Path, outputs: Path):
    return run_cli("build", "--period", "2023Q2", "--inputs", str(periods), "--templates", str(TEMPLATES), "--outputs", str(outputs))


def test_a_temporary_folder_whose_path_has_a_quote_holds_the_engines_files(tmp_path, monkeypatch):
    """The engine's scratch folder goes where the system keeps temporary files: a user's folder
    named O'Brien (C:\\Users\\O'Brien\\AppData\\Local\\Temp on Windows) holds it as any other, and
    the build leaves nothing there."""
    temporary, inputs, outputs = sample_2023q2(tmp_path, monkeypatch, "O'Brien")
    result = build_2023q2(inputs, outputs)
    assert result.exit_code == 0, result.output
    assert list((outputs / "2023Q2").glob("*.docx")) and list(temporary.iterdir()) == []


@pytest.mark.parametrize("tail, said", [
    ("X1,县公安局,2023-05-05,abc,2023-05-08,满意\n".encode(), "，第6298行，“承诺时限（工作日）”列"),  # a bad cell
    ("X1,县公安局,2023-13-45,5,,\n".encode(), "，第6298行，“申请日期”列"),  # a day no calendar has
    ("X1,县统计局,2023-05-05,5,2023-05-08,满意\n".encode(), "，第6298行，“办理窗口”列"),  # a window the registry lacks
    (b"X1,\xff\xfe,2023-05-05,5,,\n", "，第6298行：有不是 UTF-8 编码的字符"),  # bytes that are no UTF-8, far into the file
])
def test_a_large_file_refused_while_its_lines_are_counted_and_ibis_imported_ahead_leaves_nothing(tmp_path, monkeypatch, tail, said):
    """Read as a large file is (Ibis imported and the lines counted on other threads meanwhile), a
    file refused mid-load is refused at its row, exit code 1, nothing written, and the engine's
    scratch folder — where a count begun ahead could hold a file open — is gone."""
    from pipeline.load import engine as module

    monkeypatch.setattr(module, "PARALLEL_BYTES", 0)
    begun, ahead = [], module.Engine.ahead
    monkeypatch.setattr(module.Engine, "ahead", lambda engine, work: begun.append(ahead(engine, work)) or begun[-1])
    temporary, inputs, outputs = sample_2023q2(tmp_path, monkeypatch, "temporary")
    with open(inputs / "2023Q2/办件及评价记录.csv", "ab") as handle:
        handle.write(tail)
    result = build_2023q2(inputs, outputs)
    assert result.exit_code == 1, result.output
    assert f"办件及评价记录.csv{said}" in result.output and "程序内部错误" not in result.output
    assert begun and all(future.done() for future in begun)  # counted ahead, and stopped or finished
    assert not outputs.exists() or not any(p.is_file() for p in outputs.rglob("*"))
    assert list(temporary.iterdir()) == []


@pytest.mark.parametrize("extra", ["", "序号,"])
@pytest.mark.parametrize("large", [False, True])
def test_a_byte_that_is_not_utf8_is_refused_at_its_line_whatever_columns_are_read(tmp_path, monkeypatch, extra, large):
    """DuckDB, asked for some of a file's columns only, fails inside the engine on a byte that is
    not UTF-8 and leaves the database unusable; every column is read, and the clerk is told the line."""
    from pipeline.load import engine as module

    if large:
        monkeypatch.setattr(module, "PARALLEL_BYTES", 0)
    lines = [f"{i + 1}," * bool(extra) + f"A{i},发改局,2023-04-03,5,2023-04-04,满意" for i in range(3000)]  # past the sampled top
    path = tmp_path / "r.csv"
    text = "\n".join([extra + HEADER, *lines]) + "\n"
    path.write_bytes(text.encode("utf-8").replace("A2900,发改局,2023-04-03,5,2023-04-04,满意".encode(), "A2900,发改局,2023-04-03,5,2023-04-04,".encode() + b"\xff\xfe"))
    with Engine() as engine:
        _, problems = load(path, engine)
        assert len(problems) == 1 and "第2902行" in problems[0] and "UTF-8" in problems[0], problems
        assert engine.connection().execute("SELECT 42").fetchone() == (42,)  # the database still answers
