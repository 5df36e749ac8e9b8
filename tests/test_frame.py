"""The frame of a 公文 (title, 主送, opening, closing, 署名, date, 版记, parts) is built by one function for
the bulletin and for each unit's notice: the same fallbacks for both."""

from __future__ import annotations

import datetime as dt

from pipeline.compose.frame import frame
from pipeline.compose.notices import notice_document
from pipeline.config.declared import NOTICES, SETTINGS as DECLARED
from pipeline.config.view import Settings
from pipeline.language.sentence import Scope

ISSUED = dt.date(2024, 6, 12)
SETTINGS = {"office": "宜城市办公室", "title": "{{ office }}通报", "subtitle": "（第一季度）", "signature": "宜城市办公室",
            "imprint": {"copy_to": "市政府办", "printed_on": dt.date(2024, 6, 13)}}


def test_the_kinds_signature_and_imprint_fall_back_to_the_office_and_the_issue_date():
    fill = Scope({"office": "宜城市办公室"}).fill
    view = Settings(SETTINGS, DECLARED)
    fields = frame(view, view, fill, ISSUED)
    assert fields["title"] == "宜城市办公室通报" and fields["subtitle"] == "（第一季度）"
    assert fields["signature"] == ["宜城市办公室"] and fields["printed_by"] == "宜城市办公室"
    assert (fields["copy_to"], fields["printed_on"], fields["date"]) == ("市政府办", "2024年6月13日", "2024年6月12日")
    assert fields["recipients"] == "" and not fields["parts"].recipients  # no 主送 written: none printed


def test_a_notice_takes_its_texts_from_notices_and_the_rest_from_the_kind():
    settings = {**SETTINGS, "imprint": {}, "notices": {"title": "关于{{ unit.short_name }}的整改通知", "document": {"imprint": False}}}
    unit = {"short_name": "住建局", "full_name": "宜城市住房和城乡建设局"}
    document = notice_document(Settings(settings, DECLARED), {"unit": unit, "office": "宜城市办公室"}, [], ISSUED)
    assert document.title == "关于住建局的整改通知" and document.subtitle == ""
    assert document.recipients == "宜城市住房和城乡建设局"
    assert document.signature == ["宜城市办公室"] and document.printed_on == "2024年6月12日"
    assert not document.parts.imprint and document.sections[0].heading == NOTICES.keys["heading"].default


def test_a_notices_recipient_is_the_declared_default_where_notices_is_silent():
    assert NOTICES.keys["recipients"].default == "{{ unit.full_name }}"
    fill = Scope({"unit": {"full_name": "宜城市住房和城乡建设局"}}).fill
    view = Settings({**SETTINGS, "notices": {"title": "通知"}}, DECLARED)
    assert frame(view, view.section("notices"), fill, ISSUED)["recipients"] == "宜城市住房和城乡建设局"
