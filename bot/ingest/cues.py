"""Timed formats: SRT, WebVTT, Whisper/WhisperX JSON and TSV, Transcriber XML → labelled blocks with start and end.

Caption cues carry speakers in several ways, all handled the same for SRT and WebVTT: a `<v Name>` voice
tag (several in one cue split it), a `Name:` / `NAME:` / `[Name]` prefix on a turn's first cue, a name alone
on the cue's first line, dialogue dashes (`- Ana: …` / `- Ben: …`, one speaker per dashed line) and `>>`
speaker changes. Cues without a speaker continue the previous one. Auto-captions that roll (each cue repeats
the previous line, as YouTube's do, or grows it, as live captions do) are de-duplicated.
"""

from __future__ import annotations

import csv
import html
import io
import json
import math
import re
from collections import Counter
from xml.etree import ElementTree

from bot.ingest.blocks import CJK, TIME, Block, Parsed, is_role, name_like, seconds
from bot.ingest.errors import IngestError
from bot.ingest.speakers import AliasTable, _key, first_name
from bot.text.sentences import join_parts

CUE_TIME = re.compile(
    r"^\s*(\d{1,3}:\d{1,2}(?::\d{1,2})?(?:[.,]\d{1,3})?)\s*-->\s*(\d{1,3}:\d{1,2}(?::\d{1,2})?(?:[.,]\d{1,3})?)"
)
VOICE = re.compile(r"<v(?:\.[^\s>]+)*(?:\s+([^>]*))?>", re.I)
_MARKUP = re.compile(r"<[^>]*>")  # HTML-like tags, inline times <00:00:01.200>
_ASS = re.compile(r"\{\\[^}]*\}")  # positioning overrides some SRT files carry: {\an8}
_LATIN = re.compile(r"[A-Za-z]")
_TURN_MARK = re.compile(r"^\s*(?:>>+|[-–—](?=\s*\S))\s*")
# 'Name: words' ('BBC Micro:bit was…' is words: a Latin colon before a label's words has a space after it)
_PREFIX = re.compile(r"^\s*(?P<label>[^:：\s][^:：]{0,40}?)\s*(?:：|:(?!\S))\s*(?P<text>.*)$", re.S)
_TRAILING = re.compile(r"^(?P<text>.*?\S)\s*[\[(（](?P<label>[^\])）]{1,40})[\])）]$", re.S)
_BRACKET = re.compile(r"^\s*[\[(【（](?P<label>[^\])】）]{1,40})[\])】）]\s*[:：]?\s*(?P<text>.*)$", re.S)

Cue = tuple[float | None, float | None, str | None, str]  # start, end, voice, text
CHANGE = "\x00>>"  # the voice of a piece that a `>>` opens: someone else speaks, unnamed


def _named(voice: str | None) -> str | None:
    """A piece's voice as a speaker's name: None for no voice and for an unnamed change (`CHANGE`)."""
    return None if voice == CHANGE else voice


def cue_text(raw: str) -> str:
    """Caption markup → the words: tags and inline timings removed, entities decoded, spaces collapsed."""
    return re.sub(r"\s+", " ", html.unescape(_MARKUP.sub("", raw))).strip()


def _timed_cues(text: str) -> list[tuple[float, float, list[str]]]:
    """Cues as (start, end, lines): a `start --> end` line, then lines up to a blank line or the next cue.

    Cue numbers and ids (after a blank line) and blocks without a time line (WebVTT header, NOTE, STYLE,
    REGION) are skipped, so a missing blank line or final newline does not matter.
    """
    lines = text.split("\n")
    cues: list[tuple[float, float, list[str]]] = []
    current: list[str] | None = None
    for i, line in enumerate(lines):
        match = CUE_TIME.match(line)
        if match:
            current = []
            cues.append((seconds(match.group(1)), seconds(match.group(2)), current))
        elif not line:
            current = None
        elif not line.strip():  # a line of spaces (YouTube, some exporters) does not end a cue
            continue
        elif current is not None and not (
            line.strip().isdigit() and i + 1 < len(lines) and CUE_TIME.match(lines[i + 1])
        ):
            current.append(_ASS.sub("", line))
    return cues


