"""The files a build read (读取的文件): what ``bulletin ci`` compares with the files a push changed.

While :func:`recording` is active, every file Python opens under one of its folders (YAML,
workbooks, .csv, the Word template) is noted by one audit hook, installed once for the process
and doing nothing when no recording is active. A file handed straight to the query engine
(a .csv or .parquet DuckDB reads itself) is noted by :func:`note` where it is handed over.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import sys
from pathlib import Path

_ACTIVE: contextvars.ContextVar = contextvars.ContextVar("bulletin_reads", default=None)
_INSTALLED = False


class Reads:
    """The files read under ``roots`` (absolute, symbolic links resolved)."""

    def __init__(self, roots):
        self.roots = tuple(os.path.realpath(r) for r in roots)
        self.paths: set[Path] = set()

    def add(self, path) -> None:
        try:
            full = os.path.realpath(os.fsdecode(path))
        except (TypeError, ValueError, OSError):
            return
        if any(full == root or full.startswith(root + os.sep) for root in self.roots):
            self.paths.add(Path(full))


def _on_event(event: str, args: tuple) -> None:
    if event != "open":
        return
    reads = _ACTIVE.get()
    if reads is not None and args and isinstance(args[0], (str, bytes, os.PathLike)):
        reads.add(args[0])


def _install() -> None:
    global _INSTALLED
    if not _INSTALLED:  # an audit hook cannot be removed: one for the process, idle outside a recording
        sys.addaudithook(_on_event)
        _INSTALLED = True


@contextlib.contextmanager
def recording(*roots):
    """Collect the files opened (or noted) under ``roots`` inside the ``with`` block."""
    _install()
    reads = Reads(roots)
    token = _ACTIVE.set(reads)
    try:
        yield reads
    finally:
        _ACTIVE.reset(token)


def note(path) -> None:
    """A file read other than by Python's open (a query engine reading it itself)."""
    reads = _ACTIVE.get()
    if reads is not None and isinstance(path, (str, bytes, os.PathLike)):
        reads.add(path)
