"""Running at scale: PostgreSQL migrations, `colloquy db migrate-to`, an unreachable server, shard settings."""

from __future__ import annotations

import asyncio
import socket
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from typer.testing import CliRunner

from bot import PROJECT_ROOT
from bot.cli import app
from bot.digest.models import Delivery, QuoteShown, Subscription
from bot.library import models
from bot.library.database import (
    ServerOptions,
    create_engine,
    current_revision,
    downgrade_database,
    sessionmaker,
    upgrade_database,
)
from bot.library.migrate import library_tables
from bot.library.service import Library
from bot.search.embedder import HashingEmbedder
from bot.search.indexer import embed_pending
from bot.search.service import SearchService
from bot.settings import SettingsError, load_settings
from bot.summarize.models import SummaryCache
from bot.text.passages import passage_features, question_share
from tests.postgres import PostgresTemplate

runner = CliRunner()
SAMPLES = PROJECT_ROOT / "data" / "samples"
QUESTIONS = ("why can't loaded boats leave the harbour", "salaries in every country", "远程工作")


async def build_library(url: str) -> None:
    """The bundled samples, embedded, with a digest subscription that has posted once and a cached summary."""
    engine = create_engine(url)
    await upgrade_database(engine)
    sessions = sessionmaker(engine)
    library = Library(sessions, max_bytes=1_000_000)
    for path in sorted(SAMPLES.iterdir()):
        assert not (await library.ingest(path.read_bytes(), path.name)).failed
    await embed_pending(sessions, HashingEmbedder())
    now = datetime(2026, 2, 2, 8, tzinfo=UTC)
    async with sessions.begin() as session:
        passage = await session.scalar(select(models.Passage.id).limit(1))
        sub = Subscription(guild_id=1, channel_id=10, local_time="09:00", timezone="Europe/Berlin", created_by=5,
                           created_at=now, skip_when_nothing_new=True, paused=False)  # fmt: skip
        session.add(sub)
        await session.flush()
        session.add(Delivery(subscription_id=sub.id, local_date=date(2026, 2, 2), status="sent", attempts=1,
                             claim_token="t", nonce="n", message_ids=[1001], scheduled_at=now, claimed_at=now,
                             finished_at=now, covered_until=now))  # fmt: skip
        session.add(QuoteShown(channel_id=10, passage_id=passage, shown_at=now))
        session.add(SummaryCache(params_key="k", scope="interview", interview_id=1, fingerprint="f",
                                 payload={"points": []}, created_at=now))  # fmt: skip
    await engine.dispose()


async def answers(url: str) -> list[list[tuple[str, str]]]:
    """Top hits (speaker, text) for QUESTIONS, searched on this database."""
    engine = create_engine(url)
    search = SearchService(sessionmaker(engine), HashingEmbedder())
    try:
        scope = await search.scope_for()
        return [[(h.speaker, h.text) for h in (await search.search(q, scope, 3)).hits] for q in QUESTIONS]
    finally:
        await engine.dispose()


