"""Search hits, transcripts, summaries and lists as Discord embeds that respect Discord's limits.

Embeds are built as API dicts so the limit helpers of bot.digest.render (escaping, splitting at word boundaries,
counting, packing into messages) apply unchanged; `to_embeds` turns them into discord.Embed at the end.
Everything from transcripts or users goes through `neutralize` (markdown escaped, mentions broken); author
names and footers, which Discord shows as plain text, are only shortened.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import discord

from bot.digest.render import (
    COLOR,
    DESCRIPTION_LIMIT,
    FIELD_VALUE_LIMIT,
    TITLE_LIMIT,
    neutralize,
    pack_embeds,
    shorten,
    split_text,
)
from bot.digest.service import SubscriptionInfo
from bot.discord.catalog import file_name, interview_label
from bot.library.service import InterviewInfo
from bot.search.service import ContextTurn, Hit
from bot.summarize.summary import chapter_start
from bot.text.sentences import INFERRED_NOTE, as_excerpt, attributed

Embed = dict[str, Any]
PAGE_SIZE = 10  # interviews per page
SPEAKERS_PER_PAGE = 25
CONTINUED = " (continued)"


def clock(seconds: float) -> str:
    """hh:mm:ss for a position in a recording."""
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole // 60 % 60:02d}:{whole % 60:02d}"


def to_embeds(embeds: Iterable[Embed]) -> list[discord.Embed]:
    """API dicts as discord.py embeds."""
    return [discord.Embed.from_dict(e) for e in embeds]


def _link(url: str | None) -> str | None:
    return url if url and url.startswith(("https://", "http://")) else None


_YOUTUBE = frozenset({"youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be"})


def moment_url(url: str | None, start: float | None) -> str | None:
    """A web source's link, opening a YouTube video at the quote's moment (`t=` in seconds): a quote's time is
    its own words' since stop 70. A link that sets its own `t` is kept (the interview may start there in a longer
    video, and the transcript's times count from that start), and so are other sites' links: their players have
    no parameter for it that holds."""
    link = _link(url)
    if link is None or start is None:
        return link
    parts = urlsplit(link)
    query = parse_qsl(parts.query, keep_blank_values=True)
    if parts.hostname not in _YOUTUBE or any(key == "t" for key, _ in query):
        return link
    return urlunsplit(parts._replace(query=urlencode([*query, ("t", f"{int(start)}s")])))


def _blockquote(text: str, bold: tuple[int, int] | None = None) -> str:
    """Text as a block quote, made inert; `bold` (a character span of it) in bold, line by line."""
    shown = neutralize(text)
    if bold is not None:
        marked = "\n".join(
            f"**{line.strip()}**" if line.strip() else line for line in neutralize(text[slice(*bold)]).split("\n")
        )
        shown = neutralize(text[: bold[0]]) + marked + neutralize(text[bold[1] :])
    return "\n".join(f"> {line}" for line in shown.splitlines() if line.strip())


def _embeds(title: str, description: str, *, url: str | None = None, **extra: Any) -> Iterator[Embed]:
    """One embed, continued in further embeds when the description is over Discord's 4,096 characters."""
    title = shorten(title, TITLE_LIMIT - len(CONTINUED))
    for n, chunk in enumerate(split_text(description, DESCRIPTION_LIMIT) or [""]):
        embed: Embed = {"title": title if n == 0 else title + CONTINUED, "color": COLOR}
        if chunk:
            embed["description"] = chunk
        if n == 0:
            if _link(url):
                embed["url"] = url
            embed.update(extra)
        yield embed


def _field(name: str, value: str, inline: bool = True) -> dict[str, Any]:
    """A field; a value over Discord's 1,024 characters ends with a visible ellipsis (details are a click away)."""
    return {"name": shorten(name, 256), "value": shorten(value, FIELD_VALUE_LIMIT) if value else "—", "inline": inline}


def _where(section: str | None, start: float | None, date: str | None) -> str:
    parts = [neutralize(section) if section else "", f"⏱ {clock(start)}" if start is not None else "", date or ""]
    return " · ".join(p for p in parts if p)


# ---- quotes -------------------------------------------------------------------------------------------------


