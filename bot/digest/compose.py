"""The digest's pure core: library state + since + now → Digest. No database, no clock, no Discord."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta

from bot.summarize.points import dangles, is_fragment, stands_alone, trim_filler
from bot.text.dictionary import english_sense
from bot.text.keywords import singular
from bot.text.roles import Roles
from bot.text.script import normalize
from bot.text.sentences import split_sentences
from bot.text.tokens import english_tokens

WEEK = timedelta(days=7)
MAX_INTERVIEWS = 10  # more new interviews than this are counted, not listed
MAX_THEMES = 8
_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class KeyPoint:
    """One key point of an interview, in the speaker's words."""

    text: str
    speaker: str | None = None
    speaker_inferred: bool = False  # the file named no speakers (bot.text.sentences.attributed)


@dataclass(frozen=True)
class InterviewState:
    """What the digest needs to know about one interview: when it arrived, who talks, its points and keywords."""

    id: int
    title: str
    ingested_at: datetime
    participants: list[str]
    points: list[KeyPoint]
    keywords: list[str]
    date: str | None = None
    source_url: str | None = None


@dataclass(frozen=True)
class Quote:
    """The quote of the day: a passage, its speaker and where it comes from."""

    passage_id: int
    interview_id: int
    interview_title: str
    speaker: str
    text: str
    translation: str | None = None
    date: str | None = None
    source_url: str | None = None
    speaker_inferred: bool = False  # the file named no speakers (bot.text.sentences.attributed)


@dataclass(frozen=True)
class Theme:
    """A keyword the week's new material talked about, with how many interviews mention it."""

    keyword: str
    interviews: int


@dataclass(frozen=True)
class Digest:
    """What one channel is sent: the new interviews, a quote of the day, the week's themes."""

    since: datetime
    until: datetime
    interviews: list[InterviewState]
    more_interviews: int
    quote: Quote | None
    themes: list[Theme]
    scope: str | None = None
    quotes_exhausted: bool = False  # every quote in scope had been shown; the rotation started again

    @property
    def nothing_new(self) -> bool:
        """True when nothing was added since the last digest (the quote alone is not news)."""
        return not self.interviews and not self.more_interviews

    def to_json(self) -> dict[str, object]:
        """The JSON shape of `colloquy digest preview --json`."""
        data = asdict(self)
        data["since"] = self.since.isoformat(timespec="seconds")
        data["until"] = self.until.isoformat(timespec="seconds")
        for interview in data["interviews"]:
            interview["ingested_at"] = interview["ingested_at"].isoformat(timespec="seconds")
        data["nothing_new"] = self.nothing_new
        return data


@dataclass(frozen=True)
class LibraryState:
    """The part of the library a digest is composed from (already limited to the subscription's scope)."""

    interviews: Sequence[InterviewState]  # at least those ingested since min(since, now - 7 days)
    quote: Quote | None = None
    quotes_exhausted: bool = False
    scope: str | None = None


def _utc(moment: datetime) -> datetime:
    """Aware UTC; SQLite hands back naive datetimes that were stored as UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def theme_key(keyword: str) -> str:
    """One key however an interview writes a theme: 'AGI' and 'agi', '開源' and '开源', 'companies' and 'company'
    (both were themes of one week of a library of 25 podcasts), and in either language: '模型' and 'models' (a
    week of Chinese and English AI interviews had both among its themes), by the Chinese word's first sense."""
    norm = normalize(keyword)
    english = english_sense(norm) if _CJK.search(norm) else " ".join(english_tokens(norm))
    return english or " ".join(map(singular, norm.split()))


