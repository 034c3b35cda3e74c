"""The clean, attributed transcript that ingestion produces: plain data, no database, no Discord."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Turn:
    """One speaker's uninterrupted speech.

    `text` holds the words as spoken, paragraphs or caption lines separated by "\\n". For bilingual
    captions `translation` holds the other language version with exactly the same number of lines,
    line i of one being the translation of line i of the other, so passages can keep both.
    """

    speaker: str
    text: str
    lang: str
    label: str = ""
    speaker_inferred: bool = False  # the file named no speakers: turns and speaker were inferred from the text
    translation: str | None = None
    translation_lang: str | None = None
    section: str | None = None
    start: float | None = None
    end: float | None = None
    # When the turn was merged from timed cues or stamped paragraphs: each piece's start (None where it had none)
    # and its text, so a passage deep in a long turn gets its own time (bot/text/passages.py `passage_starts`).
    marks: tuple[tuple[float | None, str], ...] = ()


@dataclass
class Transcript:
    """A parsed, cleaned transcript with resolved speakers, ready to store."""

    turns: list[Turn]
    format: str
    title: str | None = None
    source_url: str | None = None
    date: str | None = None  # ISO 8601 date (YYYY-MM-DD) when the text states one
    languages: list[str] = field(default_factory=list)
    editor_summary: str | None = None  # the page's own TL;DR / key points, never Colloquy's words
    description: str | None = None  # the page's lead sentence, when it was too long to be the title
    warnings: list[str] = field(default_factory=list)
    content_hash: str = ""  # sha256 of the file's bytes

    @property
    def participants(self) -> dict[str, int]:
        """Speaker name -> number of turns, in order of first appearance."""
        return dict(Counter(turn.speaker for turn in self.turns))
