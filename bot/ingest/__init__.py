"""Ingestion: transcript bytes in any supported format → a clean, attributed `Transcript` (pure; no database).

parse_transcript(data, name) = decode → detect format → parse → clean → resolve speakers → merge turns
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterator
from dataclasses import replace
from itertools import pairwise

from bot.ingest.blocks import CJK, Block, Parsed, seconds
from bot.ingest.cleaning import (
    NOISE,
    TIME_MARK,
    URL,
    clean_text,
    detect_language,
    drop_noise,
    is_chrome,
    is_reference,
    space_marks,
    strip_pinyin_annotations,
    unescape_entities,
    writes_marks_tight,
)
from bot.ingest.decode import decode_bytes
from bot.ingest.docx import docx_text, is_zip
from bot.ingest.errors import IngestError
from bot.ingest.formats import FORMATS, drop_sponsor_dialogues, drop_sponsor_reads, parse_text
from bot.ingest.pdf import is_pdf, pdf_text
from bot.ingest.speakers import DIARIZED, AliasTable, load_aliases, resolve_speakers
from bot.ingest.titles import interview_title
from bot.ingest.transcript import Transcript, Turn
from bot.ingest.turns_from_text import HOST, infer_speakers, inferred_warning
from bot.text.sentences import capitalizes, continues, split_sentences

__all__ = ["FORMATS", "AliasTable", "IngestError", "Transcript", "Turn", "load_aliases", "parse_transcript"]

UNKNOWN = "Unknown"
LEFT_OUT_WORDS = 2000  # words of a text file read as no one's speech past which ingest says so (and most of it)
_WORD = re.compile(rf"{CJK.pattern}|[^\W_]+")  # a word, or a Chinese character
LONGEST = 7 * 24 * 3600.0  # seconds: a caption time past a week into a recording is a broken export, not a time
_WIDE_END = re.compile(r"[\u2e80-\u9fff\uff00-\uffef\u3000-\u303f“”]$")
_SENTENCE_END = re.compile(r"[.!?。！？]")
# JSON, XML and WebVTT read their own escapes (a `&quot;` made '"' would break a JSON string, `&lt;` a tag)
_STRUCTURED = re.compile(r"\s*(?:[{<]|\[\s*[{\[\"\]]|WEBVTT)")  # not '[00:01] Name:' lines
_INVISIBLE = re.compile("[\u200b\u2060\ufeff]")  # zero-width spaces web pages put around buttons ('\u200b分享')
_WIDE_START = re.compile(r"^[\u2e80-\u9fff\uff00-\uffef\u3000-\u303f“”]")
# a turn that stops on this has finished its sentence (or broke it off: "So in this case-")
_FINISHED = re.compile(r"[.!?。！？…;；:：\-–—][”’\"')）」』\]]*$")
# A reply of its own, not the end of the sentence before it: "A: …what we" / "B: yeah. Totally." keeps B's "yeah."
# Not 'right', 'sure' or 'true', which end sentences as often ("That's what that sounds" / "right.").
_BACKCHANNEL = re.compile(r"(?i)(?:yeah|yes|yep|okay|ok|exactly|totally|absolutely|mm-?hmm)\W*")


def _join(parts: list[str], joiner: str) -> str:
    """Join caption pieces: a space between words, nothing between Chinese characters.

    Only the last character written decides the glue, so a turn of 200,000 cues joins in linear time.
    """
    if joiner != " ":
        return joiner.join(parts)
    out: list[str] = []
    last = ""
    for part in parts:
        glue = "" if not last or _WIDE_END.search(last) or _WIDE_START.search(part) else " "
        out.append(glue + part)
        last = (last + glue + part)[-1:]
    return "".join(out)


def _sane(seconds: float | None) -> bool:
    return seconds is None or (math.isfinite(seconds) and 0 <= seconds <= LONGEST)


def _drop_insane_times(blocks: list[Block]) -> int:
    """Drop times that are not finite, negative or past LONGEST ('start': 1e400, Infinity, -5 from a broken
    exporter); returns how many were dropped."""
    dropped = 0
    for block in blocks:
        if not _sane(block.start):
            block.start, dropped = None, dropped + 1
        if not _sane(block.end):
            block.end, dropped = None, dropped + 1
    return dropped


def _clean_block(block: Block, tight: bool = False) -> Block | None:
    """The block's speech as shown, chrome and link lines left out (ads: `drop_sponsor_reads`); `tight`: the file
    writes its punctuation against the next word, and the spaces are put back first. A block the layout gives no
    time takes the time mark its text opens with, which `clean_text` removes: Changelog's transcripts mark a turn
    every few minutes ('**Feross:** \\[03:37\\] Yeah, so I…')."""
    spaced = space_marks if tight else str
    paragraphs = [clean_text(spaced(p)) for p in block.text.split("\n")]
    paragraphs = [p for p in paragraphs if p and not is_chrome(p) and not is_reference(p)]
    translation = clean_text(spaced(block.translation)) if block.translation else None
    if not paragraphs and not translation:
        return None
    mark = TIME_MARK.match(block.text.lstrip()) if block.start is None else None
    start = seconds(mark.group(1)) if mark else block.start
    return replace(block, text="\n".join(paragraphs), translation=translation, start=start)


# Anonymous diarization ('Speaker 0', 'SPEAKER_01') whose label changes fall inside a sentence more often than this
# does not follow the voices (corpus 05: 127 of 149 changes; Otter's late labels in corpus 01: 44 of 138).
ADRIFT = 0.5
ADRIFT_CHANGES = 10  # fewer changes than this say too little to overrule the labels


def _inside_sentence(tail: str, head: str) -> bool:
    """Whether a change of speaker between text ending `tail` and text starting `head` falls inside a sentence: the
    first stops unfinished (no final mark, not broken off) and the second goes on in lower case."""
    return not _FINISHED.search(tail[-12:]) and continues(head)


def _adrift(blocks: list[Block]) -> str | None:
    """Why the file's speaker labels say nothing of who speaks, or None. Speech-to-text that numbers its voices
    can assign them at random: corpus 05's Whisper segments give one guest's childhood story to "Speaker 0" and
    "Speaker 1" by turns, changing inside "…I was hooked, really I was" / "hooked. I thought wow…". A person
    changes speaker where a sentence ends; labels that mostly change inside one are dropped, and the speakers are
    inferred from the text as for a file without labels. Named labels are a person's choice and stay."""
    if not all(b.label and DIARIZED.match(b.label) for b in blocks) or not capitalizes(b.text for b in blocks):
        return None
    changes = [(a.text.rstrip(), b.text.lstrip()) for a, b in pairwise(blocks) if a.label != b.label]
    inside = sum(_inside_sentence(tail, head) for tail, head in changes)
    if len(changes) < ADRIFT_CHANGES or inside <= ADRIFT * len(changes):
        return None
    return f"the speaker labels change inside a sentence at {inside} of {len(changes)} changes"


