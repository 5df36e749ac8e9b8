"""Writing outputs so that a reader never sees half a file and a failed build loses nothing.

Every file is first written in full to a temporary file beside its target and then
moved into place with one rename, which readers see as all-or-nothing. The files of
one bulletin are staged together and only moved once all of them are written, under a
lock on the output folder, so two builds at once each leave a complete, matching set.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from pathlib import Path

try:  # POSIX; on Windows the renames alone keep every file whole
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None

# Characters Windows does not allow in file names, replaced by their full-width forms.
_UNSAFE = {"\\": "＼", "/": "／", ":": "：", "*": "＊", "?": "？", '"': "＂", "<": "＜", ">": "＞", "|": "｜"}


def safe_file_name(stem: str) -> str:
    """``stem`` usable as a file name on Windows and Linux, still reading the same."""
    text = "".join(_UNSAFE.get(ch, ch) for ch in stem)
    text = re.sub(r"[\x00-\x1f]", "", text).strip().rstrip(".")
    return text or "通报"


def _stage(path: Path, data: bytes) -> Path:
    """``data`` written and flushed to a temporary file beside ``path``."""
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o644)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return Path(temp)


@contextlib.contextmanager
def _folder_lock(folder: Path):
    """Exclusive use of ``folder`` while files are moved into it (no-op where unsupported)."""
    if fcntl is None:
        yield
        return
    descriptor = os.open(folder, os.O_RDONLY)  # the folder itself is locked: no lock file is left behind
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # releases the lock


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path``, then move it into place in one step."""
    write_all({path: data})


def write_all(files: dict[Path, bytes]) -> None:
    """Write every file, moving them into place only once all of them have been written."""
    staged: dict[Path, Path] = {}
    try:
        for path, data in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            staged[path] = _stage(path, data)
        folders = sorted({path.parent for path in files})
        with contextlib.ExitStack() as stack:
            for folder in folders:
                stack.enter_context(_folder_lock(folder))
            for path, temp in staged.items():
                os.replace(temp, path)
    finally:
        for temp in staged.values():
            temp.unlink(missing_ok=True)
