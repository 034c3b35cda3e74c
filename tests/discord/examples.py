"""Regenerate docs/examples.md: what /quote, /summary and a digest look like, produced through the fake Discord API.

Run with `make examples` (or `python -m tests.discord.examples [OUT]`). It starts Colloquy with the real
embedding model on the bundled samples, talks to it through the harness exactly as the tests do, and writes the
messages Discord received as Markdown. The README's copy of the /quote, /summary and digest examples (between
its `<!-- examples -->` markers) is rewritten from the same run.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot import PROJECT_ROOT
from bot.search.embedder import load_embedder

from .conftest import Colloquy, running_colloquy
from .harness import Exchange, FakeDiscord, buttons, serve_fake

QUERY = "What does the remote team do every Monday morning?"


def as_markdown(message: dict[str, Any]) -> str:
    """A Discord message as a Markdown block quote: content, embeds (author, title, text, fields, footer), buttons."""
    lines: list[str] = []
    if message.get("content"):
        lines += [message["content"], ""]
    for embed in message.get("embeds") or []:
        if embed.get("author"):
            lines.append(f"**{embed['author']['name']}**")
        if embed.get("title"):
            title = f"[{embed['title']}]({embed['url']})" if embed.get("url") else embed["title"]
            lines.append(f"**{title}**")
        if embed.get("description"):
            lines += ["", embed["description"]]
        if embed.get("fields"):
            lines += ["", " · ".join(f"**{f['name']}:** {f['value']}" for f in embed["fields"])]
        if embed.get("footer"):
            lines += ["", f"*{embed['footer']['text']}*"]
        lines.append("")
    controls = [f"[{b.get('label') or b.get('placeholder')}]" for b in buttons(message)]
    if controls:
        lines.append(" ".join(controls))
    flags = " *(only you can see this)*" if message.get("flags", 0) & 64 else ""
    body = "\n".join(f"> {line}" if line else ">" for line in "\n".join(lines).strip().splitlines())
    return body + (f"\n>\n> {flags.strip()}" if flags else "")


def readable(text: str, fake: FakeDiscord) -> str:
    """Discord's channel mentions and timestamps as a reader sees them."""
    text = re.sub(r"<#(\d+)>", lambda m: f"#{fake.channels[int(m.group(1))].name}", text)
    return re.sub(r"<t:(\d+):\w>", lambda m: f"{datetime.fromtimestamp(int(m.group(1)), UTC):%Y-%m-%d %H:%M} UTC", text)


def section(title: str, command: str, exchange: Exchange | list[dict[str, Any]]) -> str:
    """One example: the command as typed, then every message it produced."""
    messages = exchange.messages if isinstance(exchange, Exchange) else exchange
    blocks = [f"### {title}", "", f"`{command}`", ""]
    for message in messages:
        blocks += [as_markdown(message), ""]
    return "\n".join(blocks)


async def collect(colloquy: Colloquy) -> list[str]:
    """Run the example commands and return the Markdown sections."""
    sections = []
    quote = await colloquy.run("quote", query=QUERY)
    for _ in range(4):  # page to the Chinese answer: the point of the example
        if "周敏" in quote.text:
            break
        await quote.click("Next ▶")
    sections.append(section("/quote: an English question, a Chinese answer", f"/quote query:{QUERY}", quote))
    sections.append(section("The Context button on that quote", "[Context]", await quote.click("Context")))

    summary = await colloquy.run("summary interview", interview=3, points=3)
    sections.append(section("/summary of an interview", "/summary interview interview:3 points:3", summary))
    topic = await colloquy.run("summary topic", topic="running out of money", points=3)
    command = "/summary topic topic:running out of money points:3"
    sections.append(section("/summary of a topic across interviews", command, topic))

    at = (datetime.now(UTC) + timedelta(minutes=5)).replace(second=0, microsecond=0)
    channel = colloquy.guild.channels["digest"]
    subscribe = await colloquy.run(
        "digest subscribe", user=colloquy.admin, channel=channel, time=f"{at:%H:%M}", timezone="UTC"
    )
    command = f"/digest subscribe channel:#digest time:{at:%H:%M} timezone:UTC"
    sections.append(section("Subscribing a channel to the daily digest", command, subscribe))
    await colloquy.bot.digests.run_due(at)
    posted = colloquy.fake.channel_messages(channel.id)
    sections.append(section("The digest, posted at its time", f"(#digest at {at:%H:%M} UTC)", posted))
    return sections


README_EXAMPLES = ("/quote: an English question", "/summary of an interview", "The digest, posted")


def with_examples(readme: str, sections: list[str]) -> str:
    """The README with the chosen sections between its `<!-- examples -->` and `<!-- /examples -->` markers."""
    chosen = [
        text.replace("### ", "#### ", 1)
        for text in sections
        if text.startswith(tuple(f"### {t}" for t in README_EXAMPLES))
    ]
    start, end = "<!-- examples -->\n", "<!-- /examples -->"
    before, rest = readme.split(start, 1)
    return before + start + "\n" + "\n".join(chosen) + "\n" + end + rest.split(end, 1)[1]


async def main() -> tuple[str, list[str]]:
    """The examples file's Markdown, and its sections."""
    logging.basicConfig(level=logging.WARNING)
    embedder = load_embedder("e5-small+use", PROJECT_ROOT / ".cache" / "models")
    with tempfile.TemporaryDirectory() as folder:
        async with serve_fake() as fake, running_colloquy(fake, Path(folder), embedder=embedder) as colloquy:
            sections = [readable(text, fake) for text in await collect(colloquy)]
            violations = fake.take_violations()
    if violations:
        raise SystemExit(f"the fake Discord API rejected: {violations}")
    header = (
        "# What Colloquy looks like in Discord\n\n"
        "Generated by `make examples` from the bundled samples in `data/samples`: the bot ran with the real\n"
        "embedding model and talked to the fake Discord API of `tests/discord/harness.py`; below is what that\n"
        "server received, as Markdown (embeds as quotes, buttons in brackets).\n"
    )
    return header + "\n" + "\n".join(sections), sections


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else PROJECT_ROOT / "docs" / "examples.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    text, sections = asyncio.run(main())
    target.write_text(text, encoding="utf-8")
    readme = PROJECT_ROOT / "README.md"
    readme.write_text(with_examples(readme.read_text(encoding="utf-8"), sections), encoding="utf-8")
    print(f"wrote {target} and the examples in {readme}")  # noqa: T201
