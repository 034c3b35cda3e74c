"""Buttons and menus that keep working for as long as their message exists, across restarts of the bot.

Every component is a discord.py `DynamicItem` whose custom id carries what a click needs: whose pages they are,
the page shown, the list's filter or the quotes' passage ids (in base 36). `COMPONENTS` is registered when the bot
starts (`ColloquyBot.setup_hook`), so a button on a week-old message, sent by a process long gone, is answered
like a new one, and nothing is kept in memory per message. What a click shows is read again from the library:
a quote whose upload was removed says so instead of showing an empty page.

Discord allows 100 characters in a custom id. A quote list keeps as many quotes as their ids fit (at least six,
the default `search_k` is 5); an `/interviews` speaker filter is limited to `FILTER_LIMIT` characters.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any

import discord
from discord.ui import Button, DynamicItem, Select

from bot.digest.render import COLOR
from bot.discord.catalog import visible_libraries
from bot.discord.render import (
    Embed,
    context_embeds,
    interview_pages,
    point_label,
    quote_embed,
    speaker_pages,
    to_embeds,
)
from bot.discord.tree import reply, report_error
from bot.search.index import Scope
from bot.search.service import Hit

if TYPE_CHECKING:
    from bot.discord.bot import ColloquyBot

    Interaction = discord.Interaction[ColloquyBot]
else:
    Interaction = discord.Interaction

CUSTOM_ID_LIMIT = 100
FILTER_LIMIT = 60  # characters of an /interviews speaker filter (it travels in the page buttons' custom ids)
CONTEXT_TURNS = 2  # turns shown before and after a quote
GONE = "This quote is no longer in the library: its interview was removed."
Page = tuple[list[discord.Embed], discord.ui.View | None]


def b36(number: int) -> str:
    """A non-negative integer in base 36 (a Discord id in 13 characters instead of 19)."""
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        number, digit = divmod(number, 36)
        text = digits[digit] + text
        if not number:
            return text


def encode_spans(spans: Sequence[Sequence[int]]) -> str:
    """Quotes as passage ids: '1a.1b,2c' is a quote of passages 46 and 47, then one of passage 84."""
    return ",".join(".".join(b36(pid) for pid in span) for span in spans)


def decode_spans(text: str) -> list[tuple[int, ...]]:
    """The inverse of encode_spans."""
    return [tuple(int(pid, 36) for pid in span.split(".")) for span in text.split(",") if span]


def _span(hit: Hit) -> tuple[int, ...]:
    return hit.passage_ids or (hit.passage_id,)


async def send_messages(interaction: discord.Interaction, messages: list[list[Embed]], *, ephemeral: bool) -> None:
    """Several messages' worth of embeds: the first as the reply, the rest as followups."""
    for embeds in messages:
        await reply(interaction, embeds=to_embeds(embeds), ephemeral=ephemeral)


async def guarded(interaction: discord.Interaction, action: Awaitable[None]) -> None:
    """Run a click's work; errors go to the command tree's one handler, as a command's would."""
    try:
        await action
    except Exception as exc:
        await report_error(interaction, exc)


def _view(*items: discord.ui.Item[Any]) -> discord.ui.View:
    """A view of persistent items only: discord.py keeps nothing of it once it is sent."""
    view = discord.ui.View(timeout=None)
    for item in items:
        view.add_item(item)
    return view


# ---- paging ---------------------------------------------------------------------------------------------------


class PageCounter(DynamicItem[Button[Any]], template=r"pg:count"):
    """The disabled 'n / N' label between the page buttons (never clicked)."""

    def __init__(self, label: str = "1 / 1") -> None:
        super().__init__(Button(label=label, style=discord.ButtonStyle.secondary, custom_id="pg:count", disabled=True))

    @classmethod
    async def from_custom_id(cls, interaction: Interaction, item: discord.ui.Item[Any], match: re.Match[str]) -> Any:
        """Rebuilt from a message (discord.py does this for every item of a clicked message)."""
        return cls()


