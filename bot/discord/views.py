"""Buttons and menus: paging through results, a quote's context, "more like this", a summary point's context."""

from __future__ import annotations

import logging
from typing import Any

import discord

from bot.discord.render import Embed, context_embeds, point_label, quote_embed, to_embeds
from bot.discord.tree import reply, report_error
from bot.search.index import Scope
from bot.search.service import Hit, SearchService

log = logging.getLogger(__name__)

TIMEOUT = 600.0  # seconds a message's buttons keep working; interaction tokens last 15 minutes
CONTEXT_TURNS = 2  # turns shown before and after a quote


async def send_messages(interaction: discord.Interaction, messages: list[list[Embed]], *, ephemeral: bool) -> None:
    """Several messages' worth of embeds: the first as the reply, the rest as followups."""
    for embeds in messages:
        await reply(interaction, embeds=to_embeds(embeds), ephemeral=ephemeral)


class ColloquyView(discord.ui.View):
    """A view whose errors go to the command tree's one handler, and which removes its buttons when it expires."""

    def __init__(self, interaction: discord.Interaction) -> None:
        super().__init__(timeout=TIMEOUT)
        self.origin = interaction

    async def on_error(self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any]) -> None:
        """Report like a command would."""
        await report_error(interaction, error)

    async def on_timeout(self) -> None:
        """Take the dead buttons off the message."""
        try:
            await self.origin.edit_original_response(view=None)
        except discord.HTTPException as exc:
            log.debug("could not remove expired buttons: %s", exc)


class Pager(ColloquyView):
    """Previous/next through pages of embeds; only the person who asked turns the pages, for everyone."""

    def __init__(self, interaction: discord.Interaction, pages: list[list[Embed]]) -> None:
        super().__init__(interaction)
        self.pages = pages
        self.page = 0
        self._refresh()

    @property
    def embeds(self) -> list[discord.Embed]:
        """The current page."""
        return to_embeds(self.pages[self.page])

    def _refresh(self) -> None:
        self.previous.disabled = self.page == 0
        self.next.disabled = self.page >= len(self.pages) - 1
        self.counter.label = f"{self.page + 1} / {len(self.pages)}"

    async def _turn(self, interaction: discord.Interaction, step: int) -> None:
        if interaction.user.id != self.origin.user.id:
            await interaction.response.send_message(
                "Only the person who asked can turn these pages; run the command yourself to browse.", ephemeral=True
            )
            return
        self.page = max(0, min(len(self.pages) - 1, self.page + step))
        self._refresh()
        await interaction.response.edit_message(embeds=self.embeds, view=self)

    @discord.ui.button(label="◀ Previous", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: discord.Interaction, button: discord.ui.Button[Pager]) -> None:
        """Show the previous page."""
        await self._turn(interaction, -1)

    @discord.ui.button(label="1 / 1", style=discord.ButtonStyle.secondary, disabled=True)
    async def counter(self, interaction: discord.Interaction, button: discord.ui.Button[Pager]) -> None:
        """A disabled label showing the page number."""

    @discord.ui.button(label="Next ▶", style=discord.ButtonStyle.secondary)
    async def next(self, interaction: discord.Interaction, button: discord.ui.Button[Pager]) -> None:
        """Show the next page."""
        await self._turn(interaction, 1)


async def send_pages(interaction: discord.Interaction, pages: list[list[Embed]], *, ephemeral: bool = False) -> None:
    """Reply with the first page, and previous/next buttons when there is more than one."""
    if len(pages) == 1:
        await reply(interaction, embeds=to_embeds(pages[0]), ephemeral=ephemeral)
        return
    view = Pager(interaction, pages)
    await reply(interaction, embeds=view.embeds, view=view, ephemeral=ephemeral)


class QuoteView(Pager):
    """Quote results one per page, with the turns around the quote and similar quotes a click away."""

    def __init__(
        self,
        interaction: discord.Interaction,
        search: SearchService,
        scope: Scope,
        query: str,
        hits: list[Hit],
        titles: dict[int, str],
    ) -> None:
        self.hits = hits
        self.titles = titles
        self.search = search
        self.scope = scope
        self.query = query
        pages = [
            [quote_embed(hit, n, len(hits), query, self._title(hit.interview_id))] for n, hit in enumerate(hits, 1)
        ]
        super().__init__(interaction, pages)
        if len(hits) == 1:
            for item in (self.previous, self.counter, self.next):
                self.remove_item(item)

    def _title(self, interview_id: int) -> str:
        return self.titles.get(interview_id) or f"Interview #{interview_id}"

    @discord.ui.button(label="Context", style=discord.ButtonStyle.primary)
    async def context(self, interaction: discord.Interaction, button: discord.ui.Button[QuoteView]) -> None:
        """The turns before and after the quote on screen, shown only to whoever asked."""
        hit = self.hits[self.page]
        turns = await self.search.context(hit, before=CONTEXT_TURNS, after=CONTEXT_TURNS)
        title = self._title(hit.interview_id)
        await send_messages(interaction, context_embeds(title, turns, hit.turn_idx), ephemeral=True)

    @discord.ui.button(label="More like this", style=discord.ButtonStyle.secondary)
    async def more(self, interaction: discord.Interaction, button: discord.ui.Button[QuoteView]) -> None:
        """Quotes close to the one on screen, anywhere in the libraries this server sees."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        hit = self.hits[self.page]
        scope = Scope(self.scope.guild_ids)
        result = await self.search.search(hit.text, scope, len(self.hits) + 1)
        shown = set(hit.passage_ids) | {hit.passage_id}  # the quote itself, whole or in part, is not 'more'
        similar = [h for h in result.hits if not shown & {h.passage_id, *h.passage_ids}][: len(self.hits)]
        if not similar:
            await reply(interaction, "Nothing else in the library is close to this quote.", ephemeral=True)
            return
        label = f"like “{hit.text[:60]}…”" if len(hit.text) > 60 else f"like “{hit.text}”"
        view = QuoteView(interaction, self.search, scope, label, similar, self.titles)
        await reply(interaction, embeds=view.embeds, view=view, ephemeral=True)


class PointsView(ColloquyView):
    """A summary's points, each one click away from the turns it was taken from."""

    def __init__(
        self, interaction: discord.Interaction, search: SearchService, points: list[Any], titles: dict[int, str]
    ) -> None:
        super().__init__(interaction)
        self.search = search
        self.titles = titles
        self.points = points[:25]
        self.pick.options = [discord.SelectOption(label=point_label(n, p), value=str(n - 1))
                             for n, p in enumerate(self.points, 1)]  # fmt: skip

    @discord.ui.select(placeholder="Show a point in its context")
    async def pick(self, interaction: discord.Interaction, select: discord.ui.Select[PointsView]) -> None:
        """The turns around the chosen point, shown only to whoever asked."""
        point = self.points[int(select.values[0])]
        # context() reads only interview_id and turn_idx, which a summary point carries as a hit does
        turns = await self.search.context(point, before=CONTEXT_TURNS, after=CONTEXT_TURNS)  # type: ignore[arg-type]
        title = self.titles.get(point.interview_id) or f"Interview #{point.interview_id}"
        await send_messages(interaction, context_embeds(title, turns, point.turn_idx), ephemeral=True)
