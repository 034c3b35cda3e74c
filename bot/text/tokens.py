"""Search tokens that work for Chinese: one script (Simplified), segmented words, case-folded English.

Whitespace tokenization gives BM25 nothing to match in Chinese (a sentence is one "word"), so Chinese runs
are converted Traditional→Simplified with OpenCC *before* segmenting with jieba (rjieba, the same
dictionary and output, ~15x faster), and each run also contributes its character bigrams so a two-character
word matches even where the segmenter cut differently in the query and the passage.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import rjieba

from bot.text.script import normalize

_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[a-z0-9]+(?:[.'\-][a-z0-9]+)*", re.ASCII)
STOP_EN = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "did",
        "do",
        "does",
        "for",
        "from",
        "had",
        "has",
        "have",
        "he",
        "her",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "me",
        "my",
        "of",
        "on",
        "or",
        "our",
        "say",
        "said",
        "she",
        "so",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "they",
        "this",
        "to",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "about",
    ]
)
STOP_ZH = frozenset(
    [
        "的",
        "了",
        "是",
        "在",
        "和",
        "也",
        "就",
        "都",
        "而",
        "及",
        "与",
        "或",
        "一个",
        "这",
        "那",
        "我",
        "你",
        "他",
        "她",
        "它",
        "们",
        "吗",
        "呢",
        "吧",
        "啊",
        "嗯",
        "说",
        "怎么",
        "什么",
        "为什么",
        "如何",
    ]
)


def tokenize(text: str) -> list[str]:
    """Search tokens: English words and numbers, jieba words and character bigrams of Chinese runs."""
    norm = normalize(text)
    tokens = [w for w in _WORD.findall(norm) if w not in STOP_EN]
    for run in _CJK_RUN.findall(norm):
        tokens.extend(w for w in rjieba.cut(run) if w not in STOP_ZH)
        tokens.extend(run[i : i + 2] for i in range(len(run) - 2 + 1) if len(run) > 2)
    return tokens


def tokens_to_text(tokens: Sequence[str]) -> str:
    """Tokens as one space-joined string, for a database column or a full-text index."""
    return " ".join(tokens)
