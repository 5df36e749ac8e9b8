"""The frame of a 公文 of the kind: what stands around its sections — title, subtitle, 主送机关,
opening and closing, 发文机关署名, date, 版记 and the parts it has. Built once here, for the bulletin
(from the kind's and the period's settings) and for each unit's notice (from ``notices:``)."""

from __future__ import annotations

from ..config.document_parts import document_parts
from ..core.period import format_date


def frame(settings: dict, own: dict, fill, issued_on, defaults: dict | None = None) -> dict:
    """The Document fields of the frame. ``own`` holds this document's texts (the settings
    themselves for the bulletin, ``notices:`` for a notice), ``defaults`` what a text says when
    it is not written there; ``fill`` says a sentence; the signature and 版记 are the kind's."""
    def say(key: str) -> str:
        return fill(own.get(key) or (defaults or {}).get(key) or "")

    recipients = say("recipients")
    parts = document_parts({"document": own.get("document")}, recipients, fill)
    signature = settings.get("signature") or [settings["office"]]
    imprint = settings.get("imprint") or {}
    return dict(
        office=settings["office"], title=say("title"), subtitle=say("subtitle"),
        recipients=recipients if parts.recipients else "", opening=say("opening"), closing=say("closing"),
        signature=([signature] if isinstance(signature, str) else list(signature)) if parts.signature else [],
        date=format_date(issued_on), copy_to=fill(imprint.get("copy_to") or ""),
        printed_by=fill(imprint.get("printed_by") or settings["office"]),
        printed_on=format_date(imprint.get("printed_on") or issued_on), parts=parts,
    )
