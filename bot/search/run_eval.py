"""Running query sets against a library: each set in its own guild (1, 2, …), every method, and the refit."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from dataclasses import asdict

import numpy as np
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.library import models
from bot.search.evaluation import METHODS, EvalQuery, Outcome, first_hit_rank, holds_gold, tables
from bot.search.fitting import Sample, cross_validate, fit_model
from bot.search.index import candidate_rows
from bot.search.ranking import feature_names, features
from bot.search.service import SearchService


async def evaluate_sets(
    search: SearchService, sessions: async_sessionmaker[AsyncSession], sets: list[list[EvalQuery]], *, fit: bool
) -> dict[str, object]:
    """Tables per set and method; with `fit`, leave-one-transcript-out tables and the model fitted on all sets."""
    result: dict[str, object] = {"tables": {}}
    samples: list[Sample] = []
    for guild, labelled in enumerate(sets, 1):
        name = labelled[0].set_name if labelled else str(guild)
        per_method = {}
        for method in METHODS:
            per_method[method] = tables([await _outcome(search, q, guild, method) for q in labelled])
        result["tables"][name] = per_method  # type: ignore[index]  # result["tables"] is the dict above
        if fit:
            samples += await _samples(search, sessions, labelled, guild)
    if fit and samples:
        names = feature_names(len((await search.index()).parts))
        by_set: dict[str, list[Outcome]] = defaultdict(list)
        for outcome in await asyncio.to_thread(cross_validate, samples, names, search.model):
            by_set[outcome.query.set_name].append(outcome)
        result["kfold"] = {name: {"hybrid": tables(outcomes)} for name, outcomes in by_set.items()}
        model = await asyncio.to_thread(fit_model, samples, names, search.model)
        result["model"] = asdict(model) | {"fitted_on": ", ".join(by_set)}
    return result


async def _outcome(search: SearchService, query: EvalQuery, guild: int, method: str) -> Outcome:
    scope = await search.scope_for(guild_ids=frozenset({guild}), speaker=query.speaker)
    result = await search.search(query.query, scope, 10, method=method)
    strict = None
    if query.speaker and query.gold:
        strict = first_hit_rank(query, result.hits[:5], scope.speakers or frozenset()) is not None
    return Outcome(query, first_hit_rank(query, result.hits), result.declined, strict)


async def _samples(
    search: SearchService, sessions: async_sessionmaker[AsyncSession], labelled: list[EvalQuery], guild: int
) -> list[Sample]:
    """Each query's evidence over its scope, with the rows that hold its answer."""
    async with sessions() as session:
        found = await session.execute(select(models.Passage.id, models.Passage.text, models.Passage.translation))
        texts = {pid: text + (translation or "") for pid, text, translation in found}

    samples = []
    for query in labelled:
        scope = await search.scope_for(guild_ids=frozenset({guild}), speaker=query.speaker)
        question = await search.prepare(query.query, scope)
        rows = candidate_rows(question.index, scope)
        matrix, diagnostics = features(question.index, query.query, question.vector, rows, question.named)
        ids = question.index.ids
        gold = [bool(query.gold) and holds_gold(query, texts[int(ids[r])]) for r in rows.tolist()]
        samples.append(
            Sample(
                query, question.index, rows, matrix, np.array(gold, dtype=bool), diagnostics,
                question.index.scope_size(rows), scope.speakers if query.speaker else None, texts, question.speaking,
            )
        )  # fmt: skip
    return samples
