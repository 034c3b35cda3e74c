"""What a summary is: points in the speakers' own words, each traceable to its passage, plus keywords."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from bot.text.sentences import INFERRED_NOTE, as_excerpt, attributed

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
    chapter: int | None = None  # interview scope: index into Summary.chapters
    speaker_inferred: bool = False  # the file named no speakers (bot.text.sentences.attributed)


@dataclass(frozen=True)
class Chapter:
    """A topical chapter of an interview: its name, the words that set it apart, where it starts."""

    title: str  # the page's section heading, or its keywords
    keywords: list[str]
    turn_idx: int
    start: float | None  # seconds, when the transcript has times
    heading: bool  # True when `title` is the page's own heading
    position: int = 0  # the passage of the turn it starts at: a talk given in one voice is one turn in chapters


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
    chapters: list[Chapter] = field(default_factory=list)  # interview scope: the points' chapters, in order
    description: str | None = None  # the page's lead sentence, when its headline is not the title

    @property
    def inferred_once(self) -> bool:
        """An interview's own summary of a transcript that named no speakers: it says so once, under its title or in
        its footer, rather than beside every point (a topic's points may come from several interviews: each says)."""
        return self.scope == "interview" and any(p.speaker_inferred for p in self.points)

    def to_json(self) -> dict[str, object]:
        """The documented JSON shape (README, 'Summaries')."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Summary:
        """Rebuild a summary from `to_json` output (the cache stores that)."""
        values = dict(data)
        values["points"] = [Point(**p) for p in data["points"]]
        values["sources"] = [Point(**p) for p in data.get("sources", [])]
        values["chapters"] = [Chapter(**c) for c in data.get("chapters", [])]
        return cls(**values)


def _clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole // 60 % 60:02d}:{whole % 60:02d}"


def _where(point: Point, scope: str) -> str:
    where = [f"interview {point.interview_id}", f"turn {point.turn_idx}"]
    if scope != "interview" and point.interview_title:
        where.insert(0, point.interview_title)
    if point.date:
        where.append(point.date)
    if point.start is not None:
        where.append(_clock(point.start))
    return " · ".join(where)


def _point_lines(n: int, point: Point, scope: str, indent: str = "") -> list[str]:
    cites = f" [{', '.join(map(str, point.cites))}]" if point.cites else ""
    # an interview's own summary says it once, under its title
    who = attributed(point.speaker, point.speaker_inferred and scope != "interview")
    lines = [f"{indent}{n}. {who}: {as_excerpt(point.text)}{cites}"]
    if point.translation:
        lines.append(f"{indent}   ({point.translation})")
    lines.append(f"{indent}   — {_where(point, scope)}")
    return lines


def chapter_start(chapter: Chapter) -> str:
    """Where a chapter starts, for a reader: 'turn 12 · 00:05:10', or inside a turn 'turn 0 · passage 14' (each
    chapter of a keynote had said 'turn 0')."""
    where = f"turn {chapter.turn_idx}" + (f" · passage {chapter.position}" if chapter.position else "")
    return where + (f" · {_clock(chapter.start)}" if chapter.start is not None else "")


def format_summary(summary: Summary) -> str:
    """Plain text for the terminal: title, chapters with their points and where they start, keywords, the editor's."""
    lines = [f"# {summary.title}"]
    if summary.description:
        lines.append(summary.description)
    if summary.notice:
        lines.append(f"({summary.notice})")
    if summary.inferred_once:
        lines.append(f"({INFERRED_NOTE})")
    if summary.nothing_found:
        lines.append("Nothing found.")
    if summary.mode == "llm":
        lines.append("Summary (written by the language model from the quotes below)")
    numbered = list(enumerate(summary.points, 1))
    if summary.chapters and summary.mode != "llm":
        for c, chapter in enumerate(summary.chapters):
            lines.append(f"\n## {chapter.title}  ({chapter_start(chapter)})")
            for n, point in numbered:
                if point.chapter == c:
                    lines.extend(_point_lines(n, point, summary.scope, "   "))
    else:
        for n, point in numbered:
            lines.extend(_point_lines(n, point, summary.scope))
    if summary.sources:
        lines.append("\nQuotes the model was given:")
        lines.extend(
            f"[{n}] {attributed(p.speaker, p.speaker_inferred)}: {as_excerpt(p.text)}"
            for n, p in enumerate(summary.sources, 1)
        )
    if summary.keywords:
        lines.append("\nKeywords: " + ", ".join(summary.keywords))
    if summary.editor_summary:
        lines.append("\nEditor's summary (from the source, not Colloquy's):\n" + summary.editor_summary)
    return "\n".join(lines)
