"""The ROUGE scorer, the baselines and the summary-cache migration."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import bot.summarize.models  # noqa: F401  # registers the summary_cache table on Base.metadata
from bot.library.models import Base
from bot.library.service import Library
from bot.summarize.evaluation import Reference, lead, load_references, seed_interviews, textrank, verdict, within_budget
from bot.summarize.rouge import rouge, rouge_tokens

from ..conftest import shared_or_skip
from .conftest import harbour, ingest


def test_rouge_matches_the_textbook_example() -> None:
    scores = rouge(["the cat sat on the mat"], ["the cat was on the mat"])
    assert (scores.rouge1, scores.rouge2, scores.rouge_l) == pytest.approx((5 / 6, 3 / 5, 5 / 6))


def test_rouge_counts_chinese_characters_in_one_script_and_english_words() -> None:
    assert rouge_tokens("OpenAI 重新考慮免費層, GPT-5!") == [
        "openai",
        "重",
        "新",
        "考",
        "虑",
        "免",
        "费",
        "层",
        "gpt-5",
    ]
    assert rouge(["開源模型的貢獻"], ["开源模型的贡献"]).rouge_l == 1.0  # Traditional vs Simplified
    assert rouge(["完全无关"], ["开源模型"]).rouge1 == 0.0
    assert rouge([], ["开源"]).rouge1 == 0.0


def test_baselines_respect_points_and_budget() -> None:
    sentences = ["Rivers carve valleys.", "Glaciers carve valleys faster.", "Lunch was good.", "Valleys are deep."]
    assert lead(sentences, 2, 1000) == sentences[:2]
    assert lead(sentences, 5, 30) == ["Rivers carve valleys."]
    picked = textrank(sentences, 1, 1000)
    assert picked != ["Lunch was good."] and len(picked) == 1  # the sentence sharing no words is least central
    assert within_budget([2, 0], sentences, 2, 1000) == [sentences[0], sentences[2]]  # printed in order


def test_references_are_the_body_supported_points() -> None:
    references = {r.seed: r for r in load_references(shared_or_skip("eval", "editor_summaries.json"))}
    assert set(references) == {"000", "001", "002", "003", "004"}
    assert [r.seed for r in references.values() if r.held_out] == ["002", "004"]  # never looked at while tuning
    assert "“GPT-5 將比人類更聰明”" in references["002"].points  # the quoted section headings act as points
    assert references["004"].language == "zh-Hans"  # scored on the Chinese version of an English podcast
    assert len(references["001"].points) == 5  # the three points the truncated body never reaches are left out
    assert all("(rèn)" not in p for p in references["003"].points)  # pinyin-cleaned version


def test_verdict_names_what_colloquy_beats() -> None:
    from bot.summarize.evaluation import Row
    from bot.summarize.rouge import RougeScores

    rows = [
        Row("000", "lead-N", RougeScores(0.1, 0.0, 0.1), 10),
        Row("000", "textrank", RougeScores(0.2, 0.1, 0.1), 10),
        Row("000", "colloquy", RougeScores(0.3, 0.05, 0.2), 10),
    ]
    assert verdict(rows) == ["000: ahead of lead-N, textrank on R1, RL (2/3)"]


async def test_migration_creates_the_summary_cache_the_model_describes(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions() as session:
        conn = await session.connection()
        diffs = await conn.run_sync(
            lambda sync: compare_metadata(MigrationContext.configure(sync, opts={"compare_type": True}), Base.metadata)
        )
        tables = await conn.run_sync(lambda sync: set(sync.dialect.get_table_names(sync)))
    assert "summary_cache" in tables
    assert [d for d in diffs if "summary_cache" in repr(d)] == []


async def test_summaries_are_scored_on_the_global_copy_when_a_search_eval_left_guild_copies(
    library: Library, sessions: async_sessionmaker[AsyncSession]
) -> None:
    # `colloquy eval search` keeps the seeds in guilds 1 and 2 of the same eval library; the summaries read only
    # the global library, so a later copy in a guild must not be picked ("no interview with id 15" before)
    own = await ingest(library, "seed.txt", harbour("Ann Lee"))
    await ingest(library, "seed.txt", harbour("Ann Lee"), guild_id=2)
    assert await seed_interviews(sessions, [Reference("000", "seed.txt", ["boats wait"])]) == {"000": own}
