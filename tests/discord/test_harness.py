"""The harness itself: a tiny discord.py bot shows the fake answers like Discord and rejects what Discord rejects,
so the Colloquy tests built on it can fail."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import aiohttp
import discord
import pytest
import pytest_asyncio
from discord import app_commands

from .conftest import connect, disconnect
from .harness import EPHEMERAL, FakeDiscord, Guild, User, pings

pytestmark = pytest.mark.asyncio(loop_scope="module")


class TinyBot(discord.Client):
    """Commands that behave well and badly on purpose."""

    def __init__(self) -> None:
        super().__init__(intents=discord.Intents(guilds=True), guild_ready_timeout=0.05)
        self.tree = app_commands.CommandTree(self)

        @self.tree.command()
        async def echo(interaction: discord.Interaction, text: str, loud: bool = False) -> None:
            """Say it back."""
            mentions = discord.AllowedMentions.all() if loud else discord.AllowedMentions.none()
            await interaction.response.send_message(text, allowed_mentions=mentions)

        @self.tree.command()
        async def huge(interaction: discord.Interaction) -> None:
            """An embed over Discord's description limit."""
            await interaction.response.send_message(embed=discord.Embed(description="x" * 4097))

        @self.tree.command()
        async def slow(interaction: discord.Interaction) -> None:
            """Works for longer than the deadline before answering."""
            await asyncio.sleep(3.3)
            await interaction.response.send_message("too late")

        @self.tree.command()
        async def later(interaction: discord.Interaction) -> None:
            """Defers, then answers with a followup."""
            await interaction.response.defer(ephemeral=True, thinking=True)
            await interaction.followup.send("done")
            await interaction.followup.send("and one more")

        @self.tree.command()
        async def boom(interaction: discord.Interaction) -> None:
            """Answers, then raises."""
            await interaction.response.send_message("about to fail")
            raise RuntimeError("kaboom")

        @self.tree.command()
        async def pick(interaction: discord.Interaction, word: str) -> None:
            """Offers too many choices."""
            await interaction.response.send_message(word)

        @pick.autocomplete("word")
        async def pick_words(interaction: discord.Interaction, typed: str) -> list[app_commands.Choice[str]]:
            return [app_commands.Choice(name=f"{typed}{n}", value=f"{typed}{n}") for n in range(30)]

    async def setup_hook(self) -> None:
        await self.tree.sync()


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def tiny(fake: FakeDiscord) -> AsyncIterator[TinyBot]:
    fake.add_guild("harness")
    bot = TinyBot()
    task = await connect(bot, fake)
    yield bot
    await disconnect(bot, task)


@pytest.fixture(scope="module")
def guild(fake: FakeDiscord, tiny: TinyBot) -> Guild:
    return next(iter(fake.guilds.values()))


@pytest.fixture(scope="module")
def alice(fake: FakeDiscord) -> User:
    return fake.user("alice")


async def test_client_logs_in_connects_and_syncs(fake: FakeDiscord, tiny: TinyBot, guild: Guild) -> None:
    assert tiny.user is not None and tiny.user.id == fake.app_id
    assert tiny.get_guild(guild.id) is not None and tiny.get_channel(guild.channels["general"].id) is not None
    assert {c["name"] for c in fake.global_commands} == {"echo", "huge", "slow", "later", "boom", "pick"}
    assert [r.method for r in fake.requests if r.path.endswith("/commands")] == ["PUT"]


async def test_reply_and_mentions(fake: FakeDiscord, tiny: TinyBot, guild: Guild, alice: User) -> None:
    quiet = await fake.invoke("echo", user=alice, guild=guild, text="hi @everyone <@123>")
    assert quiet.text == "hi @everyone <@123>" and not quiet.ephemeral
    assert pings(quiet.original) == []  # type: ignore[arg-type]
    loud = await fake.invoke("echo", user=alice, guild=guild, text="hi @everyone <@123>", loud=True)
    assert pings(loud.original) == ["@everyone", "users:123"]  # type: ignore[arg-type]


async def test_options_are_checked_like_discords_client(fake: FakeDiscord, tiny: TinyBot, guild: Guild) -> None:
    with pytest.raises(ValueError, match="requires option 'text'"):
        await fake.invoke("echo", user=fake.user("bob"), guild=guild)
    with pytest.raises(LookupError, match="unknown options"):
        await fake.invoke("echo", user=fake.user("bob"), guild=guild, text="x", colour="red")


async def test_over_limit_embed_is_rejected(fake: FakeDiscord, tiny: TinyBot, guild: Guild, alice: User, error_log):
    await fake.invoke("huge", user=alice, guild=guild)
    assert any("embeds.0.description" in v and "4096" in v for v in fake.take_violations())
    assert any("huge" in e for e in error_log.take())  # discord.py's tree logged the 400 it got


async def test_missing_initial_response_is_a_violation(
    fake: FakeDiscord, tiny: TinyBot, guild: Guild, alice: User, error_log
) -> None:
    exchange = await fake.invoke("slow", user=alice, guild=guild)
    assert exchange.original is None
    violations = fake.take_violations()
    assert any("no initial response within 3 s to /slow" in v for v in violations)  # noqa: RUF001
    assert any("10062" in v for v in violations)  # the late answer got Unknown interaction
    assert any("Unknown interaction" in e for e in error_log.take())


async def test_deferred_reply_is_replaced_by_first_followup(fake: FakeDiscord, tiny: TinyBot, guild: Guild, alice):
    exchange = await fake.invoke("later", user=alice, guild=guild)
    assert exchange.original["flags"] & EPHEMERAL and exchange.original["content"] == "done"  # type: ignore[index]
    assert [m["content"] for m in exchange.followups] == ["and one more"]
    assert [bool(v["flags"] & 128) for v in exchange.versions] == [True, False]  # "thinking…", then the answer


async def test_second_ack_and_unknown_token_are_refused(fake: FakeDiscord, tiny: TinyBot, guild: Guild, alice: User):
    exchange = await fake.invoke("echo", user=alice, guild=guild, text="once")
    url = f"{fake.base_url}/interactions/{exchange.state.id}/{{}}/callback"
    body = {"type": 4, "data": {"content": "twice"}}
    async with aiohttp.ClientSession() as session:
        async with session.post(url.format(exchange.state.token), json=body) as again:
            assert again.status == 400 and (await again.json())["code"] == 40060
        async with session.post(url.format("tok-unknown"), json=body) as unknown:
            assert unknown.status == 404 and (await unknown.json())["code"] == 10062
    assert len(fake.take_violations()) == 2


async def test_logged_exception_is_caught(fake: FakeDiscord, tiny: TinyBot, guild: Guild, alice: User, error_log):
    await fake.invoke("boom", user=alice, guild=guild)
    assert any("kaboom" in e for e in error_log.take())


async def test_too_many_autocomplete_choices(fake: FakeDiscord, tiny: TinyBot, guild: Guild, alice: User, error_log):
    with pytest.raises(AssertionError, match="did not answer"):
        await fake.autocomplete("pick", "word", "w", user=alice, guild=guild)
    assert any("25 or fewer" in v for v in fake.take_violations())
    error_log.take()
