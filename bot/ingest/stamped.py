"""Text transcripts whose lines carry a time: the exports of Otter, Rev, Descript, Riverside, Podscribe, whisper.cpp.

A stamp is `hh:mm:ss` or `m:ss` (fractions allowed), bare or in brackets, alone or as a `start --> end` range.
Where it sits decides the shape of a line:

- `[00:01:02] Name: words`, `00:01:02 Name: words`, `[0:00 --> 0:03] [SPEAKER_00]: words`: stamp, speaker, words;
- `[00:01:02] words`: stamp and words, the speaker continues (or stays unknown);
- `Name  0:05`, `Name (00:01:02):`, `Name [00:01:02]`, `[00:01:02] Name`: a header, the words on the lines below;
- `Name (00:01:02): words`, `Name: [00:01:02] words`: a header with its words on the same line.

Lines without a stamp continue the turn above; before the first stamped line is the page's introduction.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import NamedTuple

from bot.ingest.blocks import CJK, TIME, Block, Parsed, is_role, name_like, seconds, section_name
from bot.ingest.cleaning import FOOTER, is_chrome
from bot.ingest.cues import VOICE, cue_text
from bot.ingest.speakers import _ZH_PERSON, AliasTable, _key

_STAMP = rf"(?P<start>{TIME})(?:\s*(?:-->|–|—|-)\s*(?P<end>{TIME}))?"
_LEAD = re.compile(rf"^\s*(?P<open>[\[(])?\s*{_STAMP}\s*(?(open)[\])]|(?=\s|$))\s*[-–|:：]?\s*(?P<rest>.*)$")
_NAME = r"(?P<name>[^\[\]()（）:：\s][^\[\]()（）:：]{0,39}?)"
_TRAIL = (
    # Name (00:01:02): words, and 'Name: [36:20]' where the rest of a file writes 'Name [36:21]'
    re.compile(rf"^\s*{_NAME}\s*[:：]?\s*[\[(（]\s*{_STAMP}\s*[\])）]\s*[:：]?\s*(?P<rest>.*)$"),
    # Name  0:05, [Name] 10:02:05, 'Stephan Livera – 00:03:20:', 'Stephan- 00:02:33:'
    re.compile(rf"^\s*\[?{_NAME}\]?(?:\s*[-–|·]\s+|\s+){_STAMP}\s*[:：]?\s*$"),
)
_INLINE = re.compile(r"^\s*(?P<label>[^:：\s][^:：]{0,40}?)\s*[:：]\s*(?P<text>.*)$")
_UNFINISHED = re.compile(r"[.!?。！？…,，;；:：]$")
_BRACKET_LABEL = re.compile(r"^[\[【](?P<label>[^\]】]{1,40})[\]】]\s*[:：]?\s*(?P<text>.*)$")


class Line(NamedTuple):
    """A line that carries a time."""

    start: float
    end: float | None
    label: str | None  # as written; None when the line names nobody
    words: str  # '' for a header whose words follow on the lines below
    plain: str  # the line's words if the label turns out not to be a speaker
    explicit: bool  # the layout marks the label as a speaker ('Name  0:05', 'Name (0:05):', '[SPEAKER_00]:')


def stamped_line(line: str) -> Line | None:
    """The time, speaker label and words of a line that carries a time, or None."""
    lead = _LEAD.match(line)
    if lead:
        start, end, rest = seconds(lead.group("start")), _end(lead.group("end")), lead.group("rest").strip()
        inner = stamped_line(rest) if rest else None
        if inner and inner.explicit and inner.label:  # '0:00 Michael Kennedy  53:25': the header's own time counts
            return inner
        bracket = _BRACKET_LABEL.match(rest)
        labelled = bracket or _INLINE.match(rest)
        if labelled:
            return Line(start, end, labelled.group(1).strip(), labelled.group(2).strip(), rest, bool(bracket))
        if rest and len(rest) <= 40 and not re.search(r"[.!?。！？,，]$", rest):  # '[00:00:05] Lara Croft', words below
            return Line(start, end, rest, "", rest, False)
        return Line(start, end, None, rest, rest, False)
    trail = _TRAIL[0].match(line) or _TRAIL[1].match(line)
    if trail:
        words = trail.group("rest").strip() if "rest" in trail.groupdict() else ""
        start, end = seconds(trail.group("start")), _end(trail.group("end"))
        return Line(start, end, trail.group("name").strip(), words, line.strip(), True)
    inline = _INLINE.match(line)
    lead = _LEAD.match(inline.group("text")) if inline else None
    if inline and lead and lead.group("open") and lead.group("rest"):  # 'Name: [00:01:02] words'
        start, end, words = seconds(lead.group("start")), _end(lead.group("end")), lead.group("rest").strip()
        return Line(start, end, inline.group("label").strip(), words, words, True)
    return None


def _next(lines: list[str], n: int) -> str:
    """The next non-empty line after line n."""
    return next((line.strip() for line in lines[n + 1 :] if line.strip()), "")


def _end(stamp: str | None) -> float | None:
    return seconds(stamp) if stamp else None


_HAN_ONLY = re.compile(r"[\u3400-\u9fff]+")
_HAN_NAME = re.compile(_ZH_PERSON)  # a common surname and one or two more characters
UNNAMED_LEAD = 10  # stamped lines naming no one before the first label: then the labels must recur to be speakers


def speaker_labels(found: list[Line], aliases: AliasTable) -> set[str]:
    """Labels that are speakers: name-like, and laid out as a speaker, recurring (in any case), two words,
    CJK, a known person or a role, or any name in a file where nearly every line names its speaker."""
    named = [
        line for line in found
        if line.label and name_like(line.label, aliases, last_first=line.explicit) and _header_like(line, aliases)
    ]  # fmt: skip
    counts = Counter(_key(line.label or "") for line in named)
    layout = len(named) >= 4 and len(named) >= 0.8 * len(found)  # nearly every line names its speaker
    # Speech-to-text without labels opens lines with what looks like one: a Chinese line of unpunctuated speech
    # ('[00:00:39] 大家好'), or a phrase before a colon ('[01:54:12] 插入一个小说明：最后…'). Such "labels" are a
    # different phrase each time, or open a few lines of a thousand, and come after many lines that name no one;
    # a file's speakers are named from its start, again and again. Such a file has no labels the layout does not
    # mark (a talk's speaker on its first line, and a one-off 'Audience:' after it, stay).
    implicit = [line for line in named if not line.explicit]
    recurring = sum(counts[_key(line.label or "")] >= 2 for line in implicit)
    late = bool(implicit) and found.index(implicit[0]) >= UNNAMED_LEAD
    scattered = late and not layout and (recurring * 2 < len(implicit) or len(implicit) * 100 < len(found))
    return {
        line.label
        for line in named
        if line.label
        and (line.explicit or not scattered)
        and (
            line.explicit
            or layout  # so a guest who speaks once ('[00:00:12] Taylor: …') is a speaker too
            or counts[_key(line.label)] >= 2
            or " " in line.label
            or CJK.search(line.label)
            or aliases.canonical(line.label)
            or is_role(line.label)
        )
    }


def _header_like(line: Line, aliases: AliasTable) -> bool:
    """A stamped line holding only Chinese words heads the lines below it only where they are a person's name
    ('[00:00:05] 李想'), a role or a known alias: unpunctuated speech recognition opens with such lines
    ('[00:00:02] 欢迎收听城市播客'), which had become a speaker whose words were the rest of the file."""
    label = line.label or ""
    if line.explicit or line.words or not _HAN_ONLY.fullmatch(label):
        return True
    return bool(_HAN_NAME.fullmatch(label) or is_role(label) or aliases.canonical(label))


def name_lines_above_stamps(
    lines: list[str], found: list[Line | None], speakers: set[str], aliases: AliasTable
) -> set[str]:
    """Names alone on a line just above stamped lines that name nobody ('Lex Fridman' / '(00:00:00) The…'), as
    written: with the colon of a podcast host's HTML transcript ('Travis:' / '0:00' / words: `head_name`), where
    a name said once counts when the file marks two or more heads so."""
    heads: Counter[str] = Counter()
    following = None
    for line, stamped in reversed(list(zip(lines, found, strict=True))):
        if not line.strip():
            continue
        if (
            stamped is None
            and following is not None
            and following.label not in speakers
            and name_like(head_name(line), aliases)
        ):
            heads[line.strip()] += 1
        following = stamped
    marked = sum(count for head, count in heads.items() if head != head_name(head)) >= 2
    names = set()
    for head, count in heads.items():
        name = head_name(head)
        plainly = " " in name or CJK.search(name) or aliases.canonical(name) or is_role(name)
        if count >= 2 or (marked and head != name) or plainly:
            names.add(head)
    return names


def head_name(line: str) -> str:
    """A name line's name, without the colon that marks it ('Travis:')."""
    return line.strip().rstrip(":：").rstrip()