def _unroll(cues: list[tuple[float, float, list[str]]]) -> list[tuple[float, float, list[str]]]:
    """Drop lines a rolling auto-caption repeats from the cue before, when the file rolls: YouTube's repeat the
    previous line whole; live captions grow it ("大家好", then "大家好我们今天", then "大家好我们今天讲神经网络"),
    and there the longest line stands for the others, from the first one's start."""
    visible = [[cue_text(line) for line in lines if cue_text(line)] for _, _, lines in cues]
    rolls = sum(1 for a, b in zip(visible, visible[1:], strict=False) if a and b and b[0].startswith(a[-1]))
    if rolls < max(2, len(cues) // 4):
        return cues
    out: list[tuple[float, float, list[str]]] = []
    previous: list[str] = []
    for (start, end, lines), shown in zip(cues, visible, strict=True):
        fresh = [line for line in lines if cue_text(line) and cue_text(line) not in previous]
        grows = fresh and cue_text(fresh[0]) == shown[0] and previous and shown[0].startswith(previous[-1])
        if grows and out and cue_text(out[-1][2][-1]) == previous[-1]:  # the line grown is the last one kept
            grown = out[-1][2]
            grown.pop()
            if not grown:
                start = out.pop()[0]
        previous = shown or previous
        if fresh:
            out.append((start, end, fresh))
    return out


def _pieces(lines: list[str], aliases: AliasTable) -> list[tuple[str | None, str]]:
    """One cue's lines → (voice, raw text) per speaker: voice tags, `>>`, dialogue dashes and a `Name:` at the
    start of a later line start a new piece."""
    lines = [part for line in lines for part in re.split(r"\s+(?=>>+\s)", line)]  # '… >> Thanks.' mid-line
    dashed = len(lines) > 1 and any(_TURN_MARK.match(line) for line in lines[1:])
    pieces: list[tuple[str | None, list[str]]] = []
    voice, current = None, None
    for i, line in enumerate(lines):
        prefix = _PREFIX.match(cue_text(line)) if i else None
        if prefix and name_like(prefix.group("label"), aliases):
            voice, current = None, None
        for n, part in enumerate(VOICE.split(line)):  # text, voice, text, voice, text...
            if n % 2:
                voice, current = (part or "").strip() or None, None
                continue
            mark = _TURN_MARK.match(part) if n == 0 else None
            if n == 0 and part.strip() in ("-", "–", "—"):  # a dash alone on its line separates two speakers
                voice, current = None, None
                continue
            if mark:
                if dashed or ">" in mark.group(0):
                    voice, current = (CHANGE if ">" in mark.group(0) else None), None
                part = part[mark.end() :]
            if not part.strip():
                continue
            if current is None:
                current = []
                pieces.append((voice, current))
            current.append(part)
    return [(voice, "\n".join(text)) for voice, text in pieces]


def _candidate(text: str, aliases: AliasTable) -> tuple[str, str, bool] | None:
    """A speaker written into a cue, its words, and whether the name stood alone on the cue's first line:
    `Name: words`, `[Name] words`, or `Name` above the words."""
    first, _, rest = text.partition("\n")
    if rest and name_like(cue_text(first), aliases) and not re.search(r"[.:：]$", first.strip()):
        return cue_text(first), rest, True
    for pattern in (_PREFIX, _BRACKET):
        match = pattern.match(cue_text(text).replace("\n", " ") if pattern is _BRACKET else text)
        if match and match.group("text").strip() and name_like(cue_text(match.group("label")), aliases):
            return cue_text(match.group("label")), match.group("text"), False
    return None


def _signatures(cues: list[Cue], found: list[tuple[str, str, bool] | None], aliases: AliasTable) -> None:
    """Names after the words ('Welcome to the show. (Maria)'), in files that sign cues that way: into `found`."""
    trailing = [
        None if c or _named(v) else _TRAILING.match(cue_text(t)) for (_, _, v, t), c in zip(cues, found, strict=True)
    ]
    signed = Counter(_key(m.group("label")) for m in trailing if m and name_like(m.group("label"), aliases))
    if sum(signed.values()) < 3 or max(signed.values()) < 2:
        return
    for n, match in enumerate(trailing):
        if match and name_like(match.group("label"), aliases):
            found[n] = (match.group("label"), match.group("text"), False)


def cue_blocks(cues: list[Cue], aliases: AliasTable, translations: list[str] | None = None) -> list[Block]:
    """Cues → blocks. A written-in label counts as a speaker when it recurs (in any case), is a known person
    or role, or has two words, is a CJK name or the first name of another label; a name alone on a cue's first
    line only in files that put names there, so 'Good Morning' above 'everyone' stays a caption.
    `translations` (one per cue) are the other language's lines of bilingual captions."""
    found = [None if _named(voice) else _candidate(text, aliases) for _, _, voice, text in cues]
    _signatures(cues, found, aliases)
    counts = Counter(_key(c[0]) for c in found if c)

    def sure(label: str) -> bool:
        return counts[_key(label)] >= 2 or bool(aliases.canonical(label)) or is_role(label)

    first_names = {_key(first_name(c[0])) for c in found if c and " " in c[0] and (not c[2] or sure(c[0]))}
    layout = any(c[2] and sure(c[0]) for c in found if c)  # names above the words are this file's layout

    def speaker(label: str, alone: bool) -> bool:
        if sure(label):
            return True
        if alone and not layout:
            return False
        return " " in label or bool(CJK.search(label)) or _key(label) in first_names or started and not alone

    blocks = []
    started = False  # once a speaker has spoken, a one-off "Sam: …" is a speaker too
    for n, ((start, end, voice, text), candidate) in enumerate(zip(cues, found, strict=True)):
        label = _named(voice)
        if candidate and speaker(candidate[0], candidate[2]):
            label, text = candidate[:2]
            started = True
        words = cue_text(text)
        translation = cue_text(translations[n]) if translations else ""
        if translation and label and label != voice:  # '主持人：' before the Chinese line of a labelled cue
            prefix = _PREFIX.match(translation)
            translation = prefix.group("text") if prefix and len(prefix.group("label")) <= 12 else translation
        if words or translation:
            blocks.append(
                Block(label, words, translation=translation or None, start=start, end=end, changes=voice == CHANGE)
            )
    return blocks


def _bilingual(timed: list[tuple[float, float, list[str]]]) -> bool:
    """Most cues hold a Chinese line and a Latin-script line: subtitles with their translation."""
    pairs = sum(
        1
        for _, _, lines in timed
        if any(CJK.search(line) for line in lines)
        and any(not CJK.search(line) and _LATIN.search(line) for line in lines)
    )
    return len(timed) >= 3 and pairs >= 0.6 * len(timed)


def parse_marked_text(lines: list[str], aliases: AliasTable) -> Parsed | None:
    """Broadcast captions copied as plain text, `>>` where the speaker changes (two marks or more opening a line;
    until stop 42 the marks were read as Markdown quotes and dropped): one untimed cue, read as a caption file's
    cues are, so the turns change at the marks. None for other text."""
    if sum(line.lstrip().startswith(">>") for line in lines) < 2:
        return None
    cues: list[Cue] = [(None, None, voice, piece) for voice, piece in _pieces(lines, aliases)]
    return Parsed("captions", cue_blocks(cues, aliases), joiner=" ")


def _same_times(timed: list[tuple[float, float, list[str]]]) -> list[tuple[float, float, list[str]]]:
    """Cues in a row at the same times are one: a bilingual SRT written one cue a language (as an ASS file writes
    two events) had its Chinese and English sentences in turn in one text, glued without a space. 0 of 562 surveyed
    caption files have such cues; 91 of Talk Python's have cues of no length at one time, left apart."""
    out: list[tuple[float, float, list[str]]] = []
    for start, end, lines in timed:
        if out and out[-1][:2] == (start, end) and end > start:  # not speech-to-text's cues of no length ('Wow.')
            out[-1][2].extend(lines)
        else:
            out.append((start, end, list(lines)))
    return out


def parse_subtitles(text: str, aliases: AliasTable, fmt: str) -> Parsed:
    """SRT or WebVTT (`fmt` 'srt' or 'vtt'): timed cues, speakers as voice tags or written into the cues."""
    timed = _same_times(_unroll(_timed_cues(text)))
    if not timed:
        expected = "'HH:MM:SS,mmm --> HH:MM:SS,mmm' lines" if fmt == "srt" else "'HH:MM:SS.mmm --> HH:MM:SS.mmm' lines"
        raise IngestError(f"no subtitle cues found (expected {expected})")
    if _bilingual(timed):  # one cue, two languages: the Latin-script line with its Chinese translation
        cues, chinese = [], []
        for start, end, lines in timed:
            latin = [line for line in lines if not CJK.search(cue_text(line))]
            voice = next((v for v, _ in _pieces(lines, aliases) if _named(v)), None)
            cues.append((start, end, voice, "\n".join(VOICE.sub("", line) for line in latin)))
            chinese.append(join_parts([line for line in lines if CJK.search(cue_text(line))]))  # no space in 中文
        return Parsed(fmt, cue_blocks(cues, aliases, chinese), title=_vtt_title(text, fmt), joiner=" ")
    cues = [(start, end, voice, piece) for start, end, lines in timed for voice, piece in _pieces(lines, aliases)]
    return Parsed(fmt, cue_blocks(cues, aliases), title=_vtt_title(text, fmt), joiner=" ")


_ASS_BLOCK = re.compile(r"\{[^}]*\}")  # override tags and comments
_ASS_DRAWING = re.compile(r"\{[^}]*\\(?:p[1-9]|k[fo]?\d)", re.I)  # vector drawings and karaoke timing
_ASS_NOT_SPEECH = re.compile(
    r"^(?:op|ed|opening|ending|signs?|title|staff|credits?|kara(?:oke)?|notes?|注释|註釋|说明|說明|制作|製作|字幕组|字幕組"
    r"|片头|片頭|片尾)",
    re.I,
)
_ASS_UNTITLED = frozenset({"", "untitled", "default aegisub file", "<untitled>"})


def parse_ass(text: str, aliases: AliasTable) -> Parsed:
    """Advanced SubStation Alpha (.ass / .ssa), the fansub format of many bilingual Chinese captions: the
    `[Events]` section's `Dialogue` lines as cues, read as SRT cues are (a `Name` field is the speaker). Events
    with the same times are one cue (a Chinese and an English line are often two events, one per style); drawings,
    karaoke and events in sign, title or credit styles are not speech; override tags go and `\\N` breaks a line."""
    fields: list[str] = []
    cues: dict[tuple[str, str], list[str]] = {}
    voices: dict[tuple[str, str], str] = {}  # the first named voice of each cue
    section, title = "", None
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            section = stripped.lower()
            continue
        key, _, value = stripped.partition(":")
        if section == "[script info]" and key.lower() == "title" and value.strip().lower() not in _ASS_UNTITLED:
            title = value.strip()
        if section != "[events]":
            continue
        if key == "Format":
            fields = [field.strip().lower() for field in value.split(",")]
        elif key == "Dialogue" and fields:
            event = dict(zip(fields, (v.strip() for v in value.split(",", len(fields) - 1)), strict=False))
            raw = event.get("text", "")
            if _ASS_DRAWING.search(raw) or _ASS_NOT_SPEECH.match(event.get("style", "")):
                continue
            words = _ASS_BLOCK.sub("", raw).replace("\\N", "\n").replace("\\n", "\n").replace("\\h", " ")
            lines = [w.strip() for w in words.split("\n") if w.strip()]
            times = (event.get("start", ""), event.get("end", ""))
            if not lines or not CUE_TIME.match(f"{times[0]} --> {times[1]}"):
                continue
            name = event.get("name", "").replace(">", "")
            if name and voices.setdefault(times, name) == name and times in cues:
                pass  # the same voice's other language at the same times: one bilingual cue
            elif name:  # as a voice tag: the bilingual path reads those; another voice at the same times stays apart
                lines[0] = f"<v {name}>{lines[0]}"
            cues.setdefault(times, []).extend(lines)
    if not cues:
        raise IngestError("no Dialogue lines in the subtitle file's [Events] section")
    ordered = sorted(cues.items(), key=lambda cue: seconds(cue[0][0]))  # styles are often listed one after another
    srt = "\n\n".join(f"{start} --> {end}\n" + "\n".join(lines) for (start, end), lines in ordered)
    parsed = parse_subtitles(srt, aliases, "ass")
    parsed.title = parsed.title or title
    return parsed


def _vtt_title(text: str, fmt: str) -> str | None:
    """The text after 'WEBVTT' on the header line, if any."""
    header = re.match(r"WEBVTT[ \t]*[-–]?[ \t]*(.*)", text)
    if fmt != "vtt" or not header:
        return None
    return header.group(1).strip() or None


def _number(value: object) -> float | None:
    """A time as JSON has it: seconds as a number or numeric string, or an 'hh:mm:ss.mmm' string."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return round(_float(value), 3)
    if isinstance(value, str):
        value = value.strip()
        if re.fullmatch(r"-?\d+(?:\.\d+)?", value):
            return round(float(value), 3)
        if re.fullmatch(TIME, value):
            return seconds(value)
    return None


def _times(segment: dict[str, object]) -> tuple[object, object]:
    """A segment's (start, end) as written: "start" and "end", or a "timestamp" pair, or a "timestamp" start."""
    stamp = segment.get("timestamp")
    if isinstance(stamp, list | tuple) and len(stamp) == 2:
        return stamp[0], stamp[1]
    return segment.get("start", stamp), segment.get("end")


def _segment_speaker(segment: dict[str, object]) -> object:
    """The segment's speaker, or else the one most of its words carry (WhisperX leaves some segments unassigned)."""
    if segment.get("speaker") not in (None, ""):
        return segment["speaker"]
    words = segment.get("words")
    voices = Counter(
        w["speaker"] for w in (words if isinstance(words, list) else []) if isinstance(w, dict) and w.get("speaker")
    )
    return voices.most_common(1)[0][0] if voices else None


def _speaker_label(value: object) -> str | None:
    if isinstance(value, bool) or value in (None, ""):
        return None
    return f"Speaker {value}" if isinstance(value, int) else str(value).strip() or None


def _float(value: float) -> float:
    """A JSON number as a float; an integer too large for one is infinite (and dropped as a time later)."""
    try:
        return float(value)
    except OverflowError:
        return math.inf


def _ms(value: object, fallback: object = None) -> object:
    """Milliseconds → seconds; anything else (a time string) as it is, for `_number`."""
    return _float(value) / 1000 if isinstance(value, int | float) and not isinstance(value, bool) else fallback


def _end(start: object, duration: object) -> float | None:
    """Where a cue given by its start and length ends (caption JSON and XML write it so); None without both."""
    return start + duration if isinstance(start, float) and isinstance(duration, float) else None


def _whisper_cpp(items: list[object]) -> list[dict[str, object]]:
    """whisper.cpp's `-oj` output ("transcription": [{"offsets": {"from": ms, "to": ms}, "text"}]) as segments."""
    segments: list[dict[str, object]] = []
    for item in items:
        if not isinstance(item, dict):
            return []
        offsets, stamps = item.get("offsets") or {}, item.get("timestamps") or {}
        if not isinstance(offsets, dict) or not isinstance(stamps, dict):
            return []
        start = _ms(offsets.get("from"), stamps.get("from"))
        segments.append({"start": start, "end": _ms(offsets.get("to"), stamps.get("to")), "text": item.get("text")})
    return segments


def _utterances(items: list[object]) -> list[dict[str, object]]:
    """AssemblyAI-style "utterances" ({speaker: "A", start: ms, end: ms, text}) as segments in seconds."""
    segments: list[dict[str, object]] = []
    for item in items:
        if not isinstance(item, dict):
            return []
        speaker = item.get("speaker")
        speaker = f"Speaker {speaker}" if isinstance(speaker, str) and len(speaker) == 1 else speaker
        start, end = _ms(item.get("start"), item.get("start")), _ms(item.get("end"), item.get("end"))
        segments.append({"start": start, "end": end, "text": item.get("text"), "speaker": speaker})
    return segments


def _first(value: object) -> dict[str, object]:
    """The first item of a JSON list when it is an object, else an empty one."""
    return value[0] if isinstance(value, list) and value and isinstance(value[0], dict) else {}


def _duration(value: object) -> float | None:
    """A time as Google's JSON writes a Duration: '25.600s', or {"seconds": "25", "nanos": 600000000}."""
    if isinstance(value, str) and value.endswith("s"):
        return _number(value[:-1])
    if isinstance(value, dict):
        whole, nanos = _number(value.get("seconds") or 0), _number(value.get("nanos") or 0)
        return None if whole is None or nanos is None else round(whole + nanos / 1e9, 3)
    return None


def _google_segments(results: list[dict[str, object]]) -> list[dict[str, object]]:
    """Google Cloud Speech-to-Text (`results` of `alternatives`, the first the likeliest): a segment a result, timed
    by its words. Diarized, the last result lists every word of the audio with its `speakerTag` (the results before
    it hold the same words untagged), and the turns are that list's runs of one tag."""
    best = [_first(result.get("alternatives")) for result in results]
    words = [w for w in best[-1].get("words") or [] if isinstance(w, dict)]
    if words and all(w.get("speakerTag") not in (None, 0) for w in words):
        return _word_runs([
            {"type": "word", "start_time": _duration(w.get("startTime")), "end_time": _duration(w.get("endTime")),
             "alternatives": [{"content": w.get("word"), "speaker": w["speakerTag"]}]}
            for w in words
        ])  # fmt: skip
    segments = []
    for result, alternative in zip(results, best, strict=True):
        timed = [w for w in alternative.get("words") or [] if isinstance(w, dict)]
        end = _duration(result.get("resultEndTime")) or (_duration(timed[-1].get("endTime")) if timed else None)
        start = _duration(timed[0].get("startTime")) if timed else None
        segments.append({"start": start, "end": end, "text": alternative.get("transcript")})
    return segments


def _word_runs(results: list[dict[str, object]]) -> list[dict[str, object]]:
    """Segments of a list of timed words and punctuation, each with `alternatives` of "content" and "speaker" (as
    Speechmatics writes them; Amazon's `items` and Google's diarized words are put in that shape): the runs of one
    speaker, punctuation joined to the word before it."""
    runs: list[dict[str, object]] = []
    for item in results:
        best = _first(item.get("alternatives"))
        content, speaker = str(best.get("content") or ""), best.get("speaker")
        if not runs or item.get("type") == "word" and speaker != runs[-1]["speaker"]:
            runs.append({"start": item.get("start_time"), "text": "", "speaker": speaker})
        glue = "" if item.get("type") == "punctuation" or not runs[-1]["text"] or not content else " "
        runs[-1]["text"] = f"{runs[-1]['text']}{glue}{content}"
        if item.get("end_time") is not None:  # Amazon's punctuation has no times
            runs[-1]["end"] = item["end_time"]
    return runs


def _amazon_items(results: dict[str, object]) -> list[dict[str, object]] | None:
    """Amazon Transcribe's words (`items`) with the speakers of `speaker_labels.segments` (its output before
    `audio_segments`, or with an item's own "speaker_label"), as `_word_runs`; None without speakers (then
    its whole transcript is read, as before)."""
    segments = results.get("speaker_labels")
    segments = segments.get("segments") if isinstance(segments, dict) else None
    said = {
        str(item.get("start_time")): segment.get("speaker_label")
        for segment in (segments if isinstance(segments, list) else [])
        if isinstance(segment, dict) and isinstance(segment.get("items"), list)
        for item in segment["items"]
        if isinstance(item, dict)
    }
    items = [i for i in results.get("items") or [] if isinstance(i, dict)]
    if not items or not (said or any(i.get("speaker_label") for i in items)):
        return None
    return _word_runs([
        {"type": "punctuation" if i.get("type") == "punctuation" else "word", "start_time": i.get("start_time"),
         "end_time": i.get("end_time"), "alternatives": [{"content": _first(i.get("alternatives")).get("content"),
         "speaker": i.get("speaker_label") or said.get(str(i.get("start_time")))}]}
        for i in items
    ])  # fmt: skip


def _deepgram_paragraphs(alternative: dict[str, object]) -> list[dict[str, object]] | None:
    """Deepgram without utterances: its paragraphs (smart formatting; with `diarize`, each a speaker's), else its
    words when they carry speakers; None when it has neither (then its whole transcript is read: until stop 69 a
    diarized file was so, one voice and no times)."""
    paragraphs = alternative.get("paragraphs")
    paragraphs = paragraphs.get("paragraphs") if isinstance(paragraphs, dict) else None
    if isinstance(paragraphs, list) and paragraphs:
        return [
            {"start": p.get("start"), "end": p.get("end"), "speaker": p.get("speaker"),
             "text": join_parts([str(s.get("text") or "") for s in p.get("sentences") or [] if isinstance(s, dict)])}
            for p in paragraphs if isinstance(p, dict)
        ]  # fmt: skip
    words = [w for w in alternative.get("words") or [] if isinstance(w, dict)]
    if not words or any(w.get("speaker") is None for w in words):
        return None
    return _word_runs([
        {"type": "word", "start_time": w.get("start"), "end_time": w.get("end"),
         "alternatives": [{"content": w.get("punctuated_word") or w.get("word"), "speaker": w["speaker"]}]}
        for w in words
    ])  # fmt: skip


def _azure_segments(phrases: list[object]) -> list[dict[str, object]]:
    """Azure Speech batch transcription (`recognizedPhrases`, times in ticks of 100 ns, the best of `nBest` shown as
    "display", a numbered `speaker` when diarized)."""
    segments = []
    for phrase in phrases:
        if not isinstance(phrase, dict):
            continue
        start, length = _number(phrase.get("offsetInTicks")), _number(phrase.get("durationInTicks"))
        start = None if start is None else round(start / 1e7, 3)
        end = None if start is None or length is None else round(start + length / 1e7, 3)
        text = _first(phrase.get("nBest")).get("display")
        segments.append({"start": start, "end": end, "text": text, "speaker": phrase.get("speaker")})
    return segments


def _service_segments(data: dict[str, object]) -> list[dict[str, object]] | None:
    """Segments of other speech-to-text services' JSON, as Whisper's: Deepgram (`results.utterances`, seconds,
    "transcript", numbered speakers; else the first channel's transcript), Amazon Transcribe
    (`results.audio_segments` with "speaker_label"; else `results.transcripts`), Google Cloud Speech-to-Text
    (`results` as a list of `alternatives`), Speechmatics (the same list of typed words) and Azure Speech
    (`recognizedPhrases`; these three refused until stop 62) and Rev.ai (`monologues` of timed `elements`). None
    when the JSON is none of these."""
    results = data.get("results")
    if isinstance(results, list) and results and all(isinstance(r, dict) and "alternatives" in r for r in results):
        typed = all(r.get("type") in ("word", "punctuation", "entity") for r in results)
        return _word_runs(results) if typed else _google_segments(results)
    if isinstance(data.get("recognizedPhrases"), list):
        return _azure_segments(data["recognizedPhrases"])
    if isinstance(results, dict):
        pairs = (
            ("utterances", "start", "end", "speaker"),
            ("audio_segments", "start_time", "end_time", "speaker_label"),
        )
        for key, start, end, speaker in pairs:
            items = [item for item in results.get(key) or [] if isinstance(item, dict)]
            if items:
                return [{"start": i.get(start), "end": i.get(end), "text": i.get("transcript"),
                         "speaker": i.get(speaker)} for i in items]  # fmt: skip
        alternative = _first(_first(results.get("channels")).get("alternatives"))
        if spoken := _amazon_items(results) or _deepgram_paragraphs(alternative):
            return spoken
        whole = alternative.get("transcript") or _first(results.get("transcripts")).get("transcript")
        return [{"text": whole}] if isinstance(whole, str) else None
    if isinstance(data.get("monologues"), list):
        segments: list[dict[str, object]] = []
        for monologue in data["monologues"]:
            if not isinstance(monologue, dict) or not isinstance(monologue.get("elements"), list):
                return None
            elements = [e for e in monologue["elements"] if isinstance(e, dict)]
            timed = [e for e in elements if e.get("ts") is not None]
            segments.append({
                "start": timed[0]["ts"] if timed else None, "end": timed[-1].get("end_ts") if timed else None,
                "text": "".join(str(e.get("value") or "") for e in elements),
                "speaker": monologue.get("speaker_name") or monologue.get("speaker"),
            })  # fmt: skip
        return segments
    return None


def _caption_segments(data: dict[str, object]) -> list[dict[str, object]] | None:
    """Segments of podcast and video sites' caption JSON, as Whisper's: the Podcasting 2.0 transcript (`segments` of
    "body", "startTime", "endTime", "speaker": what a feed's `<podcast:transcript type="application/json">` links
    to), Bilibili's subtitles (`body` of "from", "to", "content") and YouTube's json3 (`events` of "tStartMs",
    "dDurationMs" and "segs" of "utf8" words). None when the JSON is none of these (all three were refused until
    stop 42)."""
    items = data.get("segments")
    if isinstance(items, list) and items and all(isinstance(i, dict) and "body" in i for i in items):
        return [{"start": i.get("startTime"), "end": i.get("endTime"), "text": i["body"],
                 "speaker": i.get("speaker")} for i in items]  # fmt: skip
    items = data.get("body")
    if isinstance(items, list) and items and all(isinstance(i, dict) and "content" in i for i in items):
        return [{"start": i.get("from"), "end": i.get("to"), "text": i["content"]} for i in items]
    items = data.get("events")
    if not isinstance(items, list) or not any(isinstance(i, dict) and isinstance(i.get("segs"), list) for i in items):
        return None
    segments: list[dict[str, object]] = []
    for event in items:
        if not isinstance(event, dict) or not isinstance(event.get("segs"), list):
            continue
        text = "".join(str(w.get("utf8") or "") for w in event["segs"] if isinstance(w, dict))
        start = _ms(event.get("tStartMs"))
        if text.strip():  # json3 starts a new line with an event of "\n" alone
            segments.append({"start": start, "end": _end(start, _ms(event.get("dDurationMs"))), "text": text})
    return segments


def parse_whisper_json(text: str, aliases: AliasTable) -> Parsed:
    """Whisper / WhisperX JSON: {"text", "segments": [...]} or a bare list of segments (start, end, text, speaker).

    Also whisper.cpp's {"transcription": [...]} (times in milliseconds), diarized {"utterances": [...]} and the
    Hugging Face speech-recognition pipeline's {"text", "chunks": [{"timestamp": [start, end], "text"}]} (its
    "text" alone was read until stop 39, without times); a segment's times may be a "timestamp" pair or string.
    Deepgram, Amazon Transcribe, Google, Speechmatics, Azure and Rev.ai JSON too (`_service_segments`; refused until
    stop 39, the middle three until stop 62), and the caption
    JSON of podcast feeds, Bilibili and YouTube (`_caption_segments`).
    Word lists (`words`) are ignored: the segment text already holds them. Output with only a top-level
    "text" is one block without times.
    """
    try:  # a 5,000-digit integer is refused by int(); read it as a float (infinite: dropped as a time later)
        data = json.loads(text, parse_int=lambda digits: int(digits) if len(digits) < 20 else float(digits))
    except RecursionError:
        raise IngestError("JSON nested too deeply to be a transcript") from None
    segments = (_caption_segments(data) or data.get("segments")) if isinstance(data, dict) else data
    if isinstance(data, dict) and segments is None and isinstance(data.get("transcription"), list):
        segments = _whisper_cpp(data["transcription"])
    if isinstance(data, dict) and isinstance(data.get("utterances"), list) and data["utterances"]:
        segments = _utterances(data["utterances"])  # speakers are only on the utterances
    if isinstance(data, dict) and segments is None:
        segments = _service_segments(data)
    if isinstance(data, dict) and segments is None and isinstance(data.get("chunks"), list) and data["chunks"]:
        segments = data["chunks"]
    if isinstance(data, dict) and segments is None and isinstance(data.get("text"), str):
        segments = [{"text": data["text"]}]
    if not isinstance(segments, list) or not all(isinstance(s, dict) and "text" in s for s in segments):
        raise IngestError("JSON without a list of segments with 'text' (expected Whisper/WhisperX output)")
    cues = [
        (*map(_number, _times(s)), _speaker_label(_segment_speaker(s)), str(s["text"] or "").strip()) for s in segments
    ]
    title = data.get("title") if isinstance(data, dict) and isinstance(data.get("title"), str) else None
    return Parsed("whisper-json", cue_blocks(cues, aliases), title=title, joiner=" ")


# The header of a transcript exported as a table (CSV or TSV from editors and captioning tools, a Markdown table from
# a notes app): which column holds the words, and which the speaker and times.
_COLUMNS = {
    "text": r"text|transcript(?:ion)?|content|utterance|caption|subtitle|dialogue|words|sentence|文本|内容|內容|字幕",
    "speaker": r"speaker(?: name)?|name|participant|voice|说话人|說話人|发言人|發言人",
    "start": r"start(?: ?time)?|begin|from|in|time(?:code|stamp)?|开始时间|開始時間|时间|時間",
    "end": r"end(?: ?time)?|to|out|stop|结束时间|結束時間",
}
_FRAMES = re.compile(r"^(\d{1,2}:\d{2}:\d{2})[:;]\d{2}$")  # an editor's timecode with frames: 00:01:02:12


def _table_rows(text: str, whole: bool) -> list[list[str]]:
    """The rows of a delimited table (Markdown pipes, tabs or commas), header first: only the header unless `whole`
    (most text is no table, and is not split into cells to find that out)."""
    lines = [line.strip() for line in text.split("\n") if line.strip()][: None if whole else 1]
    if not lines:
        return []
    if lines[0].startswith("|"):
        rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in lines if line.startswith("|")]
        return [row for row in rows if not all(re.fullmatch(r":?-{2,}:?", cell) for cell in row)]
    delimiter = "\t" if "\t" in lines[0] else "," if "," in lines[0] else None
    if delimiter is None:
        return []
    rows = csv.reader(io.StringIO(text.strip() if whole else lines[0]), delimiter=delimiter)
    try:
        return [[cell.strip() for cell in row] for row in rows]
    except csv.Error as error:  # a cell over the csv module's limit (128 KiB), a NUL
        raise IngestError(f"a table that cannot be read ({error})") from None


