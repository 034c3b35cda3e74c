"""Sentences and how much text says, in any script: splitting, joining, weighing, telling a question."""

from __future__ import annotations

import re

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_WIDE = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f“”‘’]")  # CJK text and punctuation
_SENTENCE_END = re.compile(r"(?<=[。！？!?；;…])[”’」』\"')）]*|(?<=[.])[”’\"')]*(?=\s)")


def text_weight(text: str) -> float:
    """How much a span says, comparable across scripts (see MIN_WEIGHT)."""
    cjk = len(_CJK.findall(text))
    return cjk + (len(text) - cjk) / 3


def split_sentences(paragraph: str) -> list[str]:
    """Split a paragraph after sentence-final punctuation, keeping closing quotes with their sentence."""
    pieces, start = [], 0
    for match in _SENTENCE_END.finditer(paragraph):
        end = match.end()
        if end > start:
            pieces.append(paragraph[start:end])
            start = end
    pieces.append(paragraph[start:])
    return [piece.strip() for piece in pieces if piece.strip()]


def is_question(sentence: str) -> bool:
    """True when the sentence ends in a question mark (closing quotes aside)."""
    return sentence.rstrip("”’\"')）」 ").endswith(("?", "？"))


def join_parts(parts: list[str]) -> str:
    """Join pieces with a space between Latin text and nothing next to CJK text or punctuation."""
    out = ""
    for part in parts:
        if out and not (_WIDE.match(part[:1]) or _WIDE.match(out[-1:])):
            out += " "
        out += part
    return out
