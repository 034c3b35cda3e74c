"""Helpers for ingestion tests: every test writes a real file and parses its bytes, as `colloquy ingest` does."""

from __future__ import annotations

from pathlib import Path

from bot.ingest import Transcript, parse_transcript


def ingest_file(tmp_path: Path, name: str, content: str | bytes, **kwargs: object) -> Transcript:
    """Write content (text as UTF-8) to tmp_path/name and parse the file's bytes."""
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return parse_transcript(path.read_bytes(), path.name, **kwargs)  # type: ignore[arg-type]


def speakers_and_texts(transcript: Transcript) -> list[tuple[str, str]]:
    """(speaker, text) per turn: what `colloquy show` lists."""
    return [(t.speaker, t.text) for t in transcript.turns]
