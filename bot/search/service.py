"""Hybrid quote search: dense (multilingual embeddings) + lexical (BM25 over Chinese-aware tokens), fused.

A question in any language or script finds the speaker's exact words: the dense side carries meaning
across languages, the lexical side pins names, numbers and rare terms. When neither side finds anything
that stands out from the rest of the library, the search declines instead of returning the least-bad passage.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache

import numpy as np
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.library import models
from bot.search.ann import MemoryIndex, VectorStore, load_memory_index, store_path
from bot.search.embedder import Embedder, embedding_parts
from bot.search.index import PassageIndex, Scope, load_index, part_slices
from bot.search.indexer import vector_key
from bot.search.pgvector import candidate_source
from bot.search.ranking import RankingModel, best_quotes, load_model, rank
from bot.text.dictionary import english_gloss, load_dictionary
from bot.text.script import normalize, pinyin_names, to_simplified
from bot.text.sentences import join_parts

log = logging.getLogger(__name__)

QUERY_CACHE = 256  # recent question vectors kept
FOCUS_CHARS = 1500  # characters of the quoted turn shown around a quote: a long turn is cut (`clip_turn`)
NEIGHBOUR_CHARS = 600  # ...and of each turn before and after it (the end of one before, the start of one after)
GLOSS_WEIGHT = 0.5  # how far a Chinese question's English gloss pulls its vector (`question_vector`)


@dataclass(frozen=True)
class ContextTurn:
    """A turn as the context view shows it: its words, or the part of a long turn nearest the quote."""

    idx: int
    speaker: str
    text: str
    translation: str | None
    start: float | None
    speaker_inferred: bool
    quote: tuple[int, int] | None = None  # where the quoted words stand in `text` (characters), to be marked


def clip_turn(
    turn: tuple[str, str | None], passages: list[tuple[str, str | None]], quoted: tuple[int, int], limit: int
) -> tuple[str, str | None, int]:
    """A long turn's (text, translation) cut to its passages (text, translation) from `quoted[0]` to `quoted[1]`
    (positions; clamped to the turn, so a span past its end keeps its last passages and one before its start its
    first), grown a passage at a time on either side, before first, while the text stays within `limit`
    characters; "…" marks what was left out. Also the position of the first passage kept (whose start the view
    shows).

    Why: a one-voice talk is one turn of 30 000 characters and more, and a long answer thousands; shown whole, the
    context of one quote filled seven embeds over two messages, and the words around the quote (what a reader
    opens context for) were somewhere inside.
    """
    last = len(passages) - 1
    first, end = sorted((max(0, min(quoted[0], last)), max(0, min(quoted[1], last))))
    size = sum(len(text) for text, _ in passages[first : end + 1])
    grew = True
    while grew:
        grew = False
        for side in (first - 1, end + 1):
            if 0 <= side <= last and size + len(passages[side][0]) <= limit:
                size += len(passages[side][0])
                first, end = min(first, side), max(end, side)
                grew = True
    lead, tail = ("… " if first > 0 else ""), (" …" if end < last else "")
    cut = [_stretch(whole, [part[side] or "" for part in passages], first, end) for side, whole in enumerate(turn)]
    return lead + cut[0] + tail, (lead + cut[1] + tail) if cut[1] else None, first


def _placed(whole: str, parts: list[str]) -> list[int] | None:
    """Where each of `parts`, one after another, starts in `whole` (None when it does not hold them in order)."""
    starts, cursor = [], 0
    for part in parts:
        at = whole.find(part, cursor)
        if at < 0:
            return None
        starts.append(at)
        cursor = at + len(part)
    return starts


def _located(text: str, parts: list[str]) -> tuple[int, int] | None:
    """Where `parts`, one after another, stand in `text` (None when they do not, or fill all of it: nothing to mark)."""
    starts = _placed(text, parts) if parts else None
    span = (starts[0], starts[-1] + len(parts[-1])) if starts else None
    return span if span != (0, len(text)) else None


def _stretch(whole: str | None, parts: list[str], first: int, end: int) -> str:
    """`parts[first:end + 1]` as they stand in `whole` (its line breaks and spacing kept: a passage may end inside a
    run of text without spaces, which joining would split), or joined where `whole` does not hold them in order."""
    starts = _placed(whole or "", parts[: end + 1])
    if starts is None:
        return join_parts([part for part in parts[first : end + 1] if part])
    return (whole or "")[starts[first] : starts[end] + len(parts[end])]


@dataclass(frozen=True)
class Hit:
    """One quote: the speaker's words with where they come from.

    A quote is one passage, or two adjacent passages of one turn when both answer the question
    (`passage_ids`, in transcript order; `passage_id` is the best of them and `position` the first).
    """

    passage_id: int
    interview_id: int
    interview_title: str | None
    source_url: str | None
    date: str | None
    speaker: str
    text: str
    translation: str | None
    lang: str
    turn_idx: int
    position: int
    section: str | None
    start: float | None
    score: float
    passage_ids: tuple[int, ...] = ()
    speaker_inferred: bool = False  # the file named no speakers: who said it was inferred from the text

    def to_json(self) -> dict[str, object]:
        """The documented JSON shape of a hit (README, 'JSON output')."""
        return asdict(self)


@dataclass(frozen=True)
class Question:
    """A question made ready for ranking (`SearchService.prepare`)."""

    index: PassageIndex
    vector: np.ndarray | None
    named: np.ndarray | None  # 1.0 for rows by a speaker the question names, or of an interview it names (`_met`)
    speaking: np.ndarray | None = None  # 1.0 for rows by a speaker it names: their questions hand nothing over


@dataclass(frozen=True)
class SearchResult:
    """Hits best first; `declined` when nothing in scope answers the question (hits are then empty)."""

    query: str
    hits: list[Hit]
    declined: bool = False
    diagnostics: dict[str, float] = field(default_factory=dict)


@lru_cache(maxsize=8192)
def _folded(name: str) -> tuple[str, frozenset[str]]:
    """A name as comparisons read it, and its words (kept: a speaker-filtered search reads every speaker's)."""
    folded = normalize(name)
    return folded, frozenset(re.findall(r"\w+", folded))


def _words(name: str) -> frozenset[str]:
    return _folded(name)[1]


def match_speakers(name: str, known: set[str], aliases: object = None) -> frozenset[str]:
    """Stored speaker names a user-typed name refers to: exact, via the alias table, or by name words.

    'Alex Kantrowitz' finds 'Alex' (the only name the transcript gave) and 'altman' finds 'Sam Altman'. A full
    name also finds the shorter names other transcripts stored for that person: 'Lenny Rachitsky' is also the
    'Lenny' of the episodes that label him by first name only (until stop 44 an exact match elsewhere in the
    library left them out, and a question scoped to him found nothing in them). A Chinese name is also found by
    its pinyin, either way round ('Shunyu Yao' is '姚舜宇').
    """
    canonical = getattr(aliases, "canonical", None)
    wanted = canonical(name) if callable(canonical) and canonical(name) else name
    typed = {normalize(wanted), normalize(name)}
    exact = {k for k in known if _folded(k)[0] in typed or typed & {n.casefold() for n in pinyin_names(k)}}
    words = _words(wanted) | _words(name)
    if not words:  # '%', '\\' or spaces name no one (and would otherwise be a subset of every name)
        return frozenset(exact)
    if exact:  # and the shorter names of that person
        return frozenset(exact | {k for k in known if (kw := _words(k)) and kw <= words})
    return frozenset(k for k in known if (kw := _words(k)) and (kw <= words or words <= kw))


def mentioned_speakers(
    query: str, speakers: list[str], aliases: object = None, within: frozenset[str] | None = None
) -> tuple[frozenset[str], str]:
    """Speakers a question names ("what did Altman say…", "孫正義怎麼看…") and the question without them.

    The names are stripped before embedding: a name says whose words to prefer, not what they are about. In a
    search limited to `within` speakers, another speaker the question names stays in it ("what did Lenny ask
    Hamel about…" among Lenny's words is about Hamel: his name is what the answer holds).
    Latin single names must be capitalised and whole words ('Son', not 'son'); Chinese names match in
    either script. Only names whose letters occur in the question are tried: trying every form of every
    speaker took 79 ms a search with 1 000 speakers and 270 ms with 3 000 (Python's cache of compiled patterns
    holds 512), and only forms that start with two letters found together in the question are looked at (testing
    each of 3 000 speakers' forms for being in the question took 2.7 ms a search, before its encoding starts).
    """
    found: set[str] = set()
    rest = query
    folded = to_simplified(query).lower()
    forms, by_start = _name_forms(tuple(speakers), aliases)
    tried = set(by_start.get("", ()))  # forms of one letter
    for i in range(len(folded) - 1):
        tried.update(by_start.get(folded[i : i + 2], ()))
    for name, speaker, key in (forms[f] for f in sorted(tried)):  # longest first, as `forms` are
        if key not in folded:  # cannot match: the exact test below would fail too
            continue
        if re.search(r"[\u3400-\u9fff]", name):
            simplified = to_simplified(name)
            hit = simplified in to_simplified(rest)
            pattern = re.compile("|".join(re.escape(n) for n in {name, simplified}))
        else:
            flags = re.I if " " in name else 0
            pattern = re.compile(rf"\b{re.escape(name)}(?:'s|’s)?\b", flags)
            hit = bool(pattern.search(rest))
        if hit:
            found.add(speaker)
        if hit and (within is None or speaker in within):
            rest = pattern.sub(" ", to_simplified(rest) if re.search(r"[\u3400-\u9fff]", name) else rest)
    rest = re.sub(r"\s+", " ", rest).strip()
    return frozenset(found), rest if len(rest) >= 3 else query


def question_vector(embedder: Embedder, question: str) -> np.ndarray:
    """The question's vector; a Chinese question's is pulled toward its English gloss (`english_gloss`, weight
    GLOSS_WEIGHT, model by model), since both models put a Chinese question nearer to Chinese speech on any subject
    than to the English passage that answers it. On the dev sets this lifted cross-lingual recall@5 (README, Search);
    an English question is encoded as it is (English → Chinese word lists are too ambiguous to gloss)."""
    gloss = english_gloss(question)
    if not gloss:
        return embedder.encode_queries([question])[0]
    own, glossed = embedder.encode_queries([question, gloss])
    blended = own + np.float32(GLOSS_WEIGHT) * glossed
    parts = embedding_parts(embedder)
    for part in part_slices(parts):  # each model's slice a unit vector again, scaled as the embedder scales it
        blended[part] /= np.linalg.norm(blended[part]) * np.sqrt(len(parts))
    return blended.astype(np.float32)


NameForms = tuple[list[tuple[str, str, str]], dict[str, list[int]]]
_FORMS: OrderedDict[tuple[tuple[str, ...], int], tuple[object, NameForms]] = OrderedDict()


def _name_forms(speakers: tuple[str, ...], aliases: object) -> NameForms:
    """Every (name form, speaker, the form as the question is folded for a first test), longest first: the
    speaker's full name, its words of 3+ letters and the alias table's aliases; and the forms' positions by
    their first two folded letters ("" for forms of one). Kept for the last few speaker lists (and alias
    tables), since every search asks with the same library's speakers."""
    key = (speakers, id(aliases))
    cached = _FORMS.get(key)
    if cached is not None and cached[0] is aliases:
        _FORMS.move_to_end(key)
        return cached[1]
    people: dict[str, list[str]] = {}
    for canonical, alias_list in getattr(aliases, "people", []):
        people.setdefault(canonical, []).extend(a for a in alias_list if len(a) >= 2)
    forms = []
    for speaker in speakers:
        names = {speaker, *(w for w in speaker.split() if len(w) >= 3), *people.get(speaker, ())}
        names.update(pinyin_names(speaker))  # '姚舜宇' as an English question names him: 'Yao Shunyu', 'Shunyu Yao'
        forms.extend((name, speaker, to_simplified(name).lower()) for name in names)
    forms.sort(key=lambda f: -len(f[0]))
    by_start: dict[str, list[int]] = {}
    for i, (_, _, folded) in enumerate(forms):
        by_start.setdefault(folded[:2] if len(folded) >= 2 else "", []).append(i)
    _FORMS[key] = (aliases, (forms, by_start))
    while len(_FORMS) > 4:
        _FORMS.popitem(last=False)
    return forms, by_start


class SearchService:
    """Answers searches from an in-memory index of the library, rebuilt lazily after changes."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        embedder: Embedder,
        *,
        aliases: object = None,
        model: RankingModel | None = None,
    ) -> None:
        self.sessions = sessions
        self.embedder = embedder
        self.aliases = aliases
        self.model = model or load_model()
        self._index: PassageIndex | None = None
        self._memory: MemoryIndex | None = None
        self._store: VectorStore | None = None  # kept across reloads: only new vectors are added to it
        self._lock = asyncio.Lock()
        self._query_vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        # On PostgreSQL each search fetches its candidates from the server (pgvector HNSW + full-text) instead.
        self.candidates = candidate_source(sessions, embedder)

    def invalidate(self) -> None:
        """Drop the in-memory index; the next search reloads it (called when the library changes)."""
        self._index = None
        self._memory = None
        if self.candidates is not None:
            self.candidates.invalidate()

    async def memory(self) -> MemoryIndex:
        """The in-process backend (SQLite): the library's columns and the vector store, loaded if needed."""
        async with self._lock:
            if self._memory is None:
                key = vector_key(self.embedder)

                async def store() -> VectorStore:
                    if self._store is None:
                        path = store_path(self.sessions, key)
                        self._store = await asyncio.to_thread(VectorStore.open, self.embedder.dim, path)
                    return self._store

                self._memory = await load_memory_index(self.sessions, key, store, embedding_parts(self.embedder))
            return self._memory

    async def warm(self) -> None:
        """Load the index, the bilingual dictionary and both models (passages and questions) before serving:
        loading the torch model holds the GIL for 1.5-2.5 s and parsing the dictionary about 2 s, which would
        freeze the event loop in the middle of the first upload or the first English question. On PostgreSQL
        searches read the server: nothing is loaded but the corpus statistics every scope's first question needs
        (loading the whole library there, as this once did, read every vector, and at 1M passages ran past the
        statement timeout), and the server is asked to load its search indexes into memory (`prewarm`)."""
        if self.candidates is None:
            await self.index()
        else:
            await self.candidates.lexical_stats()
            await self.candidates.prewarm()
        await asyncio.to_thread(load_dictionary)
        warm_up = getattr(self.embedder, "warm_up", None)
        if warm_up is not None:
            await asyncio.to_thread(warm_up)

    async def index(self) -> PassageIndex:
        """The whole library as one index (its vectors read from the store in process), loading it if needed."""
        if self.candidates is None:
            return (await self.memory()).index
        async with self._lock:
            if self._index is None:
                self._index = await load_index(self.sessions, vector_key(self.embedder), embedding_parts(self.embedder))
            return self._index

    async def query_vector(self, text: str) -> np.ndarray:
        """The question's vector, from a small cache of recent ones (pagination, "More like this" and digests
        ask the same question again)."""
        vector = self._query_vectors.get(text)
        if vector is None:
            vector = await asyncio.to_thread(question_vector, self.embedder, text)
            self._query_vectors[text] = vector
            while len(self._query_vectors) > QUERY_CACHE:
                self._query_vectors.popitem(last=False)
        else:
            self._query_vectors.move_to_end(text)
        return vector

    async def speakers(self) -> set[str]:
        """Every speaker name in the index."""
        if self.candidates is not None:
            return await self.candidates.speakers()
        return set((await self.index()).speaker_names)

    async def scope_for(
        self,
        *,
        guild_ids: frozenset[int] = frozenset({models.GLOBAL_LIBRARY}),
        speaker: str | None = None,
        interview_id: int | None = None,
        language: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
    ) -> Scope:
        """Build a scope, resolving a typed speaker name to the stored names (none found: an empty scope)."""
        speakers = match_speakers(speaker, await self.speakers(), self.aliases) if speaker else None
        return Scope(guild_ids, speakers, interview_id, language, date_from, date_to)

    async def search(self, query: str, scope: Scope, k: int = 5, method: str = "hybrid") -> SearchResult:
        """The k best quotes for `query` within `scope`; method is 'hybrid', 'dense' or 'lexical'."""
        question = await self.prepare(query, scope, method)
        # ranking and quote joining are CPU work too
        quotes, diagnostics, declined = await asyncio.to_thread(self._quotes, question, query, scope, k, method)
        if declined:
            return SearchResult(query, [], True, diagnostics)
        return SearchResult(query, await self._hits(quotes), False, diagnostics)

    async def prepare(self, query: str, scope: Scope, method: str = "hybrid") -> Question:
        """What ranking needs of a question: the index to rank in (the search's candidates, with their whole
        turns), the question's vector (of the question without the speaker names it mentions), and the rows by a
        speaker it names (or of an interview a speaker named only by inference speaks in: `_met`)."""
        speakers = sorted(await self.speakers())
        named, rest = mentioned_speakers(query, speakers, self.aliases, scope.speakers)
        met: list[int] = []
        if guessed := named - await self._attributed(named):  # their words were given them by inference alone
            met = await self._met(guessed)
            speakers = [name for name in speakers if name not in guessed]
            named, rest = mentioned_speakers(query, speakers, self.aliases, scope.speakers)
        if self.candidates is not None:  # PostgreSQL finds the lexical candidates while the question is encoded
            encoding = asyncio.ensure_future(self.query_vector(rest)) if method != "lexical" else None
            try:
                index: PassageIndex = await self.candidates.index_for(query, encoding, scope, method, named | guessed)
            except BaseException:
                if encoding is not None:
                    encoding.cancel()  # no one will read it (its worker thread finishes on its own)
                raise
            vector = await encoding if encoding is not None else None
        else:  # candidates are CPU work: a worker thread keeps the event loop answering
            vector = await self.query_vector(rest) if method != "lexical" else None
            index = await asyncio.to_thread(
                (await self.memory()).candidates, query, vector, scope, method, named | guessed
            )
        if not (named or met):
            return Question(index, vector, None)
        speaking = np.isin(index.speakers, index.speaker_codes(named)).astype(np.float32)
        lifted = np.maximum(speaking, np.isin(index.interview_ids, met)).astype(np.float32)
        return Question(index, vector, lifted, speaking)

    async def _met(self, guessed: frozenset[str]) -> list[int]:
        """The interviews where names only inference gave speak. Such a name cannot say which turns are that
        person's (`_attributed`), but it does say which interview they speak in, and a question naming them lifts
        that interview's passages, all alike (which of its passages answers is left to the other evidence; their
        own passages come as candidates, as a named speaker's do, and questions there still speak for their
        replies, `Question.speaking`): "黄仁勋怎么看英伟达在中国的市场份额？" was
        answered from 叶国富's interview, which says 中国 and 市场 more often, Jensen Huang's answer fifth. Both dev
        sets rank the same in sample; held out, v2 MRR@10 0.713 → 0.715 (stop 58)."""
        async with self.sessions() as session:
            found = await session.scalars(
                select(models.Turn.interview_id).where(models.Turn.speaker.in_(sorted(guessed))).distinct()
            )
            return sorted(found)

    async def _attributed(self, names: frozenset[str]) -> frozenset[str]:
        """The names some transcript's labels give (not only inference from the text): a question that names a
        speaker lifts that speaker's passages (`named`), but where a file had no usable labels (a diarized
        podcast's guest, named when the host welcomes them) its answers may sit in the other speaker's turns,
        and a lift would sink them under the named speaker's other words; such a name is read as a word of the
        question instead (on corpus 05 naming its guest lost 0.05 of MRR@10 with the lift, nothing without), and
        lifts the whole interviews they speak in (`_met`)."""
        if not names:
            return names
        labelled = (
            select(models.Turn.speaker)
            .where(models.Turn.speaker.in_(sorted(names)), models.Turn.speaker_inferred.is_(False))
            .distinct()
        )
        async with self.sessions() as session:
            return frozenset(await session.scalars(labelled))

    def _quotes(
        self, question: Question, query: str, scope: Scope, k: int, method: str
    ) -> tuple[list[tuple[list[int], int, float]], dict[str, float], bool]:
        """(passage ids of each quote, best id, score), diagnostics and whether to decline (in a worker thread)."""
        index = question.index
        ranked = rank(index, query, question.vector, scope, method, self.model, question.named, question.speaking)
        if ranked.declined:
            return [], ranked.diagnostics, True
        quotes = best_quotes(index, ranked, k, self.model.join_margin)
        ids = [([int(index.ids[r]) for r in span], int(index.ids[best]), s) for span, best, s in quotes]
        return ids, ranked.diagnostics, False

    async def hits_for(self, spans: Sequence[Sequence[int]]) -> list[Hit | None]:
        """Quotes read again from their passage ids (each span in transcript order, as `Hit.passage_ids`), None
        where the first passage is gone: how a button on an old message finds its quote (score 0)."""
        hits = await self._hits([(list(span), span[0], 0.0) for span in spans if span])
        found = {hit.passage_id: hit for hit in hits}
        return [found.get(span[0]) if span else None for span in spans]

    async def _hits(self, quotes: list[tuple[list[int], int, float]]) -> list[Hit]:
        """Hits for (passage ids in order, best id, score), read from the library."""
        if not quotes:
            return []
        ids = [pid for span, _, _ in quotes for pid in span]
        # the columns a hit shows, not whole rows: a turn's full text and an interview's metadata went unread
        query = (
            select(
                models.Passage.id,
                models.Passage.text,
                models.Passage.translation,
                models.Passage.position,
                models.Passage.speaker,
                models.Passage.lang,
                models.Passage.turn_idx,
                models.Passage.interview_id,
                models.Interview.title,
                models.Interview.source_url,
                models.Interview.date,
                models.Turn.section,
                models.Passage.start,
                models.Turn.speaker_inferred,
            )
            .join(models.Interview, models.Interview.id == models.Passage.interview_id)
            .join(
                models.Turn,
                (models.Turn.interview_id == models.Passage.interview_id)
                & (models.Turn.idx == models.Passage.turn_idx),
            )
            .where(models.Passage.id.in_(ids))
        )
        async with self.sessions() as session:
            found = {row.id: row for row in (await session.execute(query)).all()}
        hits = []
        for span, best, score in quotes:
            parts = [found[pid] for pid in span if pid in found]
            if best not in found:  # deleted since the index was loaded
                continue
            first, p = parts[0], found[best]
            translations = [part.translation for part in parts if part.translation]
            hits.append(
                Hit(
                    p.id, p.interview_id, p.title, p.source_url, p.date, p.speaker,
                    join_parts([part.text for part in parts]),
                    join_parts(translations) if translations else None, p.lang, p.turn_idx, first.position,
                    p.section, first.start, round(float(score), 6), tuple(part.id for part in parts),
                    p.speaker_inferred,
                )
            )  # fmt: skip
        return hits

    async def context(
        self, interview_id: int, turn_idx: int, quoted: tuple[int, int] | None, before: int = 1, after: int = 1
    ) -> list[ContextTurn]:
        """The turns around a quote (`quoted`: the first and last passage positions it spans in its turn; None:
        unknown), for a "show context" view, the quoted words located in their turn (`ContextTurn.quote`); a long
        turn is cut to its passages nearest the quote (`clip_turn`): for the turns before it their end, for those
        after it their start."""
        near = models.Turn.idx.between(turn_idx - before, turn_idx + after)
        async with self.sessions() as session:
            turns = list(
                await session.scalars(
                    select(models.Turn).where(models.Turn.interview_id == interview_id, near).order_by(models.Turn.idx)
                )
            )
            limits = {t.idx: FOCUS_CHARS if t.idx == turn_idx else NEIGHBOUR_CHARS for t in turns}
            read = [t.idx for t in turns if len(t.text) > limits[t.idx] or t.idx == turn_idx and quoted is not None]
            passages: dict[int, list[tuple[str, str | None]]] = {idx: [] for idx in read}
            starts: dict[int, list[float | None]] = {idx: [] for idx in read}
            if read:
                rows = await session.execute(
                    select(
                        models.Passage.turn_idx, models.Passage.text, models.Passage.translation, models.Passage.start
                    )
                    .where(models.Passage.interview_id == interview_id, models.Passage.turn_idx.in_(read))
                    .order_by(models.Passage.turn_idx, models.Passage.position)
                )
                for idx, text, translation, start in rows:
                    passages[idx].append((text, translation))
                    starts[idx].append(start)
        out = []
        for t in turns:
            text, translation, quote, own, start = t.text, t.translation, None, passages.get(t.idx), t.start
            if own and len(text) > limits[t.idx]:
                end = len(own) - 1
                span = (quoted or (0, 0)) if t.idx == turn_idx else (0, 0) if t.idx > turn_idx else (end, end)
                text, translation, first = clip_turn((t.text, t.translation), own, span, limits[t.idx])
                start = starts[t.idx][first]  # when the first words shown were said
            if own and t.idx == turn_idx and quoted is not None:
                quote = _located(text, [part for part, _ in own[quoted[0] : quoted[1] + 1]])
            out.append(ContextTurn(t.idx, t.speaker, text, translation, start, t.speaker_inferred, quote))
        return out
