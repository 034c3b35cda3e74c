"""One script for comparisons: Traditional Chinese folded to Simplified (OpenCC), full-width to ASCII, case-folded."""

from __future__ import annotations

import unicodedata
from functools import cache

import opencc


@cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional Chinese → Simplified (other text unchanged), so both scripts match each other."""
    return _t2s().convert(text)


def normalize(text: str) -> str:
    """The form every lexical comparison uses: Simplified, NFKC (full-width → ASCII), case-folded."""
    return unicodedata.normalize("NFKC", to_simplified(text)).casefold()


def comparison_key(text: str) -> str:
    """What makes two texts the same words: normalized, whitespace removed (script, case and spacing aside)."""
    return "".join(normalize(text).split())