class PageButton(
    DynamicItem[Button[Any]],
    template=r"(?s)pg:(?P<kind>[a-z]+):(?P<owner>[0-9a-z]+):(?P<page>[0-9a-z]+):(?P<step>[<>]):(?P<arg>.*)",
):
    """Previous or next: shows the page before or after the one on screen, for whoever asked only."""

    def __init__(self, kind: str, owner: int, page: int, step: str, arg: str, *, disabled: bool = False) -> None:
        self.kind, self.owner, self.page, self.step, self.arg = kind, owner, page, step, arg
        custom_id = f"pg:{kind}:{b36(owner)}:{b36(page)}:{step}:{arg}"
        if len(custom_id) > CUSTOM_ID_LIMIT:
            raise ValueError(f"page state too long for a custom id: {custom_id!r}")
        label = "◀ Previous" if step == "<" else "Next ▶"
        button = Button(label=label, style=discord.ButtonStyle.secondary, custom_id=custom_id, disabled=disabled)
        super().__init__(button)

    @classmethod
    async def from_custom_id(cls, interaction: Interaction, item: discord.ui.Item[Any], match: re.Match[str]) -> Any:
        """The button as it was sent, from its custom id."""
        owner, page = int(match["owner"], 36), int(match["page"], 36)
        return cls(match["kind"], owner, page, match["step"], match["arg"])

    async def callback(self, interaction: Interaction) -> None:
        """Turn the page in place."""
        await guarded(interaction, self._turn(interaction))

    async def _turn(self, interaction: Interaction) -> None:
        if interaction.user.id != self.owner:
            await interaction.response.send_message(
                "Only the person who asked can turn these pages; run the command yourself to browse.", ephemeral=True
            )
            return
        target = self.page + (1 if self.step == ">" else -1)
        embeds, view = await PAGERS[self.kind](interaction, self.owner, target, self.arg)
        await interaction.response.edit_message(embeds=embeds, view=view)


def page_buttons(kind: str, owner: int, page: int, count: int, arg: str) -> list[discord.ui.Item[Any]]:
    """Previous, 'n / N', next."""
    return [
        PageButton(kind, owner, page, "<", arg, disabled=page == 0),
        PageCounter(f"{page + 1} / {count}"),
        PageButton(kind, owner, page, ">", arg, disabled=page >= count - 1),
    ]


def paged(kind: str, owner: int, pages: list[list[Embed]], page: int, arg: str = "") -> Page:
    """One page of a list, with page buttons when there is more than one."""
    page = max(0, min(len(pages) - 1, page))
    view = _view(*page_buttons(kind, owner, page, len(pages), arg)) if len(pages) > 1 else None
    return to_embeds(pages[page]), view


async def interviews_page(interaction: Interaction, owner: int, page: int, speaker: str) -> Page:
    """/interviews, optionally only those where a speaker talks."""
    rows = await interaction.client.catalog.interviews_with(speaker or None, visible_libraries(interaction))
    return paged("iv", owner, interview_pages(rows, speaker or None), page, speaker)


async def speakers_page(interaction: Interaction, owner: int, page: int, arg: str = "") -> Page:
    """/speakers."""
    rows = await interaction.client.catalog.speakers(visible_libraries(interaction))
    return paged("sp", owner, speaker_pages(rows), page)


async def quotes_page(interaction: Interaction, owner: int, page: int, spans: str) -> Page:
    """A quote list after a click: the quotes read again, the question taken from the footer on screen."""
    hits = await visible_hits(interaction, decode_spans(spans))
    footer = interaction.message.embeds[0].footer.text if interaction.message and interaction.message.embeds else ""
    query = (footer or "").split(" · ", 1)[-1] if " · " in (footer or "") else ""
    return quote_page(owner, [hit for hit in hits if hit is not None], page, query, await _titles(interaction))


PAGERS: dict[str, Callable[[Interaction, int, int, str], Awaitable[Page]]] = {
    "iv": interviews_page,
    "sp": speakers_page,
    "qt": quotes_page,
}