def _title_like(text: str) -> bool:
    """Short, capitalised and unpunctuated: a chapter title rather than speech."""
    return len(text) <= 60 and not _UNFINISHED.search(text) and bool(re.match(r"[A-Z0-9\u3400-\u9fff]", text))


def _is_heading(text: str, previous: Block, next_line: str, names: set[str]) -> bool:
    """A chapter title between turns: title-like, after a finished sentence, before a speaker or a stamp."""
    finished = (
        bool(re.search(r"[.!?。！？…\"”)]$", previous.text)) or previous.label is None and _title_like(previous.text)
    )
    return _title_like(text) and finished and (next_line in names or stamped_line(next_line) is not None)


def _said(line: str, speakers: set[str]) -> tuple[str, str] | None:
    """A speaker of the file and their words, from an unstamped 'Lenny: Awesome. Basically…' line (Lenny's Podcast
    left a stamp out, and the line ran into the guest's turn above), or None."""
    match = _INLINE.match(line)
    if match and match.group("label").strip() in speakers and match.group("text").strip():
        return match.group("label").strip(), match.group("text").strip()
    return None


def _voices(words: str) -> list[tuple[str | None, str]]:
    """A line's words by speaker where it keeps WebVTT's `<v Name>` tags ('00:00:05 <v Ana>Hi. <v Ben>Hello.', as
    Talk Python To Me's text transcripts do): the tags were read as words, and the speakers inferred."""
    parts = VOICE.split(words)  # words, voice, words, voice, words...
    pieces = [(None, parts[0]), *(((parts[i] or "").strip() or None, parts[i + 1]) for i in range(1, len(parts), 2))]
    return [(voice, cue_text(text)) for voice, text in pieces if cue_text(text)]