async def table_contents(url: str) -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order (timestamps as UTC instants)."""
    engine = create_engine(url)
    contents = {}
    async with engine.connect() as conn:
        for table in library_tables():
            rows = await conn.execute(select(table).order_by(*table.primary_key.columns))
            contents[table.name] = [
                tuple(v.replace(tzinfo=v.tzinfo or UTC) if isinstance(v, datetime) else v for v in row) for row in rows
            ]
    await engine.dispose()
    return contents


def test_migrate_to_copies_the_library_to_postgresql_and_it_answers_alike(
    tmp_path: Path, postgres_template: PostgresTemplate
) -> None:
    source = f"sqlite+aiosqlite:///{tmp_path / 'colloquy.db'}"
    target = asyncio.run(postgres_template.copy())
    env = {"COLLOQUY_DATABASE_URL": source, "COLLOQUY_EMBEDDING_MODEL": "hashing", "COLLOQUY_LOG_LEVEL": "WARNING"}
    try:
        asyncio.run(build_library(source))
        result = runner.invoke(app, ["db", "migrate-to", target], env=env)
        assert result.exit_code == 0, result.output
        assert "counts verified" in result.stdout and "HNSW vector index ready for hashing" in result.stdout
        for line in ("interviews", "passages", "embeddings", "digest_deliveries", "summary_cache"):
            assert any(row.startswith(line) and row.endswith("✓") for row in result.stdout.splitlines()), line

        copied, original = asyncio.run(table_contents(target)), asyncio.run(table_contents(source))
        assert copied == original  # every row, every value, vectors byte for byte
        assert all(copied[name] for name in ("interviews", "embeddings", "digest_quotes_shown", "summary_cache"))
        assert asyncio.run(answers(target)) == asyncio.run(answers(source))

        again = runner.invoke(app, ["db", "migrate-to", target], env=env)  # never into a library with data
        assert again.exit_code == 1 and "not empty" in again.output

        async def ingest_after_the_copy() -> int:  # ids were copied as they were: new ones must not collide
            engine = create_engine(target)
            library = Library(sessionmaker(engine), max_bytes=1_000_000)
            outcome = await library.ingest(b"Ann Lee: Tides wait for no one.\nBo: Indeed.\n", "new.txt")
            await engine.dispose()
            assert outcome.interview_id is not None, outcome.message
            return outcome.interview_id

        assert asyncio.run(ingest_after_the_copy()) == len(copied["interviews"]) + 1
    finally:
        asyncio.run(postgres_template.drop_copy(target))


async def test_schema_upgrade_down_and_up_keeps_every_vector(db_url: str) -> None:
    engine = create_engine(db_url)
    await upgrade_database(engine)
    sessions = sessionmaker(engine)
    library = Library(sessions, max_bytes=1_000_000)
    assert not (await library.ingest((SAMPLES / "harbour-tides.vtt").read_bytes(), "tides.vtt")).failed
    await embed_pending(sessions, HashingEmbedder())

    async def vectors() -> dict[int, bytes]:
        async with sessions() as session:
            return dict((await session.execute(select(models.Embedding.passage_id, models.Embedding.vector))).all())

    before = await vectors()
    await downgrade_database(engine, "0003")  # PostgreSQL: vectors back to bytea
    assert await current_revision(engine) == "0003"
    await upgrade_database(engine)
    assert await vectors() == before and len(before) > 3
    search = SearchService(sessions, HashingEmbedder())
    result = await search.search("loaded boats and the tide", await search.scope_for(), 1)
    assert result.hits and "tide" in result.hits[0].text.lower()
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(models.Passage)) == len(before)
    await engine.dispose()


async def _library_of(db_url: str, transcript: str) -> tuple[AsyncEngine, async_sessionmaker]:
    """A library at today's schema holding one ingested and embedded transcript."""
    engine = create_engine(db_url)
    await upgrade_database(engine)
    sessions = sessionmaker(engine)
    assert not (await Library(sessions, max_bytes=1_000_000).ingest(transcript.encode(), "talk.txt")).failed
    await embed_pending(sessions, HashingEmbedder())
    return engine, sessions


async def test_a_hosts_request_to_talk_hands_over_to_the_answer_in_a_library_stored_before_it_did(db_url: str) -> None:
    """A host who asks without a question mark ("Talk about the perks.") asks: the guest's reply is the quote,
    in a new library and in one stored when only a question mark asked (migration 0010 reads its turns again)."""
    engine, sessions = await _library_of(
        db_url,
        "Lena: Welcome back to the show.\nOmar: Thanks for having me.\nLena: Talk about the perks.\n"
        "Omar: Free lunch every day and a four-day week for everyone.\nLena: Where is the office?\nOmar: Lisbon.\n",
    )

    async def asking() -> dict[str, bool]:
        async with sessions() as session:
            return dict((await session.execute(select(models.Turn.text, models.Turn.asks))).all())

    async def top_quote() -> str:  # the reply; the request is no quote of its own (before: it came first)
        search = SearchService(sessions, HashingEmbedder())
        hits = (await search.search("perks", await search.scope_for(), 3)).hits
        assert all(hit.text != "Talk about the perks." for hit in hits)
        return hits[0].text

    stored = await asking()
    assert stored["Talk about the perks."] and stored["Where is the office?"] and not stored["Lisbon."]
    assert "Free lunch" in await top_quote()
    await downgrade_database(engine, "0009")
    async with engine.begin() as connection:  # what the turn held when only a question mark asked
        await connection.execute(text("UPDATE turns SET asks = false WHERE text = 'Talk about the perks.'"))
    await upgrade_database(engine)
    assert await asking() == stored and "Free lunch" in await top_quote()
    await engine.dispose()


