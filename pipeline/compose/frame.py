"""The frame of a 公文 of the kind: what stands around its sections — title, subtitle, 主送机关,
opening and closing, 发文机关署名, date, 版记 and the parts it has. Built once here, for the bulletin
(from the kind's and the period's settings) and for each unit's notice (from ``notices:``)."""

from __future__ import annotations

from ..config.document_parts import document_parts
from ..config.view import Settings
from ..core.period import format_date


def frame(settings: Settings, own: Settings, fill, issued_on) -> dict:
    """The Document fields of the frame. ``own`` holds this document's texts (the settings
    themselves for the bulletin, ``notices:`` for a notice; a text not written there says what
    the declarations give it); ``fill`` says a sentence; the signature and 版记 are the kind's."""
    def say(key: str) -> str:
        return fill(own.value(key) or "")

    recipients = say("recipients")
    parts = document_parts(own.section("document"), recipients, fill)
    signature = settings.value("signature") or [settings.value("office")]
    imprint = settings.section("imprint")
    return dict(
        office=settings.value("office"), title=say("title"), subtitle=say("subtitle"),
        recipients=recipients if parts.recipients else "", opening=say("opening"), closing=say("closing"),
        signature=([signature] if isinstance(signature, str) else list(signature)) if parts.signature else [],
        date=format_date(issued_on), copy_to=fill(imprint.value("copy_to") or ""),
        printed_by=fill(imprint.value("printed_by") or settings.value("office")),
        printed_on=format_date(imprint.value("printed_on") or issued_on), parts=parts,
    )
