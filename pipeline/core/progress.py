"""Progress of long work on a terminal: which stage, rows read, bulletins done.

Shown on standard error, on one line rewritten in place, only when that is a terminal;
in CI logs and pipes nothing is printed. :func:`enable` is called by the command line.
"""

from __future__ import annotations

import sys
import time

_state = {"on": False, "width": 0, "last": 0.0}


def enable(stream=None) -> None:
    """Show progress if ``stream`` (standard error by default) is a terminal."""
    stream = stream or sys.stderr
    _state["on"] = bool(getattr(stream, "isatty", lambda: False)())
    _state["stream"] = stream


def stage(text: str, force: bool = False) -> None:
    """Replace the progress line with ``text`` (at most ten times a second unless ``force``)."""
    if not _state["on"]:
        return
    now = time.monotonic()
    if not force and now - _state["last"] < 0.1:
        return
    _state["last"] = now
    stream = _state["stream"]
    stream.write("\r" + text + " " * max(0, _state["width"] - len(text)))
    stream.flush()
    _state["width"] = len(text)


def done() -> None:
    """Clear the progress line before ordinary output follows."""
    if _state["on"] and _state["width"]:
        _state["stream"].write("\r" + " " * _state["width"] + "\r")
        _state["stream"].flush()
        _state["width"] = 0