# A sentence said three times or more in a row (at most 300 characters: unpunctuated speech has no sentence end); a
# line of unpunctuated captions (kept apart by "\n", see `_merge`) counts as a sentence, said again only as a whole line
_ENDS = ".!?。！？"
_LOOPED = re.compile(
    rf"(?P<said>[^{_ENDS}\n]{{0,300}}[^\s{_ENDS}](?:[{_ENDS}]+|(?P<line>)(?=\n|$)))(?:\s*(?P=said)(?(line)(?=\n|$))){{2,}}"
)


def _unlooped(text: str) -> str:
    """Speech-to-text caught in a loop writes one sentence again and again (Whisper over silence or music:
    "我们下期再见。" twelve times, each a quote of its own): a sentence said three times or more in a row in one turn
    is said once. Twice stays twice, and so do short words said again ("Yeah. Yeah. Yeah.", `_sentence_long`).
    Read once the speakers are known: dropping the loop's cues before turn inference moved its two-role decoding
    elsewhere in the file (54 of 1 118 Talk Python files, for the worse where read)."""
    said = re.split(rf"(?<=[{_ENDS}])\s*|\s*\n\s*", text)  # first a cheap look for a sentence said thrice in a row
    if not any(a == b == c for a, b, c in zip(said, said[1:], said[2:], strict=False)):
        return text
    return _LOOPED.sub(lambda m: m.group("said") if _sentence_long(m.group("said")) else m.group(0), text)


def _sentence_long(text: str) -> bool:
    """Four words or five Chinese characters: more than a backchannel ("Yeah.", "好。"), which people do say three
    times in a row."""
    return len(text.split()) >= 4 or len(CJK.findall(text)) >= 5


