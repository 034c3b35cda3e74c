"""The abstractive mode against a fake OpenAI-compatible endpoint on 127.0.0.1 (a real aiohttp server)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.library.service import Library
from bot.summarize import Summarizer
from bot.summarize.llm import ChatClient, parse_grounded
from tests.conftest import UNLABELLED_RADIO

from .conftest import REPEATED_IDEA, ingest

GROUNDED = (
    "- Ann Lee says remote teams must write every decision down. [1]\n"
    "- She pays the same salary for a role in every country and hires through a paid trial week. [2][3]\n"
    "- She also plans to open an office in Lisbon.\n"  # cites nothing: must be dropped
)


@dataclass
class FakeEndpoint:
    """What the fake server answers next, and every request it received."""

    answer: str = GROUNDED
    status: int = 200
    delay: float = 0.0
    requests: list[dict] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    url: str = ""


@pytest.fixture
async def endpoint() -> AsyncIterator[FakeEndpoint]:
    fake = FakeEndpoint()

    async def completions(request: web.Request) -> web.Response:
        fake.requests.append(await request.json())
        fake.headers.append(dict(request.headers))
        await asyncio.sleep(fake.delay)
        if fake.status != 200:
            return web.json_response({"error": {"message": "boom"}}, status=fake.status)
        return web.json_response({"choices": [{"index": 0, "message": {"role": "assistant", "content": fake.answer}}]})

    app = web.Application()
    app.router.add_post("/v1/chat/completions", completions)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]  # the port the OS chose
    fake.url = f"http://127.0.0.1:{port}/v1"
    yield fake
    await runner.cleanup()


async def _setup(library: Library, endpoint: FakeEndpoint, limit: float = 5.0) -> tuple[Summarizer, int]:
    interview = await ingest(library, "remote.txt", REPEATED_IDEA)
    client = ChatClient(endpoint.url, "fake-model", api_key="sk-test", timeout=limit)
    return Summarizer(library.sessions, llm=client), interview


async def test_grounded_answer_cites_the_extracted_points(
    library: Library, sessions: async_sessionmaker[AsyncSession], endpoint: FakeEndpoint
) -> None:
    summarizer, interview = await _setup(library, endpoint)
    extractive = await summarizer.interview(interview, points=3, abstractive=False)
    assert endpoint.requests == []  # --extractive never calls the endpoint
    summary = await summarizer.interview(interview, points=3)
    assert summary.mode == "llm" and summary.notice is None
    assert [p.cites for p in summary.points] == [[1], [2, 3]]  # the uncited sentence was dropped
    assert summary.points[0].text == "Ann Lee says remote teams must write every decision down."
    assert summary.sources == extractive.points
    assert summary.points[1].passage_id == extractive.points[1].passage_id  # traceable to its first source
    request = endpoint.requests[0]
    assert request["model"] == "fake-model" and endpoint.headers[0]["Authorization"] == "Bearer sk-test"
    prompt = request["messages"][-1]["content"]
    for n, point in enumerate(extractive.points, 1):
        assert f"[{n}] {point.speaker}: {point.text}" in prompt
    assert await summarizer.interview(interview, points=3) == summary  # cached: no second request
    assert len(endpoint.requests) == 1


async def test_the_model_is_told_which_speakers_were_inferred(
    library: Library, sessions: async_sessionmaker[AsyncSession], endpoint: FakeEndpoint
) -> None:
    """Asked to name who said what, a model given "Guest" from a transcript that named no one would state the
    guess as fact: the extracts carry the mark, and the instructions say to keep it."""
    interview = await ingest(library, "city-bees.txt", UNLABELLED_RADIO)
    client = ChatClient(endpoint.url, "fake-model", api_key="sk-test", timeout=5.0)
    await Summarizer(library.sessions, llm=client).interview(interview, points=3)
    system, user = (m["content"] for m in endpoint.requests[0]["messages"])
    assert "(speaker inferred)" in system and "] Guest (speaker inferred): " in user


@pytest.mark.parametrize(
    ("status", "delay", "answer", "reason"),
    [
        (500, 0.0, GROUNDED, "HTTP 500"),
        (200, 3.0, GROUNDED, "timed out"),
        (200, 0.0, "Remote work is great and salaries are equal.", "cited none"),
        (200, 0.0, "- Everything is fine. [7]", "cited none"),  # a number no extract has
    ],
)
async def test_failures_fall_back_to_the_extractive_summary_and_say_so(
    library: Library,
    sessions: async_sessionmaker[AsyncSession],
    endpoint: FakeEndpoint,
    status: int,
    delay: float,
    answer: str,
    reason: str,
) -> None:
    endpoint.status, endpoint.delay, endpoint.answer = status, delay, answer
    summarizer, interview = await _setup(library, endpoint, limit=0.5)
    summary = await summarizer.interview(interview, points=3)
    extractive = await summarizer.interview(interview, points=3, abstractive=False)
    assert summary.mode == "extractive" and summary.points == extractive.points and summary.sources == []
    assert summary.notice and reason in summary.notice and "showing the extractive summary" in summary.notice
    endpoint.status, endpoint.delay, endpoint.answer = 200, 0.0, GROUNDED  # the fallback was not cached
    assert (await summarizer.interview(interview, points=3)).mode == "llm"


async def test_unreachable_endpoint(library: Library, sessions: async_sessionmaker[AsyncSession]) -> None:
    interview = await ingest(library, "remote.txt", REPEATED_IDEA)
    client = ChatClient("http://127.0.0.1:9/v1", "fake-model", timeout=2)  # the discard port: nobody listens
    summary = await Summarizer(sessions, llm=client).interview(interview, points=2)
    assert summary.mode == "extractive" and "could not be reached" in (summary.notice or "")


async def test_asking_for_the_llm_without_one_configured(
    library: Library, sessions: async_sessionmaker[AsyncSession]
) -> None:
    interview = await ingest(library, "remote.txt", REPEATED_IDEA)
    summary = await Summarizer(sessions).interview(interview, points=2, abstractive=True)
    assert summary.mode == "extractive" and "no LLM endpoint is configured" in (summary.notice or "")


def test_parse_grounded_keeps_only_cited_sentences() -> None:
    answer = "1. First point [1]\n* Second, citing two [2, 3]\nno citation here\n- out of range [4]\n- 中文要点。[2]"
    parsed = parse_grounded(answer, extracts=3, points=5)
    assert [(s.text, s.cites) for s in parsed] == [
        ("First point", [1]),
        ("Second, citing two", [2, 3]),
        ("中文要点。", [2]),
    ]
    assert len(parse_grounded(answer, extracts=3, points=2)) == 2
