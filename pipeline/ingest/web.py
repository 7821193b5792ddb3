"""HTML pages: the main content only, without navigation, scripts or site furniture."""

from __future__ import annotations

from importlib.metadata import version

from bs4 import BeautifulSoup, Tag

from pipeline.ingest.model import Extracted, Page
from pipeline.ingest.text import decode

NAME = f"beautifulsoup4-{version('beautifulsoup4')}"
_DROP = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "template")
_BLOCKS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "tr", "pre", "blockquote", "dt", "dd")


def extract_html(data: bytes) -> Extracted:
    text, note = decode(data)
    soup = BeautifulSoup(text, "lxml")
    for tag in soup.find_all(_DROP):
        tag.decompose()
    root = soup.find("main") or soup.find("article") or soup.find(None, {"role": "main"})
    if not isinstance(root, Tag):
        root = soup.body if isinstance(soup.body, Tag) else soup
    blocks: list[str] = []
    for el in root.find_all(_BLOCKS):
        if el.find_parent(_BLOCKS) is not None and el.name != "li":
            continue  # its text is already part of an enclosing block
        if el.name == "tr":
            line = " | ".join(" ".join(c.get_text(" ").split()) for c in el.find_all(["td", "th"]))
        else:
            line = " ".join(el.get_text(" ").split())
        if not line:
            continue
        if el.name == "li":
            line = "• " + line
            if blocks:
                blocks[-1] += "\n" + line
                continue
        blocks.append(line)
    if not blocks:
        blocks = [p for p in (" ".join(s.split()) for s in root.get_text("\n").split("\n\n")) if p]
    result = Extracted(NAME, [Page(1, "\n\n".join(blocks))])
    if note:
        result.status, result.message = "warning", note
    return result