def parse_table(text: str, aliases: AliasTable) -> Parsed | None:
    """A transcript table whose header names a words column and a speaker or time column ('Speaker,Start,End,Text',
    '| Time | Speaker | Text |'): one cue a row. None when the text is no such table (it was read as speech,
    header, times, commas and pipes included, until stop 42)."""
    header = [cell.casefold() for row in _table_rows(text, whole=False) for cell in row]
    columns = {
        role: next((i for i, cell in enumerate(header) if re.fullmatch(pattern, cell)), None)
        for role, pattern in _COLUMNS.items()
    }
    if columns["text"] is None or columns["speaker"] is None and columns["start"] is None:
        return None

    def cell(row: list[str], role: str) -> str:
        k = columns[role]
        return row[k] if k is not None and k < len(row) else ""

    def time(row: list[str], role: str) -> float | None:
        value = cell(row, role)
        frames = _FRAMES.match(value)
        return _number(frames.group(1) if frames else value)

    rows = _table_rows(text, whole=True)[1:]
    cues: list[Cue] = [
        (time(row, "start"), time(row, "end"), cell(row, "speaker") or None, cell(row, "text")) for row in rows
    ]
    return Parsed("table", cue_blocks([cue for cue in cues if cue[3]], aliases), joiner=" ")


