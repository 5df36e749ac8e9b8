"""Writing outputs so that a reader never sees half a file, nor a bulletin beside another build's evidence.

A bulletin's files (the .docx, its evidence .csv, a clerk's kept copy) live in one folder
per period. A build writes the new folder whole beside the old one — the files it does
not change are hard links, not copies — and then swaps the two folders in one step
(Linux ``renameat2(RENAME_EXCHANGE)``; elsewhere two renames, undone on the next run if
killed between them). A reader sees the old set or the new set, never a mixture. All
writing happens under a lock on the outputs folder; a build that finds the lock taken
says whose it is and waits a bounded time. Whatever a killed build left behind (staged
folders, temporary files) is removed by the next one.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import datetime as dt
import os
import re
import shutil
import stat
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

from .errors import BulletinError

try:  # POSIX; on Windows the renames alone keep every file whole
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None

# Characters Windows does not allow in file names, replaced by their full-width forms.
_UNSAFE = {"\\": "＼", "/": "／", ":": "：", "*": "＊", "?": "？", '"': "＂", "<": "＜", ">": "＞", "|": "｜"}
MAX_NAME_BYTES = 255  # a file name's limit on Linux (bytes) and Windows (255 UTF-16 units: never fewer)
LOCK_WAIT_SECONDS = 120.0  # how long a build waits for another build writing the same outputs
LOCK_NOTE = ".bulletin-writing"  # who holds the lock: removed on release, stale (and ignored) if killed
RENAME_EXCHANGE = 2


class OutputBusy(BulletinError):
    """The outputs folder stayed locked by another build for longer than a build waits."""

    exit_code = 2


class OutputUnwritable(BulletinError):
    """A file of the outputs could not be written (open in Word, the disk full): nothing was changed."""

    exit_code = 2

    def __init__(self, error: OSError, root: Path):
        super().__init__(f"无法写入 {error.filename or root}：{error.strerror or error}；该文件保持原样"
                         "（若正在 Word 或 WPS 中打开，请关闭后重试）。")


def safe_file_name(stem: str) -> str:
    """``stem`` usable as a file name on Windows and Linux, still reading the same."""
    text = "".join(_UNSAFE.get(ch, ch) for ch in stem)
    text = re.sub(r"[\x00-\x1f]", "", text).strip().rstrip(".")
    return text or "通报"


# Device names Windows reserves, in any case, bare or with an extension (CON.docx as much as con).
_RESERVED = re.compile(r"(con|prn|aux|nul|com[1-9]|lpt[1-9])(\..*)?", re.IGNORECASE)
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')


def name_fault(name: str) -> str | None:
    """Why Windows or macOS cannot create a file or folder called ``name`` (one part of a path); None if both can."""
    if name in ("", ".", ".."):
        return "文件名不能为空，也不能是 . 或 .."
    if _RESERVED.fullmatch(name) or _RESERVED.fullmatch(unicodedata.normalize("NFKC", name)):
        return "是 Windows 保留的设备名（CON、PRN、AUX、NUL、COM1～COM9、LPT1～LPT9，不论大小写、有无扩展名），无法建立"
    if name[-1] in ". ":
        return "以句点或空格结尾，Windows 会去掉它们，文件名就变了"
    if name[0] == ".":
        return "以句点开头：在 Linux 和 macOS 上是隐藏文件，文件夹中看不到它"
    bad = _FORBIDDEN.search(name)
    if bad:
        return f"含有 Windows 不允许的字符“{bad.group()}”（< > : \" / \\ | ? * 及控制字符）"
    size = len(name.encode("utf-8"))
    if size > MAX_NAME_BYTES:
        return f"长 {size} 字节，超过文件名的上限 {MAX_NAME_BYTES} 字节（约 85 个汉字）"
    return None


def name_key(name: str) -> str:
    """What Windows and macOS take a name to be: case and full/half width ignored (／ is /, Ａ is a)."""
    return unicodedata.normalize("NFKC", name).casefold()


def name_problems(named: list[tuple[str, str]]) -> list[str]:
    """What is wrong with the ``(name, source)`` pairs as files of one folder: each name a system
    cannot create, and each that is the same file as an earlier one, naming both sources."""
    problems, seen = [], {}
    for name, source in named:
        fault = name_fault(name)
        if fault:
            problems.append(f"{source}的文件名“{name}”{fault}")
            continue
        first = seen.setdefault(name_key(name), (name, source))
        if first != (name, source):
            problems.append(f"{source}的文件名“{name}”与{first[1]}的“{first[0]}”在 Windows 和 macOS 上是同一个文件"
                            "（不分大小写、全角半角），后写的会覆盖先写的")
    return problems


def _write(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(path, 0o644)


def _unchanged(path: Path, data: bytes) -> bool:
    """``path`` is a plain file holding ``data`` as :func:`_write` leaves one (already on disk)."""
    try:
        info = path.lstat()
        return stat.S_ISREG(info.st_mode) and stat.S_IMODE(info.st_mode) == 0o644 and info.st_size == len(data) \
            and path.read_bytes() == data
    except OSError:
        return False


def _holder(root: Path) -> str:
    """Who holds the lock on ``root``, as its note says."""
    try:
        return (root / LOCK_NOTE).read_text(encoding="utf-8").strip()
    except OSError:
        return "另一次生成"


@contextlib.contextmanager
def output_lock(root: Path):
    """Exclusive use of the outputs folder ``root``; waits at most LOCK_WAIT_SECONDS, saying for whom."""
    if fcntl is None:  # pragma: no cover
        yield
        return
    descriptor = os.open(root, os.O_RDONLY)  # the folder itself is locked
    try:
        _acquire(descriptor, root)
        note = root / LOCK_NOTE
        started = dt.datetime.now().strftime("%H:%M:%S")
        note.write_text(f"进程 {os.getpid()}（{' '.join(sys.argv[1:4]) or 'bulletin'}，{started} 开始）", encoding="utf-8")
        try:
            yield
        finally:
            note.unlink(missing_ok=True)
    finally:
        os.close(descriptor)  # releases the lock


def _acquire(descriptor: int, root: Path) -> None:
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    announced = False
    while True:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise OutputBusy(f"{root} 正被{_holder(root)}写入，等待 {LOCK_WAIT_SECONDS:.0f} 秒仍未结束；"
                                 "未改动任何文件，请稍后重试（若该进程已不存在，重试即可）") from None
            if not announced:
                sys.stderr.write(f"{root} 正被{_holder(root)}写入，等待其完成（最多 {LOCK_WAIT_SECONDS:.0f} 秒）…\n")
                announced = True
            time.sleep(0.1)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one step where the system can (Linux); False where it cannot."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_cwd = -100
    if renameat2(at_cwd, os.fsencode(first), at_cwd, os.fsencode(second), RENAME_EXCHANGE) == 0:
        return True
    return False  # e.g. a file system without the exchange: the two-rename way


def _leftovers(folder: Path) -> list[Path]:
    return sorted(folder.parent.glob(f".{folder.name}.new-*")) + sorted(folder.parent.glob(f".{folder.name}.old-*"))


def clear_leftovers(folder: Path) -> None:
    """What a killed build left: staged folders beside ``folder``, temporary files in it.
    A folder moved aside and not replaced (killed between two renames) is put back."""
    for old in folder.parent.glob(f".{folder.name}.old-*"):
        if not folder.exists():
            os.rename(old, folder)
    for staged in _leftovers(folder):
        shutil.rmtree(staged, ignore_errors=True)
    if folder.is_dir():
        for temp in folder.glob(".*.tmp"):
            temp.unlink(missing_ok=True)


def _mirror(folder: Path, staging: Path) -> None:
    """``staging`` made to hold what ``folder`` holds, as hard links (copies where links are refused)."""
    if not folder.is_dir():
        return
    for entry in folder.iterdir():
        target = staging / entry.name
        if entry.is_dir() and not entry.is_symlink():
            target.mkdir()
            _mirror(entry, target)
            continue
        try:
            os.link(entry, target, follow_symlinks=False)
        except OSError:
            shutil.copy2(entry, target, follow_symlinks=False)


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _swap_in(staging: Path, folder: Path) -> None:
    """``staging`` becomes ``folder`` in one step; the old folder's content ends in ``staging``."""
    if not folder.exists():
        os.rename(staging, folder)
    elif not _exchange(staging, folder):
        aside = folder.parent / f".{folder.name}.old-{os.getpid()}-{time.time_ns()}"  # not created: Windows
        os.rename(folder, aside)  # renames a folder only to a name not taken
        os.rename(staging, folder)
        os.rename(aside, staging)
    _fsync_folder(folder.parent)


