"""Search evaluation on a query set in the format of shared/eval/dev_queries.jsonl (see its README).

A query is a hit at k when any gold string, normalized (Traditional→Simplified, whitespace removed),
occurs in the text or translation of one of the top-k passages. Negatives (no gold) count as right
when the search declines. Speaker-scoped queries also get a strict score: the hit must be that speaker's.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bot.search.service import Hit, SearchResult
from bot.text.script import to_simplified

KS = (1, 5, 10)


@dataclass(frozen=True)
class EvalQuery:
    """One labelled query."""

    id: str
    query: str
    kind: str
    gold: list[str]
    speaker: str | None = None
    doc: str | None = None


def load_queries(path: Path) -> list[EvalQuery]:
    """Read JSON lines with id, query, kind, gold and optional speaker/doc."""
    queries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            queries.append(
                EvalQuery(
                    d["id"], d["query"], d.get("kind", "unknown"), d.get("gold") or [], d.get("speaker"), d.get("doc")
                )
            )
    return queries


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", to_simplified(text))


def first_hit_rank(query: EvalQuery, hits: list[Hit], speaker_names: frozenset[str] | None = None) -> int | None:
    """1-based rank of the first passage holding a gold string (and, if given, by one of these speakers)."""
    gold = [_norm(g) for g in query.gold]
    for rank, hit in enumerate(hits, 1):
        body = _norm(hit.text + (hit.translation or ""))
        if any(g in body for g in gold) and (speaker_names is None or hit.speaker in speaker_names):
            return rank
    return None


@dataclass
class Tally:
    """Running metrics for one method and one group of queries."""

    n: int = 0
    hits: dict[int, int] = None  # type: ignore[assignment]  # filled in __post_init__
    rr: float = 0.0
    negatives: int = 0
    declined: int = 0
    strict_n: int = 0
    strict_hits: int = 0

    def __post_init__(self) -> None:
        self.hits = dict.fromkeys(KS, 0)

    def add(self, rank: int | None) -> None:
        self.n += 1
        for k in KS:
            self.hits[k] += rank is not None and rank <= k
        if rank is not None and rank <= 10:
            self.rr += 1.0 / rank

    def row(self) -> dict[str, float | int | None]:
        """Recall@k, MRR@10, negatives declined and the strict speaker score."""
        out: dict[str, float | int | None] = {"queries": self.n}
        for k in KS:
            out[f"recall@{k}"] = round(self.hits[k] / self.n, 3) if self.n else None
        out["mrr@10"] = round(self.rr / self.n, 3) if self.n else None
        out["negatives_declined"] = round(self.declined / self.negatives, 3) if self.negatives else None
        out["speaker_strict@5"] = round(self.strict_hits / self.strict_n, 3) if self.strict_n else None
        return out


def score(
    queries: Iterable[EvalQuery], results: dict[str, SearchResult], speakers: dict[str, frozenset[str]]
) -> dict[str, dict[str, float | int | None]]:
    """Metrics overall and per query kind; `speakers` maps a query id to the stored names of its speaker."""
    tallies: dict[str, Tally] = defaultdict(Tally)
    for q in queries:
        result = results[q.id]
        groups = (tallies["overall"], tallies[q.kind])
        if not q.gold:
            for t in groups:
                t.negatives += 1
                t.declined += result.declined or not result.hits
            continue
        rank = first_hit_rank(q, result.hits)
        for t in groups:
            t.add(rank)
        if q.speaker:
            strict = first_hit_rank(q, result.hits[:5], speakers.get(q.id, frozenset()))
            for t in groups:
                t.strict_n += 1
                t.strict_hits += strict is not None
    return {name: t.row() for name, t in sorted(tallies.items(), key=lambda kv: (kv[0] != "overall", kv[0]))}