def quote_embed(hit: Hit, position: int, total: int, query: str, title: str) -> Embed:
    """One quote: the words (and translation), who said them, where, and which page of the results this is."""
    words = _blockquote(as_excerpt(hit.text))
    if hit.translation:
        words += "\n\n" + "\n".join(f"*{line}*" for line in neutralize(hit.translation).splitlines() if line.strip())
    chunks = split_text(words, DESCRIPTION_LIMIT - 40)
    description = chunks[0] + ("\n*(continues: press Context)*" if len(chunks) > 1 else "")
    embed: Embed = {
        "author": {"name": shorten(attributed(hit.speaker, hit.speaker_inferred), 256)},
        "title": shorten(neutralize(title), TITLE_LIMIT),
        "description": description,
        "color": COLOR,
        "fields": [_field("Interview", f"#{hit.interview_id}")],
        "footer": {"text": shorten(f"Quote {position} of {total} · {query}", 2048)},
    }
    if where := _where(hit.section, hit.start, hit.date):
        embed["fields"].append(_field("Where", where))
    if link := moment_url(hit.source_url, hit.start):
        embed["url"] = link
    return embed


def context_embeds(title: str, turns: Sequence[ContextTurn], focus_idx: int) -> list[list[Embed]]:
    """The turns around a quote, the quoted one marked and its quoted words in bold, split into messages that fit."""
    blocks = []
    for turn in turns:
        stamp = f" · {clock(turn.start)}" if turn.start is not None else ""
        marker = "▶ " if turn.idx == focus_idx else ""
        block = f"{marker}**{neutralize(turn.speaker)}**{stamp}\n{_blockquote(turn.text, turn.quote)}"
        if turn.translation:
            block += "\n" + "\n".join(f"> *{line}*" for line in neutralize(turn.translation).splitlines() if line)
        blocks.append(block)
    embeds = list(_embeds(f"Context · {neutralize(title)}", "\n\n".join(blocks)))
    if any(turn.speaker_inferred for turn in turns):
        embeds[-1]["footer"] = {"text": INFERRED_NOTE}
    return pack_embeds(embeds)


def unknown_speaker_lines(speaker: str, similar: list[str]) -> list[str]:
    """That nobody by that name speaks here, and the names it may have meant."""
    lines = [f"No one called **{neutralize(speaker)}** speaks in this server's library."]
    if similar:
        lines.append("Did you mean " + ", ".join(f"**{neutralize(s)}**" for s in similar) + "?")
    return lines


def nothing_matched_embed(
    query: str, *, speaker: str | None, speaker_known: bool, similar: list[str], talkative: list[str]
) -> Embed:
    """Why nothing came back, and what to try instead."""
    lines = []
    if speaker and not speaker_known:
        lines += unknown_speaker_lines(speaker, similar)
    else:
        lines.append(f"Nothing in the library answers “{neutralize(shorten(query, 300))}”" +
                     (f" from **{neutralize(speaker)}**." if speaker else "."))  # fmt: skip
        lines += [
            "",
            "**Try:**",
            "• fewer or other words: the idea, not the exact phrasing",
            "• another language: questions match quotes in English and Chinese alike",
        ]
        if speaker:
            lines.append("• without the speaker filter")
        if talkative:
            lines.append("• asking about " + ", ".join(f"**{neutralize(s)}**" for s in talkative))
        lines.append("• `/interviews` to see what the library holds")
    return {"title": "Nothing matched", "description": "\n".join(lines), "color": COLOR}


# ---- interviews and speakers --------------------------------------------------------------------------------


def _source(info: InterviewInfo) -> str:
    """A link when the source is on the web; otherwise only the file name (never the operator's paths)."""
    if _link(info.source_url):
        return f"[{neutralize(shorten(info.source_url or '', 200))}]({info.source_url})"
    return neutralize(file_name(info.source))


def _people(info: InterviewInfo) -> str:
    people = ", ".join(f"{neutralize(str(p['name']))} ({p['turns']})" for p in info.participants)
    return f"{people} · speakers inferred from the text" if people and info.speakers_inferred else people


