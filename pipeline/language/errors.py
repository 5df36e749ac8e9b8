"""The one error of the configured-text languages: a sentence, a statement, a named format or an
expression that is outside its language or cannot be written, with where it is configured.

Sentence, statement, format and expression errors are all LanguageError (or subclasses of it), so a
build catches one type. Where the text is written (file, line, column) is taken from the YAML node
the text was read from (core/yamlio.py ``scalar_places``), when the configuration is parsed.
"""

from __future__ import annotations

from ..core.errors import BulletinError, Problem


class LanguageError(BulletinError, ValueError):
    """A configured text or condition that cannot be parsed or said; the message is Chinese.

    The single base of the language's errors: the place to hang it under the common base of the
    product's errors (core/errors.py)."""

    def __init__(self, message: str, source: str = "", file: str = "", line: int | None = None,
                 column: int | None = None):
        super().__init__(message)
        self.source = source  # the text as configured
        self.file, self.line, self.column = file, line, column

    def located(self, file: str, line: int | None, column: int | None = None) -> "LanguageError":
        """The same error placed at ``file``:``line`` (a place found earlier is kept)."""
        if not self.file:
            self.file, self.line, self.column = file, line, column
        return self

    def problem(self, default_file: str = "") -> Problem:
        """The error as a located problem of the inputs (``default_file`` when no place is known)."""
        return Problem(self.file or default_file, str(self), row=self.line)
