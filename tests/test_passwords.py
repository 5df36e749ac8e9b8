"""Passwords: never in a committed file, never in a message, wherever the connection string is written.

The unreachable server is a real address (127.0.0.1, port 1) so the driver's own error, which
repeats what it was given, is what the clerk would see."""

from __future__ import annotations

import pytest

from pipeline.core.passwords import environment_secrets, password_in, scrubbed, without_password

from .conftest import TEMPLATES, change_bulletin, run_cli
from .test_engines import PERIOD, period_copy

SECRET = "Tr0ub4dor-s3cret"


@pytest.mark.parametrize("text", [
    f"postgresql://clerk:{SECRET}@db.example:5432/cases",
    f"postgres://clerk:{SECRET}@db.example/cases",
    f"host=db.example password={SECRET} dbname=cases",
    f"host=db.example password='{SECRET}' dbname=cases",
    f"postgresql://clerk@db.example/cases?sslmode=require&password={SECRET}",
])
def test_every_spelling_of_a_connection_string_is_known_to_hold_a_password(text):
    assert password_in(text)
    assert SECRET not in without_password(text)


@pytest.mark.parametrize("text", ["postgresql://clerk@db.example/cases", "host=db.example dbname=cases", "ycxz@163.com"])
def test_a_connection_string_without_a_password_is_left_as_it_is(text):
    assert not password_in(text) and without_password(text) == text


def test_the_environment_s_passwords_are_hidden_even_inside_a_database_name():
    environ = {"PGPASSWORD": SECRET, "PGDATABASE": "postgresql://u:another-secret@h/db"}
    assert sorted(environment_secrets(environ)) == sorted([SECRET, "another-secret"])
    assert scrubbed(f"连接失败：{SECRET}，another-secret", environ) == "连接失败：***，***"


@pytest.mark.parametrize("setting", [
    {"postgres": {"host": f"postgresql://clerk:{SECRET}@127.0.0.1:1/cases"}},
    {"postgres": {"database": f"host=127.0.0.1 port=1 password={SECRET}"}},
    {"postgres": {"host": "127.0.0.1", "password": SECRET}},
    {"params": {"连接": f"postgresql://clerk:{SECRET}@127.0.0.1:1/cases"}},
])
def test_a_password_in_bulletin_yaml_is_refused_at_its_line_without_repeating_it(tmp_path, setting):
    inputs = period_copy(tmp_path, {"postgres": "public.cases"})
    change_bulletin(inputs, setting, PERIOD)
    result = run_cli("build", "--period", PERIOD, "--inputs", str(inputs), "--templates", str(TEMPLATES),
                     "--outputs", str(tmp_path / "out"))
    assert result.exit_code == 1, result.output
    assert "含有密码" in result.output and "bulletin.yaml，第" in result.output, result.output
    assert SECRET not in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_the_environment_s_secrets_are_not_printed_when_the_server_is_unreachable(tmp_path, monkeypatch):
    monkeypatch.setenv("PGHOST", "127.0.0.1")
    monkeypatch.setenv("PGPORT", "1")
    monkeypatch.setenv("PGPASSWORD", SECRET)
    monkeypatch.setenv("PGDATABASE", f"postgresql://clerk:{SECRET}x@127.0.0.1:1/cases")
    inputs = period_copy(tmp_path, {"postgres": "public.cases"})
    result = run_cli("build", "--period", PERIOD, "--inputs", str(inputs), "--templates", str(TEMPLATES),
                     "--outputs", str(tmp_path / "out"))
    assert result.exit_code == 1 and "无法连接 PostgreSQL" in result.output, result.output
    assert SECRET not in result.output and "Traceback" not in result.output