def write_atomically(path: Path, data: bytes) -> None:
    """One file, written beside ``path`` and moved into place in one step, under the outputs lock."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with output_lock(path.parent.parent):
        clear_leftovers(path.parent)
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(fd)
        try:
            _write(Path(temp), data)
            os.replace(temp, path)
        finally:
            Path(temp).unlink(missing_ok=True)


def replace_file(path: Path, data: bytes) -> None:
    """A file of the inputs (a kind's or a period's YAML) rewritten in one step: written beside it,
    with its permissions, and moved into its place; a reader sees the old file or the new one."""
    mode = path.stat().st_mode & 0o777
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        _write(Path(temp), data)
        os.chmod(temp, mode)
        os.replace(temp, path)
    finally:
        Path(temp).unlink(missing_ok=True)


def write_all(files: dict[Path, bytes], stale: tuple[Path, ...] | list[Path] = ()) -> None:
    """Write every file (in one folder and its subfolders) so that readers see all of them change
    at once; the ``stale`` files of that folder are left out of the new one."""
    folder = min({path.parent for path in files}, key=lambda p: len(p.parts))
    folder.parent.mkdir(parents=True, exist_ok=True)
    with output_lock(folder.parent):
        clear_leftovers(folder)
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.new-", dir=folder.parent))
        try:
            _mirror(folder, staging)
            for path in stale:
                (staging / path.relative_to(folder)).unlink(missing_ok=True)
            for path, data in files.items():
                target = staging / path.relative_to(folder)
                if _unchanged(target, data):  # the last build's file, these very bytes: kept, not written again
                    continue
                try:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.unlink(missing_ok=True)  # a hard link to the old file: never written through
                    _write(target, data)
                except OSError as error:
                    raise OSError(error.errno, error.strerror, str(path)) from None
            os.chmod(staging, 0o755)
            _swap_in(staging, folder)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
