"""Ranking: one pure function over the index's arrays and the question, returning scored rows.

Both backends feed it the same `PassageIndex` shape (the in-process index whole, PostgreSQL its candidates),
so the dev-set figures are the same on either.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from bot.search.index import PassageIndex, Scope, candidate_rows, dense_scores, top_k
from bot.text.tokens import tokenize

RRF_K = 60
POOL = 50  # candidates taken from each side before fusion


@dataclass(frozen=True)
class Calibration:
    """When to say "nothing matched", and how to fuse. Measured on the dev set by `colloquy eval search`.

    The best dense score must stand out from the scope: its z-score (e5's cosines are compressed, so raw
    cosines mean little) minus sqrt(2 ln N), the z-score the best of N unrelated passages reaches by
    chance, must exceed `min_dense_excess` — unless the lexical side matched most of the question's weight.
    """

    min_dense_excess: float = -0.45
    min_lexical_coverage: float = 0.75
    min_scope_to_decline: int = 50  # fewer passages than this say nothing about chance: never decline
    # The dense score is a weighted mean of z-scores: the passage (weight 1), its window of neighbours and its
    # whole turn. A quote is found by its context too.
    window_weight: float = 1.0
    turn_weight: float = 2.0
    lexical_weight: float = 1.0  # added to the dense score for the best lexical match (scaled 0..1)
    speaker_boost: float = 1.0  # added for passages by a speaker the question names
    question_penalty: float = 2.0  # times the share of a passage's sentences that ask: people search for answers
    handover_cost: float = 1.0  # an answer scores at least its question's score minus this
    join_margin: float = 0.4  # a neighbour in the turn scoring within this of a hit joins it: one fuller quote
    fusion: str = "score"  # "score" (weighted sum) or "rrf" (reciprocal rank fusion); `colloquy eval` compares


def rank(
    index: PassageIndex,
    query: str,
    query_vector: np.ndarray | None,
    scope: Scope,
    method: str,
    calibration: Calibration,
    boost_rows: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, dict[str, float], bool]:
    """Score the scope's rows for a query (pure): returns rows, their scores, diagnostics, and whether to decline.

    Dense scores are standardized over the scope (z-scores: e5's cosines are compressed, USE's are not, and
    only their spread means anything) for the passage, its window and its turn, then averaged with the
    calibration's weights; lexical BM25 is scaled to the best lexical match. 'hybrid' adds the two ("score"
    fusion) or fuses their rankings by reciprocal rank ("rrf"). Passages by a speaker the question names
    ("what did Altman say…") get a fixed boost. An interviewer's question that matches hands its score, less
    a cost, to the answer that follows it, and loses the question penalty: people search for what was said
    in reply. Rows not worth showing score -inf.
    """
    rows = candidate_rows(index, scope)
    diagnostics: dict[str, float] = {"candidates": float(len(rows))}
    if len(rows) == 0:
        return rows, np.zeros(0, dtype=np.float32), diagnostics, True
    dense = np.full(len(rows), np.nan, dtype=np.float32)
    lexical = np.zeros(len(rows), dtype=np.float32)
    dense_z = lexical_coverage = 0.0
    dense_excess = -math.inf
    if query_vector is not None and method != "lexical":
        embedded = index.has_vector[rows]
        if embedded.any():
            dense[embedded], dense_z, count = _dense(index, rows[embedded], query_vector, calibration)
            dense_excess = dense_z - math.sqrt(2 * math.log(max(2, count)))
    tokens = tokenize(query) if method != "dense" else []
    if tokens:
        scores = index.bm25.scores(tokens)[rows]
        if scores.max() > 0:
            lexical = scores / scores.max()
            lexical_coverage = index.bm25.coverage(tokens, int(rows[int(np.argmax(scores))]))
    diagnostics.update(
        dense_z=round(dense_z, 3), dense_excess=round(dense_excess, 3), lexical_coverage=round(lexical_coverage, 3)
    )
    if index.scope_size(rows) < calibration.min_scope_to_decline:
        dense_excess = math.inf
    boost = calibration.speaker_boost * boost_rows[rows] if boost_rows is not None else 0.0

    def dense_boosted() -> np.ndarray:
        return _hand_over(index, rows, np.nan_to_num(dense, nan=-np.inf) + boost, calibration)

    def lexical_boosted() -> np.ndarray:
        return _hand_over(index, rows, np.where(lexical > 0, lexical + boost, -np.inf), calibration)

    if method == "lexical":  # alone, the lexical side can only tell that no passage shares a word
        return rows, lexical_boosted(), diagnostics, lexical_coverage == 0
    if method == "dense":
        return rows, dense_boosted(), diagnostics, dense_excess < calibration.min_dense_excess
    declined = dense_excess < calibration.min_dense_excess and lexical_coverage < calibration.min_lexical_coverage
    if calibration.fusion == "rrf":
        fused = reciprocal_rank_fusion([_ranked(rows, dense_boosted()), _ranked(rows, lexical_boosted())])
        combined = np.full(len(rows), -np.inf, dtype=np.float32)
        position = {row: i for i, row in enumerate(rows.tolist())}
        for row, score in fused:
            combined[position[row]] = score
        return rows, combined, diagnostics, declined
    combined = np.nan_to_num(dense, nan=np.nanmin(dense) if dense_z else 0.0) + calibration.lexical_weight * lexical
    return rows, _hand_over(index, rows, combined + boost, calibration), diagnostics, declined


def _per_row(index: PassageIndex, rows: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """Scores laid out by index row (-inf outside `rows`), so a row's neighbours can be looked up."""
    score_of = np.full(len(index), -np.inf, dtype=np.float32)
    score_of[rows] = scores
    return score_of


