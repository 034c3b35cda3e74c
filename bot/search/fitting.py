"""Fitting the ranking model on labelled queries, and measuring it on transcripts it was not fitted on.

Weights: a listwise objective, the log-probability that a softmax over the scope's scores puts on the passages
holding an answer (L2-regularized), minimized with L-BFGS. Declining: the two thresholds of `RankingModel`
chosen to decline as many negatives as possible while declining at most `MAX_FALSE_DECLINES` of the answerable
queries. Replies and joining: the handover's cost and cap and the join margin with the best MRR@10 of whole
quotes. `cross_validate` refits them all with each
transcript held out in turn and scores the held-out queries with what was fitted on the others.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
from scipy.optimize import minimize

from bot.search.evaluation import EvalQuery, Outcome, doc_label, first_rank
from bot.search.index import PassageIndex
from bot.search.ranking import Ranked, RankingModel, best_quotes, declines, hand_over

L2 = 0.01
MAX_FALSE_DECLINES = 0.03
MARGINS = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0)
COSTS = (0.5, 1.0, 2.0, 3.0, 4.0, 6.0, 99.0)  # 99: no reply ever inherits its question's score
CAPS = (1.0, 2.0, 3.0, 4.0, 6.0, 99.0)  # 99: a reply may inherit any score
NEVER = -99.0  # a dense-excess threshold no question falls below: the dense rule never declines


@dataclass(frozen=True)
class Sample:
    """One query's evidence: the scope rows' feature matrix, which rows hold an answer, and the query-level
    figures declining reads. `index` and `texts` let whole quotes be formed and checked."""

    def text(self, row: int) -> str:
        """The text (and translation) of one of the index's rows."""
        return self.texts[int(self.index.ids[row])]

    query: EvalQuery
    index: PassageIndex
    rows: np.ndarray
    matrix: np.ndarray
    gold: np.ndarray
    diagnostics: dict[str, float]
    scope_size: int
    strict_names: frozenset[str] | None
    texts: Mapping[int, str]  # passage id → its text and translation
    named: np.ndarray | None = None  # per index row: by a speaker the question names (hands no question over)


def fit_weights(samples: Sequence[Sample], l2: float = L2) -> np.ndarray:
    """Weights maximizing the softmax probability of the answering rows, over queries that have one in scope."""
    usable = [s for s in samples if s.gold.any()]
    width = usable[0].matrix.shape[1]

    def objective(w: np.ndarray) -> tuple[float, np.ndarray]:
        loss, grad = l2 * float(w @ w), 2 * l2 * w
        for s in usable:
            scores = s.matrix @ w
            p = np.exp(scores - scores.max())
            p /= p.sum()
            on_gold = p[s.gold].sum()
            loss -= np.log(on_gold + 1e-12) / len(usable)
            target = np.where(s.gold, p / (on_gold + 1e-12), 0.0)
            grad -= s.matrix.T @ (target - p) / len(usable)
        return loss, grad

    return minimize(objective, np.zeros(width), jac=True, method="L-BFGS-B").x


def outcome(sample: Sample, model: RankingModel, weights: np.ndarray) -> Outcome:
    """How the query goes with these weights and thresholds: whole quotes, as search forms them."""
    declined = declines(sample.diagnostics, sample.scope_size, model)
    scores = (sample.matrix @ weights).astype(np.float32)
    scores = hand_over(sample.index, sample.rows, scores, sample.named, model)
    ranked = Ranked(sample.rows, scores, declined, sample.diagnostics)
    quotes = [] if declined else best_quotes(sample.index, ranked, 10, model.join_margin)
    speakers = sample.index.speaker_names
    found = [("".join(map(sample.text, span)), speakers[sample.index.speakers[best]]) for span, best, _ in quotes]
    strict = None
    if sample.strict_names is not None:
        strict = first_rank(sample.query, found[:5], sample.strict_names) is not None
    return Outcome(sample.query, first_rank(sample.query, found), declined, strict)


