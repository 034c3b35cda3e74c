"""PDF transcripts (oral histories, press conferences, hearings): their text, read as any text transcript is.

pypdf gives each page's text as laid out, one printed line per line. Three things of the print are not speech and
go: the lines every page repeats at its top or bottom (the document's running head, a page number that counts),
page numbers (`3`, `Page 3 of 12`, `- 3 -`), and the line breaks of the layout: a full-width line that does not
end a sentence runs on into the next unless that one starts a `Name:` turn (a word hyphenated across lines is
joined).
A PDF of scanned pages has no text to read and is refused with that reason.
"""

from __future__ import annotations

import io
import logging
import re
from collections import Counter

from bot.ingest.errors import IngestError

MAX_PAGES = 3000  # pages read at most (a day-long hearing is a few hundred)
_PAGE_NUMBER = re.compile(
    r"(?i)^\s*(?:[-–—]\s*)?(?:page\s+|p\.\s*|第\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?\s*(?:页|頁)?(?:\s*[-–—])?\s*$"
)
_ENDS = re.compile(r"[.!?。！？…:：;；\"”’)）\]]$")
_TURN = re.compile(r"^\S[^:：]{0,40}[:：](?:\s|$)")


def is_pdf(data: bytes) -> bool:
    """A PDF file: its header within the first kilobyte, where readers look for it."""
    return b"%PDF-" in data[:1024]


def pdf_text(data: bytes) -> str:
    """The document's text as lines, without running heads, page numbers or layout line breaks."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # it warns of every repaired cross-reference on stderr
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise IngestError("an encrypted PDF: save it without a password first")
        pages = [(page.extract_text() or "").split("\n") for page in reader.pages[:MAX_PAGES]]
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as error:
        raise IngestError(f"a PDF that cannot be read ({type(error).__name__}: {error})") from None
    pages = [[line.strip() for line in lines if line.strip()] for lines in pages]
    running = _running_heads(pages)
    lines = [line for page in pages for line in page if _folded(line) not in running and not _PAGE_NUMBER.match(line)]
    if not lines:
        raise IngestError("a PDF with no text in it (scanned pages?): it needs text recognition first")
    return "\n".join(_unwrapped(lines))


def _folded(line: str) -> str:
    return re.sub(r"\d+", "#", line)


def _running_heads(pages: list[list[str]]) -> set[str]:
    """Lines (digits folded) among the first or last two of at least half of the pages (two at least), and nowhere
    else: a speaker's name alone on its line also opens many pages, but it is found inside them too."""
    edges = Counter(_folded(line) for page in pages for line in {*page[:2], *page[-2:]})
    anywhere = Counter(_folded(line) for page in pages for line in page)
    return {line for line, n in edges.items() if n >= 2 and n * 2 >= len(pages) and anywhere[line] == n}


def _unwrapped(lines: list[str]) -> list[str]:
    """Printed lines as paragraphs: a line as wide as the text's lines usually are, that ends no sentence, runs on
    into the next unless that starts a turn. A short line ends its paragraph (a heading, a title, a last line)."""
    full = 0.7 * sorted(map(len, lines))[len(lines) // 2]  # the median printed line, near the text's width
    out: list[str] = []
    for before, line in zip(["", *lines], lines, strict=False):
        if out and len(before) >= full and not _ENDS.search(before) and not _TURN.match(line):
            if re.search(r"[a-z]-$", before) and line[:1].islower():
                out[-1] = out[-1][:-1] + line
            elif re.search(r"[\u3400-\u9fff]$", before) and re.match(r"[\u3400-\u9fff]", line):
                out[-1] += line
            else:
                out[-1] += " " + line
        else:
            out.append(line)
    return out
