"""The optional abstractive mode: any OpenAI-compatible `/chat/completions` endpoint (Ollama, vLLM, hosted).

Grounded by construction: the prompt carries the extracted points, numbered, and the model must cite
them; a sentence that cites no valid number is dropped, and an answer left with nothing is rejected, so
the caller falls back to the extractive summary and says why.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

import aiohttp

log = logging.getLogger(__name__)

_CITATION = re.compile(r"\[(\d+(?:\s*[,，]\s*\d+)*)\]")
_BULLET = re.compile(r"^\s*(?:[-*•·]|\d+[.)、])\s*")
LANGUAGE_NAMES = {"en": "English", "zh-Hans": "Simplified Chinese", "zh-Hant": "Traditional Chinese", "zh": "Chinese"}


class LLMError(Exception):
    """The endpoint failed, timed out or answered without grounding; the message is shown to the reader."""


@dataclass(frozen=True)
class GroundedSentence:
    """One sentence of the model's answer and the extract numbers (1-based) it cites."""

    text: str
    cites: list[int]


class ChatClient:
    """A small client for `POST {base_url}/chat/completions`. Borrows an aiohttp session when given one."""

    def __init__(
        self,
        base_url: str,
        model: str,
        *,
        api_key: str | None = None,
        timeout: float = 20.0,
        session: aiohttp.ClientSession | None = None,
    ) -> None:
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.model = model
        self.api_key = api_key
        self.timeout = timeout
        self.session = session

    async def complete(self, messages: list[dict[str, str]]) -> str:
        """The assistant's reply text; LLMError on timeout, HTTP error, unreachable server or a malformed body."""
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        body = {"model": self.model, "messages": messages, "temperature": 0.2, "stream": False}
        timeout = aiohttp.ClientTimeout(total=self.timeout)
        try:
            if self.session is not None:
                return await self._post(self.session, body, headers, timeout)
            async with aiohttp.ClientSession() as session:
                return await self._post(session, body, headers, timeout)
        except TimeoutError:
            raise LLMError(f"the LLM endpoint timed out after {self.timeout:g} s") from None
        except aiohttp.ClientError as exc:
            raise LLMError(f"the LLM endpoint could not be reached ({type(exc).__name__})") from None

    async def _post(
        self, session: aiohttp.ClientSession, body: dict, headers: dict[str, str], limit: aiohttp.ClientTimeout
    ) -> str:
        async with session.post(self.url, json=body, headers=headers, timeout=limit) as response:
            if response.status != 200:
                raise LLMError(f"the LLM endpoint answered HTTP {response.status}")
            try:
                data = await response.json(content_type=None)
                return str(data["choices"][0]["message"]["content"])
            except (ValueError, KeyError, IndexError, TypeError):
                raise LLMError("the LLM endpoint's answer was not a chat completion") from None


def grounded_prompt(
    title: str, extracts: Sequence[tuple[str, str]], points: int, language: str
) -> list[dict[str, str]]:
    """Chat messages asking for at most `points` sentences built only from the numbered (speaker, text) extracts."""
    name = LANGUAGE_NAMES.get(language, LANGUAGE_NAMES.get(language.split("-")[0], "the extracts' language"))
    system = (
        "You summarize interviews for readers who must be able to check every claim. Use only the numbered "
        f"extracts. Write at most {points} bullet points in {name}, one line each, starting with '- '. End every "
        "bullet with the numbers of the extracts it rests on, like [1] or [2][3]. Name who said it; a name marked "
        "'(speaker inferred)' is a guess from a transcript that named no one, so keep the mark. Add nothing that "
        "is not in the extracts."
    )
    numbered = "\n".join(f"[{i}] {speaker}: {text}" for i, (speaker, text) in enumerate(extracts, 1))
    return [
        {"role": "system", "content": system},
        {"role": "user", "content": f"Interview: {title}\n\nExtracts:\n{numbered}"},
    ]


def parse_grounded(answer: str, extracts: int, points: int) -> list[GroundedSentence]:
    """The answer's cited sentences (at most `points`); sentences citing no valid extract are dropped."""
    sentences = []
    for line in answer.splitlines():
        if not line.strip():
            continue
        cites = []
        for group in _CITATION.findall(line):
            cites.extend(int(n) for n in re.split(r"\s*[,，]\s*", group))
        valid = sorted({n for n in cites if 1 <= n <= extracts})
        text = _BULLET.sub("", _CITATION.sub("", line)).strip()
        if valid and text:
            sentences.append(GroundedSentence(re.sub(r"\s+([.。,，;；])", r"\1", text), valid))
    return sentences[:points]


async def grounded_summary(
    client: ChatClient, title: str, extracts: Sequence[tuple[str, str]], points: int, language: str
) -> list[GroundedSentence]:
    """Ask the endpoint; LLMError when it fails or when no sentence of its answer cites an extract."""
    answer = await client.complete(grounded_prompt(title, extracts, points, language))
    sentences = parse_grounded(answer, len(extracts), points)
    if not sentences:
        log.warning("LLM answer cited none of the %d extracts: %.200r", len(extracts), answer)
        raise LLMError("the LLM answer cited none of the extracted points")
    return sentences
