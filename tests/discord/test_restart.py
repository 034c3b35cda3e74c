"""Buttons and menus outlive the process that sent them: after a restart, clicks on old messages are answered.

Before, every view lived in the memory of the process that sent it, so a click on a message from before a
restart was never answered (Discord shows "This interaction failed"; the fake records a violation).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from .conftest import Colloquy, running_colloquy
from .harness import FakeDiscord, Guild, buttons

pytestmark = pytest.mark.asyncio(loop_scope="module")

GUESTS = 16  # with the samples: 21 interviews (3 pages), 27 speakers (2 pages), 16 with Nora Hale (2 pages)


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def colloquy(fake: FakeDiscord, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Colloquy]:
    async with running_colloquy(fake, tmp_path_factory.mktemp("restart")) as running:
        yield running


async def archive(colloquy: Colloquy, name: str) -> Guild:
    """A server with many uploads: episodes hosted by Nora Hale, each with another guest."""
    guild = await colloquy.new_guild(name)
    for n in range(GUESTS):
        data = f"Nora Hale: What is your topic, guest {n}?\nGuest Number{n}: It is about thing number {n}.\n"
        assert not (await colloquy.services.library.ingest(data.encode(), f"episode-{n}.txt", guild_id=guild.id)).failed
    return guild


def footer(message: dict | None) -> str:
    assert message is not None
    return message["embeds"][0]["footer"]["text"]


async def test_every_button_and_menu_works_on_messages_sent_before_a_restart(colloquy: Colloquy) -> None:
    guild = await archive(colloquy, "Archive")
    reader = colloquy.fake.user("reader")
    quote = await colloquy.run("quote", user=reader, query="loaded boats harbour low water")
    more = await quote.click("More like this")
    listing = await colloquy.run("interviews", user=reader, guild=guild)
    hosted = await colloquy.run("interviews", user=reader, guild=guild, speaker="nora")
    people = await colloquy.run("speakers", user=reader, guild=guild)
    summary = await colloquy.run("summary interview", user=reader, interview=4, points=3)
    assert footer(quote.original).startswith("Quote 1 of 5") and "Page 1 of 3" in footer(listing.original)
    first_quote = quote.original["embeds"][0]["description"]  # type: ignore[index]

    await colloquy.restart()  # a new process: nothing of the old client's views is left

    page2 = await quote.click("Next ▶")
    assert page2.state.response_type == 7  # the same message is edited in place
    assert footer(quote.original) == "Quote 2 of 5 · loaded boats harbour low water"
    assert quote.original["embeds"][0]["description"] != first_quote  # type: ignore[index]
    back = await quote.click("◀ Previous")
    assert back.state.response_type == 7 and quote.original["embeds"][0]["description"] == first_quote  # type: ignore[index]

    context = await quote.click("Context")
    assert context.ephemeral and context.text.startswith("Context · The Harbour Master on tides")
    assert "▶ **Owen Hart**" in context.text and "sand bar" in context.text
    again = await quote.click("More like this")
    assert again.ephemeral and footer(again.original).startswith("Quote 1 of ")
    assert again.original["embeds"][0]["description"] != first_quote  # type: ignore[index]

    older = await more.click("Next ▶")  # an ephemeral result from before the restart pages too
    assert older.state.response_type == 7 and footer(more.original).startswith("Quote 2 of ")

    await listing.click("Next ▶")
    assert "Page 2 of 3" in footer(listing.original) and listing.text.count("**#") == 10
    await listing.click("Next ▶")
    assert "Page 3 of 3" in footer(listing.original) and listing.component("Next ▶")["disabled"]

    await hosted.click("Next ▶")
    assert "Page 2 of 2 · 16 interviews" in footer(hosted.original)
    assert hosted.original["embeds"][0]["title"].startswith("Interviews with nora")  # type: ignore[index]

    await people.click("Next ▶")
    assert "Page 2 of 2 · 27 speakers" in footer(people.original)

    menu = summary.component("Show a point in its context")
    point = await summary.choose("Show a point in its context", menu["options"][1]["value"])
    assert point.ephemeral and point.text.startswith("Context · The Harbour Master on tides")
    assert any(line.startswith("▶") for line in point.text.splitlines())

    stranger = await listing.click("◀ Previous", user=colloquy.admin)
    assert stranger.ephemeral and "Only the person who asked" in stranger.text
    assert "Page 3 of 3" in footer(listing.original)


async def test_buttons_carry_their_state_not_the_process(colloquy: Colloquy) -> None:
    """Every component's custom id names what it does; none is a random id only one process knows."""
    quote = await colloquy.run("quote", query="loaded boats harbour low water")
    ids = [item["custom_id"] for item in buttons(quote.original)]  # type: ignore[arg-type]
    assert [i.split(":", 1)[0] for i in ids] == ["pg", "pg", "pg", "qc", "qm"]
    assert all(len(i) <= 100 for i in ids)
