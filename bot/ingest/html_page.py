"""A saved web page (.html) as the text a browser shows, which `parse_text` then reads like a copied page.

People keep transcripts the way they found them: a podcast site's episode page saved from the browser. Scripts,
styles and what a reader never copies (the page's navigation, footer, side bars, forms, buttons, hidden parts) are
dropped; paragraphs, list items, headings, table rows and line breaks end lines, and so does a `<time>` (a
byline's date); inline markup (`<strong>Ana Ruiz:</strong> …`) runs together as a browser lays it out; a table
row of one-line cells reads as a transcript's line (`_table_row`). The page's
`<title>` leads, since show and episode names live there. Cookie banners, share bars and "related episodes" that
remain are what the copied-page cleaning already removes (bot/ingest/cleaning.py).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Never shown as the page's text, whatever the page: code, styling, metadata, and ruby annotations (the pinyin a
# page sets over its characters, `<ruby>設<rt>shè</rt></ruby>`, which a copied page's cleaning removes as `設(shè)`).
_NEVER = frozenset({"script", "style", "noscript", "template", "svg", "head", "iframe", "canvas", "object", "rt", "rp"})
# The page's own furniture: dropped unless that leaves nothing (a page whose transcript sits in a <nav> or an
# unclosed <aside> is read again with them).
_FURNITURE = frozenset({"nav", "footer", "aside", "form", "button", "select", "dialog", "menu"})
_BLOCK = frozenset(
    {
        "address", "article", "blockquote", "br", "dd", "details", "div", "dl", "dt", "figcaption", "figure", "h1",
        "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "ol", "p", "pre", "section", "summary", "table",
        "tbody", "thead", "time", "tr", "ul",
    }
)  # fmt: skip
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"})
_CELL_END = {"td": "\x1f", "th": "\x1d"}  # marks in the text, read by `_table_row`
_ROW_END = "\x1e\n"
_CELL_TIME = re.compile(r"[\[(]?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?[\])]?")
PAGE = re.compile(r"(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S)
# An HTML element a page fragment opens with (not `tt`, which is also TTML's root; not `v`, a caption's voice)
_FRAGMENT = re.compile(
    r"(?:<!--.*?-->\s*)*<(?:a|article|b|blockquote|body|cite|dd|div|dl|dt|em|h[1-6]|header|i|li|main|ol|p|section|span|"
    r"strong|table|time|ul)\b[^>]*>",
    re.I | re.S,
)


def is_page(text: str) -> bool:
    """True for a saved web page, and for HTML without a page around it that is all markup: the HTML transcript a
    podcast host publishes beside its audio (the Podcasting 2.0 format, `<cite>Travis:</cite>` `<time>0:00</time>`
    `<p>…</p>`, no `<html>`), which was read as text, tags and all, into quotes and titles. A Markdown transcript
    that opens with a `<div align="center">` is still Markdown: most of its lines are not markup."""
    if PAGE.match(text):
        return True
    if not _FRAGMENT.match(text):
        return False
    lines = [line.lstrip() for line in text.splitlines() if line.strip()]
    return 2 * sum(line.startswith("<") for line in lines) >= len(lines)


class _Text(HTMLParser):
    def __init__(self, hidden: frozenset[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.hidden = hidden
        self.depth = 0  # open elements whose content is hidden
        self.pre = 0
        self.in_title = False
        self.title: list[str] = []
        self.heading: list[str] | None = None  # the first <h1>'s text, while and once it is read
        self.in_heading = False
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self.in_title = True
        if tag == "body":  # where a page leaves its <head> unclosed, as browsers allow
            self.depth = 0
        if tag in _VOID:
            if tag in ("br", "hr") and not self.depth:
                self.parts.append("\n")
            return
        marked = any(name == "hidden" or (name == "aria-hidden" and value == "true") for name, value in attrs)
        if self.depth or tag in self.hidden or marked:
            self.depth += 1
            return
        self.pre += tag == "pre"
        if tag == "h1" and self.heading is None:
            self.heading, self.in_heading = [], True
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if tag in _VOID:
            return
        if self.depth:
            self.depth -= 1
            return
        self.pre -= tag == "pre" and self.pre > 0
        self.in_heading &= tag != "h1"
        if tag in ("td", "th"):
            self.parts.append(_CELL_END[tag])
        elif tag in _BLOCK:
            self.parts.append(_ROW_END if tag == "tr" else "\n")

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
        elif not self.depth:
            self.parts.append(data if self.pre else re.sub(r"\s+", " ", data))
            if self.in_heading and self.heading is not None:
                self.heading.append(data)


def _table_row(line: str) -> str:
    """A line as text, its table cells joined: a whole row of one-line cells laid out as a transcript's row is
    written ('00:01 Ana Ruiz: words', from time | speaker | words), a row of header cells dropped, any other row's
    cells joined by spaces."""
    if "\x1f" not in line and "\x1d" not in line:
        return line.replace("\x1e", "")
    whole_row = line.endswith("\x1e")
    header = "\x1f" not in line
    cells = [c.strip() for c in re.split("[\x1d\x1f]", line.replace("\x1e", "")) if c.strip()]
    if whole_row and header and len(cells) > 1:
        return ""  # Time | Speaker | Text
    times = []
    while cells and _CELL_TIME.fullmatch(cells[0]):
        times.append(cells.pop(0))
    name, rest = (cells[0], cells[1:]) if whole_row and len(cells) >= 2 else ("", cells)
    if name and (len(name) > 40 or len(name.split()) > 5 or name[-1] in ".!?。！？:："):
        name, rest = "", cells
    return " ".join([*times, *([f"{name}:"] if name else []), *rest])


def _read(page: str, hidden: frozenset[str]) -> tuple[str, str, str]:
    """(title, first heading, text) of the page, each with its white space as a browser shows it."""
    reader = _Text(hidden)
    reader.feed(page)
    reader.close()
    lines = [_table_row(line).strip() for line in "".join(reader.parts).split("\n")]
    body = "\n".join(line for line in lines if line)
    title, heading = (re.sub(r"\s+", " ", "".join(words)).strip() for words in (reader.title, reader.heading or []))
    return title, heading, body


def page_text(page: str) -> str:
    """The page's text as lines (empty when the page holds no text at all), after its <title> unless its first
    heading says the same without the site's name ('Episode 12 | The Dev Podcast', '标题_科技频道')."""
    title, heading, body = _read(page, _NEVER | _FURNITURE)
    if not body:
        title, heading, body = _read(page, _NEVER)
    if not body:
        return ""
    return body if not title or (heading and heading in title) else f"{title}\n\n{body}"
