"""`colloquy eval summaries`: ROUGE of Colloquy's interview summaries against the editors' key points.

The seeds' preambles (the editor's TL;DR) are kept apart at ingestion, so the summarizer only sees the
body. Two baselines run on exactly the same sentences: lead-N (the first N sentences) and TextRank
(PageRank over a sentence graph weighted by shared words, Mihalcea & Tarau 2004; our own implementation,
since `sumy` needs NLTK data that cannot be downloaded here). Every system gives as many points as the
reference has and the same character budget (the reference's length), so no system wins by talking more.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.library import models
from bot.summarize.rouge import RougeScores, rouge
from bot.summarize.service import Summarizer
from bot.text.sentences import split_sentences
from bot.text.tokens import tokenize

SEEDS_WITH_KEY_POINTS = ("000", "001", "003")


@dataclass(frozen=True)
class Reference:
    """One seed's editor key points (the ones its body supports) and its file name."""

    seed: str
    file: str
    points: list[str]

    @property
    def chars(self) -> int:
        """The budget every system gets: the reference's length in characters."""
        return sum(len(p) for p in self.points)


def load_references(path: Path, seeds: Sequence[str] = SEEDS_WITH_KEY_POINTS) -> list[Reference]:
    """Reference points from editor_summaries.json: body-supported points, else the cleaned ones, else raw."""
    data = json.loads(path.read_text(encoding="utf-8"))
    references = []
    for seed in seeds:
        entry = data[seed]
        points = (
            entry.get("reference_points_supported_by_body")
            or entry.get("reference_points_clean")
            or entry["reference_points"]
        )
        references.append(Reference(seed, entry["file"], list(points)))
    return references


def body_sentences(texts: Sequence[str]) -> list[str]:
    """The transcript's sentences in order (the baselines' units)."""
    return [s for text in texts for line in text.split("\n") for s in split_sentences(line)]


def within_budget(ranked: Sequence[int], sentences: Sequence[str], points: int, max_chars: int) -> list[str]:
    """Take sentences best first until `points` or `max_chars`; print them in transcript order."""
    chosen: list[int] = []
    used = 0
    for i in ranked:
        if len(chosen) == points:
            break
        if chosen and used + len(sentences[i]) > max_chars:
            continue
        chosen.append(i)
        used += len(sentences[i])
    return [sentences[i] for i in sorted(chosen)]


def lead(sentences: Sequence[str], points: int, max_chars: int) -> list[str]:
    """Baseline: the first sentences."""
    return within_budget(range(len(sentences)), sentences, points, max_chars)


def pagerank(weights: np.ndarray, damping: float = 0.85, iterations: int = 60) -> np.ndarray:
    """PageRank of a weighted undirected graph (power iteration; dangling rows spread evenly)."""
    n = len(weights)
    if n == 0:
        return np.zeros(0)
    totals = weights.sum(axis=1, keepdims=True)
    transition = np.where(totals > 0, weights / np.where(totals == 0, 1, totals), 1.0 / n)
    rank = np.full(n, 1.0 / n)
    for _ in range(iterations):
        rank = (1 - damping) / n + damping * transition.T @ rank
    return rank


def textrank(sentences: Sequence[str], points: int, max_chars: int) -> list[str]:
    """Baseline: TextRank, similarity = shared words / (log |a| + log |b|), words = Chinese-aware tokens."""
    words = [set(tokenize(s)) for s in sentences]
    n = len(sentences)
    graph = np.zeros((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            shared = len(words[i] & words[j])
            if shared and len(words[i]) > 1 and len(words[j]) > 1:
                graph[i, j] = graph[j, i] = shared / (math.log(len(words[i])) + math.log(len(words[j])))
    ranked = np.argsort(-pagerank(graph), kind="stable")
    return within_budget([int(i) for i in ranked], sentences, points, max_chars)


@dataclass(frozen=True)
class Row:
    """One line of the table."""

    seed: str
    system: str
    scores: RougeScores
    chars: int


def score_row(seed: str, system: str, summary: Sequence[str], reference: Reference) -> Row:
    """ROUGE of one system's summary of one seed."""
    return Row(seed, system, rouge(summary, reference.points), sum(len(s) for s in summary))


def format_table(rows: Sequence[Row]) -> str:
    """The printed table: one line per seed and system, F1 × 100."""
    lines = [f"{'seed':<5} {'system':<10} {'ROUGE-1':>8} {'ROUGE-2':>8} {'ROUGE-L':>8} {'chars':>6}"]
    for row in rows:
        s = row.scores
        lines.append(
            f"{row.seed:<5} {row.system:<10} {100 * s.rouge1:>8.1f} {100 * s.rouge2:>8.1f} "
            f"{100 * s.rouge_l:>8.1f} {row.chars:>6}"
        )
    return "\n".join(lines)


def verdict(rows: Sequence[Row], ours: str = "colloquy") -> list[str]:
    """Per seed: which of ROUGE-1/2/L Colloquy beats both baselines on."""
    out = []
    for seed in dict.fromkeys(r.seed for r in rows):
        mine = next(r for r in rows if r.seed == seed and r.system == ours)
        others = [r for r in rows if r.seed == seed and r.system != ours]
        won = [
            name
            for name, attr in (("R1", "rouge1"), ("R2", "rouge2"), ("RL", "rouge_l"))
            if all(getattr(mine.scores, attr) > getattr(o.scores, attr) for o in others)
        ]
        out.append(f"{seed}: beats both baselines on {', '.join(won) if won else 'nothing'} ({len(won)}/3)")
    return out


async def seed_interviews(
    sessions: async_sessionmaker[AsyncSession], references: Sequence[Reference]
) -> dict[str, int]:
    """Seed number → interview id, matched by the file name the seed was ingested from."""
    async with sessions() as session:
        rows = (await session.execute(select(models.Interview.id, models.Interview.source_key))).all()
    found = {}
    for reference in references:
        ids = [i for i, source in rows if Path(source).name == reference.file]
        if ids:
            found[reference.seed] = max(ids)
    return found


async def evaluate(
    summarizer: Summarizer, sessions: async_sessionmaker[AsyncSession], references: Sequence[Reference]
) -> list[Row]:
    """Lead-N, TextRank and Colloquy on each seed's body, same points and character budget, scored by ROUGE.

    The summarizer's cache is turned off: every run measures the current method."""
    summarizer.use_cache = False
    interviews = await seed_interviews(sessions, references)
    rows: list[Row] = []
    for reference in references:
        if reference.seed not in interviews:
            raise LookupError(f"seed {reference.seed} ({reference.file}) is not in the library")
        interview_id = interviews[reference.seed]
        async with sessions() as session:
            texts = list(
                await session.scalars(
                    select(models.Passage.text)
                    .where(models.Passage.interview_id == interview_id)
                    .order_by(models.Passage.id)
                )
            )
        sentences = body_sentences(texts)
        points, budget = len(reference.points), reference.chars
        ours = await summarizer.interview(interview_id, points, max_chars=budget, abstractive=False)
        rows.append(score_row(reference.seed, "lead-N", lead(sentences, points, budget), reference))
        rows.append(score_row(reference.seed, "textrank", textrank(sentences, points, budget), reference))
        rows.append(score_row(reference.seed, "colloquy", [p.text for p in ours.points], reference))
    return rows
