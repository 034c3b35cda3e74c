"""/summary interview, speaker and topic: the key points in the speakers' own words, each linked to its moment."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.catalog import visible_libraries
from bot.discord.render import summary_messages, to_embeds
from bot.discord.tree import reply
from bot.discord.views import points_view
from cogs.quote import interview_titles, speaker_names

if TYPE_CHECKING:
    from bot.discord.bot import ColloquyBot

Points = app_commands.Range[int, 1, 10]


async def send_summary(interaction: discord.Interaction[ColloquyBot], summary: Any) -> None:
    """The summary's messages; the first carries a menu that opens any point in its context."""
    titles = await interaction.client.catalog.titles(visible_libraries(interaction))
    messages = summary_messages(summary, titles)
    await reply(interaction, embeds=to_embeds(messages[0]), view=points_view(summary.points))
    for embeds in messages[1:]:
        await reply(interaction, embeds=to_embeds(embeds))


class Summary(commands.GroupCog, group_name="summary", group_description="Key points in the speakers' own words."):
    """Summaries of an interview, of a speaker on a topic, and of a topic across interviews."""

    def __init__(self, bot: ColloquyBot) -> None:
        self.bot = bot
        super().__init__()

    @app_commands.command()
    @app_commands.describe(
        interview="The interview (start typing its title)", points="How many points (1-10; default: one per chapter)"
    )
    @app_commands.autocomplete(interview=interview_titles)
    @app_commands.checks.cooldown(4, 60.0, key=lambda interaction: interaction.user.id)
    async def interview(
        self, interaction: discord.Interaction[ColloquyBot], interview: int, points: Points | None = None
    ) -> None:
        """The chapters of one interview and their key points."""
        libraries = visible_libraries(interaction)
        await self.bot.catalog.interview(interview, libraries)  # an unknown id fails here, privately
        await interaction.response.defer(thinking=True)
        await send_summary(interaction, await self.bot.summaries.interview(interview, points, guild_ids=libraries))

    @app_commands.command()
    @app_commands.describe(speaker="Who", topic="About what, in any language", points="How many points (1-10)")
    @app_commands.autocomplete(speaker=speaker_names)
    @app_commands.checks.cooldown(4, 60.0, key=lambda interaction: interaction.user.id)
    async def speaker(
        self,
        interaction: discord.Interaction[ColloquyBot],
        speaker: app_commands.Range[str, 1, 100],
        topic: app_commands.Range[str, 2, 200],
        points: Points = 5,
    ) -> None:
        """What one speaker said about a topic, across interviews."""
        await interaction.response.defer(thinking=True)
        summary = await self.bot.summaries.speaker_topic(
            speaker, topic, points, guild_ids=visible_libraries(interaction)
        )
        await send_summary(interaction, summary)

    @app_commands.command()
    @app_commands.describe(topic="About what, in any language", points="How many points (1-10)")
    @app_commands.checks.cooldown(4, 60.0, key=lambda interaction: interaction.user.id)
    async def topic(
        self, interaction: discord.Interaction[ColloquyBot], topic: app_commands.Range[str, 2, 200], points: Points = 5
    ) -> None:
        """What everyone in the library said about a topic."""
        await interaction.response.defer(thinking=True)
        await send_summary(
            interaction, await self.bot.summaries.topic(topic, points, guild_ids=visible_libraries(interaction))
        )


async def setup(bot: ColloquyBot) -> None:
    """Extension entry point."""
    await bot.add_cog(Summary(bot))
