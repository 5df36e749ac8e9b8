"""The configuration read through its declarations: a key neither file writes answers the
default config/declared.py declares for it, however deep; a key it does not declare is refused
at once; bulletin.yaml wins over kind.yaml, and kind.yaml over the declared default."""

from __future__ import annotations

import shutil

import pytest

from pipeline.config.bulletin import load_config
from pipeline.config.declared import ANNEXES, DOCUMENT, NOTICES, NUMBERS, SCORING, SECTIONS
from pipeline.config.view import UndeclaredSetting, bulletin_view

from .conftest import PERIOD, TEMPLATES, change_bulletin, run


def default(record, key: str):
    return record.keys[key].default


def test_a_nested_key_no_file_writes_answers_its_declared_default():
    config = bulletin_view({"title": "通报"})
    assert config.value("numbers.percent_places") == default(NUMBERS, "percent_places")
    assert config.section("numbers").value("rounding") == default(NUMBERS, "rounding")
    assert config.value("notices.document.red_header") is default(DOCUMENT, "red_header")
    assert not config.given("numbers") and not config.section("notices").given()


def test_a_nested_key_written_is_read_as_written():
    config = bulletin_view({"numbers": {"percent_places": 1}})
    assert config.value("numbers.percent_places") == 1
    assert config.value("numbers.rounding") == default(NUMBERS, "rounding")  # its neighbour: still the default
    assert config.given("numbers.percent_places") and not config.given("numbers.rounding")


def test_a_key_without_a_default_answers_empty_of_its_kind():
    config = bulletin_view({})
    assert config.value("datasets") == {} and config.value("annexes") == [] and config.value("sections") == []
    assert config.value("rectification_deadline") is None and config.value("signature") is None


def test_each_item_of_a_list_of_records_answers_the_defaults_of_its_own_type():
    annexes = bulletin_view({"annexes": [{"group": "镇街", "title": "得分"},
                                         {"type": "list", "title": "名单", "rows": "honours.rows"}]}).items("annexes")
    scores, names = annexes
    scores_record, list_record = ANNEXES.variants["scores"], ANNEXES.variants["list"]
    assert scores.value("type") == ANNEXES.default == default(scores_record, "type")  # no type: a score table
    assert scores.value("unit_header") == default(scores_record, "unit_header")
    assert scores.value("columns") == default(scores_record, "columns")
    assert names.value("value") == default(list_record, "value") and names.value("numbered") is default(list_record, "numbered")
    with pytest.raises(UndeclaredSetting, match=r"annexes\[1\]\.unit_header"):
        names.value("unit_header")  # a list of names has no unit column


def test_the_entries_of_a_map_of_records_are_views_too():
    scoring = bulletin_view({"scoring": {"镇街": {"file": "镇街.csv", "items": {"事项": 10}, "bonus": "加分"}}}).items("scoring")
    assert [group for group, _ in scoring] == ["镇街"]
    scheme = scoring[0][1]
    assert scheme.value("bonus") == "加分" and scheme.value("penalty") == "扣分项" == default(SCORING, "penalty")


def test_sections_are_read_by_their_type():
    sections = bulletin_view({"sections": [{"heading": "一", "body": ["句子"]}, {"heading": "二", "type": "problems"}]})
    text, problems = sections.items("sections")
    assert text.value("type") == SECTIONS.default and text.value("numbering") == default(SECTIONS.variants["text"], "numbering")
    assert problems.value("numbered") is default(SECTIONS.variants["problems"], "numbered")
    with pytest.raises(UndeclaredSetting):
        problems.value("body")


@pytest.mark.parametrize("path", ["numbers.percent_place", "no_such_key", "notices.document.colour", "numbers.percent_places.deeper"])
def test_a_key_the_declarations_do_not_have_is_refused_at_once(path):
    config = bulletin_view({"numbers": {"percent_places": 1}})
    with pytest.raises(UndeclaredSetting, match="not declared"):
        config.value(path)


def test_an_undeclared_key_is_refused_even_where_a_file_writes_it():
    config = bulletin_view({"notices": {"title": "通知", "colour": "red"}})  # as if the checker had let it through
    with pytest.raises(UndeclaredSetting, match=r"notices\.colour"):
        config.section("notices").value("colour")


def test_bulletin_yaml_wins_over_kind_yaml_and_kind_yaml_over_the_declared_default(inputs, tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES / "assessment", templates / "assessment")
    change_bulletin(inputs, {"notices": {"heading": "本期发现的问题"}})
    notices = load_config(PERIOD, inputs, templates).section("notices")
    assert notices.value("heading") == "本期发现的问题"  # bulletin.yaml over kind.yaml's 存在问题
    assert notices.value("opening").startswith("根据")  # written in kind.yaml only
    assert notices.value("folder") == default(NOTICES, "folder")  # written in neither
    assert notices.value("document.imprint") is False  # kind.yaml: document: {imprint: false}
    assert notices.value("document.red_header") is default(DOCUMENT, "red_header")


def test_the_merged_mapping_is_not_an_attribute_of_the_configuration(inputs):
    config = load_config(PERIOD, inputs, TEMPLATES)
    assert not hasattr(config, "settings")
    assert config.value("issued_on") == config.issued_on


def test_a_problems_file_named_in_bulletin_yaml_is_the_one_a_refusal_names(inputs, tmp_path):
    change_bulletin(inputs, {"problems_file": "本期问题.yaml"})
    (inputs / PERIOD / "本期问题.yaml").write_text("- heading: 问题\n  parts: [\n", encoding="utf-8")
    result = run("build", PERIOD, inputs, tmp_path / "out")
    assert result.exit_code == 1
    assert f"{PERIOD}/本期问题.yaml" in result.output and "存在问题.yaml" not in result.output
