"""Ranking: one pure function over the index's arrays and the question, returning scored rows.

Each passage in scope gets a row of evidence (`FEATURES`): how close each embedding model puts the question to
the passage, to its window of neighbours and to its whole turn (z-scores over the scope, since cosines mean
little on their own), how much of the question's vocabulary it holds (BM25, also through a bilingual dictionary
for the other language, and the share of the question's rare terms it covers), whether it asks rather than
answers, how often its speaker asks in that interview, whether the question names its speaker, whether it
is shorter than a passage should be (a back-channel "没错。" is rarely an answer; length itself earns nothing), and
whether it states a number when the question asks how many or how much (`bot.text.numbers`).
The score is a weighted sum of that evidence, the weights fitted on the development sets by
`colloquy eval search --fit` (listwise: the passages holding an answer should win the softmax over the scope),
with leave-one-transcript-out figures in the README. Both backends feed `rank` the same `PassageIndex` shape
(the in-process index whole, PostgreSQL its candidates), so the dev-set figures are the same on either.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path

import numpy as np

from bot.library.models import GLOBAL_LIBRARY
from bot.search.index import PassageIndex, Scope, candidate_rows, dense_scores, top_k
from bot.text.dictionary import translated_terms
from bot.text.numbers import asks_quantity
from bot.text.passages import MIN_WEIGHT
from bot.text.tokens import other_language, tokenize

MODEL_FILE = Path(__file__).with_name("ranking_model.json")
DENSE_KINDS = ("passage", "window", "turn")
LEXICAL = ("lexical", "translated", "coverage")
SPEECH = ("asks", "asker", "named", "short", "numeric")
POOL = 50  # rows considered for quotes
REFERENCE_SCOPE = 3000  # passages: a larger scope's dense evidence is read in the z-score units of one this size
MAX_QUOTE_PASSAGES = 4  # a quote grows by continuing passages up to this many (about 800 characters)
# A quote must say at least this much (in `text_weight`, a twentieth of a passage's minimum: about 15 letters or 5
# Chinese characters). Less is a scrap of crosstalk ('Dan: people.', a caption cue between two voices) or a
# back-channel ('Yeah.', '当然可以。'): no dev question's answer is one, and it is shown only inside a longer quote.
MIN_QUOTE_WEIGHT = 5.0


def feature_names(parts: int) -> list[str]:
    """The evidence columns for an embedder of `parts` models, in the order `features` returns them."""
    dense = [f"dense{p}_{kind}" for kind in DENSE_KINDS for p in range(parts)]
    return [*dense, *LEXICAL, *SPEECH]


@dataclass(frozen=True)
class RankingModel:
    """Fitted weights and the thresholds for saying "nothing matched" (see `colloquy eval search --fit`).

    Declining: a question none of whose words (nor their translations) occurs anywhere in the library is not
    about anything the library holds, and is declined, whatever the library's size. Otherwise the best passage's
    dense z-score (averaged over the models) minus sqrt(2 ln N), the z-score the best of N unrelated passages
    reaches by chance, must exceed `min_dense_excess`, unless a passage holds at least `min_coverage` of the
    question's rare-term weight. Scopes under `min_scope_to_decline` passages say nothing about chance and are
    declined only for want of a shared word.
    """

    weights: dict[str, float] = field(default_factory=dict)
    min_dense_excess: float = -0.45
    min_coverage: float = 0.75
    join_margin: float = 1.0  # a neighbour of the same turn scoring within this of a quote joins it
    handover_cost: float = 2.0  # a reply scores at least its matching question's score less this...
    handover_cap: float = 99.0  # ...but at most this above its own score (99: no bound)
    min_scope_to_decline: int = 50
    fitted_on: str = ""  # what the weights were fitted on, for the record

    def weight_vector(self, names: list[str], method: str) -> np.ndarray:
        """The weights of `names`; 'dense' and 'lexical' keep only their side's evidence (and the speech)."""
        drop = {"dense": set(LEXICAL), "lexical": {n for n in names if n.startswith("dense")}}.get(method, set())
        return np.array([0.0 if n in drop else self.weights.get(n, 0.0) for n in names], dtype=np.float32)

    def save(self, path: Path = MODEL_FILE) -> None:
        """Write the model as JSON (the file `load_model` reads)."""
        path.write_text(json.dumps(asdict(self), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


@cache
def load_model(path: Path = MODEL_FILE) -> RankingModel:
    """The fitted model shipped with Colloquy."""
    return RankingModel(**json.loads(path.read_text(encoding="utf-8")))


@dataclass(frozen=True)
class Ranked:
    """Scored rows of the scope (-inf: never show), the diagnostics, and whether to decline."""

    rows: np.ndarray
    scores: np.ndarray
    declined: bool
    diagnostics: dict[str, float]


def features(
    index: PassageIndex, query: str, query_vector: np.ndarray | None, rows: np.ndarray, named: np.ndarray | None
) -> tuple[np.ndarray, dict[str, float]]:
    """The evidence matrix (len(rows) × `feature_names`) and the query-level figures declining reads.

    `named` flags rows whose speaker the question names. Rows without a vector get each dense column's lowest
    value in scope: unknown, not good. In a scope of more than REFERENCE_SCOPE passages (about the dev libraries'
    size, where the weights are fitted) dense z-scores are scaled by sqrt(2 ln REFERENCE_SCOPE) / sqrt(2 ln N),
    N the scope's size, which keeps what the best of N unrelated passages reaches by chance where it was: otherwise
    the top of the dense evidence grows with the library while a named speaker's or a translated word's weight
    stays put, and in a library of 131 130 passages a stranger's near-miss outranked the speaker's answer
    the question names (stop 52, with the refit: v2's MRR@10 there 0.549 → 0.573, held out 0.525 → 0.542; the
    refit alone gave 0.544). Smaller scopes keep their z-scores: nothing
    was fitted on them, and a handful of passages says little about chance.
    """
    parts = len(index.parts)
    n = len(rows)
    dense = np.zeros((3 * parts, n), dtype=np.float32)
    diagnostics = {"candidates": float(n), "dense_excess": -math.inf, "coverage": 0.0}
    embedded = index.has_vector[rows]
    if query_vector is not None and embedded.any():
        scores = dense_scores(index, query_vector)
        mean, std, count = index.dense_moments(scores, rows[embedded], query_vector)
        z = (scores.stacked(rows) - mean[:, None]) / np.where(std > 0, std, 1.0)[:, None]
        z[:, ~embedded] = z[:, embedded].min(axis=1, keepdims=True)
        chance = math.sqrt(2 * math.log(max(2, count)))
        diagnostics["dense_excess"] = float(z[:parts].max(axis=1).mean()) - chance
        dense = (z * min(1.0, math.sqrt(2 * math.log(REFERENCE_SCOPE)) / chance)).astype(np.float32)
    tokens = tokenize(query)
    translations = translated_terms(query)
    diagnostics["library_words"] = float(sum(map(index.bm25.knows, {*tokens, *translations})))
    diagnostics["other_language"] = float(other_language(query))
    lexical = _scaled(index.bm25.scores(tokens)[rows])
    translated = _scaled(index.bm25.weighted_scores(translations)[rows])
    coverage = index.bm25.coverage(tokens)[rows]
    diagnostics["coverage"] = float(coverage.max()) if n else 0.0
    speech = np.stack(
        [
            index.question_share[rows],
            index.asks[rows],
            named[rows] if named is not None else np.zeros(n, dtype=np.float32),
            index.shortness[rows],
            index.has_number[rows] * np.float32(asks_quantity(query)),
        ]
    )
    matrix = np.concatenate([dense, lexical[None], translated[None], coverage[None], speech]).T
    return matrix.astype(np.float32), {k: round(v, 3) for k, v in diagnostics.items()}


def _scaled(scores: np.ndarray) -> np.ndarray:
    """Scores over the best one in scope (0..1), so a query's length does not set their weight."""
    best = float(scores.max()) if len(scores) else 0.0
    return (scores / best if best > 0 else np.zeros_like(scores)).astype(np.float32)


def rank(
    index: PassageIndex,
    query: str,
    query_vector: np.ndarray | None,
    scope: Scope,
    method: str,
    model: RankingModel,
    named: np.ndarray | None = None,
    speaking: np.ndarray | None = None,
) -> Ranked:
    """Score the scope's rows for a query (pure); method is 'hybrid', 'dense' or 'lexical'.

    `named` lifts rows (the question names their speaker or, `speaking` telling them apart, their interview);
    the questions of `speaking`'s rows (default `named`'s) hand nothing over to their replies.
    'dense' and 'lexical' use only their side's evidence (with the speech evidence), for comparison in
    `colloquy eval search`. Declining follows `RankingModel`; lexical alone can only tell that no passage
    shares a word with the question.
    """
    rows = candidate_rows(index, scope)
    if len(rows) == 0:
        return Ranked(rows, np.zeros(0, dtype=np.float32), True, {"candidates": 0.0})
    matrix, diagnostics = features(index, query, query_vector if method != "lexical" else None, rows, named)
    weights = model.weight_vector(feature_names(len(index.parts)), method)
    scores = hand_over(index, rows, matrix @ weights, named if speaking is None else speaking, model)
    if method == "lexical":
        lexical_match = matrix[:, -len(SPEECH) - len(LEXICAL) : -len(SPEECH)].max(axis=1) > 0
        scores = np.where(lexical_match, scores, -np.inf).astype(np.float32)
        return Ranked(rows, scores, not lexical_match.any(), diagnostics)
    return Ranked(
        rows, scores.astype(np.float32), declines(diagnostics, index.scope_size(rows), model, method), diagnostics
    )


def _per_row(index: PassageIndex, rows: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """Scores laid out by index row (-inf outside `rows`), so a row's neighbours and reply can be looked up."""
    score_of = np.full(len(index), -np.inf, dtype=np.float32)
    score_of[rows] = scores
    return score_of


def hand_over(
    index: PassageIndex, rows: np.ndarray, scores: np.ndarray, named: np.ndarray | None, model: RankingModel
) -> np.ndarray:
    """A question that matches speaks for its reply: the reply (the next turn, by another speaker) scores at
    least the question's score less `handover_cost`, but at most `handover_cap` above its own score. People
    search for what was said in answer, and an interviewer's question repeats a search's words far more often
    than the reply does; the cap keeps a question that only looks like the search ("What do you get wrong most
    often as a founder?" for "What did the founder learn…") from carrying a reply that says nothing about it.
    Questions by a speaker the search names hand nothing over (asking what Lex Fridman asked finds his
    questions); a reply by a speaker it names adds that evidence to what it inherits ("what did Hamel say evals
    are" finds Hamel's answer to "What are evals?", which scored without his name's weight)."""
    by_row = _per_row(index, rows, scores)
    reply = index.answer_row[rows]
    hands = (reply >= 0) & np.isfinite(by_row[np.maximum(reply, 0)])
    if named is not None:
        hands &= named[rows] == 0
    inherited = scores[hands] - model.handover_cost
    if named is not None:  # a reply by a speaker the search names earns that evidence on top of its question's
        inherited += model.weights.get("named", 0.0) * named[reply[hands]]
    inherited = np.minimum(inherited, by_row[reply[hands]] + model.handover_cap)
    np.maximum.at(by_row, reply[hands], inherited)
    by_row[rows[hands]] = -np.inf  # the question itself is not a quote: its reply's context shows it
    return by_row[rows]


def declines(diagnostics: dict[str, float], scope_size: int, model: RankingModel, method: str = "hybrid") -> bool:
    """The decline rule of `RankingModel` on a question's figures (see `features`)."""
    if diagnostics.get("library_words") == 0 and not diagnostics.get("other_language"):
        return True
    if scope_size < model.min_scope_to_decline:
        return False
    weak = diagnostics["dense_excess"] < model.min_dense_excess
    return weak if method == "dense" else weak and diagnostics["coverage"] < model.min_coverage


def best_quotes(index: PassageIndex, ranked: Ranked, k: int, margin: float) -> list[tuple[list[int], int, float]]:
    """The k best quotes as (rows in transcript order, best row, score).

    A neighbour in the same turn scoring within `margin` of a hit joins it, so a thought that runs over two
    passages is quoted whole and not shown twice. A passage that earns a place of its own right before or after
    an earlier quote, in the same turn, extends that quote instead (up to `MAX_QUOTE_PASSAGES`), and so does a
    passage with the neighbour that joins it when that neighbour touches the quote ("I was about to give up" then
    "So I posted in the freeCodeCamp forum"): an answer told over several passages reads as one quote, not as
    pieces, and leaves room for other answers. A passage saying
    what an earlier quote already says (the same words in another copy of a transcript, or an adjacent
    near-duplicate) is not shown again.
    """
    rows, scores = ranked.rows, ranked.scores
    score_of = _per_row(index, rows, scores)
    best_rows, best = top_k(scores, rows, POOL)
    used: set[int] = set()
    shown: dict[int, int] = {}  # normalized text of every row shown → its quote
    quotes: list[tuple[list[int], int, float]] = []
    for row, score in zip(best_rows.tolist(), best.tolist(), strict=True):
        if len(quotes) == k or not math.isfinite(score):
            break
        if row in used or any(_repeats(index, row, other) for other in used):
            continue
        text = int(index.text_hash[row])
        if text in shown:
            _prefer_own_copy(index, quotes, shown[text], row)
            continue
        extended = _continued(index, quotes, [row])
        if extended is not None:
            used.add(row)
            shown[text] = extended
            continue
        near = [r for r in (row - 1, row + 1) if index.same_turn(row, r) and r not in used]
        near = [r for r in near if score_of[r] >= score - margin and int(index.text_hash[r]) not in shown]
        span = sorted([row, max(near, key=lambda r: score_of[r])]) if near else [row]
        extended = _continued(index, quotes, span)
        if extended is None and sum(1 - index.shortness[r] for r in span) * MIN_WEIGHT < MIN_QUOTE_WEIGHT:
            continue
        at = len(quotes) if extended is None else extended
        used.update(span)
        shown.update((int(index.text_hash[r]), at) for r in span)
        if extended is None:
            quotes.append((span, row, score))
    return quotes


def _continued(index: PassageIndex, quotes: list[tuple[list[int], int, float]], rows: list[int]) -> int | None:
    """The quote that `rows` (consecutive passages) continue (they start right after it or end right before it, in
    the same turn), now extended by them; None when they continue none with room left."""
    for at, (span, _, _) in enumerate(quotes):
        if len(span) + len(rows) <= MAX_QUOTE_PASSAGES and any(
            abs(row - end) == 1 and index.same_turn(row, end)
            for row in (rows[0], rows[-1])
            for end in (span[0], span[-1])
        ):
            span.extend(rows)
            span.sort()
            return at
    return None


def _prefer_own_copy(index: PassageIndex, quotes: list[tuple[list[int], int, float]], at: int, row: int) -> None:
    """Two copies of one passage (the global library's and a server's upload): show the server's own copy,
    which its members can manage."""
    span, best, score = quotes[at]
    if len(span) == 1 and index.guild_ids[best] == GLOBAL_LIBRARY and index.guild_ids[row] != GLOBAL_LIBRARY:
        quotes[at] = ([row], row, score)


def _repeats(index: PassageIndex, row: int, other: int) -> bool:
    """Adjacent passages of one interview saying nearly the same thing."""
    return (
        abs(row - other) <= 1
        and index.interview_ids[row] == index.interview_ids[other]
        and index.adjacent_similarity(row, other) > 0.95
    )