def _merge(blocks: list[Block], names: dict[str, str], parsed: Parsed, lang: str, inferred: set[str]) -> list[Turn]:
    """Consecutive blocks of one speaker are one turn."""
    turns: list[Turn] = []
    group: list[Block] = []

    def speaker(block: Block) -> str:
        return names.get(block.label or UNKNOWN, block.label or UNKNOWN)

    def flush() -> None:
        if not group:
            return
        first = group[0]
        bilingual = any(b.translation for b in group)
        joiner = "\n" if bilingual else parsed.joiner
        pieces = [b.text for b in group]
        if joiner == " " and len(_SENTENCE_END.findall(" ".join(pieces))) * 300 < sum(map(len, pieces)):
            joiner = "\n"  # unpunctuated auto-captions: keep cue lines apart so passages can still be cut
        text = _unlooped(_join(pieces, joiner))
        if len(pieces) > 1 and NOISE.search(text):  # a mark the cues split ('… I mean, [Bekah' / 'chuckles] better')
            text = re.sub(r"[ \t]*\n[ \t]*", "\n", re.sub(r"[ \t]{2,}", " ", drop_noise(text))).strip()
        translation = "\n".join(b.translation or "" for b in group) if bilingual else None
        timed = any(b.start is not None for b in group)
        turns.append(
            Turn(
                speaker=speaker(first),
                speaker_inferred=first.label in inferred,
                text=text,
                lang=detect_language(text) if bilingual else lang,
                label=first.label or "",
                translation=translation,
                translation_lang=detect_language(translation) if translation else None,
                section=first.section,
                start=first.start,
                end=group[-1].end,
                marks=tuple((b.start, b.text) for b in group) if timed and len(group) > 1 else (),
            )
        )
        group.clear()

    for block in blocks:
        if group and (speaker(block) != speaker(group[0]) or block.new_turn or block.section != group[0].section):
            flush()
        group.append(block)
    flush()
    return turns


def rejoin_sentences(turns: list[Turn]) -> list[Turn]:
    """Give a sentence cut by a change of speaker back to one of them: machine diarization (Otter, WhisperX)
    moves the label a few words early or late ("Emma: How are you doing" / "Taylor: today? Thank you, glad
    to be on."), so a quote of either began or stopped mid-sentence and "today?" was the guest's. The smaller
    part joins the larger, and only when each turn keeps words of its own; a turn that ends with its
    sentence finished or broken off, or a next one starting in upper case, is left as labelled, as is text
    that does not capitalize its sentences (there a lower-case start says nothing). Repeated until nothing moves,
    so a transcript written out and read again comes back the same (a move finishes its boundary's sentence, so
    each boundary moves once at most)."""
    if not capitalizes(t.text for t in turns):
        return turns
    while any([_rejoin(a, b) for a, b in pairwise(turns)]):  # a list: every boundary, each pass
        pass
    return turns


def _rejoin(a: Turn, b: Turn) -> bool:
    """Move the smaller piece of a sentence split between turns a and b to the other; True if one moved. Line
    breaks count as spaces (a turn merged from cues or paragraphs), so the pieces are the same however the
    turns were laid out."""
    tail, head = a.text.rstrip(), b.text.lstrip()
    if a.speaker == b.speaker or a.translation or b.translation or not _inside_sentence(tail, head):
        return False
    ends = split_sentences(tail.replace("\n", " "))  # the same characters: pieces are slices, stripped
    starts = split_sentences(head.replace("\n", " "))
    if len(starts) < 2 and not _FINISHED.search(head):
        return False  # b never ends the sentence: where it goes is not known
    piece_a, piece_b = ends[-1], starts[0]
    size_a, size_b = len(piece_a.split()), len(piece_b.split())
    if size_a < size_b and len(ends) > 1:  # a's piece follows a sentence end, and a keeps the words before it
        a.text, b.text = tail[: -len(piece_a)].rstrip(), f"{piece_a} {head}"
    elif size_b < size_a and len(starts) > 1 and not _BACKCHANNEL.fullmatch(piece_b):  # b keeps the rest
        a.text, b.text = f"{tail} {piece_b}", head[len(piece_b) :].lstrip()
    else:
        return False
    return True


_NON_WORD = re.compile(r"\W+")
REPEAT_SHARE = 0.8  # of the long blocks after the copy starts that were said before: the file holds it twice
REPEAT_LEAST = 10  # long blocks: fewer repeated than this is a teaser or a quoted passage, not a second copy