def interview_pages(rows: list[InterviewInfo], speaker: str | None) -> list[list[Embed]]:
    """/interviews: ten interviews per page (each page one message)."""
    heading = f"Interviews with {neutralize(speaker)}" if speaker else "Interviews"
    if not rows:
        text = "No interviews" + (" with that speaker" if speaker else "") + " in this server's library yet."
        return [[{"title": heading, "description": text, "color": COLOR}]]
    pages = []
    count = (len(rows) + PAGE_SIZE - 1) // PAGE_SIZE
    for n in range(count):
        lines = []
        for info in rows[n * PAGE_SIZE : (n + 1) * PAGE_SIZE]:
            title = neutralize(shorten(interview_label(info), 200))
            date = f" ({info.date})" if info.date else ""
            lines.append(f"**#{info.id} · {title}**{date}\n{shorten(_people(info), 600)} · {'/'.join(info.languages)}")
        footer = {"text": f"Page {n + 1} of {count} · {len(rows)} interviews · /interview info for details"}
        pages.append(pack_embeds(_embeds(f"{heading} ({len(rows)})", "\n\n".join(lines), footer=footer))[0])
    return pages


def interview_embeds(info: InterviewInfo, keywords: list[str]) -> list[Embed]:
    """/interview info: participants, date, source, keywords and, marked as such, the editor's summary."""
    library = "global" if info.library == "global" else "this server's uploads"
    fields = [
        _field("Participants", _people(info) or "—", inline=False),
        _field("Date", info.date or "unknown"),
        _field("Languages", "/".join(info.languages) or "—"),
        _field("Library", library),
        _field("Source", _source(info), inline=False),
    ]
    if keywords:
        fields.append(_field("Keywords", ", ".join(neutralize(k) for k in keywords), inline=False))
    summary = ""
    if info.editor_summary:
        summary = "**Editor's summary** (from the source, not Colloquy's)\n" + neutralize(info.editor_summary)
    title = f"#{info.id} · {neutralize(interview_label(info))}"
    embeds = list(_embeds(title, summary, url=info.source_url, fields=fields))
    return embeds


def speaker_pages(rows: list[tuple[str, int, int]]) -> list[list[Embed]]:
    """/speakers: who is in the library with their interview and turn counts, 25 per page."""
    if not rows:
        return [[{"title": "Speakers", "description": "The library is empty.", "color": COLOR}]]
    count = (len(rows) + SPEAKERS_PER_PAGE - 1) // SPEAKERS_PER_PAGE
    pages = []
    for n in range(count):
        chunk = rows[n * SPEAKERS_PER_PAGE : (n + 1) * SPEAKERS_PER_PAGE]
        lines = [
            f"**{neutralize(shorten(name, 200))}** · {turns} turn{'s' if turns != 1 else ''} in "
            f"{interviews} interview{'s' if interviews != 1 else ''}"
            for name, interviews, turns in chunk
        ]
        footer = {"text": f"Page {n + 1} of {count} · {len(rows)} speakers"}
        pages.append(pack_embeds(_embeds(f"Speakers ({len(rows)})", "\n".join(lines), footer=footer))[0])
    return pages


# ---- summaries ----------------------------------------------------------------------------------------------


def summary_messages(summary: Any, titles: dict[int, str]) -> list[list[Embed]]:
    """A bot.summarize Summary: numbered points in the speakers' words, each linked to where it was said; an
    interview's under its chapters (name, where each starts), numbered in transcript order like the point menu."""
    title = neutralize(summary.title)
    if summary.nothing_found or not summary.points:
        text = summary.notice or "Nothing in the library speaks to that."
        hint = "\n\nTry a broader topic, another spelling of the name, or `/interviews` to see what is there."
        return [[{"title": title, "description": neutralize(text) + hint, "color": COLOR}]]
    interview = summary.scope == "interview"
    numbered = [f"**{n}.** {_point_text(p, titles, with_title=not interview)}" for n, p in enumerate(summary.points, 1)]
    chapters = summary.chapters if interview and summary.mode != "llm" else []
    blocks = [f"*{neutralize(summary.description)}*"] if interview and summary.description else []
    for c, chapter in enumerate(chapters):
        heading = f"__**{neutralize(chapter.title)}**__ · {chapter_start(chapter)}"
        inside = [line for line, point in zip(numbered, summary.points, strict=True) if point.chapter == c]
        blocks.append("\n".join([heading, *inside]))
    blocks += [] if chapters else numbered
    embeds = list(_embeds(title, "\n\n".join(blocks)))
    if summary.mode == "llm" and summary.sources:
        sources = [f"**[{n}]** {_point_text(p, titles)}" for n, p in enumerate(summary.sources, 1)]
        embeds += _embeds("Sources (the transcripts' own words)", "\n\n".join(sources))
    if summary.keywords:
        embeds[-1].setdefault("fields", []).append(
            _field("Keywords", ", ".join(neutralize(str(k)) for k in summary.keywords), inline=False)
        )
    if summary.editor_summary:
        embeds += _embeds("Editor's summary (from the source, not Colloquy's)", neutralize(summary.editor_summary))
    footer = (
        "Extractive: every point is a quote." if summary.mode == "extractive" else "Written by a model from sources."
    )
    if summary.notice:
        footer += f" {summary.notice}"
    if summary.inferred_once:
        footer += f" {INFERRED_NOTE}"
    embeds[-1]["footer"] = {"text": shorten(footer, 2048)}
    return pack_embeds(embeds)


