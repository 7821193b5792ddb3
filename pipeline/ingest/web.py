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

from bs4 import BeautifulSoup, CData, Comment, NavigableString, Tag

from pipeline.core.config import DEFAULT_LIMITS
from pipeline.core.errors import ExtractionError
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


def extract_html(data: bytes, max_elements: int = DEFAULT_LIMITS.max_html_elements) -> Extracted:
    text, note = decode(data)
    text = _close_swallowing_tags(text)
    found = _markup_count(text)
    if found > max_elements:
        raise ExtractionError(
            f"the web page has about {found:,} elements and attributes, past the limit of "
            f"{max_elements:,} (a long page of minutes has a few thousand): a generated or "
            "hostile page, not minutes. If it is genuine, raise --max-html-elements"
        )
    soup = BeautifulSoup(text, "lxml")
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


def _markup_count(text: str) -> int:
    """About how many elements and attributes the page has: a start tag is one, and each word
    after a space inside it one more (a space inside a quoted value counts too, so this errs
    high). Read from the text, not a parse: lxml's tree checks each attribute against the
    others, quadratic on a tag with a million, and its parser hands them over as one dict."""
    return sum(1 + sum(1 for _ in _ATTRIBUTE.finditer(tag[0])) for tag in _START_TAG.finditer(text))


_START_TAG = re.compile(r"<[A-Za-z][^<>]*")
_ATTRIBUTE = re.compile(r"\s+[^\s=/>\"']")


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
    lengths = _text_lengths(soup)
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
        if furniture and lengths.get(id(tag), 0) < 0.5 * total:
            tag.decompose()


def _text_lengths(soup: BeautifulSoup) -> dict[int, int]:
    """``len(tag.get_text(" ", strip=True))`` of every tag, in one walk of the tree.

    Asking each piece of furniture for its text reads its subtree each time: quadratic on a page
    of a thousand nested <nav> or <header> tags. Decomposing a tag never changes these for the
    tags still to be looked at (they come later in document order and are not inside it).
    """
    chars: dict[int, int] = {}
    pieces: dict[int, int] = {}
    stack: list[tuple[object, bool]] = [(soup, False)]
    while stack:
        node, done = stack.pop()
        if not isinstance(node, Tag):
            continue
        if not done:
            stack.append((node, True))
            stack.extend((child, False) for child in node.contents)
            continue
        n_chars = n_pieces = 0
        for child in node.contents:
            if isinstance(child, Tag):
                n_chars += chars[id(child)]
                n_pieces += pieces[id(child)]
            elif type(child) in (NavigableString, CData):
                text = str(child).strip()
                if text:
                    n_chars += len(text)
                    n_pieces += 1
        chars[id(node)], pieces[id(node)] = n_chars, n_pieces
    return {key: chars[key] + max(pieces[key] - 1, 0) for key in chars}


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
        self.rows: dict[int, list[Tag]] = {}  # table -> its own rows, in order
        self.cells: dict[int, list[Tag]] = {}  # row -> its own cells, in order
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
                if name == "tr" and table is not None:
                    self.rows.setdefault(table, []).append(node)
                elif name in ("td", "th") and row is not None:
                    self.cells.setdefault(row, []).append(node)
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
    cells and parents made a thousand nested tables or rows cost minutes."""
    return [
        [" ".join(c.get_text(" ").split()) for c in tree.cells.get(id(tr), [])]
        for tr in tree.rows.get(id(table), [])
    ]
