"""The programs a PDF needs (LibreOffice's soffice, poppler's pdftoppm), found where each system
installs them, and what to tell a clerk who does not have them.

``PATH`` first; then where the Windows and macOS installers put LibreOffice, which is not
on ``PATH`` (C:\\Program Files\\LibreOffice\\program\\soffice.exe); ``SOFFICE`` may name the
program anywhere else.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

LIBREOFFICE_DOWNLOAD = "https://zh-cn.libreoffice.org/download/"


def _installed_places(name: str) -> list[Path]:
    """Where installers put ``name`` when they do not add it to PATH."""
    if name != "soffice":
        return []
    places = []
    for variable in ("ProgramFiles", "ProgramW6432", "ProgramFiles(x86)", "LOCALAPPDATA"):
        root = os.environ.get(variable)
        if root:
            places += [Path(root) / "LibreOffice" / "program" / "soffice.exe",
                       Path(root) / "Programs" / "LibreOffice" / "program" / "soffice.exe"]
    places += [Path(r"C:\Program Files\LibreOffice\program\soffice.exe"),
               Path("/Applications/LibreOffice.app/Contents/MacOS/soffice")]
    return places


def find_tool(name: str) -> str | None:
    """The path of program ``name`` (soffice, pdftoppm, pdftotext), or None if it is not installed."""
    override = os.environ.get(name.upper())
    if override and Path(override).is_file():
        return override
    found = shutil.which(name) or (shutil.which("libreoffice") if name == "soffice" else None)
    if found:
        return found
    return next((str(p) for p in _installed_places(name) if p.is_file()), None)


def missing_tool_message(name: str, package: str, windows: bool | None = None) -> str:
    """What a clerk can do without ``name``: install it, or make the PDF in Word or WPS."""
    windows = sys.platform == "win32" if windows is None else windows
    if name == "soffice" and windows:
        return (f"找不到 LibreOffice（soffice.exe）：请从 {LIBREOFFICE_DOWNLOAD} 安装 LibreOffice"
                r"（默认位置 C:\Program Files\LibreOffice 可自动找到；装在别处请设置环境变量 SOFFICE 为 soffice.exe 的路径），"
                "或用 Word/WPS 打开 .docx 后“另存为”PDF")
    if name == "soffice":
        return (f"找不到 LibreOffice（soffice）：请安装 LibreOffice（Debian/Ubuntu：apt-get install {package}；"
                ".ci/run 会自动安装），或用 Word/WPS 打开 .docx 后“另存为”PDF")
    if windows:
        return f"找不到 {name}（poppler）：Windows 上可不用 --preview，直接打开 PDF 查看；如需预览图请安装 poppler 并加入 PATH"
    return f"找不到 {name}：请安装 {package}（Debian/Ubuntu：apt-get install {package}；.ci/run 会自动安装）"
