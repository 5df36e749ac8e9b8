"""The read-only view of a .docx the format rules use (kept with the renderer, which lays pages
out with the same reading of effective properties): re-exported for the rules."""

from ..standard.docview import HEADING_PATTERNS, NOT_BODY_STYLES, DocView, Para, heading_level, is_family, to_int

__all__ = ["HEADING_PATTERNS", "NOT_BODY_STYLES", "DocView", "Para", "heading_level", "is_family", "to_int"]
