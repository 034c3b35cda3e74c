"""/quote with the real multilingual model: an English question finds a Chinese quote; an off-topic one is declined."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from bot.search.embedder import Embedder

from .conftest import Colloquy, running_colloquy
from .harness import FakeDiscord

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.model]


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def colloquy(
    fake: FakeDiscord, tmp_path_factory: pytest.TempPathFactory, real_embedder: Embedder
) -> AsyncIterator[Colloquy]:
    async with running_colloquy(fake, tmp_path_factory.mktemp("model"), embedder=real_embedder) as running:
        yield running


async def test_english_question_finds_the_chinese_quote(colloquy: Colloquy) -> None:
    answer = await colloquy.run("quote", query="What does the remote team do every Monday morning?")
    pages = [answer.original["embeds"][0]]  # type: ignore[index]
    for _ in range(2):
        await answer.click("Next ▶")
        pages.append(answer.original["embeds"][0])  # type: ignore[index]
    found = [page for page in pages if "我们每周一上午有一个半小时的全员语音会" in page["description"]]
    assert found, [page["description"][:60] for page in pages]
    quote = found[0]
    assert quote["author"]["name"] == "周敏" and quote["title"] == "remote-work-zh.srt"
    assert {"name": "Where", "value": "⏱ 00:00:15", "inline": True} in quote["fields"]


async def test_off_topic_question_is_declined_with_suggestions(colloquy: Colloquy) -> None:
    answer = await colloquy.run("quote", query="Who won the 1998 football world cup?")
    assert not answer.ephemeral and answer.embeds[0]["title"] == "Nothing matched"
    assert "Nothing in the library answers “Who won the 1998 football world cup?”" in answer.text
    assert "another language" in answer.text and "`/interviews`" in answer.text
