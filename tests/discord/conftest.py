"""Discord fixtures: the fake Discord API (redirecting discord.py to it), a connected bot, and the rule that any
rejection by the fake or any exception logged by the bot fails the test. See tests/README.md."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import discord
import pytest
import pytest_asyncio

from bot import PROJECT_ROOT
from bot.digest.service import DeliveryPolicy, DigestService
from bot.discord.bot import ColloquyBot
from bot.search.embedder import Embedder
from bot.services import Services, open_services
from bot.settings import Settings, load_settings

from .harness import ADMIN_PERMISSIONS, ErrorLog, FakeDiscord, Guild, User, serve_fake

# Two turns of 10,000 characters without a space: emoji families (five code points, one grapheme) between
# letters, and Chinese without punctuation. Rendering must cut inside them, between graphemes, and drop nothing.
FAMILY = "\U0001f469\u200d\U0001f469\u200d\U0001f467"
RUN_EN = "".join(f"Tok{n:03d}{FAMILY}" for n in range(909))
RUN_ZH = "".join("机器打印了一长串没有标点的中文字符"[n % 17] for n in range(10_000))
SPACELESS = (
    f"Rhea Lund: What did the machine print?\nOtto Kranz: {RUN_EN}\nRhea Lund: 那中文呢?\nOtto Kranz: {RUN_ZH}\n"
)


def unquoted(descriptions: list[str]) -> str:
    """Embed descriptions joined as one text without block-quote marks or line breaks (to find a run in it)."""
    return "".join(line.removeprefix("> ") for text in descriptions for line in text.splitlines())


def whole_graphemes(text: str) -> bool:
    """No emoji family of the runs above was cut apart."""
    return text.count("\u200d") == 2 * text.count(FAMILY) and not text.startswith(("\u200d", "\U0001f467"))


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def fake() -> AsyncIterator[FakeDiscord]:
    """The fake Discord API for one test module, with discord.py pointed at it (restored afterwards)."""
    async with serve_fake() as server:
        yield server


@pytest.fixture(scope="module")
def error_log() -> Iterator[ErrorLog]:
    """ERROR records from any logger while the module runs (CommandTree and views only log exceptions)."""
    handler = ErrorLog()
    logging.getLogger().addHandler(handler)
    yield handler
    logging.getLogger().removeHandler(handler)


@pytest.fixture(autouse=True)
def discord_rules(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail the test if the fake rejected a request or the bot logged an error, unless the test expected it."""
    if "fake" not in request.fixturenames:
        yield
        return
    fake: FakeDiscord = request.getfixturevalue("fake")
    errors: ErrorLog = request.getfixturevalue("error_log")
    fake.take_violations()
    errors.take()
    yield
    violations, logged = fake.take_violations(), errors.take()
    assert not violations, f"Discord would have rejected: {violations}"
    assert not logged, f"the bot logged errors: {logged}"


async def connect(client: discord.Client, fake: FakeDiscord) -> asyncio.Task[None]:
    """Log in and connect to the fake gateway; returns once READY and the guilds have arrived."""
    await client.login(fake.token)
    task = asyncio.create_task(client.connect(reconnect=False), name="test-bot-connection")
    ready = asyncio.create_task(client.wait_until_ready())
    done, _ = await asyncio.wait({task, ready}, timeout=30, return_when=asyncio.FIRST_COMPLETED)
    if ready not in done:
        ready.cancel()
        if task in done:
            task.result()  # raises what stopped the connection
        raise TimeoutError("the bot did not become ready")
    return task


async def disconnect(client: discord.Client, task: asyncio.Task[None]) -> None:
    """Close the client and wait for its connection task to end."""
    await client.close()
    await asyncio.wait_for(task, 10)


@dataclass
class Colloquy:
    """A running Colloquy bot on the fake, with its services, a guild and two users; `restart` replaces the bot by
    a new one on the same database, as a new process would be."""

    fake: FakeDiscord
    settings: Settings
    guild: Guild
    admin: User
    member: User
    embedder: Embedder | None = None
    policy: DeliveryPolicy | None = None
    bot: ColloquyBot = field(init=False)
    services: Services = field(init=False)
    _stack: AsyncExitStack = field(init=False)

    async def start(self) -> None:
        """Open the services and connect a bot, as `colloquy run --sync` does."""
        self._stack = AsyncExitStack()
        self.services = await self._stack.enter_async_context(open_services(self.settings, embedder=self.embedder))
        summaries = await self.services.summaries()
        digests = DigestService(
            self.services.sessions, summaries, policy=self.policy or DeliveryPolicy(retry_delays=(0.0, 0.0)),
            aliases=self.services.library.aliases,
        )  # fmt: skip
        self.bot = ColloquyBot(self.services, summaries=summaries, digests=digests, sync=True, guild_ready_timeout=0.05)
        task = await connect(self.bot, self.fake)
        self._stack.push_async_callback(disconnect, self.bot, task)

    async def stop(self) -> None:
        """Disconnect the bot and close its services."""
        await self._stack.aclose()

    async def restart(self) -> None:
        """Stop this bot and start a new one on the same database: nothing in memory survives, as in a new process."""
        await self.stop()
        await self.start()

    async def new_guild(self, name: str) -> Guild:
        """A guild the bot joins now (GUILD_CREATE), for tests that change a guild's library or subscriptions."""
        guild = self.fake.add_guild(name)
        await self.fake.announce(guild)
        for _ in range(200):
            if self.bot.get_guild(guild.id) is not None:
                return guild
            await asyncio.sleep(0.01)
        raise TimeoutError(f"the bot never saw guild {name}")

    async def run(self, command: str, *, user: User | None = None, guild: Guild | None = None, **options: Any):
        """Invoke a slash command (default: in the default guild, as a new plain member)."""
        user = user or self.fake.user("member")  # a fresh member each time: cooldowns are per user
        return await self.fake.invoke(command, user=user, guild=guild or self.guild, **options)


@asynccontextmanager
async def running_colloquy(
    fake: FakeDiscord,
    folder: Path,
    *,
    embedder: Embedder | None = None,
    policy: DeliveryPolicy | None = None,
    **settings: Any,
) -> AsyncIterator[Colloquy]:
    """Colloquy as `colloquy run --sync` starts it, on a fresh database holding the bundled samples (global);
    `settings` override the defaults."""
    options = load_settings(
        database_url=f"sqlite+aiosqlite:///{folder / 'colloquy.db'}",
        embedding_model="e5-small+use" if embedder else "hashing",
        speakers_file=PROJECT_ROOT / "config" / "speakers.toml",
        log_level="WARNING",
        **settings,
    )
    async with open_services(options, embedder=embedder) as services:
        for path in sorted((PROJECT_ROOT / "data" / "samples").iterdir()):
            outcome = await services.library.ingest(path.read_bytes(), path.name)
            assert not outcome.failed, outcome.message
        await services.index_pending()
    guild = fake.add_guild("Readers")
    admin, member = fake.user("ada", ADMIN_PERMISSIONS), fake.user("max")
    colloquy = Colloquy(fake, options, guild, admin, member, embedder, policy)
    await colloquy.start()
    try:
        yield colloquy
    finally:
        await colloquy.stop()