def _point_text(point: Any, titles: dict[int, str], *, with_title: bool = True) -> str:
    """“words” — speaker, interview and moment (the title, and the mark of an inferred speaker, left out under an
    interview's own summary: its footer says it once)."""
    words = neutralize(as_excerpt(point.text))
    cites = "".join(f"[{c}]" for c in getattr(point, "cites", []) or [])
    where = neutralize(titles.get(point.interview_id) or f"interview #{point.interview_id}")
    stamp = f" · {clock(point.start)}" if point.start is not None else ""
    name = f"*{neutralize(point.speaker)}*"
    who = f" — {attributed(name, point.speaker_inferred and with_title)}" if point.speaker else ""
    return f"“{words}”{cites}{who}{f', {where}' if with_title else ''} (#{point.interview_id}{stamp})"


def point_label(n: int, point: Any) -> str:
    """A select-menu label for a point (plain text, 100 characters)."""
    return shorten(f"{n}. {point.speaker}: {point.text}", 100)


# ---- digests ------------------------------------------------------------------------------------------------


def subscriptions_embed(subs: list[SubscriptionInfo]) -> Embed:
    """/digest list: each subscribed channel with its time, scope and next post (or why it is paused)."""
    if not subs:
        text = "No channel here gets the daily digest. Start one with `/digest subscribe`."
        return {"title": "Digest subscriptions", "description": text, "color": COLOR}
    lines = []
    for sub in subs:
        scope = " · ".join(
            x for x in (f"speaker {neutralize(sub.speaker)}" if sub.speaker else "",
                        f"topic “{neutralize(sub.topic)}”" if sub.topic else "") if x
        )  # fmt: skip
        line = f"<#{sub.channel_id}> at **{sub.local_time}** {sub.timezone}" + (f" · {scope}" if scope else "")
        if sub.paused:
            line += f"\n⏸ paused: {neutralize(shorten(sub.paused_reason or 'paused', 300))}"
        elif sub.next_digest_at:
            line += f"\nnext: {discord.utils.format_dt(sub.next_digest_at, 'R')}"
        if not sub.skip_when_nothing_new:
            line += " · posts even when nothing is new"
        lines.append(line)
    return next(_embeds(f"Digest subscriptions ({len(subs)})", "\n\n".join(lines)))


def subscribed_text(sub: SubscriptionInfo, *, unknown_speaker: bool = False, similar: list[str] | None = None) -> str:
    """Confirmation of /digest subscribe, warning when the speaker is not (yet) in the library."""
    when = discord.utils.format_dt(sub.next_digest_at, "F") if sub.next_digest_at else "when resumed"
    scope = [f"speaker **{neutralize(sub.speaker)}**" if sub.speaker else "", f"topic “{neutralize(sub.topic)}”"
             if sub.topic else ""]  # fmt: skip
    about = " about " + " and ".join(s for s in scope if s) if any(scope) else ""
    text = f"<#{sub.channel_id}> will get the digest{about} every day at {sub.local_time} {sub.timezone}; next {when}."
    if unknown_speaker and sub.speaker:
        warning = unknown_speaker_lines(sub.speaker, similar or [])
        warning[0] = "⚠ " + warning[0] + " The digest will include them once an interview with them is added."
        text += "\n" + "\n".join(warning)
    return text


def preview_messages(payloads: list[dict[str, Any]]) -> list[list[Embed]]:
    """The digest service's message payloads (already within limits) as embed lists."""
    return [list(p.get("embeds", [])) for p in payloads]
