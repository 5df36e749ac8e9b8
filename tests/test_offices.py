"""One bulletin per county (``offices:``) from one province-wide record table: each county's
bulletin from its own rows, with its own office, registry and signature; the shared table read
once; bad declarations, counties without rows and rows no county claims reported at their lines."""

from __future__ import annotations

import uuid

import pytest
import yaml
from docx import Document

from pipeline.run.build import build_bulletin
from pipeline.load import shared

from .conftest import INPUTS, TEMPLATES, run_cli
from .province import COLUMN, PERIOD, SHARED, province, set_offices, shared_rows, write_csv, yongning_office
from .services import postgres_connection


def build(inputs, outputs, *extra):
    return run_cli("build", "--period", PERIOD, "--inputs", str(inputs), "--templates", str(TEMPLATES),
                   "--outputs", str(outputs), *extra)


def docx_of(outputs, county: str):
    (path,) = (outputs / PERIOD / county).glob("*.docx")
    return path


@pytest.fixture(scope="module")
def sample() -> bytes:
    return build_bulletin(PERIOD, INPUTS, TEMPLATES).docx


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The province built once per county from its shared .csv: (inputs, outputs, result)."""
    tmp = tmp_path_factory.mktemp("province")
    inputs, outputs = province(tmp), tmp / "outputs"
    return inputs, outputs, build(inputs, outputs)


def test_each_county_gets_its_own_bulletin_and_evidence(built, sample):
    inputs, outputs, result = built
    assert result.exit_code == 0, result.output
    assert "2023Q2：共生成 2 个区县的通报" in result.output and "每秒" in result.output
    for county in ("永昌县", "永宁县"):
        files = sorted(p.name for p in (outputs / PERIOD / county).iterdir())
        assert files == [f"{county}2023年第二季度政务服务线下“好差评”通报.docx", f"{county}2023年第二季度政务服务线下“好差评”通报_问题依据.csv"]
    # 永昌县's rows are the sample's records and its settings the sample's: the very same file
    assert docx_of(outputs, "永昌县").read_bytes() == sample


def test_a_county_bulletin_speaks_of_its_own_office_units_and_rows(built):
    _, outputs, _ = built
    text = "".join(p.text for p in Document(docx_of(outputs, "永宁县")).paragraphs).replace("\n", "")
    assert "永宁县深化“放管服”改革推进政府职能转变领导小组办公室关于2023年第二季度" in text
    assert "省市在永宁有关单位" in text and "永宁县深化“放管服”改革推进政府职能转变领导小组办公室（代）" in text
    assert "永昌县深化" not in text and "在永有关单位" not in text
    evidence = next((outputs / PERIOD / "永宁县").glob("*_问题依据.csv")).read_text(encoding="utf-8-sig")
    assert "YN2023Q2" in evidence and "YC2023Q2" not in evidence


def test_the_shared_table_is_read_once_and_a_rebuild_is_byte_identical(built, monkeypatch):
    inputs, outputs, _ = built
    before = {county: docx_of(outputs, county).read_bytes() for county in ("永昌县", "永宁县")}
    reads = []
    real = shared._source
    monkeypatch.setattr(shared, "_source", lambda *args: reads.append(args[0]) or real(*args))
    result = build(inputs, outputs)
    assert result.exit_code == 0, result.output
    assert len(reads) == 1 and reads[0].name == SHARED
    assert "未变化" in result.output
    assert {county: docx_of(outputs, county).read_bytes() for county in before} == before


def test_a_parquet_shared_table_gives_the_same_bulletins(tmp_path, built):
    import pyarrow as pa
    import pyarrow.parquet as pq

    _, csv_outputs, _ = built
    inputs = province(tmp_path)
    header, rows = shared_rows()
    pq.write_table(pa.table({h: [r[i] or None for r in rows] for i, h in enumerate(header)}), inputs / "shared/全省办件.parquet")
    set_offices(inputs, {"永昌县": {}, "永宁县": yongning_office()}, "全省办件.parquet")
    result = build(inputs, tmp_path / "outputs")
    assert result.exit_code == 0, result.output
    for county in ("永昌县", "永宁县"):
        assert docx_of(tmp_path / "outputs", county).read_bytes() == docx_of(csv_outputs, county).read_bytes()


def test_rows_no_county_claims_are_reported_with_their_first_row(tmp_path):
    inputs = province(tmp_path)
    header, rows = shared_rows()
    rows[5][0] = "永安县"
    rows[9][0] = ""
    write_csv(inputs / "shared" / SHARED, header, rows)
    result = build(inputs, tmp_path / "outputs")
    assert result.exit_code == 0, result.output
    assert f"注意：{SHARED}，第7行，“区县”列：1 行的“区县”为“永安县”，不属于 offices 中的任何区县，未计入任何一份通报" in result.output
    assert f"注意：{SHARED}，第11行，“区县”列：1 行的“区县”为空" in result.output


def test_a_county_the_table_never_names_is_an_error_at_its_line(tmp_path):
    inputs = province(tmp_path)
    set_offices(inputs, {"永昌县": {}, "永宁县": {**yongning_office(), "value": "永宁"}})
    outputs = tmp_path / "outputs"
    result = build(inputs, outputs)
    assert result.exit_code == 1
    line = _line_of(inputs, "  永宁县:")
    assert f"2023Q2/bulletin.yaml，第{line}行：（永宁县）offices.永宁县：{SHARED} 的“区县”列中没有“永宁”的行，是否为“永宁县”？" in result.output
    assert not outputs.exists()  # one wrong county: nothing written for any


def test_bad_offices_declarations_are_refused_at_their_lines(tmp_path):
    inputs = province(tmp_path)
    set_offices(inputs, {"永昌县": {"titel": "x"}, "永宁/县": {"value": "永昌县"}, "永安县": {"registry": "../registries/无.yaml"}})
    result = build(inputs, tmp_path / "outputs")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"第{_line_of(inputs, '    titel:')}行：offices.永昌县.titel：未知的配置项“titel”，是否为“title”？" in result.output
    set_offices(inputs, {"永昌县": {}, "永宁/县": {"value": "永昌县"}, "永安县": {"registry": "../registries/无.yaml"}})
    result = build(inputs, tmp_path / "outputs")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"第{_line_of(inputs, '  永宁/县:')}行：offices.永宁/县：区县名用作输出文件夹名" in result.output
    assert "offices.永宁/县：value“永昌县”与 永昌县 相同，同一行不能计入两份通报" in result.output
    assert f"第{_line_of(inputs, '  永安县:')}行：offices.永安县.registry：找不到单位名录 ../registries/无.yaml" in result.output


def test_an_office_column_without_offices_is_refused(tmp_path):
    inputs = province(tmp_path)
    path = inputs / PERIOD / "bulletin.yaml"
    settings = yaml.safe_load(path.read_text(encoding="utf-8"))
    del settings["offices"]
    path.write_text(yaml.safe_dump(settings, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = build(inputs, tmp_path / "outputs")
    assert result.exit_code == 1
    assert "files.cases.office_column：只在用 offices 为每个区县各生成一份通报时使用" in result.output


def test_build_all_builds_every_county_of_an_offices_period(tmp_path, built):
    _, csv_outputs, _ = built
    inputs = province(tmp_path)
    result = run_cli("build", "--all", "--inputs", str(inputs), "--templates", str(TEMPLATES), "--outputs", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert "共生成 2 个区县的通报" in result.output and "共生成 1/1 期通报" in result.output
    assert docx_of(tmp_path / "out", "永宁县").read_bytes() == docx_of(csv_outputs, "永宁县").read_bytes()


def _line_of(inputs, text: str) -> int:
    lines = (inputs / PERIOD / "bulletin.yaml").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.startswith(text))


@pytest.mark.postgres
def test_a_shared_table_in_postgres_gives_the_same_bulletins(tmp_path, built):
    _, csv_outputs, _ = built
    connection = postgres_connection()
    schema = f"bulletin_test_{uuid.uuid4().hex[:8]}"
    header, rows = shared_rows()
    types = dict(zip(header, ["text", "text", "text", "date", "integer", "date", "text"]))
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA {schema}")
        cursor.execute(f'CREATE TABLE {schema}."全省办件" ({", ".join(f"{chr(34)}{h}{chr(34)} {t}" for h, t in types.items())})')
        with cursor.copy(f'COPY {schema}."全省办件" FROM STDIN') as copy:
            for row in rows:
                copy.write_row([value or None for value in row])
    try:
        inputs = province(tmp_path)
        set_offices(inputs, {"永昌县": {}, "永宁县": yongning_office()}, {"postgres": f"{schema}.全省办件"}, COLUMN)
        result = build(inputs, tmp_path / "outputs")
        assert result.exit_code == 0, result.output
        for county in ("永昌县", "永宁县"):
            assert docx_of(tmp_path / "outputs", county).read_bytes() == docx_of(csv_outputs, county).read_bytes()
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA {schema} CASCADE")
        connection.close()


def test_validate_checks_every_county(built):
    inputs, _, _ = built
    result = run_cli("validate", "--period", PERIOD, "--inputs", str(inputs), "--templates", str(TEMPLATES))
    assert result.exit_code == 0, result.output
    assert "2023Q2（永昌县）：输入检查通过" in result.output and "2023Q2（永宁县）：输入检查通过" in result.output


def test_verify_of_an_offices_period_checks_the_county_the_file_is_of(built):
    inputs, outputs, _ = built
    paths = ("--period", PERIOD, "--inputs", str(inputs), "--templates", str(TEMPLATES))
    result = run_cli("verify", str(docx_of(outputs, "永宁县")), *paths)
    assert result.exit_code == 0, result.output
    assert "与 永宁县（2023Q2） 的数据一致" in result.output


def test_verify_with_another_county_says_whose_file_it_is_in_one_line(built):
    inputs, outputs, _ = built
    path = docx_of(outputs, "永宁县")
    result = run_cli("verify", str(path), "--office", "永昌县", "--period", PERIOD, "--inputs", str(inputs), "--templates", str(TEMPLATES))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{path}：这是 永宁县 的通报，不能用 永昌县 的数据核对（请用 --office 永宁县）" in result.output
    assert "按数据应为" not in result.output and len(result.output.strip().splitlines()) <= 2


def test_a_shared_file_read_through_a_utf8_copy_leaves_no_copy_once_its_offices_are_built(tmp_path):
    """A GBK shared table is read through a UTF-8 copy in the engine's scratch folder, kept while
    the offices are built: once they are, the copy goes (a batch building period after period
    holds no copy of each, and never renames a copy onto the last one, which Windows refuses)."""
    import csv

    from pipeline.config.bulletin import load_config
    from pipeline.load.engine import Engine
    from pipeline.run.offices import built_bulletins

    inputs = province(tmp_path)
    header, rows = shared_rows()
    with open(inputs / "shared" / SHARED, "w", encoding="gbk", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows([header, *rows])
    with Engine() as engine:
        for _ in range(2):  # the same period twice in one engine, as a batch may build it
            bulletins, unclaimed = built_bulletins(load_config(PERIOD, inputs, TEMPLATES), engine)
            assert len(bulletins) == 2 and unclaimed == []
            assert list(engine.scratch().iterdir()) == []
