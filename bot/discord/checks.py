"""Permission checks: who may run an admin command, and whether the bot may post where it is asked to.

Admin command groups check in their cog's `interaction_check`, which discord.py runs before any check of a
command (a cooldown included), so a refused request never uses up anything.
"""

from __future__ import annotations

import discord
from discord import app_commands

from bot.discord.tree import UserFacingError

POSTING = ("view_channel", "send_messages", "embed_links")  # a digest is embeds


def require_member_permissions(interaction: discord.Interaction, **permissions: bool) -> bool:
    """In a server, with these permissions; raises NoPrivateMessage or MissingPermissions otherwise."""
    if interaction.guild_id is None:
        raise app_commands.NoPrivateMessage()
    have = interaction.permissions
    missing = [name for name, wanted in permissions.items() if getattr(have, name) != wanted]
    if missing:
        raise app_commands.MissingPermissions(missing)
    return True


def require_bot_can_post(channel: discord.TextChannel) -> None:
    """The bot can see the channel and post embeds in it, as far as the server's settings cached here say."""
    me = channel.guild.me
    if me is None:  # not in the cache yet (just joined): Discord will tell at the first post
        return
    have = channel.permissions_for(me)
    if not all(getattr(have, name) for name in POSTING):
        raise UserFacingError(
            f"I cannot post in {channel.mention}: I need View Channel, Send Messages and Embed Links there. "
            "Allow them in the channel's permissions, then subscribe again."
        )
