"""The ``bulletin`` command: the only place that prints, catches the error base and sets exit codes."""

from .commands import main

__all__ = ["main"]
