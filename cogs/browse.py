"""/interviews, /interview info and /speakers: what is in the library this server sees."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.catalog import visible_libraries
from bot.discord.render import interview_embeds, to_embeds
from bot.discord.tree import reply
from bot.discord.views import FILTER_LIMIT, send_first_page
from bot.library.service import NotFoundError
from cogs.quote import interview_titles, speaker_names

if TYPE_CHECKING:
    from bot.discord.bot import ColloquyBot


class Browse(commands.Cog):
    """Listing interviews and speakers."""

    interview_group = app_commands.Group(name="interview", description="One interview in detail.")

    def __init__(self, bot: ColloquyBot) -> None:
        self.bot = bot

    @app_commands.command()
    @app_commands.describe(speaker="Only interviews where this speaker talks (a name, part of it or an alias)")
    @app_commands.autocomplete(speaker=speaker_names)
    async def interviews(
        self,
        interaction: discord.Interaction[ColloquyBot],
        speaker: app_commands.Range[str, 1, FILTER_LIMIT] | None = None,
    ) -> None:
        """List the interviews in this server's library, newest first."""
        await send_first_page(interaction, "iv", speaker or "")

    @interview_group.command(name="info")
    @app_commands.describe(interview="The interview (start typing its title)")
    @app_commands.autocomplete(interview=interview_titles)
    async def interview_info(self, interaction: discord.Interaction[ColloquyBot], interview: int) -> None:
        """Participants, date, source, keywords and the editor's summary of one interview."""
        libraries = visible_libraries(interaction)
        info = await self.bot.catalog.interview(interview, libraries)
        await interaction.response.defer(thinking=True)
        try:
            summary = await self.bot.summaries.interview(info.id, guild_ids=libraries)
            keywords = [str(k) for k in summary.keywords]
        except NotFoundError:
            keywords = []
        await reply(interaction, embeds=to_embeds(interview_embeds(info, keywords)))

    @app_commands.command()
    async def speakers(self, interaction: discord.Interaction[ColloquyBot]) -> None:
        """Who speaks in this server's library, with how many turns and interviews."""
        await send_first_page(interaction, "sp")


async def setup(bot: ColloquyBot) -> None:
    """Extension entry point."""
    await bot.add_cog(Browse(bot))
