"""HTML pages: the main content only, without navigation, scripts or site furniture.

Council and charity sites wrap minutes in navigation menus, breadcrumbs, cookie banners, site
headers and footers; saved pages are often broken (unclosed tags, no </body>). lxml's parser
recovers from the breakage; furniture goes by tag, by ARIA role and by the class or id sites give
it, unless a piece of "furniture" holds most of the page (an unclosed banner <div> swallows the
content after it).
"""

from __future__ import annotations

import re
from importlib.metadata import version

from bs4 import BeautifulSoup, Comment, Tag

from pipeline.ingest.layout import format_table
from pipeline.ingest.model import Extracted, Page
from pipeline.ingest.text import decode

NAME = f"beautifulsoup4-{version('beautifulsoup4')}"
_NOT_TEXT = ("script", "style", "noscript", "template")
_FURNITURE_TAGS = ("nav", "header", "footer", "aside", "form")
_DROP_ROLES = ("navigation", "banner", "contentinfo", "complementary", "search", "dialog")
# Class or id words sites use for furniture; matched as whole words of the attribute.
_FURNITURE = re.compile(
    r"(?:^|[\s_-])(?:cookie|cookies|consent|gdpr|banner|breadcrumbs?|nav|navbar|navigation|menu|"
    r"site-header|site-footer|masthead|sidebar|skip|skiplink|share|social|newsletter|signup|"
    r"promo|advert|ads|popup|modal)(?:$|[\s_-])",
    re.IGNORECASE,
)
_BLOCKS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "pre", "blockquote", "dt", "dd")


def extract_html(data: bytes) -> Extracted:
    text, note = decode(data)
    soup = BeautifulSoup(_close_swallowing_tags(text), "lxml")
    _drop_furniture(soup)
    root = soup.find("main") or soup.find("article") or soup.find(None, {"role": "main"})
    if not isinstance(root, Tag):
        root = soup.body if isinstance(soup.body, Tag) else soup
    blocks = _blocks(root)
    if not blocks:
        blocks = [p for p in (" ".join(s.split()) for s in root.get_text("\n").split("\n\n")) if p]
    result = Extracted(NAME, [Page(1, "\n\n".join(blocks))])
    if note:
        result.status, result.message = "warning", note
    return result


def _close_swallowing_tags(text: str) -> str:
    """Close a <title> or comment left open: the parser would read the rest of the page into it.

    Other unclosed tags (<p>, <li>, <td>, <div>, a missing </body>) lxml closes by itself.
    """
    if re.search(r"<title\b", text, re.IGNORECASE) and not re.search(
        r"</title\s*>", text, re.IGNORECASE
    ):
        text = re.sub(r"(<title\b[^>]*>[^<\n]*)", r"\1</title>", text, count=1, flags=re.I)
    opened = text.rfind("<!--")
    if opened >= 0 and text.find("-->", opened) < 0:
        text = text[:opened] + text[opened + 4 :]
    return text


def _drop_furniture(soup: BeautifulSoup) -> None:
    """Remove scripts and site furniture, keeping anything that holds most of the page's text.

    An unclosed <header> or banner <div>, or the <form> an ASP.NET site wraps round the whole
    page, holds the content too: such an element stays.
    """
    for tag in soup.find_all(_NOT_TEXT):
        tag.decompose()
    total = len(soup.get_text(" ", strip=True)) or 1
    for tag in soup.find_all(True):
        if not isinstance(tag, Tag) or tag.decomposed or tag.name in ("html", "body", "main"):
            continue
        attrs = tag.attrs or {}
        names = f"{_attr(tag, 'class')} {_attr(tag, 'id')}"
        furniture = (
            tag.name in _FURNITURE_TAGS
            or _attr(tag, "role") in _DROP_ROLES
            or "hidden" in attrs
            or _attr(tag, "aria-hidden") == "true"
            or bool(_FURNITURE.search(names))
        )
        if furniture and len(tag.get_text(" ", strip=True)) < 0.5 * total:
            tag.decompose()


def _attr(tag: Tag, name: str) -> str:
    """An attribute as one string (BeautifulSoup gives "class" as a list of words)."""
    value = tag.get(name)
    if value is None:
        return ""
    return value if isinstance(value, str) else " ".join(str(v) for v in value)


def _blocks(root: Tag) -> list[str]:
    """Headings, paragraphs, list items and tables in document order, one block each.

    Each block holds its own text, not that of blocks inside it, so an unclosed <h1> or <p>
    (which the parser extends over what follows) still gives one block per element. A list
    joins the block before it (its lead-in), as the coding manual's units require; a table gives
    the same rows as a Word or PDF table would.
    """
    blocks: list[str] = []
    for el in root.find_all([*_BLOCKS, "table"]):
        if el.name == "table":
            if el.find_parent("table") is None and el.find_parent("li") is None:
                blocks.extend("\n".join(b) for b in format_table(_rows(el)))
            continue
        if el.find_parent("table") is not None or (el.name != "li" and el.find_parent("li")):
            continue  # read as part of its table or list item
        line = " ".join(_own_text(el).split())
        if not line:
            continue
        if el.name == "li":
            line = "• " + line
            if blocks:
                blocks[-1] += "\n" + line
                continue
        blocks.append(line)
    return blocks


def _own_text(el: Tag) -> str:
    """An element's text without that of the blocks nested in it (they are blocks of their own).

    A list item keeps the paragraphs inside it, but not the items of a list nested in it.
    """
    inner = ("li", "ul", "ol") if el.name == "li" else (*_BLOCKS, "table", "ul", "ol")
    parts = []
    for string in el.find_all(string=True):
        if isinstance(string, Comment):
            continue
        owner = string.find_parent([*inner, el.name])
        while owner is not None and owner is not el and owner.name not in inner:
            owner = owner.find_parent([*inner, el.name])
        if owner is el:
            parts.append(str(string))
    return " ".join(parts)


def _rows(table: Tag) -> list[list[str]]:
    rows = []
    for tr in table.find_all("tr"):
        if tr.find_parent("table") is not table:
            continue
        rows.append([" ".join(c.get_text(" ").split()) for c in tr.find_all(["td", "th"])])
    return rows
