"""A Digest as Discord message payloads within Discord's limits, and as text for the CLI.

Transcript text is untrusted: markdown is escaped and mentions are broken with a zero-width space, and every
message also carries `allowed_mentions` none, so nothing a speaker said can ping anyone or restyle the post.
Long text is split into continuation embeds and extra messages at line or word boundaries (inside a run without
spaces between graphemes, after a sentence or clause mark where there is one), never cut off.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import datetime

from discord.utils import escape_markdown

from bot.digest.compose import Digest, InterviewState, Quote
from bot.ingest.speakers import DIARIZED
from bot.text.graphemes import grapheme_cut
from bot.text.sentences import as_excerpt, attributed, title_after

TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_VALUE_LIMIT = 1024
FIELDS_PER_EMBED = 25
EMBED_TOTAL_LIMIT = 6000  # per message: titles, descriptions, field names and values, footers, author names
EMBEDS_PER_MESSAGE = 10
CONTENT_LIMIT = 2000
COLOR = 0x5865F2
NO_MENTIONS: dict[str, list[str]] = {"parse": []}  # the API form of AllowedMentions.none()

_MENTION = re.compile(r"@(everyone|here|[!&]?\d+)")


def neutralize(text: str) -> str:
    """Transcript text made inert for Discord: markdown escaped (links kept), mentions broken."""
    return _MENTION.sub("@\u200b\\1", escape_markdown(text, ignore_links=True))


SENTENCE_ENDS = "。！？!?；;…"
CLAUSE_MARKS = "，、,：:）)」』】"
QUOTE_PREFIX = "> "


def _cut(text: str, limit: int) -> int:
    """Where to end a chunk of `text` (longer than `limit`): the last line break, else space, else sentence end,
    else clause mark in the chunk's second half; otherwise inside the run, at a grapheme boundary. A boundary
    in the first half would leave a stub chunk (a lone `>` or `•` before a long run without spaces)."""
    floor = max(limit // 2, 1)
    for marks, keep in (("\n", 0), (" ", 0), (SENTENCE_ENDS, 1), (CLAUSE_MARKS, 1)):
        at = max(text.rfind(mark, 0, limit + 1 - keep) for mark in marks)
        if at + keep >= floor:
            return at + keep
    return grapheme_cut(text, limit)


def split_text(text: str, limit: int) -> list[str]:
    """Chunks of at most `limit` characters, cut at a line break, else a space, else after a sentence or clause
    mark (Chinese has no spaces); a long run with none of them (a pasted URL, a page of unpunctuated text) is cut
    between graphemes. Nothing is dropped, and a block quote cut mid-line continues as a block quote."""
    chunks: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        cut = _cut(rest, limit)
        line_start = rest.rfind("\n", 0, cut) + 1
        mid_quote = rest.startswith(QUOTE_PREFIX, line_start) and rest[cut] != "\n" and cut > len(QUOTE_PREFIX)
        chunks.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
        if mid_quote and rest:
            rest = QUOTE_PREFIX + rest
    if rest:
        chunks.append(rest)
    return chunks


def shorten(text: str, limit: int) -> str:
    """A one-line label (a title) cut at a word boundary with a visible ellipsis when too long."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[: grapheme_cut(text, limit - 1)]
    space = head.rfind(" ")
    return (head[:space] if space > limit // 2 else head).rstrip() + "…"


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


UNNAMED_SHOWN = 2  # diarization labels ('Speaker 6') listed by name; more are counted: "and 6 unnamed speakers"


def participants_line(participants: list[str]) -> str:
    """Who talks: the named people, then the speakers a diarizer numbered, counted when there are more than
    UNNAMED_SHOWN of them (an Oxide and Friends episode's line read "Kendall, Speaker 2, Kato, Bamik, Josh,
    Speaker 6, Speaker 7, Brian, Speaker 10, Speaker 11, Speaker 12")."""
    unnamed = [p for p in participants if DIARIZED.match(p)]
    if len(unnamed) <= UNNAMED_SHOWN:
        return ", ".join(neutralize(p) for p in participants)
    named = ", ".join(neutralize(p) for p in participants if p not in unnamed)
    return f"{named} and {len(unnamed)} unnamed speakers" if named else f"{len(unnamed)} unnamed speakers"


def _interview_text(interview: InterviewState) -> str:
    lines = []
    if interview.participants:
        lines.append("**With:** " + participants_line(interview.participants))
    if interview.date:
        lines.append(f"**Date:** {neutralize(interview.date)}")
    if interview.points:
        lines.append("")
    for point in interview.points:
        who = f" — {attributed(f'*{neutralize(point.speaker)}*', point.speaker_inferred)}" if point.speaker else ""
        lines.append(f"• “{neutralize(as_excerpt(point.text))}”{who}")
    if not interview.points:
        lines.append("*(no key points could be drawn from this transcript)*")
    return "\n".join(lines)


def _quote_text(quote: Quote) -> str:
    lines = [f"> {line}" for line in neutralize(as_excerpt(quote.text)).splitlines() if line.strip()]
    if quote.translation:
        lines += [f"> *{line}*" for line in neutralize(quote.translation).splitlines() if line.strip()]
    title = title_after(quote.speaker, quote.interview_title)
    where = (f", *{neutralize(title)}*" if title else "") + (f" ({neutralize(quote.date)})" if quote.date else "")
    lines.append(f"— {attributed(f'**{neutralize(quote.speaker)}**', quote.speaker_inferred)}{where}")
    return "\n".join(lines)


def _embeds(digest: Digest, heading: str) -> Iterator[dict[str, object]]:
    """Embeds in reading order; a description too long for one embed continues in the next."""
    count = len(digest.interviews) + digest.more_interviews
    intro = [
        f"{count} new interview{'s' if count != 1 else ''} since {_when(digest.since)}."
        if count
        else f"Nothing new in the library since {_when(digest.since)}."
    ]
    if digest.scope:
        intro.append(f"Scope: {neutralize(digest.scope)}")
    if digest.more_interviews:
        intro.append(
            f"The {len(digest.interviews)} earliest are below; {digest.more_interviews} more in `/interviews`."
        )
    yield from _split_embed(heading, "\n".join(intro))
    for interview in digest.interviews:
        yield from _split_embed(neutralize(interview.title), _interview_text(interview), url=interview.source_url)
    if digest.quote:
        yield from _split_embed("Quote of the day", _quote_text(digest.quote), url=digest.quote.source_url)
    if digest.themes:
        themes = " · ".join(
            f"**{neutralize(t.keyword)}** ({t.interviews} interview{'s' if t.interviews != 1 else ''})"
            for t in digest.themes
        )
        yield from _split_embed("This week's themes", themes)


def _split_embed(title: str, description: str, url: str | None = None) -> Iterator[dict[str, object]]:
    title = shorten(title, TITLE_LIMIT - len(" (continued)"))
    for n, chunk in enumerate(split_text(description, DESCRIPTION_LIMIT)):
        embed: dict[str, object] = {"title": title if n == 0 else f"{title} (continued)", "description": chunk}
        embed["color"] = COLOR
        if url and n == 0 and url.startswith(("https://", "http://")):
            embed["url"] = url
        yield embed


def embed_size(embed: dict[str, object]) -> int:
    """Characters Discord counts toward the 6,000 per message."""
    size = len(str(embed.get("title", ""))) + len(str(embed.get("description", "")))
    size += len(str((embed.get("footer") or {}).get("text", "")))  # type: ignore[union-attr]  # dict payload
    size += len(str((embed.get("author") or {}).get("name", "")))  # type: ignore[union-attr]  # dict payload
    for item in embed.get("fields", []) or []:  # type: ignore[union-attr]  # dict payload
        size += len(item["name"]) + len(item["value"])
    return size


def pack_embeds(embeds: Iterable[dict[str, object]]) -> list[list[dict[str, object]]]:
    """Embeds grouped in reading order into messages of at most 10 embeds and 6,000 characters each."""
    messages: list[list[dict[str, object]]] = [[]]
    total = 0
    for embed in embeds:
        size = embed_size(embed)
        if messages[-1] and (len(messages[-1]) == EMBEDS_PER_MESSAGE or total + size > EMBED_TOTAL_LIMIT):
            messages.append([])
            total = 0
        messages[-1].append(embed)
        total += size
    return messages


def render_digest(digest: Digest, heading: str | None = None) -> list[dict[str, object]]:
    """Message payloads (POST /channels/{id}/messages bodies) that each fit Discord's limits, in order."""
    heading = heading or f"Colloquy digest · {digest.until:%Y-%m-%d}"
    return [{"embeds": embeds, "allowed_mentions": NO_MENTIONS} for embeds in pack_embeds(_embeds(digest, heading))]


def payloads_as_text(payloads: list[dict[str, object]]) -> str:
    """What the payloads show in Discord, as plain text (for `colloquy digest preview`)."""
    out = []
    for n, payload in enumerate(payloads, 1):
        out.append(f"── message {n} of {len(payloads)} ──")
        if payload.get("content"):
            out.append(str(payload["content"]))
        for embed in payload.get("embeds", []):  # type: ignore[union-attr]  # dict payload
            out.append(f"## {embed['title']}" + (f" <{embed['url']}>" if embed.get("url") else ""))
            out.append(str(embed.get("description", "")))
            out.append("")
    return "\n".join(out).rstrip() + "\n"