def _hand_over(index: PassageIndex, rows: np.ndarray, scores: np.ndarray, calibration: Calibration) -> np.ndarray:
    """Answers score at least their (in-scope) question's score less the handover cost; questions are penalized."""
    score_of = _per_row(index, rows, scores)
    question = index.question_row[rows]
    handed = np.where(question >= 0, score_of[np.maximum(question, 0)] - calibration.handover_cost, -np.inf)
    return np.maximum(scores, handed) - calibration.question_penalty * index.question_share[rows]


def _dense(
    index: PassageIndex, rows: np.ndarray, query_vector: np.ndarray, calibration: Calibration
) -> tuple[np.ndarray, float, int]:
    """The weighted dense score of embedded `rows`, the best passage z-score (what "nothing matched" reads),
    and the number of vectors in the scope."""
    scores = dense_scores(index, query_vector)
    mean, std, count = index.dense_moments(scores, rows, query_vector)  # over the scope (PostgreSQL: estimated)
    std = np.where(std > 0, std, 1.0)
    passage = (scores.passage[rows] - mean[0]) / std[0]
    window = (scores.window[rows] - mean[1]) / std[1]
    turn = (scores.turn[rows] - mean[2]) / std[2]
    weighted = (passage + calibration.window_weight * window + calibration.turn_weight * turn) / (
        1 + calibration.window_weight + calibration.turn_weight
    )
    return weighted.astype(np.float32), float(passage.max()), count


def _ranked(rows: np.ndarray, scores: np.ndarray) -> list[tuple[int, float]]:
    best_rows, best = top_k(scores, rows, POOL)
    keep = np.isfinite(best)
    return list(zip(best_rows[keep].tolist(), best[keep].tolist(), strict=True))


def reciprocal_rank_fusion(rankings: list[list[tuple[int, float]]], k: int = RRF_K) -> list[tuple[int, float]]:
    """Fuse rankings by 1/(k + rank): robust to the two sides' incomparable score scales."""
    fused: dict[int, float] = {}
    for ranking in rankings:
        for position, (row, _) in enumerate(ranking):
            fused[row] = fused.get(row, 0.0) + 1.0 / (k + position + 1)
    return sorted(fused.items(), key=lambda item: -item[1])


def best_quotes(
    index: PassageIndex, rows: np.ndarray, scores: np.ndarray, k: int, margin: float
) -> list[tuple[list[int], int, float]]:
    """The k best quotes as (rows in transcript order, best row, score).

    A neighbour in the same turn scoring within `margin` of a hit joins it, so a thought that runs over two
    passages is quoted whole and not shown twice; a passage that repeats an idea already shown (adjacent,
    nearly the same vector) is skipped.
    """
    score_of = _per_row(index, rows, scores)
    used: set[int] = set()
    quotes: list[tuple[list[int], int, float]] = []
    for row, score in _ranked(rows, scores):
        if len(quotes) == k:
            break
        if row in used or any(_repeats(index, row, other) for other in used):
            continue
        near = [r for r in (row - 1, row + 1) if index.same_turn(row, r) and r not in used]
        near = [r for r in near if score_of[r] >= score - margin]
        span = sorted([row, max(near, key=lambda r: score_of[r])]) if near else [row]
        used.update(span)
        quotes.append((span, row, score))
    return quotes


def _repeats(index: PassageIndex, row: int, other: int) -> bool:
    """Adjacent passages of one interview saying nearly the same thing."""
    return (
        abs(row - other) <= 1
        and index.interview_ids[row] == index.interview_ids[other]
        and float(index.vectors[row] @ index.vectors[other]) > 0.95
    )