def _opening_key(block: Block) -> str | None:
    """A long block's first 40 letters and digits (an edited and a raw copy of a line open alike), else None."""
    key = _NON_WORD.sub("", block.text[:200]).casefold()
    return key[:40] if len(key) >= 30 else None


# A moderator handing the floor to the speaker: 'I am excited to introduce our first speaker, Andrew Poelstra',
# 'Our next speaker is Giacomo Zucco', 'Please welcome Jameson Lopp', 'We will be joined by Kalle Rosenbaum'.
_HANDS_TO = (
    r"(?i:introduce (?:you to )?(?:our |the )?(?:next |first |last |keynote )?speaker,?|introduce"
    r"|(?:next up|up next|the next speaker|our (?:next |first |last |keynote )?speaker)(?: today)? is"
    r"|please (?:welcome|give a warm welcome to)|(?:be |are |'re )?joined (?:today )?by|(?:starting|start) with"
    r"|can we welcome|give it up for|hand (?:it )?over to)\s+"
)
INTRODUCTION_LINES = 3  # a moderator's introduction, when there is one, is among a talk's first paragraphs


def _introduction(blocks: list[Block], speaker: str) -> tuple[list[Block], int]:
    """The blocks with a moderator's introduction of a talk's one speaker by name as blocks of its own, and how
    many: the talk archive gives every word to that speaker, so quotes and a summary's first point were "Jeremy
    Rubin: Today we are joined by Jeremy Rubin who is a Bitcoin Core contributor…" (14 of the 1 867 surveyed
    one-speaker talks open with such a paragraph). The speaker's own words end it: 'As I was introduced I'm
    Jonathan Metzman', or 'I am David Schwartz as you just heard' on the next line."""
    if not blocks:
        return blocks, 0
    names = "|".join(map(re.escape, dict.fromkeys([speaker, speaker.split()[0]])))
    hands = re.compile(rf"{_HANDS_TO}(?:{names})\b")
    own = re.compile(rf"\b(?i:I'm|I am|my name is|this is)\s+(?:{names})\b")
    lines = blocks[0].text.split("\n")
    introduced = 0
    for i, line in enumerate(lines[:INTRODUCTION_LINES]):
        if own.search(line):
            break
        if hands.search(line):
            introduced = i + 1
    if not introduced or (introduced == len(lines) and len(blocks) == 1):
        return blocks, 0  # nothing introduced, or nothing but the introduction: the talk's words after all
    if introduced == len(lines):
        return blocks, 1
    said = replace(blocks[0], text="\n".join(lines[:introduced]))
    rest = replace(blocks[0], text="\n".join(lines[introduced:]), new_turn=True)
    return [said, rest, *blocks[1:]], 1


def _second_copy(blocks: list[Block]) -> int | None:
    """Where the file's transcript starts over, when it holds the transcript twice (a page that published the
    edited and the raw transcript one after the other): the index of the second copy's first block, or None.
    A teaser that quotes the conversation, or a sentence said twice, leaves most later blocks new: no copy."""
    keys = [_opening_key(b) for b in blocks]
    first_seen: dict[str, int] = {}
    for i, key in enumerate(keys):
        if key is not None:
            first_seen.setdefault(key, i)
    repeats = [(i, key) for i, key in enumerate(keys) if key is not None and first_seen[key] < i]
    for i, key in repeats[:REPEAT_LEAST]:  # where a copy would start: one of the first repeated lines
        rest = [k for k in keys[i:] if k is not None]
        if sum(first_seen[k] < i for k in rest) >= max(REPEAT_LEAST, REPEAT_SHARE * len(rest)):
            start, match = i, first_seen[key]
            while match > 0 and blocks[start - 1].text == blocks[match - 1].text:  # its short opening lines too
                start, match = start - 1, match - 1
            return start
    return None


CLIP_SAID_AGAIN = 0.6  # of a block's word 4-grams said again later in the file: a clip of the conversation
COLD_OPEN_CLIPS = 3  # clips, at least, that make the file's opening a cold open
COLD_OPEN_SHARE = 0.1  # of the file's words, at most, in a cold open (more is a second copy's start, not a teaser)
_SHINGLE_WORD = re.compile(r"[^\W_\u3400-\u9fff]+(?:'[^\W_\u3400-\u9fff]+)?|[\u3400-\u9fff]")  # Han: a character