async def send_first_page(interaction: Interaction, kind: str, arg: str = "") -> None:
    """Reply with the first page of a list (`kind` as in PAGERS)."""
    embeds, view = await PAGERS[kind](interaction, interaction.user.id, 0, arg)
    await reply(interaction, embeds=embeds, view=view)


# ---- quotes ---------------------------------------------------------------------------------------------------


async def _titles(interaction: Interaction) -> dict[int, str]:
    """The interviews this interaction may see, by id, with how to name them."""
    return await interaction.client.catalog.titles(visible_libraries(interaction))


async def visible_hits(interaction: Interaction, spans: Sequence[tuple[int, ...]]) -> list[Hit | None]:
    """Quotes read again by passage ids; None for one that is gone or that this server may not see."""
    visible = await _titles(interaction)
    hits = await interaction.client.search.hits_for(spans)
    return [hit if hit is not None and hit.interview_id in visible else None for hit in hits]


def _fitting(hits: list[Hit]) -> list[Hit]:
    """The first quotes whose passage ids fit in a page button's custom id."""
    room = CUSTOM_ID_LIMIT - len(f"pg:qt:{b36(2**64)}:{b36(len(hits))}:>:")
    kept = list(hits)
    while len(kept) > 1 and len(encode_spans([_span(h) for h in kept])) > room:
        kept.pop()
    return kept


def quote_page(owner: int, hits: list[Hit], page: int, query: str, titles: dict[int, str]) -> Page:
    """One quote per page, with previous/next, Context and More like this."""
    hits = _fitting(hits)
    if not hits:
        return [discord.Embed(title="Quotes", description=GONE.replace("This quote is", "These quotes are"),
                              color=COLOR)], None  # fmt: skip
    page = max(0, min(len(hits) - 1, page))
    hit = hits[page]
    title = titles.get(hit.interview_id) or f"Interview #{hit.interview_id}"
    embeds = to_embeds([quote_embed(hit, page + 1, len(hits), query, title)])
    paging = page_buttons("qt", owner, page, len(hits), encode_spans([_span(h) for h in hits])) if len(hits) > 1 else []
    return embeds, _view(*paging, ContextButton(_span(hit)), MoreButton(len(hits), _span(hit)))


class ContextButton(DynamicItem[Button[Any]], template=r"qc:(?P<span>[0-9a-z.]+)"):
    """The turns before and after the quote, shown only to whoever clicks."""

    def __init__(self, span: tuple[int, ...]) -> None:
        self.span = span
        custom_id = f"qc:{encode_spans([span])}"
        super().__init__(Button(label="Context", style=discord.ButtonStyle.primary, custom_id=custom_id))

    @classmethod
    async def from_custom_id(cls, interaction: Interaction, item: discord.ui.Item[Any], match: re.Match[str]) -> Any:
        """The button as it was sent, from its custom id."""
        return cls(decode_spans(match["span"])[0])

    async def callback(self, interaction: Interaction) -> None:
        """Show the context."""
        await guarded(interaction, self._show(interaction))

    async def _show(self, interaction: Interaction) -> None:
        [hit] = await visible_hits(interaction, [self.span])
        if hit is None:
            await reply(interaction, GONE, ephemeral=True)
            return
        quoted = (hit.position, hit.position + len(hit.passage_ids) - 1)
        await show_context(interaction, hit.interview_id, hit.turn_idx, quoted)


