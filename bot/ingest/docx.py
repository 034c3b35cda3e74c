"""Word documents (.docx) and OpenDocument text (.odt, LibreOffice's own format): interview transcripts are often
typed, corrected and sent as word-processor files.

A .docx is a zip archive whose `word/document.xml` holds the paragraphs (an .odt's `content.xml`; refused as "not a
Word transcript" until stop 42). Each paragraph becomes a line (a table's cells too, in reading order), tabs and line
breaks kept, and the lines are then read as any text transcript is (`Name: words`, names alone on their line,
Q/A…). Only that one member is read, and at most MAX_XML bytes of it, so an archive that unpacks to gigabytes is
refused rather than unpacked.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from xml.etree import ElementTree

from bot.ingest.errors import IngestError

MAX_XML = 64 << 20  # bytes of document.xml read at most (a 1 MB transcript is about 5 MB of it)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_T = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_MEMBERS = ("word/document.xml", "content.xml")  # Word's, OpenDocument's


def is_zip(data: bytes) -> bool:
    """A zip archive (.docx, .xlsx, .zip…): its first bytes."""
    return data[:4] == b"PK\x03\x04"


def docx_text(data: bytes) -> str:
    """The document's paragraphs as lines; IngestError for a zip that is not a readable Word document."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            member = next((archive.getinfo(name) for name in _MEMBERS if name in names), None)
            if member is None:
                raise IngestError("a zip archive, not a Word (.docx) or OpenDocument (.odt) transcript")
            if member.file_size > MAX_XML:
                raise IngestError(f"the Word document's text is over {MAX_XML >> 20} MB unpacked")
            with archive.open(member) as file:
                xml = file.read(MAX_XML + 1)
        if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:  # Word writes neither; entities are how XML bombs expand
            raise IngestError("a Word (.docx) file with a document type declaration, which Word never writes")
        root = ElementTree.fromstring(xml)  # noqa: S314  # no DTD, so nothing to expand or fetch
    except (zipfile.BadZipFile, ElementTree.ParseError, OSError, EOFError, RuntimeError) as error:
        raise IngestError(f"a Word (.docx) file that cannot be read ({error})") from None
    if member.filename == "content.xml":
        return "\n".join(_odf_text(paragraph) for paragraph in _odf_paragraphs(root))
    lines = []
    for paragraph in root.iter(f"{_W}p"):
        parts = []
        for node in paragraph.iter():
            if node.tag == f"{_W}t":
                parts.append(node.text or "")
            elif node.tag == f"{_W}tab":
                parts.append("\t")
            elif node.tag in (f"{_W}br", f"{_W}cr"):
                parts.append("\n")
        lines.append("".join(parts))
    return "\n".join(lines)


_ODF_ASIDE = (f"{_T}note", "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}annotation")


def _odf_paragraphs(node: ElementTree.Element) -> Iterator[ElementTree.Element]:
    """Paragraphs and headings in reading order (in lists and tables too), not those of footnotes or comments."""
    for child in node:
        if child.tag in (f"{_T}p", f"{_T}h"):
            yield child
        elif child.tag not in _ODF_ASIDE:
            yield from _odf_paragraphs(child)


def _odf_text(node: ElementTree.Element) -> str:
    """An OpenDocument paragraph's text: spans and links as their words, `text:s` as its spaces (at most 100),
    tabs and line breaks kept; notes and annotations are not speech."""
    parts = [node.text or ""]
    for child in node:
        if child.tag == f"{_T}s":
            count = child.get(f"{_T}c", "1")
            parts.append(" " * min(int(count) if count.isdigit() else 1, 100))
        elif child.tag == f"{_T}tab":
            parts.append("\t")
        elif child.tag == f"{_T}line-break":
            parts.append("\n")
        elif child.tag not in _ODF_ASIDE:
            parts.append(_odf_text(child))
        parts.append(child.tail or "")
    return "".join(parts)
