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


def ends_asking(text: str) -> bool:
    """True when a turn hands the word over by asking: its last sentence asks, or the one before a closing
    remark does ("How do you decide salaries? Living costs differ a lot between cities.")."""
    sentences = [s for paragraph in text.split("\n") for s in split_sentences(paragraph)]
    return any(map(is_question, sentences[-2:]))


# A statement with a tag asking for agreement ("…, right?", "…，对吧？") states; it does not ask.
_TAG = re.compile(
    r"(?:^|[,，、]\s*)(?:right|don'?t you think|you know|no|yeah|eh|okay|ok"
    r"|(?:is|are|was|were|do|does|did|can|could|will|would|have|has|had)n'?t (?:it|they|you|we|he|she|that|there))"
    r"\s*[?？]$"
    r"|(?:对吧|對吧|是吧|对不对|對不對|不是吗|不是嗎|是不是|好吧|吧|呢吧)\s*[?？]$",
    re.IGNORECASE,
)


def is_question(sentence: str) -> bool:
    """True when the sentence asks: it ends in a question mark (closing quotes aside) and is not a statement
    with an agreement tag ("…都很荒谬,对吧?", "…, right?")."""
    core = sentence.rstrip("”’\"')）」 ")
    return core.endswith(("?", "？")) and not _TAG.search(core)


def join_parts(parts: list[str]) -> str:
    """Join pieces with a space between Latin text and nothing next to CJK text or punctuation."""
    out = ""
    for part in parts:
        if out and not (_WIDE.match(part[:1]) or _WIDE.match(out[-1:])):
            out += " "
        out += part
    return out
