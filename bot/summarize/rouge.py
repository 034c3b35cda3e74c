"""ROUGE-1/2/L for Chinese and English: characters for Chinese (after OpenCC t2s), words for English.

Written here because the maintained ROUGE packages tokenize on ASCII words and drop Chinese; this scorer
follows the usual definitions (n-gram overlap F1; LCS F1 over the whole summary), case-folded, with
punctuation and whitespace removed on both sides.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from bot.text.script import normalize

_TOKEN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[a-z0-9]+(?:[.'\-][a-z0-9]+)*")


@dataclass(frozen=True)
class RougeScores:
    """F1 of ROUGE-1, ROUGE-2 and ROUGE-L, each 0..1."""

    rouge1: float
    rouge2: float
    rouge_l: float


def rouge_tokens(text: str) -> list[str]:
    """One token per Chinese character (Simplified) and per English word or number; punctuation dropped."""
    return _TOKEN.findall(normalize(text))


def _f1(overlap: float, candidate: int, reference: int) -> float:
    if not overlap or not candidate or not reference:
        return 0.0
    precision, recall = overlap / candidate, overlap / reference
    return 2 * precision * recall / (precision + recall)


def _ngram_f1(candidate: list[str], reference: list[str], n: int) -> float:
    ours = Counter(tuple(candidate[i : i + n]) for i in range(len(candidate) - n + 1))
    theirs = Counter(tuple(reference[i : i + n]) for i in range(len(reference) - n + 1))
    return _f1(sum((ours & theirs).values()), sum(ours.values()), sum(theirs.values()))


def _lcs(a: list[str], b: list[str]) -> int:
    """Length of the longest common subsequence (one row of the DP table at a time)."""
    if len(a) < len(b):
        a, b = b, a
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(b, 1):
            current.append(previous[j - 1] + 1 if x == y else max(previous[j], current[j - 1]))
        previous = current
    return previous[-1]


def rouge(candidate: Sequence[str], reference: Sequence[str]) -> RougeScores:
    """Score a summary (its points, in order) against reference points: F1 of ROUGE-1, ROUGE-2 and ROUGE-L."""
    ours = [t for text in candidate for t in rouge_tokens(text)]
    theirs = [t for text in reference for t in rouge_tokens(text)]
    lcs = _lcs(ours, theirs) if ours and theirs else 0
    return RougeScores(_ngram_f1(ours, theirs, 1), _ngram_f1(ours, theirs, 2), _f1(lcs, len(ours), len(theirs)))
