"""Sending digests to Discord: a small protocol, its discord.py implementation, and what failures mean."""

from __future__ import annotations

import asyncio
import logging
from typing import Protocol

import aiohttp
import discord
from discord.http import handle_message_parameters

log = logging.getLogger(__name__)

RECENT = 500  # messages read back from a channel, newest first, when looking for one whose creation was in doubt


class SendError(Exception):
    """A message was not (known to be) created."""


class RetryableSendError(SendError):
    """Discord 5xx, 429 or a timeout: try again later the same day.

    `maybe_sent` is True when Discord may have created the message anyway (a 5xx or a timeout after the
    request left); only a resend with the same nonce, while Discord still deduplicates it, is then safe.
    """

    def __init__(self, message: str, *, maybe_sent: bool) -> None:
        super().__init__(message)
        self.maybe_sent = maybe_sent


class ChannelGoneError(SendError):
    """403/404: the channel was deleted or the bot lost permission; retrying cannot help."""


class DigestSender(Protocol):
    """Posts one digest message; the service calls it once per message so progress is recorded in between."""

    async def send(self, channel_id: int, payload: dict[str, object], nonce: str) -> int:
        """Create the message (deduplicated by `nonce`) and return its id; raise a SendError subclass."""
        ...

    async def find(self, channel_id: int, marker: str, *, after: int | None = None) -> int | None:
        """The id of this bot's message in the channel whose content holds `marker`: among the messages after
        message `after`, or else the channel's most recent ones; None when there is none. Raises SendError
        subclasses (ChannelGoneError for a deleted channel) when the messages cannot be read."""
        ...

    async def notify(self, user_id: int, text: str) -> None:
        """Best effort: tell a user something (a DM); may raise anything, callers only log it."""
        ...


class DiscordSender:
    """DigestSender over the bot's discord.py client (borrowed, never closed here)."""

    def __init__(self, client: discord.Client, *, timeout: float = 30.0) -> None:
        self.client = client
        self.timeout = timeout

    async def send(self, channel_id: int, payload: dict[str, object], nonce: str) -> int:
        """POST /channels/{id}/messages with nonce + enforce_nonce and no mentions allowed."""
        params = handle_message_parameters(
            content=payload.get("content") or discord.utils.MISSING,  # type: ignore[arg-type]  # str or absent
            embeds=[discord.Embed.from_dict(e) for e in payload.get("embeds", [])],  # type: ignore[union-attr]
            nonce=nonce,  # discord.py adds enforce_nonce=True: a resend returns the first message
            allowed_mentions=discord.AllowedMentions.none(),
        )
        try:
            with params:
                message = await asyncio.wait_for(
                    self.client.http.send_message(channel_id, params=params), timeout=self.timeout
                )
        except (discord.Forbidden, discord.NotFound) as exc:
            raise ChannelGoneError(f"{exc.status} {exc.text or exc.__class__.__name__}") from exc
        except discord.HTTPException as exc:
            if exc.status == 429 or exc.status >= 500:
                raise RetryableSendError(f"{exc.status} {exc.text}", maybe_sent=exc.status != 429) from exc
            raise SendError(f"{exc.status} {exc.text}") from exc
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            raise RetryableSendError(f"{type(exc).__name__}: {exc}", maybe_sent=True) from exc
        return int(message["id"])

    async def find(self, channel_id: int, marker: str, *, after: int | None = None) -> int | None:
        """Page through GET /channels/{id}/messages (100 at a time, at most RECENT messages) for the marker."""
        me = self.client.user.id if self.client.user else None
        before, seen = None, 0
        while seen < RECENT:
            try:
                page = await asyncio.wait_for(
                    self.client.http.logs_from(channel_id, 100, before=before, after=after), timeout=self.timeout
                )
            except discord.NotFound as exc:
                raise ChannelGoneError(f"{exc.status} {exc.text or 'Unknown Channel'}") from exc
            except discord.Forbidden as exc:
                raise SendError(f"{exc.status} {exc.text}: the bot lacks the Read Message History permission") from exc
            except discord.HTTPException as exc:
                raise SendError(f"{exc.status} {exc.text}") from exc
            except (TimeoutError, aiohttp.ClientError, OSError) as exc:
                raise SendError(f"{type(exc).__name__}: {exc}") from exc
            for message in page:
                if marker in (message.get("content") or "") and (me is None or int(message["author"]["id"]) == me):
                    return int(message["id"])
            if len(page) < 100:
                return None
            seen += len(page)
            ids = [int(message["id"]) for message in page]
            after, before = (max(ids), None) if after is not None else (None, min(ids))
        return None

    async def notify(self, user_id: int, text: str) -> None:
        """DM the user through a private channel."""
        channel = await self.client.http.start_private_message(user_id)
        params = handle_message_parameters(content=text, allowed_mentions=discord.AllowedMentions.none())
        with params:
            await self.client.http.send_message(int(channel["id"]), params=params)
