"""BM25 over the tokens of bot/text/tokens.py: a sparse doc×term weight matrix, plus coverage of a query."""

from __future__ import annotations

import math
from array import array
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np
from scipy import sparse


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
        self,
        docs: Iterable[Sequence[str]],
        k1: float = 1.2,
        b: float = 0.75,
        corpus: CorpusStats | None = None,
        terms: Collection[str] | None = None,
    ) -> None:
        """`docs` is read once, one document at a time, and its postings kept in compact arrays: a library of
        1M passages is 30M postings, which as Python lists took 5 GB while the index was built. With `terms`,
        only those terms get postings (a search's candidates are asked about the question's terms alone: half
        the cost of their index on PostgreSQL); lengths still count every token."""
        self.vocabulary: dict[str, int] = {}
        rows, cols, counts, lengths = array("i"), array("i"), array("f"), array("f")
        wanted = None if terms is None else frozenset(terms)
        for i, doc in enumerate(docs):
            lengths.append(len(doc))
            if wanted is None:
                found: Iterable[tuple[str, int]] = Counter(doc).items()
            else:  # the few terms a document holds, counted in C (a third faster than filtering every token)
                held = wanted.intersection(doc)
                found = [(t, doc.count(t)) for t in (sorted(held, key=doc.index) if len(held) > 1 else held)]
            for term, count in found:  # in the document's order: columns, and so float sums, never vary by run
                rows.append(i)
                cols.append(self.vocabulary.setdefault(term, len(self.vocabulary)))
                counts.append(count)
        n = len(lengths)
        tf = np.frombuffer(counts, dtype=np.float32)
        col_idx = np.frombuffer(cols, dtype=np.int32)
        row_idx = np.frombuffer(rows, dtype=np.int32)
        length = np.frombuffer(lengths, dtype=np.float32)
        df = np.bincount(col_idx, minlength=len(self.vocabulary)).astype(np.float32)
        self.corpus_size = n
        self.corpus_doc_freq: Mapping[str, int] = corpus.doc_freq if corpus is not None else {}
        avg = float(length.mean()) if n else 1.0
        if corpus is not None:
            known = [corpus.doc_freq.get(term, 0) for term in self.vocabulary]
            df = np.maximum(df, np.asarray(known, dtype=np.float32))
            self.corpus_size, avg = max(corpus.n_docs, n), corpus.avg_length
        self.idf = np.log(1.0 + (self.corpus_size - df + 0.5) / (df + 0.5)).astype(np.float32)
        norm = k1 * (1 - b + b * length[row_idx] / max(avg, 1e-9))
        weights = self.idf[col_idx] * tf * (k1 + 1) / (tf + norm)
        self.matrix = sparse.csc_matrix(
            (weights, (row_idx, col_idx)), shape=(n, len(self.vocabulary)), dtype=np.float32
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

    def knows(self, term: str) -> bool:
        """Whether any document of the corpus holds the term (these documents, or the corpus they come from)."""
        return term in self.vocabulary or self.corpus_doc_freq.get(term, 0) > 0

    def weighted_scores(self, terms: Mapping[str, float]) -> np.ndarray:
        """BM25 of every document for terms that each count `weight` times (translations of the question's words)."""
        known = [(self.vocabulary[t], w) for t, w in terms.items() if t in self.vocabulary]
        if not known:
            return np.zeros(self.n_docs, dtype=np.float32)
        columns, weights = zip(*known, strict=True)
        return np.asarray(self.matrix[:, list(columns)] @ np.asarray(weights, dtype=np.float32), dtype=np.float32)

    def coverage(self, query_tokens: Sequence[str]) -> np.ndarray:
        """Per document, the share of the query's IDF weight it holds (0..1); unknown query terms count as missing.

        A term that no passage contains gets the IDF of a term seen once, so a query about something the
        library never mentions cannot reach full coverage.
        """
        found = np.zeros(self.n_docs, dtype=np.float32)
        unique = set(query_tokens)
        if not unique:
            return found
        rare = math.log(1.0 + (self.corpus_size - 0.5) / 1.5) if self.corpus_size else 1.0
        total = 0.0
        for term in unique:
            column = self.vocabulary.get(term)
            seen_elsewhere = self.corpus_doc_freq.get(term, 0)  # in the corpus, though in none of these documents
            if column is not None:
                weight = float(self.idf[column])
                found[self.matrix.indices[self.matrix.indptr[column] : self.matrix.indptr[column + 1]]] += weight
            elif seen_elsewhere:
                weight = math.log(1.0 + (self.corpus_size - seen_elsewhere + 0.5) / (seen_elsewhere + 0.5))
            else:
                weight = rare
            total += weight
        return found / total if total else found


def term_scores(
    docs: Sequence[str],
    queries: Sequence[Sequence[str] | Mapping[str, float]],
    corpus: CorpusStats,
    k1: float = 1.2,
    b: float = 0.75,
) -> list[np.ndarray]:
    """BM25 of each document (its tokens joined by spaces, as `passages.lexical` holds them) for each query, with
    the corpus' statistics: what `BM25Index([doc.split() for doc in docs], corpus=corpus).scores(terms)` gives
    (`weighted_scores` when the terms come with weights), counting only the queries' terms (no postings of every
    other word) in one pass over the documents, so PostgreSQL's lexical matches are ranked in milliseconds.
    (Counting each term with `str.count` instead was slower: a question's translations bring dozens of terms.)"""
    unique = {term: j for j, term in enumerate(dict.fromkeys(chain.from_iterable(queries)))}
    wanted = frozenset(unique)
    lengths = np.zeros(len(docs), dtype=np.float32)
    rows, columns, found = [], [], []
    for i, doc in enumerate(docs):  # the terms a document holds, then how often: C loops, not one per token
        tokens = doc.split()
        lengths[i] = len(tokens)
        for term in wanted.intersection(tokens):
            rows.append(i)
            columns.append(unique[term])
            found.append(tokens.count(term))
    counts = np.zeros((len(docs), len(unique)), dtype=np.float32)
    counts[rows, columns] = found
    local = (counts > 0).sum(axis=0).astype(np.float32)
    known = np.asarray([corpus.doc_freq.get(term, 0) for term in unique], dtype=np.float32)
    df = np.maximum(local, known)
    size = max(corpus.n_docs, len(docs))
    idf = np.log(1.0 + (size - df + 0.5) / (df + 0.5)).astype(np.float32)
    norm = (k1 * (1 - b + b * lengths / max(corpus.avg_length, 1e-9)))[:, None]
    weights = np.where(counts > 0, idf * counts * (k1 + 1) / (counts + norm), 0.0)
    scores = []
    for query in queries:
        # each distinct term once, with its weight (1 for plain words, as BM25Index.scores counts them)
        weight = dict(query) if isinstance(query, Mapping) else dict.fromkeys(query, 1.0)
        column = np.zeros(len(unique), dtype=np.float32)
        column[[unique[term] for term in weight]] = list(weight.values())
        scores.append((weights @ column).astype(np.float32))
    return scores
