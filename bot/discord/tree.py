"""The command tree with Colloquy's one error handler, and the reply helper every command and view uses."""

from __future__ import annotations

import logging
import secrets

import discord
from discord import app_commands

from bot.digest.render import neutralize, shorten
from bot.digest.service import SubscriptionError
from bot.library.service import NotFoundError, RefusedError

log = logging.getLogger(__name__)

PERMISSION_NAMES = {"manage_guild": "Manage Server", "manage_channels": "Manage Channels"}


class UserFacingError(Exception):
    """A request Colloquy cannot honour for a reason the user can fix; the message is shown as is (Colloquy's own
    words and markdown: whoever raises it escapes any user or transcript text it quotes)."""


async def reply(
    interaction: discord.Interaction,
    content: str | None = None,
    *,
    embeds: list[discord.Embed] | None = None,
    view: discord.ui.View | None = None,
    ephemeral: bool = False,
) -> None:
    """Answer an interaction whether or not it was answered or deferred already (then as a followup)."""
    kwargs: dict = {"content": content, "embeds": embeds or [], "ephemeral": ephemeral}
    if view is not None:
        kwargs["view"] = view
    if interaction.response.is_done():
        await interaction.followup.send(**kwargs)
    else:
        await interaction.response.send_message(**kwargs)


def explain(error: BaseException) -> str | None:
    """The short message for an error the user can act on; None for a bug."""
    if isinstance(error, app_commands.CommandInvokeError | app_commands.TransformerError) and error.__cause__:
        error = error.__cause__
    if isinstance(error, UserFacingError):
        return str(error)
    if isinstance(error, NotFoundError | RefusedError | SubscriptionError):  # the services' words, may quote input
        return neutralize(str(error.args[0] if error.args else error))
    if isinstance(error, app_commands.MissingPermissions):
        names = " and ".join(PERMISSION_NAMES.get(p, p.replace("_", " ").title()) for p in error.missing_permissions)
        return f"You need the {names} permission in this server to do that."
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Slow down a little: you can use this command again in {error.retry_after:.0f} s."
    if isinstance(error, app_commands.NoPrivateMessage):
        return "This command works in a server, not in direct messages."
    if isinstance(error, app_commands.TransformerError):
        return f"“{shorten(neutralize(str(error.value)), 100)}” is not a valid value here; pick one of the suggestions."
    if isinstance(error, app_commands.CheckFailure):
        return "You cannot use this command here."
    return None


class ColloquyTree(app_commands.CommandTree):
    """Maps expected errors to a short ephemeral reply; logs anything else with a reference id the user can quote."""

    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        """The only error handler: commands and views (see `ColloquyView.on_error`) both end here."""
        await report_error(interaction, error)


async def report_error(interaction: discord.Interaction, error: BaseException) -> None:
    """Tell the user what went wrong; unexpected errors are logged with a reference id."""
    message = explain(error)
    if message is None:
        reference = secrets.token_hex(4)
        command = interaction.command.qualified_name if interaction.command else interaction.data and "a component"
        log.error("unexpected error [%s] in %s for user %s", reference, command, interaction.user.id, exc_info=error)
        message = f"Something went wrong on my side (reference `{reference}`). Please try again, or tell the operator."
    if interaction.type is discord.InteractionType.autocomplete:
        return  # Discord shows autocomplete errors as "loading options failed"; there is nothing to reply to
    try:
        if interaction.response.type is discord.InteractionResponseType.deferred_channel_message:
            # a "thinking…" reply may be public: replace it, so that the error is seen only by the user
            await interaction.delete_original_response()
        await reply(interaction, message, ephemeral=True)
    except discord.HTTPException as exc:  # the interaction expired or was deleted: the log line is all we have
        log.warning("could not report an error to user %s: %s", interaction.user.id, exc)