def _four_grams(words: list[str]) -> Iterator[tuple[str, ...]]:
    """The runs of four words in a row (a 4-gram a clip and the conversation share is said twice)."""
    return zip(words, words[1:], words[2:], words[3:], strict=False)


def _cold_open(blocks: list[Block]) -> set[int]:
    """The blocks of a cold open: clips of the conversation played before the show begins, each said again later
    (Lenny's Podcast, 138 of 302 surveyed episodes; 张小珺商业访谈录 and 65 of 147 Chinese podcasts; diarized shows).
    A clip shown as a quote had the other clips for its context, sometimes another speaker's label, and pushed the
    same words said in the conversation down the results; a summary's first point was one. The cold open runs
    from the first block to the last clip before two blocks in a row that are none; only its clips go (a line
    said once in it, 'Those are important.', stays). A longer "cold open" is the first copy of a file that holds
    its conversation twice, which this leaves alone."""
    said = [_SHINGLE_WORD.findall(block.text.casefold()) for block in blocks]
    words = [len(found) for found in said]
    most, lead, opening = COLD_OPEN_SHARE * sum(words), 0, 0
    while lead < len(blocks) and opening <= most:  # no cold open reaches past this
        opening += words[lead]
        lead += 1
    shingles = [set(_four_grams(w)) for w in said[:lead]]
    wanted = set().union(*shingles)
    # where each of the opening's 4-grams is said last: the rest of the file is only looked up in it
    last: dict[tuple[str, ...], int] = {}
    for i, w in enumerate(said):
        last.update((shingle, i) for shingle in wanted.intersection(_four_grams(w)))
    clips, misses = [], 0
    for i, found in enumerate(shingles):
        again = sum(last[s] > i for s in found)
        if found and again >= CLIP_SAID_AGAIN * len(found) and (len(found) >= 3 or again == len(found)):
            clips.append(i)  # a short one ('it levels the playing field.') only when all of it is said again
            misses = 0
        else:
            misses += 1
            if misses == 2:
                break
    long_clips = sum(len(shingles[i]) >= 3 for i in clips)
    if long_clips < COLD_OPEN_CLIPS or sum(words[: clips[-1] + 1]) > most:
        return set()
    return set(clips)


LATE_LABELS = 3  # a file whose first label comes after a third of its parts (of at least LATE_PARTS)
LATE_PARTS = 50


def _labelled_late(blocks: list[Block]) -> str | None:
    """Why the file's labels say nothing of who speaks in most of it, or None: they begin a third of the way in or
    later (an editor's "Speaker 1:" from minute 35 of 55 on, a caption's "LAURENCE MORONEY: Oh, thanks." on 15
    of 1 000 cues). Everything before the first label was one "Unknown" turn, everything after it the label's; the
    speakers are inferred from the text instead, as for a file without labels."""
    first = next((i for i, block in enumerate(blocks) if block.label is not None), None)
    if first is None or len(blocks) < LATE_PARTS or first * LATE_LABELS <= len(blocks):
        return None
    return f"the speaker labels begin {first} of {len(blocks)} parts in"


def read_blocks(
    data: bytes, *, fmt: str | None = None, aliases: AliasTable | None = None
) -> tuple[Parsed, list[Block]]:
    """The file's clean speech blocks as labelled (label None throughout when it names no speaker)."""
    # a Word file, a PDF, else text in any encoding
    text = docx_text(data) if is_zip(data) else pdf_text(data) if is_pdf(data) else decode_bytes(data)
    text = strip_pinyin_annotations(_INVISIBLE.sub("", text))
    if not _STRUCTURED.match(text):  # before the labels are read: '**Conan O&#39;Brien** [0:09]'
        text = unescape_entities(text)
    parsed = parse_text(text, aliases or AliasTable(), fmt)
    tight = writes_marks_tight(text for b in parsed.blocks for text in (b.text, b.translation or ""))
    blocks = [b for b in (_clean_block(b, tight) for b in parsed.blocks) if b]
    if (late := _labelled_late(blocks)) is not None:
        parsed.warnings.append(late)
        for block in blocks:
            block.label = None
    for i, block in enumerate(blocks):  # caption cues without a label continue the previous speaker
        if block.label is None and i and blocks[i - 1].label is not None:
            block.label = blocks[i - 1].label
    blocks = drop_sponsor_reads(drop_sponsor_dialogues(blocks))
    if (left := _left_out(text, parsed.format, blocks)) is not None:
        parsed.warnings.append(left)
    return parsed, blocks