def fit_decline(samples: Sequence[Sample], model: RankingModel) -> RankingModel:
    """The thresholds declining the most negatives with at most MAX_FALSE_DECLINES of answerable queries
    declined (ties: the fewest false declines, then the most lenient thresholds). Small scopes never decline."""
    forced = np.array([declines(s.diagnostics, s.scope_size, replace(model, min_dense_excess=NEVER)) for s in samples])
    open_ = np.array([s.scope_size >= model.min_scope_to_decline for s in samples]) & ~forced
    excess = np.array([s.diagnostics["dense_excess"] for s in samples])
    coverage = np.array([s.diagnostics["coverage"] for s in samples])
    negative = np.array([not s.query.gold for s in samples], dtype=bool)
    allowed = MAX_FALSE_DECLINES * int((~negative).sum())
    # a threshold just above an observed value: every distinct cut, and "never"
    cut_excess = np.concatenate([[NEVER], np.unique(excess[open_ & np.isfinite(excess)]) + 1e-4])
    cut_coverage = np.concatenate([[0.0], np.unique(coverage[open_]) + 1e-4])
    best: tuple[tuple[int, int, float, float], tuple[float, float]] | None = None
    for a in cut_excess:
        by_rule = open_[:, None] & (excess[:, None] < a) & (coverage[:, None] < cut_coverage[None, :])
        declined = by_rule | forced[:, None]  # samples × coverage cuts
        false = declined[~negative].sum(axis=0)
        right = declined[negative].sum(axis=0)
        for j in np.flatnonzero(false <= allowed):
            key = (int(right[j]), -int(false[j]), -float(a), -float(cut_coverage[j]))
            if best is None or key > best[0]:
                best = (key, (float(a), float(cut_coverage[j])))
    if best is None:
        return model
    return replace(model, min_dense_excess=round(best[1][0], 4), min_coverage=round(best[1][1], 4))


def _mrr(samples: Sequence[Sample], model: RankingModel, weights: np.ndarray) -> float:
    ranks = [outcome(s, model, weights).rank for s in samples if s.query.gold]
    return sum(1 / r for r in ranks if r) / max(1, len(ranks))


def fit_margin(samples: Sequence[Sample], model: RankingModel, weights: np.ndarray) -> RankingModel:
    """The handover cost and cap (together: a lower cost may pay only under a cap), then the join margin, each
    with the best MRR@10 of whole quotes over the samples (ties: the higher cost and cap, the smaller margin)."""
    cost, cap = max(
        ((c, g) for c in COSTS for g in CAPS),
        key=lambda cg: (_mrr(samples, replace(model, handover_cost=cg[0], handover_cap=cg[1]), weights), cg),
    )
    model = replace(model, handover_cost=cost, handover_cap=cap)
    return replace(
        model, join_margin=max(MARGINS, key=lambda m: (_mrr(samples, replace(model, join_margin=m), weights), -m))
    )


def fit_model(samples: Sequence[Sample], names: list[str], base: RankingModel) -> RankingModel:
    """Weights, then the join margin, then the decline thresholds, all fitted on `samples`."""
    weights = fit_weights(samples)
    model = replace(base, weights=dict(zip(names, (round(float(w), 4) for w in weights), strict=True)))
    return fit_decline(samples, fit_margin(samples, model, weights))


def folds(samples: Sequence[Sample]) -> dict[str, list[int]]:
    """Sample positions per held-out transcript; negatives (about no transcript) are dealt round-robin."""
    docs = sorted({doc_label(s.query) for s in samples if s.query.doc})
    groups: dict[str, list[int]] = {doc: [] for doc in docs}
    spare = 0
    for i, s in enumerate(samples):
        if s.query.doc:
            groups[doc_label(s.query)].append(i)
        else:
            groups[docs[spare % len(docs)]].append(i)
            spare += 1
    return groups


def cross_validate(samples: Sequence[Sample], names: list[str], base: RankingModel) -> list[Outcome]:
    """Each transcript held out in turn: fit on the others, score its queries with that fit."""
    outcomes: list[Outcome | None] = [None] * len(samples)
    for held_out in folds(samples).values():
        keep = set(held_out)
        model = fit_model([s for i, s in enumerate(samples) if i not in keep], names, base)
        weights = model.weight_vector(names, "hybrid")
        for i in held_out:
            outcomes[i] = outcome(samples[i], model, weights)
    return [o for o in outcomes if o is not None]
