"""/digest subscribe, unsubscribe, list and preview: a channel's daily digest, managed from Discord.

Shown by default to members with Manage Channels; every command checks that permission again on our side, before
anything else. A server sees and changes only its own subscriptions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.digest.schedule import matching_timezones
from bot.discord.catalog import visible_libraries
from bot.discord.checks import require_bot_can_post, require_member_permissions
from bot.discord.render import preview_messages, subscribed_text, subscriptions_embed, to_embeds
from bot.discord.tree import UserFacingError, reply
from bot.discord.views import send_messages
from cogs.quote import speaker_names

if TYPE_CHECKING:
    from bot.discord.bot import ColloquyBot


async def timezones(interaction: discord.Interaction[ColloquyBot], typed: str) -> list[app_commands.Choice[str]]:
    """Autocomplete: IANA time zones by city or region."""
    return [app_commands.Choice(name=name, value=name) for name in matching_timezones(typed or "Europe/")]


@app_commands.guild_only()
@app_commands.default_permissions(manage_channels=True)
class Digest(commands.GroupCog, group_name="digest", group_description="This server's daily digests."):
    """Digest subscriptions."""

    def __init__(self, bot: ColloquyBot) -> None:
        self.bot = bot
        super().__init__()

    async def interaction_check(self, interaction: discord.Interaction[ColloquyBot]) -> bool:
        """Every /digest command: in a server, by a member with Manage Channels; before any other check."""
        return require_member_permissions(interaction, manage_channels=True)

    @app_commands.command()
    @app_commands.describe(
        channel="Where to post",
        time="Local time, 24-hour HH:MM",
        timezone="Your time zone, e.g. Europe/Berlin (start typing a city)",
        speaker="Only about this speaker",
        topic="Only about this topic",
        post_when_nothing_new="Post the quote of the day even when nothing was added (default: skip those days)",
    )
    @app_commands.autocomplete(timezone=timezones, speaker=speaker_names)
    async def subscribe(
        self,
        interaction: discord.Interaction[ColloquyBot],
        channel: discord.TextChannel,
        time: app_commands.Range[str, 4, 5],
        timezone: app_commands.Range[str, 1, 64],
        speaker: app_commands.Range[str, 1, 100] | None = None,
        topic: app_commands.Range[str, 1, 100] | None = None,
        post_when_nothing_new: bool = False,
    ) -> None:
        """Post a digest of what is new to a channel every day at its local time (again: change it).

        Refused for a channel the bot cannot post embeds in; a speaker nobody in this server's library is called
        is accepted (their interviews may come later) with a warning and the names it may have meant.
        """
        require_bot_can_post(channel)
        libraries = visible_libraries(interaction)
        catalog = self.bot.catalog
        unknown = bool(speaker) and not await catalog.knows_speaker(speaker or "", libraries)
        info = await self.bot.digests.subscribe(
            guild_id=channel.guild.id,
            channel_id=channel.id,
            local_time=time,
            timezone=timezone,
            created_by=interaction.user.id,
            speaker=speaker,
            topic=topic,
            skip_when_nothing_new=not post_when_nothing_new,
        )
        similar = await catalog.similar_speakers(speaker or "", libraries) if unknown else []
        await reply(interaction, subscribed_text(info, unknown_speaker=unknown, similar=similar), ephemeral=True)

    @app_commands.command()
    @app_commands.describe(channel="The channel that should stop getting the digest")
    async def unsubscribe(self, interaction: discord.Interaction[ColloquyBot], channel: discord.TextChannel) -> None:
        """Stop a channel's daily digest."""
        if not await self.bot.digests.unsubscribe(channel.guild.id, channel.id):
            raise UserFacingError(f"{channel.mention} has no digest subscription.")
        await reply(interaction, f"{channel.mention} will no longer get the digest.", ephemeral=True)

    @app_commands.command(name="list")
    async def list_subscriptions(self, interaction: discord.Interaction[ColloquyBot]) -> None:
        """This server's digest subscriptions and when each posts next."""
        subs = await self.bot.digests.subscriptions(interaction.guild_id)
        await reply(interaction, embeds=to_embeds([subscriptions_embed(subs)]), ephemeral=True)

    @app_commands.command()
    @app_commands.describe(channel="A subscribed channel (default: this server's library over the last day)")
    async def preview(
        self, interaction: discord.Interaction[ColloquyBot], channel: discord.TextChannel | None = None
    ) -> None:
        """Exactly what the digest would post now, shown only to you."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        preview = await self.bot.digests.preview(
            guild_id=interaction.guild_id, channel_id=channel.id if channel else None
        )
        await send_messages(interaction, preview_messages(preview.payloads), ephemeral=True)


async def setup(bot: ColloquyBot) -> None:
    """Extension entry point."""
    await bot.add_cog(Digest(bot))
