"""`colloquy eval summaries`: ROUGE and coverage of Colloquy's interview summaries against the editors' key points.

The seeds' preambles (the editor's TL;DR) are kept apart at ingestion, so the summarizer only sees the
body. Two baselines run on exactly the same sentences: lead-N (the first N sentences) and TextRank
(PageRank over a sentence graph weighted by shared words, Mihalcea & Tarau 2004; our own implementation,
since `sumy` needs NLTK data that cannot be downloaded here). Every system gives as many points as the
reference has and the same character budget (the reference's length), so no system wins by talking more.

Coverage is the share of the editor's points that some summary point says too: the best-matching point's
cosine (e5+USE passage vectors) reaches a threshold calibrated on the seeds the rules were tuned on
(`calibrate`; 000, 001, 003). Seeds 002 and 004 are held out: nothing was tuned on them, so their figures
show how the summarizer does on a transcript it has not seen. Seed 004's editor wrote in Chinese about an
English podcast with Chinese subtitles: every system is scored on the Chinese version of the transcript. A
second table sets Colloquy's own summary (one point per chapter, as a user sees it) beside the first turns
of the interview cut to the same length: what a reader would get from just starting to read.
"""

from __future__ import annotations

import json
import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.library import models
from bot.search.embedder import Embedder
from bot.search.indexer import vector_key
from bot.summarize.points import filler_points
from bot.summarize.rouge import RougeScores, rouge, rouge_tokens
from bot.summarize.service import Summarizer
from bot.text.sentences import split_sentences
from bot.text.tokens import tokenize

TUNED_SEEDS = ("000", "001", "003")  # the summarizer's rules and weights were looked at on these
HELD_OUT_SEEDS = ("002", "004")  # and never on these
SEEDS_WITH_KEY_POINTS = TUNED_SEEDS + HELD_OUT_SEEDS


@dataclass(frozen=True)
class Reference:
    """One seed's editor key points (the ones its body supports) and its file name."""

    seed: str
    file: str
    points: list[str]
    held_out: bool = False

    @property
    def language(self) -> str:
        """The editor's language: every system is scored in it (the transcript's other version if need be)."""
        return "zh-Hans" if any(_is_chinese(p) for p in self.points) else "en"

    @property
    def chars(self) -> int:
        """The budget every system gets: the reference's length in characters."""
        return sum(len(p) for p in self.points)


def load_references(path: Path, seeds: Sequence[str] = SEEDS_WITH_KEY_POINTS) -> list[Reference]:
    """Reference points from editor_summaries.json: body-supported points, else the cleaned ones, else raw; with
    the page's quoted section headings where the editor let them act as points (002)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    references = []
    for seed in seeds:
        entry = data[seed]
        points = (
            entry.get("reference_points_supported_by_body")
            or entry.get("reference_points_clean")
            or entry["reference_points"]
        )
        headings = entry.get("section_headings_as_points_clean") or entry.get("section_headings_as_points") or []
        references.append(Reference(seed, entry["file"], [*points, *headings], seed in HELD_OUT_SEEDS))
    return references


def _is_chinese(text: str) -> bool:
    return any("\u3400" <= c <= "\u9fff" for c in text)


def in_language(text: str, translation: str | None, language: str) -> str:
    """The version of a passage in the reference's language (a bilingual passage's other version when needed)."""
    if translation and _is_chinese(text) != (language != "en"):
        return translation
    return text


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


def lead_turns(turns: Sequence[str], max_chars: int) -> list[str]:
    """Baseline: the interview's first turns (every speaker), sentence by sentence, up to `max_chars`."""
    chosen: list[str] = []
    used = 0
    for sentence in body_sentences(turns):
        if chosen and used + len(sentence) > max_chars:
            break
        chosen.append(sentence)
        used += len(sentence)
    return chosen


@dataclass(frozen=True)
class Row:
    """One line of the table."""

    seed: str
    system: str
    scores: RougeScores
    chars: int
    coverage: float | None = None  # share of the editor's points some summary point says too
    points: int = 0
    filler: int = 0  # points that are not points (bot.summarize.points.stands_alone)


def score_row(
    seed: str, system: str, summary: Sequence[str], reference: Reference, coverage: float | None = None
) -> Row:
    """ROUGE (and coverage, when measured) of one system's summary of one seed."""
    return Row(
        seed,
        system,
        rouge(summary, reference.points),
        sum(len(s) for s in summary),
        coverage,
        len(summary),
        len(filler_points(summary)),
    )


def format_table(rows: Sequence[Row]) -> str:
    """The printed table: one line per seed and system, F1 × 100, coverage in %, points that are filler."""
    lines = [
        f"{'seed':<8} {'system':<12} {'ROUGE-1':>8} {'ROUGE-2':>8} {'ROUGE-L':>8} {'coverage':>9} "
        f"{'chars':>6} {'points':>6} {'filler':>6}"
    ]
    for row in rows:
        s = row.scores
        covered = f"{100 * row.coverage:>8.0f}%" if row.coverage is not None else f"{'':>9}"
        lines.append(
            f"{row.seed:<8} {row.system:<12} {100 * s.rouge1:>8.1f} {100 * s.rouge2:>8.1f} "
            f"{100 * s.rouge_l:>8.1f} {covered} {row.chars:>6} {row.points:>6} {row.filler:>6}"
        )
    return "\n".join(lines)


