"""Search tokens that work for Chinese: one script (Simplified), segmented words, case-folded English.

Whitespace tokenization gives BM25 nothing to match in Chinese (a sentence is one "word"), so Chinese runs
are converted Traditional→Simplified with OpenCC *before* segmenting with jieba (rjieba, the same
dictionary and output, ~15x faster), and each run also contributes its character bigrams so a two-character
word matches even where the segmenter cut differently in the query and the passage.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache, lru_cache

import rjieba
import snowballstemmer

from bot.text.script import normalize

_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
# Latin letters with their accents (für, café): search tokens, and the keyword reader's words
LATIN_WORD = re.compile(r"[0-9a-zß-ɏ]+(?:[.'’\-][0-9a-zß-ɏ]+)*")
_POSSESSIVE = re.compile(r"(?:'s|’s|s'|')$")
# Function words and the filler of speech ('like', 'yeah', 'you know'): they match everything in a transcript.
STOP_EN = frozenset(
    [
        "a",
        "about",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "been",
        "being",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "don't",
        "dont",
        "even",
        "for",
        "from",
        "get",
        "go",
        "going",
        "got",
        "had",
        "has",
        "have",
        "he",
        "her",
        "his",
        "how",
        "i",
        "i'm",
        "if",
        "in",
        "into",
        "is",
        "it",
        "it's",
        "its",
        "just",
        "kind",
        "know",
        "let's",
        "like",
        "lot",
        "many",
        "me",
        "more",
        "most",
        "much",
        "my",
        "no",
        "not",
        "of",
        "on",
        "one's",
        "only",
        "or",
        "other",
        "our",
        "out",
        "over",
        "really",
        "said",
        "say",
        "sb",
        "she",
        "should",
        "so",
        "some",
        "sth",
        "than",
        "that",
        "that's",
        "the",
        "their",
        "them",
        "then",
        "there",
        "there's",
        "they",
        "they're",
        "thing",
        "things",
        "think",
        "this",
        "to",
        "uh",
        "um",
        "up",
        "very",
        "was",
        "we",
        "we're",
        "well",
        "were",
        "what",
        "what's",
        "when",
        "where",
        "which",
        "who",
        "why",
        "will",
        "with",
        "would",
        "yeah",
        "yes",
        "you",
        "you're",
        "your",
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


@cache
def _stemmer() -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """One form for a word's inflections and possessive ("DeepSeek's" → deepseek, "companies" → compani), so
    a question's wording meets the transcript's. Snowball's English stemmer, the one search engines use."""
    word = _POSSESSIVE.sub("", word.replace("’", "'"))
    return _stemmer().stemWord(word) if word.isalpha() else word


def english_tokens(norm: str) -> list[str]:
    """Stemmed content words and numbers of normalized text (function words and filler dropped)."""
    return [s for w in LATIN_WORD.findall(norm) if w not in STOP_EN and (s := stem(w)) and s not in STOP_EN]


def tokenize(text: str) -> list[str]:
    """Search tokens: stemmed English words and numbers, jieba words and character bigrams of Chinese runs."""
    norm = normalize(text)
    tokens = english_tokens(norm)
    for run in _CJK_RUN.findall(norm):
        tokens.extend(w for w in rjieba.cut(run) if w not in STOP_ZH)
        tokens.extend(run[i : i + 2] for i in range(len(run) - 2 + 1) if len(run) > 2)
    return tokens


# Function words of languages the tokens cannot read (no stemmer, no dictionary), none of them an English word.
_OTHER_LANGUAGE_WORDS = frozenset(
    re.findall(
        r"\S+",
        "der das und ist nicht wie warum über ueber sagt sagte ein eine einen einem dem den des sich auch wird "
        "wurde welche welcher welches wer wann für fuer zum zur vom beim oder aber seine ihre gibt kann können "
        "koennen sind haben hatte zwischen sie ich wir uns sagen "  # German
        "une que qui quoi pourquoi comment dans avec sur sont cette ces ils elle pas aux où quel quelle quels "
        "selon leur "  # French
        "los las qué cómo dónde cuál cuándo según dijo sobre del está muy pero también sus "  # Spanish
        "het een wat waarom zijn niet ook "  # Dutch
        "perché della delle sono anche questo "  # Italian
        "não uma são",  # Portuguese
    )
)
# Letters of scripts other than Latin and Chinese (character-class ranges): the alphabets (Greek, Cyrillic, Hebrew,
# Arabic, Devanagari, Thai), then kana and Hangul. Keywords and speaker names read the same ranges.
ALPHABETS = "\u0370-\u03ff\u0400-\u04ff\u0590-\u05ff\u0600-\u06ff\u0900-\u097f\u0e00-\u0e7f"
HANGUL = "\uac00-\ud7af"
_OTHER_SCRIPT = re.compile(f"[{ALPHABETS}\u3040-\u30ff{HANGUL}]")


def other_language(text: str) -> bool:
    """Whether a question is in a language the tokens cannot read (German, French, Russian, Japanese…): then
    sharing no word with the library says nothing about whether the library answers it. Two function words of
    such a language, or a letter of another script, tell (one could be a name)."""
    norm = normalize(text)
    return bool(_OTHER_SCRIPT.search(norm)) or sum(w in _OTHER_LANGUAGE_WORDS for w in LATIN_WORD.findall(norm)) >= 2


def tokens_to_text(tokens: Sequence[str]) -> str:
    """Tokens as one space-joined string, for a database column or a full-text index."""
    return " ".join(tokens)