async def test_passages_stored_before_their_text_features_were_get_them_from_the_migration(db_url: str) -> None:
    """Ranking reads each passage's share of questions, weight and whether it states a number from the library
    (migration 0011); a library stored before those columns existed gets the values ingestion stores now, and a
    numeric question still finds the passage with the number first."""
    engine, sessions = await _library_of(
        db_url,
        "Lena: How big is the team now? And where do you work from?\n"
        "Omar: We are forty-two people, most of them in Lisbon.\nLena: What do you eat?\nOmar: Bread and fish.\n",
    )

    async def features() -> dict[str, tuple[float, float, bool]]:
        columns = (models.Passage.question_share, models.Passage.text_weight, models.Passage.has_number)
        async with sessions() as session:
            rows = (await session.execute(select(models.Passage.text, *columns))).all()
        return {row[0]: tuple(row[1:]) for row in rows}

    async def top_quote() -> str:
        search = SearchService(sessions, HashingEmbedder())
        return (await search.search("how many people work there", await search.scope_for(), 1)).hits[0].text

    stored = await features()
    assert stored == {text: tuple(passage_features(text).values()) for text in stored}
    assert any(share for share, _, _ in stored.values()) and any(number for _, _, number in stored.values())
    assert "forty-two" in await top_quote()
    await downgrade_database(engine, "0010")  # the columns go, as in a library stored before them
    await upgrade_database(engine)
    assert await features() == stored and "forty-two" in await top_quote()
    await engine.dispose()


@pytest.mark.parametrize(
    ("before", "dialogue", "changed", "kept", "old"),
    [
        (  # since stop 42 "Dr. Smith" is one sentence, not two (0012)
            "0011",
            "Lena: I met Dr. Smith at the lab. Was he kind to you?\nOmar: He was. Mr. Lee was kinder.\n"
            "Lena: What do you eat?\nOmar: Bread and fish.\n",
            ("I met Dr. Smith at the lab. Was he kind to you?", 0.5, True),
            "He was. Mr. Lee was kinder.",
            (1.0 / 3, False),
        ),
        (  # since stop 48 a quoted question a comma follows goes on: the turn states, it was read as asking (0014)
            "0013",
            'Lena: Thanks for coming. People ask me "Did you go to school?", and the answer is no.\n'
            "Omar: Same here! Really.\nLena: What do you eat?\nOmar: Bread and fish.\n",
            ('Thanks for coming. People ask me "Did you go to school?", and the answer is no.', 0.0, False),
            "Same here! Really.",
            (1.0 / 3, True),
        ),
        (  # the same after a full stop (a transcript's "soccer. , it's a fresh metaphor"): one sentence, asking
            "0013",
            "Lena: Tell us about the ferry. , and the tide.\nOmar: The ferry had gone. Really.\n"
            "Lena: What do you eat?\nOmar: Bread and fish.\n",
            ("Tell us about the ferry. , and the tide.", 1.0, True),
            "The ferry had gone. Really.",
            (0.5, True),
        ),
        (  # since stop 50 speech trailing off goes on where a lower-case word follows: one sentence, asking (0015)
            "0014",
            "Lena: I went there after about... what, ten years?\nOmar: I was there. Really.\n"
            "Lena: What do you eat?\nOmar: Bread and fish.\n",
            ("I went there after about... what, ten years?", 1.0, True),
            "I was there. Really.",
            (0.5, True),
        ),
        (  # since stop 52 a check that the listener follows asks nothing: the turn states (0016)
            "0015",
            "Lena: Agreement alone misleads. Does that make sense? Ninety percent looks good on paper.\n"
            "Omar: Yeah. Really.\nLena: What do you eat?\nOmar: Bread and fish.\n",
            ("Agreement alone misleads. Does that make sense? Ninety percent looks good on paper.", 0.0, False),
            "Yeah. Really.",
            (1.0 / 3, True),
        ),
        (  # since stop 53 words trailing off go on past a dash: the question is among the last two, it asks (0017)
            "0016",
            'Lena: Did you sell? They said "Well..." - and then they bought it.\n'
            "Omar: I was there. Really.\nLena: What do you eat?\nOmar: Bread and fish.\n",
            ('Did you sell? They said "Well..." - and then they bought it.', 0.5, True),
            "I was there. Really.",
            (1.0 / 3, False),
        ),
        (  # since stop 57 a question quoted after the speaker's own words is reported, not asked (0018)
            "0017",
            'Lena: People always ask me, "How many do you bake?" We bake a hundred.\n'
            "Omar: I was there. Really.\nLena: What do you eat?\nOmar: Bread and fish.\n",
            ('People always ask me, "How many do you bake?" We bake a hundred.', 0.0, False),
            "I was there. Really.",
            (0.5, False),
        ),
    ],
    ids=[
        "title",
        "mark-before-comma",
        "full-stop-before-comma",
        "lower-case-goes-on",
        "check-asks-nothing",
        "dash-goes-on",
        "reported-question",
    ],  # fmt: skip
)
async def test_values_stored_when_a_sentence_ended_elsewhere_are_read_again(
    db_url: str, before: str, dialogue: str, changed: tuple[str, float, bool], kept: str, old: tuple[float, bool]
) -> None:
    """A passage's share of asking sentences and a turn's `asks` count sentences, so when where a sentence ends
    changes, a library stored before holds other values than ingestion stores now; the migration brings them to
    today's (and leaves every other row alone)."""
    engine, sessions = await _library_of(db_url, dialogue)

    async def stored() -> dict[str, tuple[float, bool]]:
        async with sessions() as session:
            shares = dict((await session.execute(select(models.Passage.text, models.Passage.question_share))).all())
            asks = dict((await session.execute(select(models.Turn.text, models.Turn.asks))).all())
        return {text: (shares[text], asks[text]) for text in asks}

    passage, share, asks = changed
    today = await stored()
    assert today[passage] == (question_share(passage), asks) == (share, asks)
    await downgrade_database(engine, before)
    async with engine.begin() as connection:  # what the old reading stored, and a wrong flag the rule never reads
        await connection.execute(
            text("UPDATE passages SET question_share = :share WHERE text = :text"), {"share": old[0], "text": passage}
        )
        await connection.execute(
            text("UPDATE turns SET asks = :asks WHERE text = :text"), {"asks": old[1], "text": passage}
        )
        await connection.execute(text("UPDATE turns SET asks = true WHERE text = 'Bread and fish.'"))
    await upgrade_database(engine)
    after = await stored()
    assert after[passage] == today[passage] and after[kept] == today[kept]
    assert after["Bread and fish."] == (0.0, True)  # not the migration's to read: nothing it reads again
    await engine.dispose()


