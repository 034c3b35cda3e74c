"""/library add, remove and rename-speaker (server managers): the server's own uploads.

A server manages only what it uploaded; the global library belongs to the operator (`colloquy ingest/remove`).
Permission is checked twice: Discord hides the group from members without Manage Server (default permissions),
and the cog checks it again on our side before anything else (a refused request never uses up the server's
upload cooldown), so a hand-made request cannot get through.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.digest.render import neutralize
from bot.discord.catalog import interview_label, visible_libraries
from bot.discord.checks import require_member_permissions
from bot.discord.tree import UserFacingError, reply
from bot.discord.upload import check_upload, ingest_upload
from bot.library.models import GLOBAL_LIBRARY

if TYPE_CHECKING:
    from bot.discord.bot import ColloquyBot


def own_library(interaction: discord.Interaction) -> frozenset[int]:
    """Only this server's uploads."""
    return frozenset({interaction.guild_id or GLOBAL_LIBRARY})


async def own_interviews(interaction: discord.Interaction[ColloquyBot], typed: str) -> list[app_commands.Choice[int]]:
    """Autocomplete: this server's uploads."""
    pairs = await interaction.client.catalog.interview_choices(typed, own_library(interaction))
    return [app_commands.Choice(name=label, value=interview_id) for label, interview_id in pairs]


async def own_speakers(interaction: discord.Interaction[ColloquyBot], typed: str) -> list[app_commands.Choice[str]]:
    """Autocomplete: speakers in this server's uploads."""
    names = await interaction.client.catalog.speaker_choices(typed, own_library(interaction))
    return [app_commands.Choice(name=name[:100], value=name[:100]) for name in names]


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class LibraryAdmin(commands.GroupCog, group_name="library", group_description="Manage this server's transcripts."):
    """Uploads and their maintenance."""

    def __init__(self, bot: ColloquyBot) -> None:
        self.bot = bot
        super().__init__()

    async def interaction_check(self, interaction: discord.Interaction[ColloquyBot]) -> bool:
        """Every /library command: in a server, by a member with Manage Server; before any other check."""
        return require_member_permissions(interaction, manage_guild=True)

    @app_commands.command()
    @app_commands.describe(
        attachment="A transcript: text, Markdown, captions (SRT/VTT/ASS/TTML), JSON, CSV, Word/ODT/RTF, PDF or web page"
    )
    @app_commands.checks.cooldown(3, 60.0, key=lambda interaction: interaction.guild_id)
    async def add(self, interaction: discord.Interaction[ColloquyBot], attachment: discord.Attachment) -> None:
        """Add a transcript to this server's library (only this server can search it)."""
        check_upload(attachment, self.bot.settings.max_file_bytes)
        await interaction.response.defer(ephemeral=True, thinking=True)
        await ingest_upload(self.bot, interaction, attachment)

    @app_commands.command()
    @app_commands.describe(interview="One of this server's uploads")
    @app_commands.autocomplete(interview=own_interviews)
    async def remove(self, interaction: discord.Interaction[ColloquyBot], interview: int) -> None:
        """Delete one of this server's uploads."""
        info = await self.bot.catalog.interview(interview, visible_libraries(interaction))
        if info.library == "global":
            raise UserFacingError(
                f"#{info.id} is in the global library, which only the bot's operator manages (`colloquy remove`)."
            )
        removed = await self.bot.library.remove(info.id, guild_ids=own_library(interaction))
        await reply(interaction, f"Removed #{removed.id} · {neutralize(interview_label(removed))}.", ephemeral=True)

    @app_commands.command(name="rename-speaker")
    @app_commands.describe(
        old="The name as it is now, e.g. Speaker 1", new="The real name", interview="Only in this upload"
    )
    @app_commands.autocomplete(old=own_speakers, interview=own_interviews)
    async def rename_speaker(
        self,
        interaction: discord.Interaction[ColloquyBot],
        old: app_commands.Range[str, 1, 100],
        new: app_commands.Range[str, 1, 100],
        interview: int | None = None,
    ) -> None:
        """Give a speaker in this server's uploads their real name."""
        if not new.strip():
            raise UserFacingError("The new name is empty.")
        turns = await self.bot.library.rename_speaker(
            old, new, interview_id=interview, guild_ids=sorted(own_library(interaction))
        )
        await reply(
            interaction, f"Renamed **{neutralize(old)}** to **{neutralize(new.strip())}** on {turns} turns.",
            ephemeral=True,
        )  # fmt: skip


async def setup(bot: ColloquyBot) -> None:
    """Extension entry point."""
    await bot.add_cog(LibraryAdmin(bot))
