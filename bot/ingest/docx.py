"""Word documents (.docx): interview transcripts are often typed, corrected and sent as Word files.

A .docx is a zip archive whose `word/document.xml` holds the paragraphs. Each paragraph becomes a line (a table's
cells too, in reading order), tabs and line breaks kept, and the lines are then read as any text transcript is
(`Name: words`, names alone on their line, Q/A…). Only that one member is read, and at most MAX_XML bytes of it,
so an archive that unpacks to gigabytes is refused rather than unpacked.
"""

from __future__ import annotations

import io
import zipfile
from xml.etree import ElementTree

from bot.ingest.errors import IngestError

MAX_XML = 64 << 20  # bytes of document.xml read at most (a 1 MB transcript is about 5 MB of it)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def is_zip(data: bytes) -> bool:
    """A zip archive (.docx, .xlsx, .zip…): its first bytes."""
    return data[:4] == b"PK\x03\x04"


def docx_text(data: bytes) -> str:
    """The document's paragraphs as lines; IngestError for a zip that is not a readable Word document."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            try:
                member = archive.getinfo("word/document.xml")
            except KeyError:
                raise IngestError("a zip archive, not a Word (.docx) transcript") from None
            if member.file_size > MAX_XML:
                raise IngestError(f"the Word document's text is over {MAX_XML >> 20} MB unpacked")
            with archive.open(member) as file:
                xml = file.read(MAX_XML + 1)
        if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:  # Word writes neither; entities are how XML bombs expand
            raise IngestError("a Word (.docx) file with a document type declaration, which Word never writes")
        root = ElementTree.fromstring(xml)  # noqa: S314  # no DTD, so nothing to expand or fetch
    except (zipfile.BadZipFile, ElementTree.ParseError, OSError, EOFError, RuntimeError) as error:
        raise IngestError(f"a Word (.docx) file that cannot be read ({error})") from None
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
