"""Lexical matching that works for Chinese: one script (Simplified), segmented words, case-folded English.

Whitespace tokenization gives BM25 nothing to match in Chinese (a sentence is one "word"), so Chinese runs
are converted Traditional→Simplified with OpenCC *before* segmenting with jieba (rjieba, the same
dictionary and output, ~15x faster), and each run also contributes its character bigrams so a two-character
word matches even where the segmenter cut differently in the query and the passage.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import opencc
import rjieba
from scipy import sparse

_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[a-z0-9]+(?:[.'\-][a-z0-9]+)*", re.ASCII)
_STOP_EN = frozenset(
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
_STOP_ZH = frozenset(
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
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional Chinese → Simplified (other text unchanged), so both scripts match each other."""
    return _t2s().convert(text)


def normalize(text: str) -> str:
    """The form every lexical comparison uses: Simplified, NFKC (full-width → ASCII), case-folded."""
    return unicodedata.normalize("NFKC", to_simplified(text)).casefold()


def tokenize(text: str) -> list[str]:
    """Search tokens: English words and numbers, jieba words and character bigrams of Chinese runs."""
    norm = normalize(text)
    tokens = [w for w in _WORD.findall(norm) if w not in _STOP_EN]
    for run in _CJK_RUN.findall(norm):
        tokens.extend(w for w in rjieba.cut(run) if w not in _STOP_ZH)
        tokens.extend(run[i : i + 2] for i in range(len(run) - 2 + 1) if len(run) > 2)
    return tokens


def tokens_to_text(tokens: Sequence[str]) -> str:
    """Tokens as one space-joined string, for a database column or a full-text index."""
    return " ".join(tokens)


@dataclass(frozen=True)
class CorpusStats:
    """Statistics of a whole corpus for a BM25Index holding only some of its documents (search candidates):
    IDF and length normalization must come from the corpus, not from the candidates."""

    n_docs: int
    avg_length: float
    doc_freq: Mapping[str, int]  # at least every query term; other terms fall back to the candidates' counts


class BM25Index:
    """Okapi BM25 over token lists, precomputed as a sparse doc×term weight matrix: a query is a column sum."""

    def __init__(
        self, docs: Sequence[Sequence[str]], k1: float = 1.2, b: float = 0.75, corpus: CorpusStats | None = None
    ) -> None:
        self.vocabulary: dict[str, int] = {}
        rows, cols, counts = [], [], []
        lengths = np.zeros(len(docs), dtype=np.float32)
        for i, doc in enumerate(docs):
            lengths[i] = len(doc)
            for term, count in Counter(doc).items():
                rows.append(i)
                cols.append(self.vocabulary.setdefault(term, len(self.vocabulary)))
                counts.append(count)
        n = len(docs)
        tf = np.asarray(counts, dtype=np.float32)
        col_idx = np.asarray(cols, dtype=np.int64)
        df = np.bincount(col_idx, minlength=len(self.vocabulary)).astype(np.float32)
        self.corpus_size = n
        self.corpus_doc_freq: Mapping[str, int] = corpus.doc_freq if corpus is not None else {}
        avg = float(lengths.mean()) if n else 1.0
        if corpus is not None:
            known = [corpus.doc_freq.get(term, 0) for term in self.vocabulary]
            df = np.maximum(df, np.asarray(known, dtype=np.float32))
            self.corpus_size, avg = max(corpus.n_docs, n), corpus.avg_length
        self.idf = np.log(1.0 + (self.corpus_size - df + 0.5) / (df + 0.5)).astype(np.float32)
        norm = k1 * (1 - b + b * lengths[np.asarray(rows, dtype=np.int64)] / max(avg, 1e-9)) if rows else tf
        weights = self.idf[col_idx] * tf * (k1 + 1) / (tf + norm) if rows else tf
        self.matrix = sparse.csc_matrix(
            (weights, (np.asarray(rows, dtype=np.int64), col_idx)), shape=(n, len(self.vocabulary)), dtype=np.float32
        )
        self.matrix.sort_indices()  # coverage() binary-searches each column's postings
        self.n_docs = n

    def _terms(self, query_tokens: Sequence[str]) -> list[int]:
        return sorted({self.vocabulary[t] for t in query_tokens if t in self.vocabulary})

    def scores(self, query_tokens: Sequence[str]) -> np.ndarray:
        """BM25 score of every document for the query, in document order (zeros where nothing matches)."""
        terms = self._terms(query_tokens)
        if not terms:
            return np.zeros(self.n_docs, dtype=np.float32)
        return np.asarray(self.matrix[:, terms].sum(axis=1), dtype=np.float32).ravel()

    def coverage(self, query_tokens: Sequence[str], doc: int) -> float:
        """Share of the query's IDF weight found in one document (0..1); unknown query terms count as missing.

        A term that no passage contains gets the IDF of a term seen once, so a query about something the
        library never mentions cannot reach full coverage.
        """
        unique = set(query_tokens)
        if not unique:
            return 0.0
        rare = math.log(1.0 + (self.corpus_size - 0.5) / 1.5) if self.corpus_size else 1.0
        total = found = 0.0
        for term in unique:
            column = self.vocabulary.get(term)
            seen_elsewhere = self.corpus_doc_freq.get(term, 0)  # in the corpus, though in none of these documents
            if column is not None:
                weight = float(self.idf[column])
            elif seen_elsewhere:
                weight = math.log(1.0 + (self.corpus_size - seen_elsewhere + 0.5) / (seen_elsewhere + 0.5))
            else:
                weight = rare
            total += weight
            if column is not None:
                postings = self.matrix.indices[self.matrix.indptr[column] : self.matrix.indptr[column + 1]]
                position = int(np.searchsorted(postings, doc))
                found += weight if position < len(postings) and postings[position] == doc else 0.0
        return found / total if total else 0.0
