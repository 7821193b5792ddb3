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
        # `tag.decomposed` looks for a child tag named "_decomposed" in a tag never decomposed
        # (bs4's attribute lookup), a search of its whole subtree: quadratic on deep pages.
        if (
            not isinstance(tag, Tag)
            or tag.__dict__.get("_decomposed")
            or tag.name in ("html", "body", "main")
        ):
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
    tree = _Tree(root)
    blocks: list[str] = []
    for el in root.find_all([*_BLOCKS, "table"]):
        in_table, in_li = tree.inside.get(id(el), (False, False))
        if el.name == "table":
            if not in_table and not in_li:
                blocks.extend("\n".join(b) for b in format_table(_rows(el, tree)))
            continue
        if in_table or (el.name != "li" and in_li):
            continue  # read as part of its table or list item
        line = " ".join(tree.own_text(el).split())
        if not line:
            continue
        if el.name == "li":
            line = "• " + line
            if blocks:
                blocks[-1] += "\n" + line
                continue
        blocks.append(line)
    return blocks


_BLOCK_OWNERS = frozenset((*_BLOCKS, "table", "ul", "ol"))
_ITEM_OWNERS = frozenset(("li", "ul", "ol"))


class _Tree:
    """One walk of the tree that says, for every element, whether it sits in a table or a list
    item, and for every string, which block owns it. Asking bs4 for each element's parents
    instead costs the page's depth per element: minutes for a 35 KB page of unclosed tags.

    A string belongs to its nearest enclosing block, table or list (what a block's own text
    leaves out); for a list item, to its nearest enclosing item or list, so that the item
    keeps the paragraphs inside it but not the items of a list nested in it.
    """

    def __init__(self, root: Tag) -> None:
        self.inside: dict[int, tuple[bool, bool]] = {}
        self.texts: dict[int, list[str]] = {}  # block owner -> strings
        self.item_texts: dict[int, list[str]] = {}  # item owner -> strings
        self.table_of: dict[int, int | None] = {}  # row -> nearest enclosing table
        self.row_of: dict[int, int | None] = {}  # cell -> nearest enclosing row
        # node, in a table, in an item, nearest block owner, item owner, table, row
        Entry = tuple[object, bool, bool, int | None, int | None, int | None, int | None]
        stack: list[Entry] = [
            (child, False, False, None, None, None, None) for child in reversed(root.contents)
        ]
        while stack:
            node, in_table, in_li, owner, item_owner, table, row = stack.pop()
            if isinstance(node, Tag):
                self.inside[id(node)] = (in_table, in_li)
                name = node.name
                if name == "tr":
                    self.table_of[id(node)] = table
                elif name in ("td", "th"):
                    self.row_of[id(node)] = row
                below: Entry = (
                    None,
                    in_table or name == "table",
                    in_li or name == "li",
                    id(node) if name in _BLOCK_OWNERS else owner,
                    id(node) if name in _ITEM_OWNERS else item_owner,
                    id(node) if name == "table" else table,
                    id(node) if name == "tr" else row,
                )
                stack.extend((c, *below[1:]) for c in reversed(node.contents))
            elif isinstance(node, str) and not isinstance(node, Comment):
                if owner is not None:
                    self.texts.setdefault(owner, []).append(str(node))
                if item_owner is not None:
                    self.item_texts.setdefault(item_owner, []).append(str(node))

    def own_text(self, el: Tag) -> str:
        """An element's text without that of the blocks nested in it."""
        found = self.item_texts if el.name == "li" else self.texts
        return " ".join(found.get(id(el), []))


def _rows(table: Tag, tree: _Tree) -> list[list[str]]:
    """The table's own rows, each of its own cells: a table nested in a cell is in that cell's
    text already. Which is whose comes from the one walk (`_Tree`); asking bs4 for each row's
    and cell's parents made a thousand nested tables cost minutes."""
    rows = []
    for tr in table.find_all("tr"):
        if tree.table_of.get(id(tr)) != id(table):
            continue
        cells = [c for c in tr.find_all(["td", "th"]) if tree.row_of.get(id(c)) == id(tr)]
        rows.append([" ".join(c.get_text(" ").split()) for c in cells])
    return rows