async def test_a_span_of_time_stored_before_it_counted_as_a_number_is_read_again(db_url: str) -> None:
    """Ranking reads the stored `has_number` when a question asks how long; a library stored when "it took me like a
    year" stated no number holds False for it, and migration 0019 reads it again (and leaves the rest alone)."""
    span, plain = "And it took me like a year to figure it out.", "I liked the class a lot."
    engine, sessions = await _library_of(
        db_url, f"Lena: How long did CORS take you?\nOmar: {span}\nLena: And the course?\nOmar: {plain}\n"
    )

    async def stored() -> dict[str, bool]:
        async with sessions() as session:
            return dict((await session.execute(select(models.Passage.text, models.Passage.has_number))).all())

    assert (await stored())[span] is True
    await downgrade_database(engine, "0018")
    async with engine.begin() as connection:  # what the old rule stored, and a wrong flag the new forms never hold
        await connection.execute(text("UPDATE passages SET has_number = false WHERE text = :text"), {"text": span})
        await connection.execute(text("UPDATE passages SET has_number = true WHERE text = :text"), {"text": plain})
    await upgrade_database(engine)
    after = await stored()
    assert after[span] is True and after[plain] is True  # the plain row holds none of the forms' words: not read
    await engine.dispose()


async def test_an_interviewer_asking_with_a_particle_hands_over_in_a_library_stored_before_it_did(db_url: str) -> None:
    """A Japanese interviewer asks with a particle or by asking to be told, not a question mark: the answer is
    the quote and the request is none, in a new library and in one stored when only a mark asked (0013)."""
    engine, sessions = await _library_of(
        db_url,
        "佐藤：本日はありがとうございます。まず、起業のきっかけを教えてください。\n"
        "山田：地元の商店街が寂しくなっていくのを見て、何かできないかと考えたのが起業のきっかけです。\n"
        "佐藤：最初の事業は何だったのですか。\n山田：農家と飲食店をつなぐアプリです。\n",
    )
    request = "本日はありがとうございます。まず、起業のきっかけを教えてください。"

    async def stored() -> dict[str, tuple[float, bool]]:
        async with sessions() as session:
            shares = dict((await session.execute(select(models.Passage.text, models.Passage.question_share))).all())
            asks = dict((await session.execute(select(models.Turn.text, models.Turn.asks))).all())
        return {text: (shares[text], asks[text]) for text in asks}

    async def top_quote() -> str:
        search = SearchService(sessions, HashingEmbedder())
        return (await search.search("起業のきっかけ", await search.scope_for(), 1)).hits[0].text

    today = await stored()
    assert today[request] == (0.5, True) and today["最初の事業は何だったのですか。"] == (1.0, True)
    assert today["農家と飲食店をつなぐアプリです。"] == (0.0, False)
    assert (await top_quote()).startswith("地元の商店街")
    async with engine.begin() as connection:  # what the old reading stored: no question at all
        await connection.execute(text("UPDATE passages SET question_share = 0"))
        await connection.execute(text("UPDATE turns SET asks = false"))
    assert (await top_quote()) == request  # the request outranked the answer
    # a library at 0012 (searched above with today's columns: a search reads the newest schema's) is read again
    await downgrade_database(engine, "0012")
    await upgrade_database(engine)
    assert await stored() == today and (await top_quote()).startswith("地元の商店街")
    await engine.dispose()