def parse_stamped(lines: list[str], aliases: AliasTable, headings: dict[str, str]) -> tuple[Parsed, list[str]]:
    """Stamped lines → blocks (with start, and end where a range is given), and the introduction before them.

    Stamped lines that name nobody before the first speaker are the page's chapter list; short unpunctuated
    lines between a finished turn and the next speaker or stamp are chapter titles (sections).
    """
    found = [stamped_line(line) for line in lines]
    speakers = speaker_labels([f for f in found if f], aliases)
    names = name_lines_above_stamps(lines, found, speakers, aliases)
    blocks: list[Block] = []
    preamble: list[str] = []
    section = pending = None
    headers = unlabelled = 0
    stamps = [f for f in found if f]
    # stamped headings that are speakers' headers ('### [00:00:31] John'): most of them repeat a name
    headed = Counter(f.label for n, f in enumerate(found) if f and headings.get(lines[n].strip()) == "heading")
    voiced = 2 * sum(c for c in headed.values() if c >= 2) > sum(headed.values())
    inline = sum(bool(f.label and f.words) for f in stamps) * 2 > len(stamps)  # '[00:30:06] Ryan: words' lines
    for n, (line, stamped) in enumerate(zip(lines, found, strict=True)):
        text = line.strip()
        # '### 00:16:12 – Intelligence is just associations' is a chapter; '### [00:00:31] John' is John speaking
        voice = voiced and stamped and stamped.label in speakers and not stamped.words
        if stamped and headings.get(text) == "heading" and not voice:
            section = section_name(stamped.plain.lstrip("-–—|: "))
            continue
        if stamped:
            start, end, label, words = stamped[:4]
            if label is not None and label not in speakers:
                words, label = stamped.plain, None
            if blocks and FOOTER.match(words):
                break
            if label is None and not pending and blocks and blocks[-1].label and not blocks[-1].text:
                blocks[-1].text = words  # a header's words, each line stamped again: '0:00 Yeah. Absolutely.'
                continue
            label, pending = label or pending, None
            headers += bool(label and not words)
            for voice, said in _voices(words) if VOICE.search(words) else [(None, words)]:
                unlabelled += (voice or label) is None
                blocks.append(Block(voice or label, said, start=start, end=end, section=section))
        elif not text or is_chrome(text):
            continue
        elif blocks and FOOTER.match(text):
            break
        elif text in names:
            pending = head_name(text)
        elif (
            headings.get(text) in ("heading", "bold")
            or blocks
            and _is_heading(text, blocks[-1], _next(lines, n), names)
        ):
            section = section_name(text)
        elif blocks and inline and (said := _said(text, speakers)):  # one line whose stamp was left out
            blocks.append(Block(said[0], said[1], section=section))
        elif blocks:
            blocks[-1].text = f"{blocks[-1].text}\n{text}".strip()
        else:
            preamble.append(text)
    blocks = [b for b in blocks if b.text]
    reset = next((i for i in range(1, min(len(blocks), 60)) if (blocks[i].start or 0) < (blocks[i - 1].start or 0)), 0)
    if reset and all(b.label is None and _title_like(b.text) for b in blocks[:reset]):
        preamble.extend(b.text for b in blocks[:reset])  # a chapter list ('4:30 The build'), then the talk from 0:00
        blocks, unlabelled = blocks[reset:], unlabelled - reset
    while any(b.label for b in blocks) and blocks[0].label is None and _title_like(blocks[0].text):
        preamble.append(blocks.pop(0).text)  # '(05:12) – Compute': the chapter list
        unlabelled -= 1
    labelled = len(blocks) - unlabelled
    fmt = "header" if labelled and headers * 2 >= labelled else "timestamped"
    parsed = Parsed(fmt, blocks, joiner=" " if unlabelled * 2 >= len(blocks) else "\n")
    parsed.context = "\n".join([*preamble, *(b.text for b in blocks[:30])])
    return parsed, preamble
