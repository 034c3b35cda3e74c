"""The library service: store transcripts (one transaction each), list and read them back, rename speakers."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Collection, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Select, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.ingest import IngestError, parse_transcript
from bot.ingest.files import too_large
from bot.ingest.transcript import Transcript
from bot.library import models
from bot.library.database import insert_ignoring_duplicates
from bot.library.models import GLOBAL_LIBRARY
from bot.text.passages import build_passages, passage_features
from bot.text.roles import Roles, speaker_roles
from bot.text.sentences import ends_asking
from bot.text.tokens import tokenize, tokens_to_text

log = logging.getLogger(__name__)


async def interview_roles(session: AsyncSession, interview_ids: Collection[int]) -> dict[int, tuple[Roles, bool]]:
    """Each interview's roles (`speaker_roles` of its turns: whom its summary quotes, who asks) and whether its
    speakers were inferred from the text (any turn's `speaker_inferred`), read in one statement."""
    spoken: dict[int, list[tuple[str, str, str]]] = {interview_id: [] for interview_id in interview_ids}
    inferred: set[int] = set()
    turns = await session.execute(
        select(models.Turn.interview_id, models.Turn.speaker, models.Turn.label, models.Turn.text)
        .add_columns(models.Turn.speaker_inferred)
        .where(models.Turn.interview_id.in_(sorted(spoken)))
        .order_by(models.Turn.interview_id, models.Turn.idx)
    )
    for interview_id, speaker, label, text, guessed in turns:
        spoken[interview_id].append((speaker, label, text))
        if guessed:
            inferred.add(interview_id)
    return {interview_id: (speaker_roles(said), interview_id in inferred) for interview_id, said in spoken.items()}


class NotFoundError(LookupError):
    """An interview or speaker the caller may not see or that does not exist."""


class _StoredMeanwhile(Exception):
    """Another process stored the same source while this one was storing it."""


class RefusedError(ValueError):
    """A request the library refuses as given (an empty or over-long name); the text says why in one line."""


LARGEST_ID = 2**31 - 1  # ids are 32-bit integers on PostgreSQL: a larger one cannot name an interview


# Text columns with a declared length: PostgreSQL enforces it and SQLite would not, so both are held to it.
_LENGTHS = {
    "title": models.Interview.title,
    "source URL": models.Interview.source_url,
    "speaker name": models.Turn.speaker,
    "speaker label": models.Turn.label,
    "section heading": models.Turn.section,
}


_SOURCE_LENGTH = int(models.Interview.source_key.type.length)  # type: ignore[attr-defined]  # String column


def _length(what: str) -> int:
    return int(_LENGTHS[what].type.length)  # type: ignore[attr-defined]  # String columns


def _fit_to_columns(transcript: Transcript) -> list[str]:
    """Cut over-long titles, names and headings to their columns (an ellipsis shows the cut); one warning per kind."""
    cut: dict[str, int] = {}

    def fit(value: str | None, what: str) -> str | None:
        if value is None or len(value) <= _length(what):
            return value
        cut[what] = cut.get(what, 0) + 1
        return value[: _length(what) - 1] + "…"

    transcript.title = fit(transcript.title, "title")
    transcript.source_url = fit(transcript.source_url, "source URL")
    names = {name: fit(name, "speaker name") or "" for name in transcript.participants}
    labels = {label: fit(label, "speaker label") or "" for label in {t.label for t in transcript.turns}}
    for turn in transcript.turns:
        turn.speaker, turn.label = names[turn.speaker], labels[turn.label]
        turn.section = fit(turn.section, "section heading")
    return [f"{n} {what}{'s' * (n > 1)} longer than {_length(what)} characters cut" for what, n in cut.items()]


@dataclass(frozen=True)
class IngestOutcome:
    """What happened to one file: ingested, replaced (a changed file), unchanged, or failed (with why)."""

    source: str
    status: str
    message: str
    interview_id: int | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        """True when the file was not stored; the library is as it was."""
        return self.status == "failed"


@dataclass(frozen=True)
class TurnView:
    """A stored turn, as `colloquy show` prints it."""

    idx: int
    speaker: str
    label: str
    lang: str
    text: str
    translation: str | None
    translation_lang: str | None
    section: str | None
    start: float | None
    end: float | None
    speaker_inferred: bool = False  # the file named no speakers; turn and speaker come from the text


@dataclass(frozen=True)
class InterviewInfo:
    """An interview's metadata, as `colloquy interviews` lists it."""

    id: int
    title: str | None
    source: str
    source_url: str | None
    date: str | None
    format: str
    languages: list[str]
    participants: list[dict[str, object]]
    library: str
    content_hash: str
    editor_summary: str | None
    ingested_at: str
    description: str | None = None  # the page's lead sentence when it was too long to be the title
    speakers_inferred: bool = False  # the file named no speakers: its turns and who said them were inferred

    def to_json(self) -> dict[str, object]:
        """The documented JSON shape (see README, 'JSON output')."""
        return asdict(self)


@dataclass(frozen=True)
class InterviewDetail:
    """An interview with its clean transcript."""

    info: InterviewInfo
    turns: list[TurnView]
    warnings: list[str]

    def to_json(self) -> dict[str, object]:
        """The documented JSON shape (see README, 'JSON output')."""
        return {**self.info.to_json(), "warnings": self.warnings, "turns": [asdict(t) for t in self.turns]}


def _check_id(interview_id: int | None) -> None:
    """NotFoundError for an id no interview can have (0, negative, past 32 bits), before the database sees it."""
    if interview_id is not None and not 0 < interview_id <= LARGEST_ID:
        raise NotFoundError(f"no interview with id {interview_id}")


def _info(row: models.Interview, inferred: bool = False) -> InterviewInfo:
    return InterviewInfo(
        id=row.id,
        title=row.title,
        source=row.source_key,
        source_url=row.source_url,
        date=row.date,
        format=row.format,
        languages=list(row.languages),
        participants=[{"name": name, "turns": count} for name, count in row.participants.items()],
        library="global" if row.guild_id == GLOBAL_LIBRARY else f"guild:{row.guild_id}",
        content_hash=row.content_hash,
        editor_summary=row.editor_summary,
        ingested_at=row.ingested_at.isoformat(timespec="seconds"),
        description=row.description,
        speakers_inferred=inferred,
    )


async def _inferred(session: AsyncSession, interviews: Select) -> set[int]:
    """Which of the interviews a query selects had their speakers inferred (every turn of such a file is marked:
    the first says it). A subquery, not a list of ids: a driver takes at most 32 767 parameters."""
    found = await session.scalars(
        select(models.Turn.interview_id).where(
            models.Turn.interview_id.in_(interviews.with_only_columns(models.Interview.id).order_by(None)),
            models.Turn.idx == 0,
            models.Turn.speaker_inferred.is_(True),
        )
    )
    return set(found)


def _rows_for(transcript: Transcript, interview_id: int) -> tuple[list[dict], list[dict]]:
    """Turn and passage rows for a parsed transcript (pure; runs in a worker thread)."""
    turns = [
        {
            "interview_id": interview_id,
            "idx": idx,
            "speaker": t.speaker,
            "label": t.label,
            "speaker_inferred": t.speaker_inferred,
            "lang": t.lang,
            "text": t.text,
            "translation": t.translation,
            "translation_lang": t.translation_lang,
            "section": t.section,
            "start": t.start,
            "end": t.end,
            "asks": ends_asking(t.text),
        }
        for idx, t in enumerate(transcript.turns)
    ]
    passages = [
        {
            "context": _question_before(transcript, p.turn_idx) if p.position == 0 else None,
            "interview_id": interview_id,
            "turn_idx": p.turn_idx,
            "position": p.position,
            "speaker": p.speaker,
            "lang": p.lang,
            "text": p.text,
            "translation": p.translation,
            "start": p.start,
            "lexical": tokens_to_text(tokenize(f"{p.text}\n{p.translation or ''}")),
            **passage_features(p.text),
        }
        for p in build_passages(transcript.turns)
    ]
    return turns, passages


def _question_before(transcript: Transcript, turn_idx: int) -> str | None:
    """The end of the previous speaker's turn (usually the question), at most ~200 characters."""
    if turn_idx == 0:
        return None
    previous, current = transcript.turns[turn_idx - 1], transcript.turns[turn_idx]
    if previous.speaker == current.speaker:
        return None
    text = " ".join(previous.text.split("\n")[-2:])
    return text[-200:]


class Library:
    """Stores and reads transcripts. Borrows the session factory; whoever made the engine disposes of it."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], *, aliases: object = None, max_bytes: int) -> None:
        self.sessions = sessions
        self.aliases = aliases
        self.max_bytes = max_bytes
        self.on_change: list[Callable[[], None]] = []  # search indexes drop their caches here

    def _changed(self) -> None:
        for callback in self.on_change:
            callback()

    async def ingest(
        self, data: bytes, source: str, *, guild_id: int = GLOBAL_LIBRARY, fmt: str | None = None
    ) -> IngestOutcome:
        """Parse and store one file in one transaction; the same bytes again change nothing."""
        if len(data) > self.max_bytes:
            return IngestOutcome(source, "failed", f"{source}: {too_large(len(data), self.max_bytes)}")
        if len(source) > _SOURCE_LENGTH:
            reason = f"the source name is over {_SOURCE_LENGTH:,} characters"
            return IngestOutcome(source, "failed", f"{source[:80]}…: {reason}")
        try:
            transcript = await asyncio.to_thread(parse_transcript, data, source, fmt=fmt, aliases=self.aliases)
            transcript.warnings += _fit_to_columns(transcript)
        except IngestError as exc:
            return IngestOutcome(source, "failed", f"{source}: {exc}")
        except Exception as exc:  # a parser bug on one file must not stop a batch; nothing was stored
            log.exception("parsing %s failed", source)
            reason = (str(exc).splitlines() or [""])[0]
            return IngestOutcome(source, "failed", f"{source}: could not be parsed ({type(exc).__name__}: {reason})")
        try:
            return await self._store(transcript, source, guild_id)
        except Exception as exc:  # the transaction rolled back: the library is as it was
            log.exception("storing %s failed", source)
            return IngestOutcome(source, "failed", f"{source}: could not be stored ({type(exc).__name__}: {exc})")

    async def _store(self, transcript: Transcript, source: str, guild_id: int) -> IngestOutcome:
        """Store in one transaction. The interview row is inserted ON CONFLICT DO NOTHING: when another process
        stored the same source meanwhile (the same file ingested twice at once), nothing is written and the store
        runs again against what that process committed: 'unchanged' for the same bytes, 'replaced' otherwise."""
        for _ in range(3):
            try:
                outcome = await self._store_once(transcript, source, guild_id)
            except _StoredMeanwhile:
                log.info("%s was stored by another process meanwhile; looking again", source)
                continue
            if outcome.status != "unchanged":
                self._changed()
            return outcome
        raise RuntimeError(f"{source} kept being replaced by other processes while being stored")

    async def _store_once(self, transcript: Transcript, source: str, guild_id: int) -> IngestOutcome:
        async with self.sessions.begin() as session:
            # One statement, one snapshot: read apart, another process's commit could fall between the two
            # lookups, and the same bytes would look like a changed file (and be replaced)
            known = await session.scalars(
                select(models.Interview).where(
                    models.Interview.guild_id == guild_id,
                    or_(
                        models.Interview.content_hash == transcript.content_hash,
                        models.Interview.source_key == source,
                    ),
                )
            )
            rows = list(known)
            same = next((row for row in rows if row.content_hash == transcript.content_hash), None)
            if same is not None:
                return IngestOutcome(source, "unchanged", f"{source}: unchanged (interview {same.id})", same.id)
            previous = next((row for row in rows if row.source_key == source), None)
            if previous is not None:
                await session.execute(delete(models.Interview).where(models.Interview.id == previous.id))
            interview_id = await session.scalar(
                insert_ignoring_duplicates(session, models.Interview)
                .values(
                    guild_id=guild_id,
                    source_key=source,
                    content_hash=transcript.content_hash,
                    title=transcript.title,
                    source_url=transcript.source_url,
                    date=transcript.date,
                    format=transcript.format,
                    languages=transcript.languages,
                    participants=transcript.participants,
                    editor_summary=transcript.editor_summary,
                    description=transcript.description,
                    warnings=transcript.warnings,
                    ingested_at=datetime.now(UTC),
                )
                .returning(models.Interview.id)
            )
            if interview_id is None:  # another process stored this source since we looked: roll back, look again
                raise _StoredMeanwhile
            turns, passages = await asyncio.to_thread(_rows_for, transcript, interview_id)
            if turns:
                await session.execute(models.Turn.__table__.insert(), turns)
            if passages:
                await session.execute(models.Passage.__table__.insert(), passages)
            status = "replaced" if previous is not None else "ingested"
            people = ", ".join(f"{name} ({count})" for name, count in transcript.participants.items())
            message = (
                f"{source}: {status} as interview {interview_id}, {len(turns)} turns, {len(passages)} passages: "
                f"{people}"
            )
            log.info("%s", message)
            return IngestOutcome(source, status, message, interview_id, list(transcript.warnings))

    async def interviews(
        self, guild_ids: Collection[int] = (GLOBAL_LIBRARY,), speaker: str | None = None
    ) -> list[InterviewInfo]:
        """Interviews visible to these libraries, newest first; optionally only those where `speaker` talks."""
        query = select(models.Interview).where(models.Interview.guild_id.in_(list(guild_ids)))
        if speaker:
            query = query.where(
                models.Interview.id.in_(select(models.Turn.interview_id).where(models.Turn.speaker == speaker))
            )
        async with self.sessions() as session:
            rows = list(await session.scalars(query.order_by(models.Interview.date.desc(), models.Interview.id.desc())))
            inferred = await _inferred(session, query)
            return [_info(row, row.id in inferred) for row in rows]

    async def interview(self, interview_id: int, guild_ids: Collection[int] = (GLOBAL_LIBRARY,)) -> InterviewDetail:
        """One interview with its turns; NotFoundError if it does not exist or is not visible here."""
        _check_id(interview_id)
        async with self.sessions() as session:
            row = await session.get(models.Interview, interview_id)
            if row is None or row.guild_id not in guild_ids:
                raise NotFoundError(f"no interview with id {interview_id}")
            turns = await session.scalars(
                select(models.Turn).where(models.Turn.interview_id == interview_id).order_by(models.Turn.idx)
            )
            views = [
                TurnView(
                    t.idx,
                    t.speaker,
                    t.label,
                    t.lang,
                    t.text,
                    t.translation,
                    t.translation_lang,
                    t.section,
                    t.start,
                    t.end,
                    t.speaker_inferred,
                )
                for t in turns
            ]
            return InterviewDetail(_info(row, any(v.speaker_inferred for v in views)), views, list(row.warnings))

    async def speakers(self, guild_ids: Collection[int] = (GLOBAL_LIBRARY,)) -> list[tuple[str, int, int]]:
        """(speaker, interviews, turns) for everyone in the visible libraries, most turns first."""
        query = (
            select(models.Turn.speaker, func.count(func.distinct(models.Turn.interview_id)), func.count())
            .join(models.Interview, models.Interview.id == models.Turn.interview_id)
            .where(models.Interview.guild_id.in_(list(guild_ids)))
            .group_by(models.Turn.speaker)
            .order_by(func.count().desc())
        )
        async with self.sessions() as session:
            return [(name, interviews, turns) for name, interviews, turns in await session.execute(query)]

    async def rename_speaker(
        self, old: str, new: str, *, interview_id: int | None = None, guild_ids: Sequence[int] = (GLOBAL_LIBRARY,)
    ) -> int:
        """Rename a speaker (e.g. 'Speaker 1' → a real name) everywhere visible, or in one interview; returns turns."""
        new = new.strip()
        if not new:
            raise RefusedError("the new name is empty")
        if len(new) > _length("speaker name"):
            raise RefusedError(f"the new name is {len(new):,} characters; names are at most {_length('speaker name')}")
        _check_id(interview_id)
        async with self.sessions.begin() as session:
            ids_query = select(models.Interview.id).where(models.Interview.guild_id.in_(list(guild_ids)))
            if interview_id is not None:
                ids_query = ids_query.where(models.Interview.id == interview_id)
            ids = list(await session.scalars(ids_query))
            changed = await session.execute(
                update(models.Turn)
                .where(models.Turn.speaker == old, models.Turn.interview_id.in_(ids))
                .values(speaker=new)
                .execution_options(synchronize_session=False)
            )
            if not changed.rowcount:
                raise NotFoundError(
                    f"no speaker called {old!r}" + (f" in interview {interview_id}" if interview_id else "")
                )
            await session.execute(
                update(models.Passage)
                .where(models.Passage.speaker == old, models.Passage.interview_id.in_(ids))
                .values(speaker=new)
                .execution_options(synchronize_session=False)
            )
            for row in await session.scalars(select(models.Interview).where(models.Interview.id.in_(ids))):
                if old in row.participants:
                    merged = {}
                    for name, count in row.participants.items():
                        key = new if name == old else name
                        merged[key] = merged.get(key, 0) + count
                    row.participants = merged
        self._changed()
        return changed.rowcount

    async def remove(self, interview_id: int, guild_ids: Collection[int] = (GLOBAL_LIBRARY,)) -> InterviewInfo:
        """Delete an interview with its turns, passages and vectors."""
        _check_id(interview_id)
        async with self.sessions.begin() as session:
            row = await session.get(models.Interview, interview_id)
            if row is None or row.guild_id not in guild_ids:
                raise NotFoundError(f"no interview with id {interview_id}")
            info = _info(row)
            await session.execute(delete(models.Interview).where(models.Interview.id == interview_id))
        self._changed()
        return info
