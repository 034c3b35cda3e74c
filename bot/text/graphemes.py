"""Cutting text where a reader sees a character boundary: never inside a grapheme (a letter and its accents, an
emoji with its modifiers, a flag), so a long run without spaces can be split in any script."""

from __future__ import annotations

import regex

_GRAPHEME = regex.compile(r"\X")


def grapheme_cut(text: str, limit: int) -> int:
    """The longest prefix of `text` of at most `limit` code points that ends between two graphemes.

    Only `limit + 1` code points are looked at, so cutting a huge text piece by piece stays linear. A single
    grapheme longer than `limit` (never seen in speech) is cut at `limit`, so the result is always > 0.
    """
    if len(text) <= limit:
        return len(text)
    end = 0
    for match in _GRAPHEME.finditer(text, 0, limit + 1):
        if match.end() > limit:
            break
        end = match.end()
    return end or limit
