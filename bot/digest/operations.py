"""Ready-to-call digest operations for the CLI: preview, run the due deliveries as of a given time.

`colloquy digest run-due` runs without the bot: it logs in to Discord's HTTP API only (no gateway) with the
bot's token, posts what is due, and logs out. The database's delivery records make this safe to run beside a
running bot: whichever claims a delivery first sends it, the other does nothing.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta

import discord
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.digest.deliver import DigestSender, DiscordSender
from bot.digest.service import DeliveryPolicy, DeliveryReport, DigestService, InterviewSummarizer, Preview
from bot.settings import Settings


def parse_moment(text: str) -> datetime:
    """An ISO 8601 date or date-time; a date means its midnight UTC, a time without offset means UTC."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        try:
            moment = datetime.combine(date.fromisoformat(text.strip()), datetime.min.time())
        except ValueError:
            raise ValueError(f"{text!r} is not an ISO 8601 date or time (e.g. 2026-03-29T09:00+02:00)") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def digest_service(
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
    summarizer: InterviewSummarizer,
    sender: DigestSender | None = None,
    *,
    aliases: object = None,
) -> DigestService:
    """The digest service with the configured grace (the bot and the CLI build it the same way)."""
    policy = DeliveryPolicy(grace=timedelta(minutes=settings.digest_grace_minutes))
    return DigestService(sessions, summarizer, sender, policy=policy, aliases=aliases)


@asynccontextmanager
async def discord_http_sender(token: str) -> AsyncIterator[DiscordSender]:
    """A sender over a discord.py client logged in to the HTTP API only; logged out on exit."""
    client = discord.Client(intents=discord.Intents.none())
    try:
        await client.login(token)
        yield DiscordSender(client)
    finally:
        await client.close()


async def preview_digest(
    service: DigestService, *, channel_id: int | None = None, since: str | None = None, now: str | None = None
) -> Preview:
    """`colloquy digest preview`: the channel's next digest, or the global library's since a date."""
    return await service.preview(
        channel_id=channel_id,
        since=parse_moment(since) if since else None,
        now=parse_moment(now) if now else None,
    )


async def run_due_digests(service: DigestService, now: str, token: str | None = None) -> list[DeliveryReport]:
    """`colloquy digest run-due --now ISO8601`: deliver what is due at that time (with the service's sender, or
    a Discord HTTP sender logged in with `token`)."""
    moment = parse_moment(now)
    if service.sender is not None:
        return await service.run_due(moment)
    if not token:
        raise ValueError("posting digests needs the bot's token: set DISCORD_TOKEN")
    async with discord_http_sender(token) as sender:
        service.sender = sender
        try:
            return await service.run_due(moment)
        finally:
            service.sender = None