def week_themes(interviews: Sequence[InterviewState], limit: int = MAX_THEMES) -> list[Theme]:
    """Keywords shared by the most interviews (ties: the higher they rank within their interviews), each shown as
    first written, and also as first written in the other language when both name it ('模型 / models')."""
    count: Counter[str] = Counter()
    rank_score: Counter[str] = Counter()
    shown: dict[str, dict[bool, str]] = {}
    for interview in interviews:
        keys: dict[str, int] = {}  # each theme once an interview, at its first keyword's rank ('teach', 'teaching')
        for rank, keyword in enumerate(k.strip() for k in interview.keywords if k.strip()):
            key = theme_key(keyword)
            keys.setdefault(key, rank)
            shown.setdefault(key, {}).setdefault(bool(_CJK.search(keyword)), keyword)
        for key, rank in keys.items():
            count[key] += 1
            rank_score[key] += 1 / (rank + 1)
    order = sorted(count, key=lambda k: (-count[k], -rank_score[k], k))
    return [Theme(" / ".join(shown[k].values()), count[k]) for k in order[:limit]]


def compose_digest(state: LibraryState, *, since: datetime, now: datetime) -> Digest:
    """The digest as of `now`: interviews ingested in (since, now], the quote, the themes of the last 7 days."""
    since, now = _utc(since), _utc(now)
    arrived = sorted(
        (i for i in state.interviews if since < _utc(i.ingested_at) <= now),
        key=lambda i: (_utc(i.ingested_at), i.id),
    )
    week = [i for i in state.interviews if now - WEEK < _utc(i.ingested_at) <= now]
    return Digest(
        since=since,
        until=now,
        interviews=arrived[:MAX_INTERVIEWS],
        more_interviews=max(0, len(arrived) - MAX_INTERVIEWS),
        quote=state.quote,
        themes=week_themes(week),
        scope=state.scope,
        quotes_exhausted=state.quotes_exhausted,
    )


def quote_order(
    candidates: Collection[int], shown: Collection[int], seed: str, last: Collection[int] = ()
) -> tuple[list[int], bool]:
    """Passage ids in the day's order (stable for a seed), those not yet shown only, those in `last` after the
    others (passages whose speaker was inferred); once all were shown, all of them again. Returns (ids, restarted)."""
    fresh = [pid for pid in candidates if pid not in shown]
    restarted = not fresh and bool(candidates)

    def draw(pid: int) -> tuple[bool, bytes]:
        return pid in last, hashlib.blake2b(f"{seed}:{pid}".encode(), digest_size=8).digest()

    return sorted(fresh or candidates, key=draw), restarted


# A reply's first word, then a comma: the quote answers someone ('Yeah, I hear good things about the distro…')
_REPLY = re.compile(r"(?:yeah|yes|yep|no|nope|oh|sure|exactly|absolutely|totally)\s*,", re.I)
_TAG = re.compile(r",\s*(?:right|yeah|no|huh|you know)\?\s*$", re.I)  # 'that says a lot, right?' asks nobody


def memorable(words: str) -> bool:
    """Whether a quotable span (`quotable`) reads well as the day's quote, shown alone: none of its sentences asks
    (not even 'Does that make sense?', which points are allowed to hold) and it does not open as a reply to someone
    ('Yeah, I hear good things about the distro as an experience.', a Changelog library's quote of the day)."""
    asks = any(
        sentence.rstrip().endswith(("?", "？")) and not _TAG.search(sentence) for sentence in split_sentences(words)
    )
    return not asks and not _REPLY.match(words)


def quotable(text: str, speaker: str, roles: Roles) -> str | None:
    """The words to show as a quote of the day, or None: a principal's answer that stands alone as a point
    (never a question, a host's words or filler), without the back-channel it opens with, and whole: a span cut
    off mid-sentence ('…keep learning fun. That's') or opening by pointing back ('That was the reason.') reads as
    a scrap out of context, which a summary's point never is either (bot.summarize.extractive penalizes both)."""
    if speaker not in roles.principals:
        return None
    words = trim_filler(text)
    first = next(iter(split_sentences(words.split("\n", 1)[0])), words)
    return words if stands_alone(words) and not is_fragment(words) and not dangles(first) else None