def mean_rows(rows: Sequence[Row], held_out: Collection[str]) -> list[Row]:
    """Per system, the mean over every seed and over the held-out seeds (`seed` reads 'mean' or 'held-out')."""
    out = []
    for label, keep in (("mean", lambda seed: True), ("held-out", lambda seed: seed in held_out)):
        for system in dict.fromkeys(r.system for r in rows):
            mine = [r for r in rows if r.system == system and keep(r.seed)]
            if not mine:
                continue

            def mean(values: Sequence[float]) -> float:
                return float(np.mean(values))

            scores = RougeScores(*(mean([getattr(r.scores, f) for r in mine]) for f in ("rouge1", "rouge2", "rouge_l")))
            coverage = [r.coverage for r in mine if r.coverage is not None]
            out.append(
                Row(label, system, scores, round(mean([r.chars for r in mine])), mean(coverage) if coverage else None,
                    round(mean([r.points for r in mine])), round(mean([r.filler for r in mine])))
            )  # fmt: skip
    return out


def best_match(references: np.ndarray, summary: np.ndarray) -> np.ndarray:
    """For each reference point, the cosine of the summary point closest to it (0 for an empty summary)."""
    if len(summary) == 0 or len(references) == 0:
        return np.zeros(len(references))
    return (references @ summary.T).max(axis=1)


@dataclass(frozen=True)
class Calibration:
    """The coverage threshold and what it was set from."""

    threshold: float
    positives: list[float]  # cosine of each editor point to the body passage that states it (most shared words)
    negatives: list[float]  # cosine of each editor point to body passages that share none of its words

    def describe(self) -> str:
        """One line for the report."""
        pos, neg = np.array(self.positives), np.array(self.negatives)
        return (
            f"coverage threshold {self.threshold:.3f} (99th percentile of passages sharing no word with the editor's "
            f"point, n={len(neg)}, median {np.median(neg):.3f}); the passage stating the point scores median "
            f"{np.median(pos):.3f} and {100 * (pos >= self.threshold).mean():.0f}% of them reach it (n={len(pos)})"
        )


def calibrate(
    points: Sequence[np.ndarray], passages: Sequence[np.ndarray], evidence: Sequence[np.ndarray]
) -> Calibration:
    """The cosine that an unrelated passage reaches only once in a hundred times (99th percentile).

    Per seed: `points` (editor points × dim), `passages` (body passages × dim, stored vectors) and
    `evidence[i, j]`, the ROUGE-L recall of editor point i in passage j. The negatives of a point are the
    passages that share none of its words; its positive (reported, to show what the threshold keeps) is the
    passage with the most evidence. A summary of n points then covers an unrelated point by chance in about
    n in a hundred cases.
    """
    positives: list[float] = []
    negatives: list[float] = []
    for p, s, e in zip(points, passages, evidence, strict=True):
        cosine = p @ s.T
        for i in range(len(p)):
            positives.append(float(cosine[i, int(np.argmax(e[i]))]))
            negatives.extend(float(c) for c in cosine[i, e[i] == 0])
    return Calibration(float(np.percentile(negatives, 99)), positives, negatives)


def verdict(rows: Sequence[Row], ours: str = "colloquy") -> list[str]:
    """Per seed: which of ROUGE-1/2/L and coverage Colloquy beats every other system on."""
    out = []
    for seed in dict.fromkeys(r.seed for r in rows):
        mine = next(r for r in rows if r.seed == seed and r.system == ours)
        others = [r for r in rows if r.seed == seed and r.system != ours]
        measures = [(name, getattr(mine.scores, attr), [getattr(o.scores, attr) for o in others])
                    for name, attr in (("R1", "rouge1"), ("R2", "rouge2"), ("RL", "rouge_l"))]  # fmt: skip
        if mine.coverage is not None:
            measures.append(("coverage", mine.coverage, [o.coverage or 0.0 for o in others]))
        won = [name for name, value, theirs in measures if all(value > t for t in theirs)]
        out.append(f"{seed}: ahead of {', '.join(o.system for o in others)} on {', '.join(won) or 'nothing'} "
                   f"({len(won)}/{len(measures)})")  # fmt: skip
    return out


async def seed_interviews(
    sessions: async_sessionmaker[AsyncSession], references: Sequence[Reference]
) -> dict[str, int]:
    """Seed number → interview id, matched by the file name the seed was ingested from, in the global library the
    evaluation ingests into (`colloquy eval search` keeps copies of the seeds in guilds of their own, which the
    summaries cannot see)."""
    async with sessions() as session:
        rows = (
            await session.execute(
                select(models.Interview.id, models.Interview.source_key).where(
                    models.Interview.guild_id == models.GLOBAL_LIBRARY
                )
            )
        ).all()
    found = {}
    for reference in references:
        ids = [i for i, source in rows if Path(source).name == reference.file]
        if ids:
            found[reference.seed] = max(ids)
    return found


