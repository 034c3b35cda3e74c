"""What a summary is: points in the speakers' own words, each traceable to its passage, plus keywords."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

SCOPES = ("interview", "speaker_topic", "topic")


@dataclass(frozen=True)
class Point:
    """One point: a real sentence or a tight span of one turn (or, in "llm" mode, a sentence citing `cites`)."""

    text: str
    translation: str | None
    speaker: str
    interview_id: int
    interview_title: str | None
    date: str | None
    turn_idx: int
    position: int  # the passage's order within its turn
    passage_id: int
    start: float | None
    section: str | None
    lang: str = ""
    cites: list[int] = field(default_factory=list)  # "llm" mode: 1-based numbers of the `sources` it rests on


@dataclass(frozen=True)
class Summary:
    """A summary of one scope. `editor_summary` is the source's own TL;DR, shown as the editor's, never as ours."""

    scope: str  # "interview" | "speaker_topic" | "topic"
    title: str
    points: list[Point]
    keywords: list[str]
    editor_summary: str | None = None
    mode: str = "extractive"  # "extractive" | "llm"
    notice: str | None = None  # e.g. why the LLM answer was not used
    nothing_found: bool = False
    sources: list[Point] = field(default_factory=list)  # "llm" mode: the extracted points the model was given
    speaker: str | None = None  # speaker_topic: the stored name the typed name resolved to
    topic: str | None = None
    interview_id: int | None = None

    def to_json(self) -> dict[str, object]:
        """The documented JSON shape (README, 'Summaries')."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Summary:
        """Rebuild a summary from `to_json` output (the cache stores that)."""
        values = dict(data)
        values["points"] = [Point(**p) for p in data["points"]]
        values["sources"] = [Point(**p) for p in data.get("sources", [])]
        return cls(**values)
