"""The real multilingual model through Discord: an English question finds a Chinese quote, an off-topic one is
declined, an interview's summary comes in chapters, and a digest's topic finds interviews that discuss it in
another language."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from bot.search.embedder import Embedder
from tests.conftest import BILINGUAL_CAPTIONS

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
    assert quote["author"]["name"] == "周敏" and quote["title"].startswith("周敏 — ")  # 'Guest — topic'
    assert {"name": "Where", "value": "⏱ 00:00:15", "inline": True} in quote["fields"]


async def test_off_topic_question_is_declined_with_suggestions(colloquy: Colloquy) -> None:
    answer = await colloquy.run("quote", query="Who won the 1998 football world cup?")
    assert not answer.ephemeral and answer.embeds[0]["title"] == "Nothing matched"
    assert "Nothing in the library answers “Who won the 1998 football world cup?”" in answer.text
    assert "another language" in answer.text and "`/interviews`" in answer.text


async def test_an_interview_summary_shows_its_chapters_and_opens_any_point_in_context(colloquy: Colloquy) -> None:
    summary = await colloquy.run("summary interview", interview=4)  # no count: one point per chapter
    text = summary.embeds[0]["description"]
    chapters = re.findall(r"^__\*\*(.+?)\*\*__ · turn (\d+) · (\d\d:\d\d:\d\d)$", text, re.MULTILINE)
    assert len(chapters) >= 3 and all(label.strip("…, ") for label, _, _ in chapters), text
    assert [int(turn) for _, turn, _ in chapters] == sorted({int(turn) for _, turn, _ in chapters})
    numbers, stamps = [], []
    for block in text.split("\n\n"):  # each chapter: its heading, then its points
        heading, *lines = block.splitlines()
        start = re.search(r"(\d\d:\d\d:\d\d)$", heading)[1]  # type: ignore[index]
        points = [re.match(r"\*\*(\d+)\.\*\* “.+” — \*Owen Hart\* \(#4 · (\d\d:\d\d:\d\d)\)$", line) for line in lines]
        assert len(points) == 1 and all(points), block  # each chapter its best point, the guest's
        numbers += [int(p[1]) for p in points]  # type: ignore[index]
        stamps += [p[2] for p in points if p[2] >= start]  # type: ignore[index]
    assert numbers == list(range(1, len(chapters) + 1)) and len(stamps) == len(numbers)
    menu = summary.component("Show a point in its context")
    assert [o["label"].split(".")[0] for o in menu["options"]] == [str(n) for n in numbers]
    context = await summary.choose("Show a point in its context", menu["options"][-1]["value"])
    marked = next(line for line in context.text.splitlines() if line.startswith("▶"))
    assert context.ephemeral and stamps[-1] in marked  # the last chapter's point, in its turn


# Sam Altman on open source, in Chinese only: the words "open source" appear nowhere.
KAIYUAN = """Lin Xiao: 你怎么看DeepSeek?
Sam Altman: 我认为开源模型有它存在的价值,世界上确实需要开源模型,它们可以为开发者提供大量价值。
Lin Xiao: 你们自己会开源吗?
Sam Altman: 我们在开源这件事上站在了历史错误的一边,需要制定不同的开源战略。
"""


async def test_digest_topic_finds_interviews_that_discuss_it_in_another_language(colloquy: Colloquy) -> None:
    guild = await colloquy.new_guild("Open models")
    for name, text in (("kaiyuan.txt", KAIYUAN), ("gardens.txt", BILINGUAL_CAPTIONS)):
        file = colloquy.fake.upload(name, text.encode())
        await colloquy.run("library add", user=colloquy.admin, guild=guild, attachment=file)
    channel = guild.channels["digest"]
    titles = {i.source.rsplit("/", 1)[-1]: i.title for i in await colloquy.services.library.interviews([guild.id])}
    for speaker in (None, "altman"):
        options = {"speaker": speaker} if speaker else {}
        await colloquy.run(
            "digest subscribe", user=colloquy.admin, guild=guild, channel=channel, time="09:00", timezone="UTC",
            topic="open source", **options,
        )  # fmt: skip
        preview = await colloquy.run("digest preview", user=colloquy.admin, guild=guild, channel=channel)
        assert "1 new interview since" in preview.text and titles["kaiyuan.txt"] in preview.text, preview.text
        assert titles["gardens.txt"] not in preview.text and "Nothing new" not in preview.text
        assert "开源" in preview.text  # its key points, and the quote of the day about it
