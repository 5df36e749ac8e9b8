"""PDF and page images of a built bulletin: LibreOffice headless, with fontconfig mapping the
typefaces a 公文 names (方正小标宋简体, 仿宋_GB2312, 楷体_GB2312, 黑体, 宋体) to free stand-ins."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path


from ..core.errors import BulletinError
from ..core.tools import find_tool, missing_tool_message

FONTS_CONF = Path(__file__).with_name("fontconfig") / "fonts.conf"
TIMEOUT_SECONDS = 180


class PdfError(BulletinError, RuntimeError):
    """LibreOffice or poppler is missing or failed."""

    def shown(self) -> list[str]:
        return [f"PDF 未生成：{line}" for line in super().shown()]


def font_environment() -> dict[str, str]:
    """The environment under which LibreOffice and poppler see the stand-in faces."""
    return {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF)}


def _tool(name: str, package: str) -> str:
    path = find_tool(name)  # PATH, then where Windows and macOS install LibreOffice
    if not path:
        raise PdfError(missing_tool_message(name, package))
    return path


def _run(command: list[str]) -> None:
    try:
        result = subprocess.run(command, env=font_environment(), capture_output=True, text=True, timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        raise PdfError(f"{Path(command[0]).name} 超时（{TIMEOUT_SECONDS} 秒）") from None
    if result.returncode != 0:
        raise PdfError(f"{Path(command[0]).name} 失败：{result.stderr.strip() or result.stdout.strip()}")


def docx_to_pdf(docx: bytes) -> bytes:
    """The PDF of a .docx, converted by ``soffice --headless`` in a private profile."""
    soffice = _tool("soffice", "libreoffice-writer-nogui")
    with tempfile.TemporaryDirectory(prefix="bulletin-pdf-") as work:
        folder = Path(work)
        source = folder / "bulletin.docx"
        source.write_bytes(docx)  # the delivered file itself: its layout holds in LibreOffice too
        profile = (folder / "profile").as_uri()
        _run([soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
              "--convert-to", "pdf", "--outdir", str(folder), str(source)])
        target = folder / "bulletin.pdf"
        if not target.exists():
            raise PdfError("soffice 未生成 PDF")
        return target.read_bytes()


PREVIEW_FOLDER = "preview"


def pdf_to_pngs(pdf: Path, folder: Path, resolution: int = 60) -> list[Path]:
    """One PNG per page of ``pdf`` in ``folder`` (page-1.png, page-2.png, …), via pdftoppm."""
    pdftoppm = _tool("pdftoppm", "poppler-utils")
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("page-*.png"):
        old.unlink()
    _run([pdftoppm, "-png", "-r", str(resolution), str(pdf), str(folder / "page")])
    pages = sorted(folder.glob("page-*.png"), key=lambda p: int(p.stem.split("-")[-1]))
    for number, page in enumerate(pages, start=1):
        page.rename(folder / f"page-{number}.png")
    return sorted(folder.glob("page-*.png"), key=lambda p: int(p.stem.split("-")[-1]))


def remove_stale_renderings(docx_path: Path) -> list[Path]:
    """Delete the PDF and PNG pages made from an earlier version of ``docx_path``.

    They are renderings, not anyone's work: left beside a new .docx they would show
    figures the bulletin no longer has.
    """
    removed = []
    pdf = docx_path.with_suffix(".pdf")
    if pdf.is_file():
        pdf.unlink()
        removed.append(pdf)
    preview = docx_path.parent / PREVIEW_FOLDER
    for page in sorted(preview.glob("page-*.png")) if preview.is_dir() else []:
        page.unlink()
        removed.append(page)
    return removed


def pdf_text(pdf: Path) -> str:
    """The text of ``pdf`` as pdftotext reads it, pages separated by form feeds."""
    pdftotext = _tool("pdftotext", "poppler-utils")
    result = subprocess.run([pdftotext, "-layout", str(pdf), "-"], env=font_environment(), capture_output=True,
                            text=True, timeout=TIMEOUT_SECONDS, check=True)
    return result.stdout


def write_pdf(docx: bytes, path: Path) -> Path:
    """Convert ``docx`` and write the PDF to ``path`` in one step."""
    from ..core.outputs import write_atomically

    write_atomically(path, docx_to_pdf(docx))
    return path