def parse_whisper_tsv(text: str, aliases: AliasTable) -> Parsed:
    """Whisper's TSV output: a `start<TAB>end<TAB>text` header, then times in milliseconds."""
    cues: list[Cue] = []
    for line in text.split("\n")[1:]:
        parts = line.split("\t", 2)
        if len(parts) == 3 and parts[0].strip().isdigit() and parts[1].strip().isdigit():
            cues.append((float(parts[0]) / 1000, float(parts[1]) / 1000, None, parts[2].strip()))
    return Parsed("whisper-tsv", cue_blocks(cues, aliases), joiner=" ")


def parse_transcriber(text: str, aliases: AliasTable) -> Parsed:
    """Transcriber (.trs) XML: <Speakers> names the speaker ids, <Turn speaker startTime endTime> holds the
    words between <Sync/> marks, <Section topic> names the section. Noise <Event/>s are dropped. XML captions
    (TTML, YouTube's timed text) are read here too (`_xml_cues`)."""
    try:
        # Transcriber files are small local uploads capped by the size limit; expat resolves no external entities.
        root = ElementTree.fromstring(re.sub(r"^\s*<\?xml[^>]*\?>", "", text))  # noqa: S314
    except ElementTree.ParseError as error:
        raise IngestError(f"not well-formed XML ({error})") from None
    if _local(root.tag) in ("tt", "transcript", "timedtext"):
        return Parsed("xml-captions", cue_blocks(_xml_cues(root), aliases), joiner=" ")
    if root.tag != "Trans":
        raise IngestError(
            f"XML with a <{root.tag}> root: not a transcript (Transcriber .trs, TTML/DFXP or YouTube timed text)"
        )
    names = {s.get("id"): s.get("name") or s.get("id") for s in root.iter("Speaker")}
    topics = {t.get("id"): t.get("desc") for t in root.iter("Topic")}
    blocks = []
    for section in root.iter("Section"):
        for turn in section.iter("Turn"):
            start, end = _number(turn.get("startTime")), _number(turn.get("endTime"))
            for speaker, words in _turn_parts(turn):
                label = names.get(speaker, speaker) if speaker else None
                blocks.append(Block(label, words, start=start, end=end, section=topics.get(section.get("topic"))))
    episode = root.find("Episode")
    title = (episode.get("program") if episode is not None else None) or None
    aired = re.match(r"\d{4}-\d{2}-\d{2}", episode.get("air_date") or "") if episode is not None else None
    return Parsed("transcriber", blocks, title=title, date=aired.group(0) if aired else None, joiner=" ")


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _clock(value: str | None, tick_rate: float) -> float | None:
    """A TTML time: a clock time ('00:00:01.500') or an offset ('1.5s', '1500ms', '2m', '15000000t' in ticks)."""
    offset = re.fullmatch(r"\s*(\d+(?:\.\d+)?)(h|m|s|ms|t)\s*", value or "")
    if offset is None:
        return _number(value)
    scale = {"h": 3600, "m": 60, "s": 1, "ms": 0.001, "t": 1 / tick_rate}[offset.group(2)]
    return round(float(offset.group(1)) * scale, 3)


