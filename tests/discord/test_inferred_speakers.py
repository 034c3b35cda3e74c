"""An upload that names no speakers, end to end: its inferred Host and Guest answer /quote speaker:, and an admin
names them with /library rename-speaker (the real discord.py client against the fake Discord API)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from tests.conftest import UNLABELLED_RADIO

from .conftest import Colloquy, running_colloquy
from .harness import FakeDiscord

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def colloquy(fake: FakeDiscord, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Colloquy]:
    async with running_colloquy(fake, tmp_path_factory.mktemp("inferred")) as running:
        yield running


async def test_quote_by_inferred_speaker_and_rename(colloquy: Colloquy) -> None:
    guild = await colloquy.new_guild("Beekeepers")
    file = colloquy.fake.upload("city-bees.txt", UNLABELLED_RADIO.encode())
    added = await colloquy.run("library add", user=colloquy.admin, guild=guild, attachment=file)
    assert "Host" in added.text and "Guest" in added.text

    asked = await colloquy.run("quote", guild=guild, query="beehives on the roofs", speaker="Host")
    # the quote's author, marked as a guess: the file named no one
    assert asked.text.startswith("Host (speaker inferred)\n") and "How many beehives" in asked.text
    answered = await colloquy.run("quote", guild=guild, query="what to plant on a roof", speaker="Guest")
    assert answered.text.startswith("Guest (speaker inferred)\n") and "lavender" in answered.text
    context = await answered.click("Context")
    assert context.embeds[-1]["footer"]["text"].startswith("This transcript named no speakers")
    summary = await colloquy.run("summary speaker", guild=guild, speaker="Guest", topic="wild bees")
    assert "— *Guest* (speaker inferred)" in summary.text  # each point of a topic summary says so
    interview_id = int(re.search(r"interview (\d+)", added.text).group(1))  # type: ignore[union-attr]
    own = await colloquy.run("summary interview", guild=guild, interview=interview_id, points=3)
    assert "(speaker inferred)" not in own.text  # an interview's own summary says it once, in its footer
    assert own.embeds[-1]["footer"]["text"].endswith("inferred from the text.")
    info = await colloquy.run("interview info", guild=guild, interview=interview_id)
    assert "Host (" in info.text and "speakers inferred from the text" in info.text
    listed = await colloquy.run("interviews", guild=guild)
    assert listed.text.count("speakers inferred from the text") == 1  # the upload, not the bundled samples

    renamed = await colloquy.run(
        "library rename-speaker", user=colloquy.admin, guild=guild, old="Guest", new="Ada Okoye"
    )
    assert "Renamed **Guest** to **Ada Okoye**" in renamed.text
    named = await colloquy.run("quote", guild=guild, query="what to plant on a roof", speaker="Ada Okoye")
    # a rename names the role; which turns are hers is still inferred
    assert named.text.startswith("Ada Okoye (speaker inferred)\n") and "lavender" in named.text

    labelled = await colloquy.run("quote", query="tides")  # a bundled sample names its speakers
    assert "(speaker inferred)" not in labelled.text and "footer" in labelled.embeds[0]