class MoreButton(DynamicItem[Button[Any]], template=r"qm:(?P<count>[0-9a-z]+):(?P<span>[0-9a-z.]+)"):
    """Quotes close to the one on screen, anywhere in the libraries this server sees."""

    def __init__(self, count: int, span: tuple[int, ...]) -> None:
        self.count, self.span = count, span
        custom_id = f"qm:{b36(count)}:{encode_spans([span])}"
        super().__init__(Button(label="More like this", style=discord.ButtonStyle.secondary, custom_id=custom_id))

    @classmethod
    async def from_custom_id(cls, interaction: Interaction, item: discord.ui.Item[Any], match: re.Match[str]) -> Any:
        """The button as it was sent, from its custom id."""
        return cls(int(match["count"], 36), decode_spans(match["span"])[0])

    async def callback(self, interaction: Interaction) -> None:
        """Search for quotes like this one."""
        await guarded(interaction, self._more(interaction))

    async def _more(self, interaction: Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        [hit] = await visible_hits(interaction, [self.span])
        if hit is None:
            await reply(interaction, GONE, ephemeral=True)
            return
        search = interaction.client.search
        result = await search.search(hit.text, Scope(visible_libraries(interaction)), self.count + 1)
        shown = set(self.span)  # the quote itself, whole or in part, is not 'more'
        similar = [h for h in result.hits if not shown & {h.passage_id, *h.passage_ids}][: self.count]
        if not similar:
            await reply(interaction, "Nothing else in the library is close to this quote.", ephemeral=True)
            return
        label = f"like “{hit.text[:60]}…”" if len(hit.text) > 60 else f"like “{hit.text}”"
        embeds, view = quote_page(interaction.user.id, similar, 0, label, await _titles(interaction))
        await reply(interaction, embeds=embeds, view=view, ephemeral=True)


# ---- context --------------------------------------------------------------------------------------------------


async def show_context(
    interaction: Interaction, interview_id: int, turn_idx: int, quoted: tuple[int, int] | None
) -> None:
    """The turns around a quote (`quoted`: its first and last passage positions in its turn, None if unknown), shown
    only to whoever asked, the quoted words in bold; says so when the interview is gone."""
    titles = await _titles(interaction)
    turns = []
    if interview_id in titles:
        search = interaction.client.search  # type: ignore[attr-defined]
        turns = await search.context(interview_id, turn_idx, quoted, before=CONTEXT_TURNS, after=CONTEXT_TURNS)
    if not turns:
        await reply(interaction, GONE.replace("This quote", "This passage"), ephemeral=True)
        return
    await send_messages(interaction, context_embeds(titles[interview_id], turns, turn_idx), ephemeral=True)


class PointMenu(DynamicItem[Select[Any]], template=r"pt"):
    """A summary's points, each one pick away from the turns it was taken from; each option's value is where its
    point was said (`n:interview.turn.position`), so the menu needs nothing else."""

    def __init__(self, points: Sequence[Any] = ()) -> None:
        options = [discord.SelectOption(label=point_label(n, p),
                                        value=f"{n}:{b36(p.interview_id)}.{b36(p.turn_idx)}.{b36(p.position)}")
                   for n, p in enumerate(points[:25], 1)]  # fmt: skip
        select: Select[Any] = Select(custom_id="pt", placeholder="Show a point in its context", options=options)
        super().__init__(select)

    @classmethod
    async def from_custom_id(cls, interaction: Interaction, item: discord.ui.Item[Any], match: re.Match[str]) -> Any:
        """The menu as it was sent; the chosen value says which point."""
        return cls()

    async def callback(self, interaction: Interaction) -> None:
        """Show the chosen point in its context."""
        # menus sent before stop 61 carry no passage position: their points show around the turn's start, unmarked
        value = self.item.values[0] if self.item.values else ""
        place = re.fullmatch(r"\d+:([0-9a-z]+)\.([0-9a-z]+)(?:\.([0-9a-z]+))?", value)
        if place is None:
            return
        position = int(place[3], 36) if place[3] else None
        quoted = (position, position) if position is not None else None
        await guarded(interaction, show_context(interaction, int(place[1], 36), int(place[2], 36), quoted))


def points_view(points: Sequence[Any]) -> discord.ui.View | None:
    """The menu under a summary's first message (none without points)."""
    return _view(PointMenu(points)) if points else None


COMPONENTS = (PageCounter, PageButton, ContextButton, MoreButton, PointMenu)
