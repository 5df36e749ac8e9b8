"""The README and the pages of docs/ hold together: every link between them reaches a file and a
heading that exist, and docs/architecture.md describes the stages in the order the code has them."""

from __future__ import annotations

import re
from pathlib import Path

from .test_layers import STAGES

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)\s]+)\)")


def anchor(heading: str) -> str:
    """The anchor a Markdown heading gets on GitHub: lower case, punctuation dropped, spaces as -."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower().replace("`", ""))
    return text.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    return {anchor(line.lstrip("#")) for line in page.read_text(encoding="utf-8").splitlines() if line.startswith("#")}


def broken_links(page: Path) -> list[str]:
    """The relative links of ``page`` whose file or heading does not exist."""
    broken = []
    for target in LINK.findall(page.read_text(encoding="utf-8")):
        if target.startswith(("http://", "https://")):
            continue
        path, _, heading = target.partition("#")
        linked = (page.parent / path) if path else page
        if not linked.exists() or (heading and heading not in anchors(linked)):
            broken.append(target)
    return broken


def test_every_link_between_the_pages_reaches_a_file_and_a_heading():
    broken = {page.name: links for page in PAGES if (links := broken_links(page))}
    assert broken == {}


def test_the_readme_points_at_every_page_of_docs():
    readme = ROOT / "README.md"
    linked = {(readme.parent / target.partition("#")[0]).resolve() for target in LINK.findall(readme.read_text(encoding="utf-8"))}
    assert [p.name for p in PAGES[1:] if p.resolve() not in linked] == []


def test_the_architecture_page_describes_each_stage_in_the_order_of_the_code():
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    described = re.findall(r"^\*\*([a-z]+)\*\* —", text, flags=re.MULTILINE)
    assert described == STAGES