def _xml_cues(root: ElementTree.Element) -> list[Cue]:
    """The cues of XML captions: TTML/DFXP (broadcasters' and streaming services' captions: each <p begin end>,
    <br/> a line break, `ttm:agent` the speaker: the name its agent gives in the head, else its id), YouTube's timed
    text (<text start dur>, its words escaped twice) and srv3 (<timedtext><body><p t d> in milliseconds). Refused as
    'not a Transcriber file' until stop 42."""
    cues: list[Cue] = []
    if _local(root.tag) == "tt":
        rate = _number(next((v for k, v in root.attrib.items() if _local(k) == "tickRate"), None)) or 0.0
        rate = rate if math.isfinite(rate) and rate > 0 else 10_000_000  # TTML's default
        names = {  # <ttm:agent xml:id="a1"><ttm:name>Ana Ruiz</ttm:name></ttm:agent> in the head
            next((v for k, v in agent.attrib.items() if _local(k) == "id"), ""): (name.text or "").strip()
            for agent in root.iter() if _local(agent.tag) == "agent"
            for name in agent if _local(name.tag) == "name"
        }  # fmt: skip
        for p in (e for e in root.iter() if _local(e.tag) == "p"):
            for br in (e for e in p.iter() if _local(e.tag) == "br"):
                br.tail = "\n" + (br.tail or "")
            agent = next((v.strip() for k, v in p.attrib.items() if _local(k) == "agent" and v.strip()), None)
            if agent:  # a list of ids (the first speaks), or, as some tools write it, the name itself
                agent = names.get(agent) or names.get(agent.split()[0]) or agent
            times = (_clock(p.get("begin"), rate), _clock(p.get("end"), rate))
            cues.append((*times, agent, "".join(p.itertext()).strip()))
    elif _local(root.tag) == "transcript":
        for item in root.iter("text"):
            start = _number(item.get("start"))
            cues.append((start, _end(start, _number(item.get("dur"))), None, html.unescape(item.text or "").strip()))
    else:
        for p in root.iter("p"):
            start, duration = (_ms(_number(p.get(key))) for key in ("t", "d"))  # milliseconds, as json3's
            cues.append((start, _end(start, duration), None, "".join(p.itertext()).strip()))
    return [cue for cue in cues if cue[3]]


def _turn_parts(turn: ElementTree.Element) -> list[tuple[str | None, str]]:
    """(speaker id, words) in a <Turn>: its text around <Sync>/<Event> marks; <Who nb="n"/> switches to the
    n-th of its speakers when two overlap. An event's description is an attribute, so noise never enters."""
    ids = (turn.get("speaker") or "").split()
    parts: list[tuple[str | None, list[str]]] = [(ids[0] if ids else None, [turn.text or ""])]
    for child in turn:
        nb = child.get("nb", "") if child.tag == "Who" else ""
        if nb.isdigit() and 0 < int(nb) <= len(ids):
            parts.append((ids[int(nb) - 1], []))
        parts[-1][1].append(child.tail or "")
    joined = [(speaker, " ".join(w.strip() for w in words if w.strip())) for speaker, words in parts]
    return [(speaker, words) for speaker, words in joined if words]
