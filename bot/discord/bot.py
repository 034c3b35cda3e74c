"""The Colloquy bot: borrows the services, loads the cogs, runs the digest schedule, and `run_bot` for the CLI."""

from __future__ import annotations

import asyncio
import logging
import signal
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import discord
from discord.ext import commands

from bot.digest.deliver import DiscordSender
from bot.digest.service import DeliveryPolicy, DigestService
from bot.discord.catalog import Catalog
from bot.discord.tree import ColloquyTree
from bot.discord.views import COMPONENTS
from bot.library.service import Library
from bot.search.service import SearchService
from bot.services import Services, open_services
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.summarize import Summarizer

log = logging.getLogger(__name__)

EXTENSIONS = ("cogs.quote", "cogs.summary", "cogs.browse", "cogs.library", "cogs.digest")


class ColloquyBot(commands.Bot):
    """The Discord client. It borrows the services (whoever opened them closes them) and owns only the schedule:
    the digest scheduler starts with the bot and stops when it closes."""

    settings: Settings
    services: Services
    library: Library
    search: SearchService
    summaries: Summarizer
    digests: DigestService
    catalog: Catalog

    def __init__(
        self,
        services: Services,
        *,
        summaries: Summarizer,
        digests: DigestService,
        sync: bool = False,
        **options: Any,
    ) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,  # slash commands only; no message content needed
            intents=discord.Intents(guilds=True),
            tree_cls=ColloquyTree,
            allowed_mentions=discord.AllowedMentions.none(),
            help_command=None,
            **options,
        )
        self.services = services
        self.settings = services.settings
        self.library = services.library
        self.summaries = summaries
        self.digests = digests
        if digests.sender is None:
            digests.sender = DiscordSender(self)  # digests are posted through this client
        self.catalog = Catalog(services.library)
        self.sync_on_start = sync
        self.indexing = asyncio.Lock()

    async def setup_hook(self) -> None:
        """Load the model, the cogs and the persistent components, sync commands if asked, start the digests."""
        self.search = await self.services.search()  # loads the embedding model in a worker thread
        await self.search.warm()  # the index and the passage model, before any interaction can wait on them
        await self.catalog.warm()
        self.add_dynamic_items(*COMPONENTS)  # buttons and menus of every message ever sent, even before a restart
        for name in EXTENSIONS:
            try:
                await self.load_extension(name)
            except Exception:
                log.exception("could not load extension %s", name)
        if self.sync_on_start:
            await self.sync_commands()
        await self.digests.start()
        log.info("digest schedule started: %d job(s)", len(self.digests.jobs.jobs()))

    async def sync_commands(self) -> None:
        """Publish the slash commands: to the dev guild from settings (instant), else globally (may take an hour)."""
        if self.settings.dev_guild_id:
            guild = discord.Object(self.settings.dev_guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            log.info("synced %d commands to guild %s", len(synced), guild.id)
        else:
            synced = await self.tree.sync()
            log.info("synced %d global commands", len(synced))

    async def close(self) -> None:
        """Stop the digest schedule, then disconnect."""
        await self.digests.stop()
        log.info("digest schedule stopped")
        await super().close()

    async def on_ready(self) -> None:
        """Log who we are and where."""
        log.info("connected as %s to %d guild(s)", self.user, len(self.guilds))


class ShardedColloquyBot(ColloquyBot, commands.AutoShardedBot):
    """ColloquyBot running a group of shards in one process: `shard_count` in all, this process's `shard_ids`.

    Several such processes (one per shard group) share one PostgreSQL database; README "Running at scale".
    """


def bot_class_and_shards(settings: Settings) -> tuple[type[ColloquyBot], dict[str, Any]]:
    """The client class and its shard options: unsharded by default, else the settings' shard group."""
    if not settings.shard_count:
        return ColloquyBot, {}
    return ShardedColloquyBot, {"shard_count": settings.shard_count, "shard_ids": settings.shard_ids or None}


async def run_bot(settings: Settings, *, sync: bool = False) -> None:
    """Run the bot until SIGINT or SIGTERM (or a fatal error such as a bad token), then close everything in order:
    the digest scheduler, the Discord connection, the database."""
    if settings.discord_token is None or not settings.discord_token.get_secret_value().strip():
        raise discord.LoginFailure("DISCORD_TOKEN is not set")
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    signals = (signal.SIGINT, signal.SIGTERM)
    for sig in signals:
        loop.add_signal_handler(sig, stop.set)
    try:
        async with open_services(settings) as services:
            summaries = await services.summaries()
            policy = DeliveryPolicy(grace=timedelta(minutes=settings.digest_grace_minutes))
            digests = DigestService(services.sessions, summaries, policy=policy, aliases=services.library.aliases)
            bot_class, shards = bot_class_and_shards(settings)
            async with bot_class(services, summaries=summaries, digests=digests, sync=sync, **shards) as bot:
                running = asyncio.create_task(bot.start(settings.discord_token.get_secret_value()), name="colloquy")
                stopping = asyncio.create_task(stop.wait(), name="colloquy-stop-signal")
                await asyncio.wait({running, stopping}, return_when=asyncio.FIRST_COMPLETED)
                stopping.cancel()
                if not running.done():
                    log.info("stopping on signal")
                    await bot.close()
                await running  # raises a login failure or a fatal gateway error
    finally:
        for sig in signals:
            loop.remove_signal_handler(sig)
