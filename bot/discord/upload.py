"""`/library add`: ingest an uploaded transcript into the server's library, showing progress by editing the reply."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import aiohttp
import discord

from bot.digest.render import COLOR, neutralize, shorten, split_text
from bot.discord.render import to_embeds
from bot.discord.tree import UserFacingError
from bot.library.service import IngestOutcome

if TYPE_CHECKING:
    from bot.discord.bot import ColloquyBot

log = logging.getLogger(__name__)

EDIT_EVERY = 1.5  # seconds between progress edits while embedding (Discord rate-limits message edits)


def check_upload(attachment: discord.Attachment, max_bytes: int) -> None:
    """Refuse a file that is too large before downloading it."""
    if attachment.size > max_bytes:
        raise UserFacingError(
            f"“{neutralize(attachment.filename)}” is {attachment.size:,} bytes; the limit is {max_bytes:,}."
        )


async def ingest_upload(bot: ColloquyBot, interaction: discord.Interaction, attachment: discord.Attachment) -> None:
    """Download, parse and store the file as the guild's, then embed its passages; each stage edits the reply."""
    name = neutralize(attachment.filename)
    await interaction.edit_original_response(content=f"📥 Downloading **{name}** ({attachment.size:,} bytes)…")
    data = await download(attachment, bot.settings.download_timeout_seconds, interaction.guild_id)
    await interaction.edit_original_response(content=f"🔎 Reading and storing **{name}**…")
    outcome = await bot.library.ingest(data, attachment.filename, guild_id=interaction.guild_id or 0)
    if outcome.failed:
        await interaction.edit_original_response(content=f"✗ {_message(outcome, attachment.filename)}")
        return
    await interaction.edit_original_response(content=f"🧮 Indexing **{name}** for search…")
    await _index_with_progress(bot, interaction, name)
    await interaction.edit_original_response(content=None, embeds=to_embeds([_done_embed(outcome, attachment)]))


async def download(attachment: discord.Attachment, seconds: float, guild_id: int | None) -> bytes:
    """The attachment's bytes from Discord's CDN; a refusal or a timeout is the user's to fix (attach the file
    again), so it becomes a UserFacingError and one log line, not a traceback."""
    try:
        async with asyncio.timeout(seconds):
            return await attachment.read()
    except discord.HTTPException as exc:
        why = f"Discord answered {exc.status}"
    except TimeoutError:
        why = f"no answer within {seconds:g} s"
    except aiohttp.ClientError as exc:
        why = f"the connection failed: {type(exc).__name__}"
    log.warning("could not download attachment %s for guild %s: %s", attachment.id, guild_id, why)
    raise UserFacingError(
        f"✗ Could not download **{neutralize(attachment.filename)}** from Discord ({why}). "
        "Attach the file again and retry; if it keeps failing, try again later."
    )


async def _index_with_progress(bot: ColloquyBot, interaction: discord.Interaction, name: str) -> None:
    """Embed pending passages; while that runs, show 'n of N passages' at most every EDIT_EVERY seconds."""
    counts = [0, 0]
    changed = asyncio.Event()

    def progress(done: int, total: int) -> None:
        counts[:] = [done, total]
        changed.set()

    async def show() -> None:
        while True:
            await changed.wait()
            changed.clear()
            done, total = counts
            if total:
                text = f"🧮 Indexing **{name}** for search… {done:,} of {total:,} passages"
                await interaction.edit_original_response(content=text)
            await asyncio.sleep(EDIT_EVERY)

    async with bot.indexing:  # one embedding run at a time: two uploads would embed the same passages twice
        shower = asyncio.create_task(show(), name="library-add-progress")
        try:
            await bot.services.index_pending(progress)
        finally:
            shower.cancel()
            await asyncio.gather(shower, return_exceptions=True)


def _message(outcome: IngestOutcome, filename: str) -> str:
    """The library's message with the stored source name, escaped."""
    return neutralize(outcome.message.replace(outcome.source, filename))


def _done_embed(outcome: IngestOutcome, attachment: discord.Attachment) -> dict[str, object]:
    """What was stored: the interview id, its participants, and any warnings from parsing."""
    verb = {"ingested": "Added", "replaced": "Replaced", "unchanged": "Already in the library:"}[outcome.status]
    lines = [_message(outcome, attachment.filename)]
    if outcome.status == "replaced":
        lines.append("The earlier upload with this file name was replaced.")
    lines.append("Search it with `/quote`; only this server sees it.")
    lines += [f"⚠ {neutralize(w)}" for w in outcome.warnings[:10]]
    title = shorten(f"✓ {verb} {neutralize(attachment.filename)}", 256)
    return {"title": title, "description": split_text("\n".join(lines), 4000)[0], "color": COLOR}