def _left_out(text: str, fmt: str, blocks: list[Block]) -> str | None:
    """Say so when most of a plain-text or Markdown file is no one's speech (an introduction, headings, notes, links,
    ads): meeting notes and talk pages whose layout the parser does not know kept as little as 3% of their words,
    silently (stop 71's survey). Captions and JSON are left alone: their times and keys are no words."""
    if fmt not in ("dialogue", "markdown"):
        return None
    words = len(_WORD.findall(URL.sub(" ", text)))
    said = sum(len(_WORD.findall(block.text)) for block in blocks)
    if words - said < LEFT_OUT_WORDS or 2 * said >= words:
        return None
    return (
        f"{words - said:,} of the file's {words:,} words were read as no one's speech (the page's introduction, "
        "headings, notes, links or ads) and left out: check what was kept"
    )


def parse_transcript(
    data: bytes, name: str, *, fmt: str | None = None, aliases: AliasTable | None = None
) -> Transcript:
    """Parse one file; IngestError with a one-line reason when it cannot be ingested."""
    aliases = aliases or AliasTable()
    parsed, blocks = read_blocks(data, fmt=fmt, aliases=aliases)
    warnings = list(parsed.warnings)
    if not blocks:
        raise IngestError("no transcript text found")
    if (copy := _second_copy(blocks)) is not None:
        copied = f"the last {len(blocks) - copy} of {len(blocks)} parts"
        warnings.append(f"the file holds the transcript twice; the second copy ({copied}) was left out")
        blocks = blocks[:copy]
    if clips := _cold_open(blocks):
        warnings.append(f"the cold open's {len(clips)} clips, said again later in the conversation, were left out")
        blocks = [block for i, block in enumerate(blocks) if i not in clips]
    if dropped := _drop_insane_times(blocks):
        warnings.append(f"{dropped} time(s) dropped: not a number of seconds between 0 and {LONGEST / 86400:.0f} days")
    context = "\n".join(filter(None, [parsed.title, parsed.context]))
    inferred: set[str] = set()
    introduced = 0  # leading blocks of a moderator introducing a talk's one speaker
    if adrift := _adrift(blocks):
        for block in blocks:
            block.label = None
    if all(b.label is None for b in blocks):
        if len(parsed.speakers) == 1 and not adrift and not parsed.hosted:
            # a talk (or a written answer) whose front matter names its one speaker: all theirs, but for the
            # moderator's introduction of them (not where it names hosts too: a Chinese translation of a Waiting to
            # Be Signed interview, "guest: Claudio Dalla Bernardina", "hosts: Will & Trinity", was one turn of his)
            blocks, introduced = _introduction(blocks, parsed.speakers[0])
            for i, block in enumerate(blocks):
                block.label = HOST if i < introduced else parsed.speakers[0]
        else:  # no labels at all: speakers from the text alone
            blocks, inferred = infer_speakers(blocks, context, parsed.joiner, aliases, parsed.title or "")
            warnings.append(inferred_warning(inferred, adrift or "no speaker labels"))
    all_text = "\n".join(b.text for b in blocks)
    lang = detect_language(all_text)
    if inferred:  # the labels are already the names or roles the text supports
        names = {label: label for label in inferred}
    else:
        names = resolve_speakers([(b.label or UNKNOWN, b.text) for b in blocks], context, aliases, parsed.speakers)
        if introduced:  # the page names no moderator: another name it mentions would be a guess
            names[HOST] = HOST
    turns = _merge(blocks, names, parsed, lang, inferred)
    if not inferred:  # inferred turns change where sentences end already
        turns = rejoin_sentences(turns)
    languages = list(dict.fromkeys([t.lang for t in turns] + [t.translation_lang for t in turns if t.translation_lang]))
    title, description = interview_title(parsed.title, turns, name, parsed.title_declared)
    return Transcript(
        turns=turns,
        format=parsed.format,
        title=title,
        description=description,
        source_url=parsed.source_url,
        date=parsed.date,
        languages=languages,
        editor_summary=parsed.editor_summary,
        warnings=warnings,
        content_hash=hashlib.sha256(data).hexdigest(),
    )
