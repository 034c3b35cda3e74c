"""/quote: the speakers' exact words for a question asked in any language."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.catalog import visible_libraries
from bot.discord.render import nothing_matched_embed, to_embeds
from bot.discord.tree import reply
from bot.discord.views import quote_page

if TYPE_CHECKING:
    from bot.discord.bot import ColloquyBot


async def speaker_names(interaction: discord.Interaction[ColloquyBot], typed: str) -> list[app_commands.Choice[str]]:
    """Autocomplete: speakers this server can see."""
    names = await interaction.client.catalog.speaker_choices(typed, visible_libraries(interaction))
    return [app_commands.Choice(name=name[:100], value=name[:100]) for name in names]


async def interview_titles(interaction: discord.Interaction[ColloquyBot], typed: str) -> list[app_commands.Choice[int]]:
    """Autocomplete: interviews this server can see, by title, file name or #id."""
    pairs = await interaction.client.catalog.interview_choices(typed, visible_libraries(interaction))
    return [app_commands.Choice(name=label, value=interview_id) for label, interview_id in pairs]


class Quote(commands.Cog):
    """Quote search."""

    def __init__(self, bot: ColloquyBot) -> None:
        self.bot = bot

    @app_commands.command()
    @app_commands.describe(
        query="What you want to hear about, in any language",
        speaker="Only this speaker's words",
        interview="Only this interview",
        language="Only quotes with an English or a Chinese version",
    )
    @app_commands.autocomplete(speaker=speaker_names, interview=interview_titles)
    @app_commands.checks.cooldown(6, 30.0, key=lambda interaction: interaction.user.id)
    async def quote(
        self,
        interaction: discord.Interaction[ColloquyBot],
        query: app_commands.Range[str, 2, 300],
        speaker: app_commands.Range[str, 1, 100] | None = None,
        interview: int | None = None,
        language: Literal["en", "zh"] | None = None,
    ) -> None:
        """Find the speakers' exact words for a question, in any language."""
        libraries = visible_libraries(interaction)
        if interview is not None:
            await self.bot.catalog.interview(interview, libraries)  # an unknown id fails here, privately
        await interaction.response.defer(thinking=True)
        search = self.bot.search
        scope = await search.scope_for(guild_ids=libraries, speaker=speaker, interview_id=interview, language=language)
        result = await search.search(query, scope, self.bot.settings.search_k)
        if result.hits:
            titles = await self.bot.catalog.titles(libraries)
            embeds, view = quote_page(interaction.user.id, result.hits, 0, query, titles)
            await reply(interaction, embeds=embeds, view=view)
            return
        catalog = self.bot.catalog
        embed = nothing_matched_embed(
            query,
            speaker=speaker,
            speaker_known=not speaker or await catalog.knows_speaker(speaker, libraries),
            similar=await catalog.similar_speakers(speaker, libraries) if speaker else [],
            talkative=[name for name, _, _ in (await catalog.speakers(libraries))[:3]],
        )
        await reply(interaction, embeds=to_embeds([embed]))


async def setup(bot: ColloquyBot) -> None:
    """Extension entry point."""
    await bot.add_cog(Quote(bot))
