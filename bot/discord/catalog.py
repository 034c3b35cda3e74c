"""Which libraries an interaction may see, and the cached interview and speaker lists autocomplete reads.

Autocomplete runs on every keystroke and must answer in well under Discord's 3 s (we aim at < 50 ms), so the
lists are read once per set of visible libraries and dropped whenever the library changes.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from typing import TypeVar

import discord

from bot.digest.render import shorten
from bot.discord.tree import UserFacingError
from bot.library.models import GLOBAL_LIBRARY
from bot.library.service import InterviewInfo, Library
from bot.search.service import match_speakers
from bot.text.script import normalize

CHOICE_LIMIT = 100  # characters in an autocomplete choice's name
T = TypeVar("T")


def visible_libraries(interaction: discord.Interaction) -> frozenset[int]:
    """The global library plus, in a server, that server's uploads (never another server's)."""
    return frozenset({GLOBAL_LIBRARY, interaction.guild_id}) if interaction.guild_id else frozenset({GLOBAL_LIBRARY})


def file_name(source: str) -> str:
    """The last part of a source path: users see the file's name, never the operator's folders."""
    return source.replace("\\", "/").rsplit("/", 1)[-1]


def interview_label(info: InterviewInfo) -> str:
    """How an interview is named in choices and lists: its title, else its file name."""
    return info.title or file_name(info.source)


def best_matches(names: Iterable[T], typed: str, limit: int = 25, key: Callable[[T], str] = str) -> list[T]:
    """Names for what the user typed: those starting with it, then with a word starting with it, then containing it."""
    needle = typed.strip().casefold()
    ranked: tuple[list[T], list[T], list[T]] = ([], [], [])
    for name in names:
        folded = key(name).casefold()
        if folded.startswith(needle):
            ranked[0].append(name)
        elif any(word.startswith(needle) for word in folded.split()):
            ranked[1].append(name)
        elif needle in folded:
            ranked[2].append(name)
    return [*ranked[0], *ranked[1], *ranked[2]][:limit]


def _choice_label(info: InterviewInfo) -> str:
    """'Title (date) · #id' within the 100 characters of a choice, the id always kept."""
    suffix = f" · #{info.id}"
    name = interview_label(info) + (f" ({info.date})" if info.date else "")
    return shorten(name, CHOICE_LIMIT - len(suffix)) + suffix


class Catalog:
    """Interview and speaker lists, read once per library and cached until the library changes.

    Lists are kept per library (the global one, each server's uploads) and merged for what a server sees, so the
    large global library is read once (`warm` at start), not once per server.
    """

    def __init__(self, library: Library) -> None:
        self.library = library
        self._own: dict[int, tuple[list[InterviewInfo], list[tuple[str, int, int]]]] = {}
        self._merged: dict[frozenset[int], tuple[list[InterviewInfo], list[tuple[str, int, int]], dict[str, int]]] = {}
        self._forms: dict[frozenset[int], list[tuple[str, str]]] = {}
        library.on_change.append(self.clear)

    def clear(self) -> None:
        """Forget the cached lists (called by the library on every change)."""
        self._own.clear()
        self._merged.clear()
        self._forms.clear()

    async def warm(self) -> None:
        """Read the global library's lists now, so the first keystroke does not wait for them."""
        await self._lists(frozenset({GLOBAL_LIBRARY}))

    async def _lists(
        self, libraries: frozenset[int]
    ) -> tuple[list[InterviewInfo], list[tuple[str, int, int]], dict[str, int]]:
        if libraries not in self._merged:
            for library_id in libraries - self._own.keys():
                ids = (library_id,)
                self._own[library_id] = (
                    await self.library.interviews(guild_ids=ids),
                    await self.library.speakers(guild_ids=ids),
                )
            rows = [info for lib in libraries for info in self._own[lib][0]]
            rows.sort(key=lambda info: (info.date or "", info.id), reverse=True)  # newest first, as the library
            counts: dict[str, list[int]] = {}
            for lib in libraries:
                for name, interviews, turns in self._own[lib][1]:
                    total = counts.setdefault(name, [0, 0])
                    total[0] += interviews
                    total[1] += turns
            speakers = sorted(((n, i, t) for n, (i, t) in counts.items()), key=lambda row: -row[2])
            self._merged[libraries] = (rows, speakers, {_choice_label(info): info.id for info in rows})
        return self._merged[libraries]

    async def interviews(self, libraries: frozenset[int]) -> list[InterviewInfo]:
        """Interviews visible to these libraries, newest first."""
        return (await self._lists(libraries))[0]

    async def interviews_with(self, speaker: str | None, libraries: frozenset[int]) -> list[InterviewInfo]:
        """Visible interviews, or only those where a speaker talks (the name resolved as search resolves it:
        `altman` and `阿爾特曼` find Sam Altman)."""
        rows = await self.interviews(libraries)
        if not speaker:
            return rows
        names = await self.matching_speakers(speaker, libraries)
        return [r for r in rows if any(str(p["name"]) in names for p in r.participants)]

    async def speakers(self, libraries: frozenset[int]) -> list[tuple[str, int, int]]:
        """(name, interviews, turns) for everyone visible, most turns first."""
        return (await self._lists(libraries))[1]

    async def titles(self, libraries: frozenset[int]) -> dict[int, str]:
        """Interview id → how to name it (title, else file name), for quotes and summary points."""
        return {info.id: interview_label(info) for info in await self.interviews(libraries)}

    async def interview(self, interview_id: int, libraries: frozenset[int]) -> InterviewInfo:
        """A visible interview, or an error that tells the user how to find the right one."""
        for info in await self.interviews(libraries):
            if info.id == interview_id:
                return info
        raise UserFacingError(
            f"There is no interview #{interview_id} in this server's library. "
            "Start typing a title in the option to pick one, or see them all with /interviews."
        )

    async def interview_choices(self, typed: str, libraries: frozenset[int]) -> list[tuple[str, int]]:
        """Up to 25 (label, id) pairs whose title, file name or id matches what was typed."""
        labels = (await self._lists(libraries))[2]
        wanted = typed.strip().lstrip("#")
        exact = [label for label, i in labels.items() if str(i) == wanted]
        return [(label, labels[label]) for label in dict.fromkeys([*exact, *best_matches(labels, typed)])][:25]

    async def speaker_choices(self, typed: str, libraries: frozenset[int]) -> list[str]:
        """Up to 25 speaker names matching what was typed, or one of their aliases (`阿爾特曼` → Sam Altman),
        most talkative first."""
        forms = await self._speaker_forms(libraries)
        matched = best_matches(forms, normalize(typed), limit=len(forms), key=lambda form: form[0])
        return list(dict.fromkeys(name for _, name in matched))[:25]

    async def _speaker_forms(self, libraries: frozenset[int]) -> list[tuple[str, str]]:
        """(comparison form, speaker) for each visible speaker's name and aliases, most talkative first; the
        forms (Simplified, NFKC, case-folded) are computed once per list, not on every keystroke."""
        if libraries not in self._forms:
            names = [name for name, _, _ in await self.speakers(libraries)]
            forms = [(normalize(name), name) for name in names]
            visible = set(names)
            for canonical, aliases in getattr(self.library.aliases, "people", []):
                if canonical in visible:
                    forms += [(normalize(alias), canonical) for alias in aliases]
            self._forms[libraries] = forms
        return self._forms[libraries]

    async def matching_speakers(self, typed: str, libraries: frozenset[int]) -> frozenset[str]:
        """The speakers of these libraries a typed name refers to, resolved as search resolves it."""
        names = {name for name, _, _ in await self.speakers(libraries)}
        return match_speakers(typed, names, self.library.aliases)

    async def knows_speaker(self, typed: str, libraries: frozenset[int]) -> bool:
        """Whether a typed name refers to someone speaking in these libraries."""
        return bool(await self.matching_speakers(typed, libraries))

    async def similar_speakers(self, typed: str, libraries: frozenset[int], limit: int = 3) -> list[str]:
        """Speakers whose names look like a mistyped name."""
        names = [name for name, _, _ in await self.speakers(libraries)]
        folded = {name.casefold(): name for name in names}
        close = difflib.get_close_matches(typed.casefold(), list(folded), n=limit, cutoff=0.5)
        return [folded[c] for c in close] or best_matches(names, typed, limit)