def evidence(points: Sequence[str], sentences: Sequence[str]) -> np.ndarray:
    """ROUGE-L recall of each point in each sentence (how much of the point the sentence states)."""
    matrix = np.zeros((len(points), len(sentences)))
    for i, point in enumerate(points):
        wanted = set(rouge_tokens(point))
        for j, sentence in enumerate(sentences):
            if wanted & set(rouge_tokens(sentence)):
                matrix[i, j] = rouge([sentence], [point]).rouge_l
    return matrix


async def passage_vectors(
    sessions: async_sessionmaker[AsyncSession], interview_id: int, model: str
) -> tuple[list[str], np.ndarray]:
    """An interview's passages and their stored vectors (the calibration needs no encoding of its own)."""
    async with sessions() as session:
        rows = (
            await session.execute(
                select(models.Passage.text, models.Embedding.vector)
                .join(models.Embedding, models.Embedding.passage_id == models.Passage.id)
                .where(models.Passage.interview_id == interview_id, models.Embedding.model == model)
                .order_by(models.Passage.id)
            )
        ).all()
    return [text for text, _ in rows], np.stack([np.frombuffer(vector, dtype=np.float32) for _, vector in rows])


@dataclass(frozen=True)
class Evaluation:
    """Both tables and the calibration they share."""

    budgeted: list[Row]  # every system: the editor's number of points and length
    own_length: list[Row]  # Colloquy's default summary beside the first turns cut to its length
    calibration: Calibration


async def evaluate(
    summarizer: Summarizer,
    sessions: async_sessionmaker[AsyncSession],
    references: Sequence[Reference],
    embedder: Embedder,
) -> Evaluation:
    """Lead-N, TextRank and Colloquy on each seed's body, same points and character budget, scored by ROUGE and
    coverage; then Colloquy's own summary against the first turns of the same length.

    The summarizer's cache is turned off: every run measures the current method."""
    summarizer.use_cache = False
    interviews = await seed_interviews(sessions, references)
    systems: list[tuple[Reference, dict[str, list[str]], dict[str, list[str]]]] = []
    texts: dict[str, list[str]] = {}
    for reference in references:
        if reference.seed not in interviews:
            raise LookupError(f"seed {reference.seed} ({reference.file}) is not in the library")
        interview_id = interviews[reference.seed]
        async with sessions() as session:
            rows = await session.execute(
                select(models.Passage.text, models.Passage.translation)
                .where(models.Passage.interview_id == interview_id)
                .order_by(models.Passage.id)
            )
            versions = [(text, in_language(text, other, reference.language)) for text, other in rows]
        texts[reference.seed] = [shown for _, shown in versions]
        sentences = body_sentences(texts[reference.seed])
        points, budget = len(reference.points), reference.chars
        # The transcript's other version only where most of it is not in the editor's language (004).
        other = sum(text != shown for text, shown in versions) > len(versions) / 2
        language = reference.language if other else None
        ours = await summarizer.interview(interview_id, points, language=language, max_chars=budget, abstractive=False)
        own = await summarizer.interview(interview_id, language=language, abstractive=False)
        own_points = [p.text for p in own.points]
        budgeted = {
            "lead-N": lead(sentences, points, budget),
            "textrank": textrank(sentences, points, budget),
            "colloquy": [p.text for p in ours.points],
        }
        length = {
            "lead turns": lead_turns(texts[reference.seed], sum(len(p) for p in own_points)),
            "colloquy": own_points,
        }
        systems.append((reference, budgeted, length))

    def encode(items: Sequence[str]) -> np.ndarray:
        return embedder.encode_passages(list(items)) if items else np.zeros((0, 1), dtype=np.float32)

    point_vectors = [encode(r.points) for r in references]
    # The threshold comes from the tuned seeds only: a held-out seed is scored by a rule it did not help set.
    tuned = [k for k, r in enumerate(references) if not r.held_out] or list(range(len(references)))
    stored = [await passage_vectors(sessions, interviews[references[k].seed], vector_key(embedder)) for k in tuned]
    calibration = calibrate(
        [point_vectors[k] for k in tuned],
        [vectors for _, vectors in stored],
        [evidence(references[k].points, passages) for k, (passages, _) in zip(tuned, stored, strict=True)],
    )

    def row(reference: Reference, vectors: np.ndarray, system: str, summary: list[str]) -> Row:
        covered = float((best_match(vectors, encode(summary)) >= calibration.threshold).mean())
        return score_row(reference.seed, system, summary, reference, covered)

    budgeted_rows, own_rows = [], []
    for (reference, budgeted, length), vectors in zip(systems, point_vectors, strict=True):
        budgeted_rows += [row(reference, vectors, name, summary) for name, summary in budgeted.items()]
        own_rows += [row(reference, vectors, name, summary) for name, summary in length.items()]
    return Evaluation(budgeted_rows, own_rows, calibration)