async def test_passages_stored_before_they_kept_their_own_start_show_their_turns(db_url: str) -> None:
    """Migration 0020 gives a library's passages their turn's start, what they showed before (their cues' times were
    never stored), so every reader takes a passage's start alone; a new ingest stores each passage's own."""
    engine, sessions = await _library_of(
        db_url,
        "[00:00:05] Ada Moss: How long have you run the ferry?\n"
        "[00:00:09] Piet Vos: Forty years this spring, the same crossing twice an hour, summer and winter alike. My "
        "father ran it before me, and his mother before him, with a rowing boat and a lantern.\n"
        "[00:01:15] Piet Vos: The worst night was the storm of 1987, when we carried a doctor across in waves higher "
        "than the wheelhouse, and the engine stopped twice before we reached the other pier.\n",
    )

    async def starts() -> list[tuple[float | None, float | None]]:
        async with sessions() as session:
            rows = await session.execute(
                select(models.Passage.start, models.Turn.start)
                .join(
                    models.Turn,
                    (models.Turn.interview_id == models.Passage.interview_id)
                    & (models.Turn.idx == models.Passage.turn_idx),
                )
                .order_by(models.Passage.turn_idx, models.Passage.position)
            )
            return [tuple(row) for row in rows]

    assert await starts() == [(5.0, 5.0), (9.0, 9.0), (75.0, 9.0)]  # the storm's own time
    await downgrade_database(engine, "0019")
    await upgrade_database(engine)
    assert await starts() == [(5.0, 5.0), (9.0, 9.0), (9.0, 9.0)]  # its turn's, as before 0020
    await engine.dispose()


async def test_postgresql_connections_carry_a_statement_timeout_and_plan_for_their_parameters(db_url: str) -> None:
    """Each connection's settings: statements cancelled after the configured timeout, planned for their own
    parameters, and sorting in memory. asyncpg prepares a statement once per connection, and the server's generic
    plan for a search's statements (a question's words, its candidates' ids) cost it a third more at 1M passages
    (README, stop 27); at the default 4 MB, the sort of a search's candidates went to a temporary file (stop 36)."""
    if db_url.startswith("sqlite"):
        pytest.skip("PostgreSQL settings")
    engine = create_engine(db_url, ServerOptions(statement_timeout_ms=12_000))
    try:
        async with engine.connect() as connection:
            names = ("statement_timeout", "plan_cache_mode", "work_mem")
            shown = [await connection.scalar(text(f"SHOW {name}")) for name in names]
    finally:
        await engine.dispose()
    assert shown == ["12s", "force_custom_plan", "32MB"]


def test_an_unreachable_database_stops_with_one_clear_line() -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"postgresql+asyncpg://colloquy:secret@127.0.0.1:{port}/colloquy"
    result = runner.invoke(app, ["interviews"], env={"COLLOQUY_DATABASE_URL": url, "COLLOQUY_LOG_LEVEL": "WARNING"})
    assert result.exit_code == 1
    assert result.output.startswith(
        f"error: cannot reach the database postgresql+asyncpg://colloquy:***@127.0.0.1:{port}"
    )
    assert "secret" not in result.output and "Traceback" not in result.output


def test_shard_settings_pick_the_process_shard_group() -> None:
    import discord

    from bot.discord.bot import ColloquyBot, ShardedColloquyBot, bot_class_and_shards

    assert bot_class_and_shards(load_settings(shard_count=0)) == (ColloquyBot, {})
    cls, options = bot_class_and_shards(load_settings(shard_count=4, shard_ids=[2, 3]))
    assert cls is ShardedColloquyBot and issubclass(cls, discord.AutoShardedClient)
    assert options == {"shard_count": 4, "shard_ids": [2, 3]}
    assert bot_class_and_shards(load_settings(shard_count=2))[1] == {"shard_count": 2, "shard_ids": None}  # all
    for bad in ({"shard_ids": [1]}, {"shard_count": 2, "shard_ids": [2]}, {"shard_count": 2, "shard_ids": [1, 1]}):
        with pytest.raises(SettingsError, match="shard_ids"):
            load_settings(**bad)
