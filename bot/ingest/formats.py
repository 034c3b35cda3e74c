"""Format detection and parsers: decoded text → labelled blocks of speech plus page metadata.

Each parser returns a `Parsed`: blocks in order (label, text, optional translation and times), and what
the page says about itself (title, source, date, the editor's summary). Speaker resolution, merging of
consecutive blocks into turns and text cleaning happen afterwards, the same for every format.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field

from bot.ingest.cleaning import FOOTER, URL, clean_text, is_chrome
from bot.ingest.errors import IngestError
from bot.ingest.speakers import DIARIZED, ROLE_GUEST, ROLE_HOST, AliasTable, _key

_CJK = re.compile(r"[\u3400-\u9fff]")
_TIME = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
_SRT_TIME = re.compile(rf"^\s*({_TIME})\s*-->\s*({_TIME})")
_OTTER_HEADER = re.compile(rf"^(?P<name>\S[^\t]{{0,40}}?)\s{{2,}}(?P<time>{_TIME})\s*$")
_REV_HEADER = re.compile(rf"^(?P<name>[^()\[\]:：]{{1,40}}?)\s*[(\[](?P<time>{_TIME})[)\]]\s*[:：]?\s*$")
_TIMESTAMPED = re.compile(rf"^\s*\[(?P<time>{_TIME})\]\s*(?P<label>[^:：]{{1,40}}?)\s*[:：]\s*(?P<text>.*)$")
_INLINE = re.compile(r"^\s*(?P<label>[^:：\s][^:：]{0,40}?)\s*[:：]\s*(?P<text>.*)$")
_TERMINAL = re.compile(r"[。！？!?.…;；,，、:：]$")
_LIST_ITEM = re.compile(r"^\s*(?:\d+\s*[、.．)]|[·•\-*]|[^:：\s][^:：]{0,18}[:：])")
_SUMMARY_MARKER = re.compile(
    r"核心要点|核心要點|核心内容|核心內容|太长不看|太長不看|关键点|關鍵點|划重点|劃重點|要点预览|要點預覽|"
    r"\btl;?dr\b|key (?:points|takeaways)|highlights|本集简介|本集簡介|节目简介|節目簡介",
    re.I,
)
_DATE = re.compile(r"(20\d\d|19\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_AD_START = re.compile(
    r"right after this|after (?:the|this) break|after these messages|be right back|广告之后|广告后", re.I
)
_AD_END = re.compile(
    r"\b(?:we're|we are) back\b|\bback here (?:on|with)\b|\bwelcome (?:back )?to\b|欢迎回来|欢迎收听", re.I
)
_SPONSOR_CUES = (
    r"\bvisit \S+\.(?:com|io|ai|org|net)\b", r"\bsponsor(?:ed)?\b", r"brought to you by", r"\bpromo code\b",
    r"\buse (?:the )?code\b", r"\bfree trial\b", r"\bdownload the free\b", r"\bcheck out\b", r"\.com slash\b",
    r"\bsign up (?:at|today)\b", r"\blearn more at\b", r"\bthat's \S+\.(?:com|io|ai|org)\b",
    r"\bjoin \w+ (?:today|now)\b",
)  # fmt: skip
_SPONSOR = re.compile("|".join(_SPONSOR_CUES), re.I)
_SPONSOR_EACH = tuple(re.compile(cue, re.I) for cue in _SPONSOR_CUES)


@dataclass
class Block:
    """A labelled piece of speech as the file has it; label None continues the previous speaker."""

    label: str | None
    text: str
    translation: str | None = None
    start: float | None = None
    end: float | None = None
    section: str | None = None
    new_turn: bool = False  # narration or a heading came before it: do not merge with the previous block


@dataclass
class Parsed:
    """What a parser found: speech blocks and the page's own metadata."""

    format: str
    blocks: list[Block]
    title: str | None = None
    source_url: str | None = None
    date: str | None = None
    editor_summary: str | None = None
    context: str = ""  # title and introduction, for naming speakers
    joiner: str = "\n"  # how blocks of one speaker join into a turn
    warnings: list[str] = field(default_factory=list)


def seconds(stamp: str) -> float:
    """'01:02:03,500' / '1:02' → seconds."""
    parts = stamp.replace(",", ".").split(":")
    total = 0.0
    for part in parts:
        total = total * 60 + float(part)
    return round(total, 3)


def is_sponsor_read(text: str) -> bool:
    """Host-read advertising: two or more sponsor phrases ('visit x.com', 'promo code', 'brought to you by')."""
    return sum(bool(cue.search(text)) for cue in _SPONSOR_EACH) >= 2


def _name_like(label: str, aliases: AliasTable) -> bool:
    """Could this be a speaker label? Short, no sentence punctuation, capitalised words or a CJK name."""
    label = label.strip()
    if (
        not label
        or len(label) > 40
        or URL.search(label)
        or re.search(r"[。！？!?,，;；\"“”「」()（）\[\]【】/]", label)
    ):
        return False
    if aliases.canonical(label) or ROLE_HOST.match(label) or ROLE_GUEST.match(label) or DIARIZED.match(label):
        return True
    if _CJK.search(label):
        return len(label) <= 12 and not re.search(r"\d", label) and " " not in label.strip()
    words = label.split()
    return 1 <= len(words) <= 4 and all(w[:1].isupper() or w in ("de", "van", "von", "da", "del", "bin") for w in words)


def _time_text(text: str) -> str:
    return re.sub(r"<[^>]+>", "", text).strip()


# --------------------------------------------------------------------------- cue formats


def _cue_label(text: str, aliases: AliasTable) -> tuple[str | None, str]:
    """A `Name: words` prefix on a caption cue, if it looks like a speaker."""
    match = _INLINE.match(text)
    if match and _name_like(match.group("label"), aliases) and match.group("text"):
        return match.group("label").strip(), match.group("text").strip()
    return None, text


def _cue_blocks(cues: list[tuple[float | None, float | None, str, str | None]], aliases: AliasTable) -> list[Block]:
    """Caption cues → blocks: a voice tag or a `Name:` prefix starts a speaker; other cues continue it."""
    labels = Counter(_cue_label(text, aliases)[0] for _, _, text, voice in cues if not voice)
    blocks = []
    for start, end, text, voice in cues:
        label = voice
        if not voice:
            candidate, rest = _cue_label(text, aliases)
            single_word = candidate is not None and " " not in candidate and not _CJK.search(candidate)
            known = candidate is not None and (
                aliases.canonical(candidate)
                or DIARIZED.match(candidate)
                or any(other and other.split()[0] == candidate and " " in other for other in labels)
            )
            if candidate and (labels[candidate] >= 2 or not single_word or known):
                label, text = candidate, rest
        if text.strip():
            blocks.append(Block(label, text.strip(), start=start, end=end))
    return blocks


def parse_srt(text: str, aliases: AliasTable) -> Parsed:
    """SubRip: numbered cues with `start --> end` lines; speakers as `Name:` on a turn's first cue."""
    cues = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        lines = [line for line in chunk.split("\n") if line.strip()]
        for i, line in enumerate(lines):
            match = _SRT_TIME.match(line)
            if match:
                words = _time_text(" ".join(lines[i + 1 :]))
                cues.append((seconds(match.group(1)), seconds(match.group(2)), words, None))
                break
    if not cues:
        raise IngestError("no subtitle cues found (expected 'HH:MM:SS,mmm --> HH:MM:SS,mmm' lines)")
    return Parsed("srt", _cue_blocks(cues, aliases), joiner=" ")


def parse_vtt(text: str, aliases: AliasTable) -> Parsed:
    """WebVTT: cues with `<v Name>` voice tags or `Name:` prefixes (Zoom); NOTE and STYLE blocks skipped."""
    cues = []
    title = None
    for chunk in re.split(r"\n\s*\n", text.strip()):
        lines = [line for line in chunk.split("\n") if line.strip()]
        if not lines or lines[0].startswith(("NOTE", "STYLE", "REGION")):
            continue
        if lines[0].startswith("WEBVTT"):
            header = lines[0][6:].strip(" -")
            title = header or None
            continue
        for i, line in enumerate(lines):
            match = _SRT_TIME.match(line)
            if match:
                raw = " ".join(lines[i + 1 :])
                voice = re.match(r"\s*<v(?:\.[\w.]+)?\s+([^>]+)>", raw)
                cues.append(
                    (
                        seconds(match.group(1)),
                        seconds(match.group(2)),
                        _time_text(raw),
                        voice and voice.group(1).strip(),
                    )
                )
                break
    if not cues:
        raise IngestError("no WebVTT cues found")
    return Parsed("vtt", _cue_blocks(cues, aliases), title=title, joiner=" ")


def parse_whisper_json(text: str, aliases: AliasTable) -> Parsed:
    """Whisper / WhisperX JSON: a list of segments, or {"segments": [...]}, with start, end, text, speaker."""
    data = json.loads(text)
    segments = data.get("segments") if isinstance(data, dict) else data
    if not isinstance(segments, list) or not all(isinstance(s, dict) and "text" in s for s in segments):
        raise IngestError("JSON without a list of segments with 'text' (expected Whisper/WhisperX output)")
    cues = []
    for segment in segments:
        speaker = segment.get("speaker")
        label = (
            f"Speaker {speaker}" if isinstance(speaker, int) else (str(speaker) if speaker not in (None, "") else None)
        )
        start, end = segment.get("start"), segment.get("end")
        cues.append(
            (round(float(start), 3) if start is not None else None, round(float(end), 3) if end is not None else None,
             str(segment["text"]).strip(), label)
        )  # fmt: skip
    title = data.get("title") if isinstance(data, dict) and isinstance(data.get("title"), str) else None
    return Parsed("whisper-json", _cue_blocks(cues, aliases), title=title, joiner=" ")


# --------------------------------------------------------------------------- line formats


def _front_matter(lines: list[str]) -> tuple[dict[str, str], list[str]]:
    """YAML front matter (--- ... ---) → simple key/value strings, and the remaining lines."""
    if not lines or lines[0].strip() != "---":
        return {}, lines
    for end in range(1, min(len(lines), 200)):
        if lines[end].strip() in ("---", "..."):
            import yaml

            try:
                meta = yaml.safe_load("\n".join(lines[1:end])) or {}
            except yaml.YAMLError:
                meta = {}
            values = {str(k).lower(): str(v).strip() for k, v in meta.items()} if isinstance(meta, dict) else {}
            return values, lines[end + 1 :]
    return {}, lines


def _markdown(lines: list[str]) -> tuple[list[str], str | None, bool]:
    """`**Name:** text` → `Name: text`; the first `# heading` is the title; `## headings` stay as lines."""
    title, out, bold = None, [], False
    for line in lines:
        heading = re.match(r"^#\s+(.+)$", line)
        if heading and title is None:
            title = heading.group(1).strip()
            continue
        converted = re.sub(r"^\s*\*\*([^*]{1,40}?)\s*([:：])\s*\*\*\s*", r"\1\2 ", line)
        converted = re.sub(r"^\s*\*\*([^*]{1,40}?)\*\*\s*([:：])\s*", r"\1\2 ", converted)
        bold |= converted != line
        out.append(re.sub(r"^#{2,6}\s+", "", converted))
    return out, title, bold


def parse_headers(lines: list[str], aliases: AliasTable, fmt: str = "header") -> Parsed:
    """Otter (`Name  0:05`) and Rev (`Name (00:01:02):`) exports: a header line, then the words."""
    blocks: list[Block] = []
    for line in lines:
        header = _OTTER_HEADER.match(line) or _REV_HEADER.match(line)
        if header and _name_like(header.group("name"), aliases):
            blocks.append(Block(header.group("name").strip(), "", start=seconds(header.group("time"))))
        elif line.strip() and blocks and not is_chrome(line):
            blocks[-1].text = f"{blocks[-1].text}\n{line.strip()}".strip()
    return Parsed(fmt, [b for b in blocks if b.text])


def parse_timestamped(lines: list[str], aliases: AliasTable) -> Parsed:
    """`[hh:mm:ss] Name: text` lines; a line without a stamp continues the previous one."""
    blocks: list[Block] = []
    for line in lines:
        match = _TIMESTAMPED.match(line)
        if match and _name_like(match.group("label"), aliases):
            blocks.append(
                Block(match.group("label").strip(), match.group("text").strip(), start=seconds(match.group("time")))
            )
        elif line.strip() and blocks and not is_chrome(line):
            blocks[-1].text = f"{blocks[-1].text}\n{line.strip()}".strip()
    return Parsed("timestamped", [b for b in blocks if b.text])


def _title_from(lines: list[str]) -> str | None:
    for line in lines:
        text = line.strip()
        if len(text) >= 6 and not is_chrome(text) and not _SUMMARY_MARKER.match(text) and not text.startswith("“"):
            first = re.split(r"(?<=[。!?！？])|核心内容[:：]|核心內容[:：]", text)[0].strip().rstrip("。")
            first = re.sub(r"\s*封面$", "", first)
            return first if len(first) <= 160 else first[:157].rstrip() + "…"
    return None


def _editor_summary(preamble: list[str]) -> str | None:
    """The page's own key points: the list after a 'key points' / 'TL;DR' marker in the introduction."""
    points: list[str] = []
    for i, line in enumerate(preamble):
        marker = _SUMMARY_MARKER.search(line)
        if not marker:
            continue
        rest = line[marker.end() :].lstrip("】]:： ")
        taken = 0
        if len(rest) > 8:
            points.append(rest)
            taken += 1
        for item in preamble[i + 1 :]:
            if not item.strip() or _SUMMARY_MARKER.search(item):
                break
            if _LIST_ITEM.match(item):
                points.append(item.strip())
                taken += 1
                continue
            if not taken:  # a marker followed by one paragraph: an episode blurb
                points.append(item.strip())
            break
    return "\n".join(dict.fromkeys(points)) or None


def _source_url(lines: list[str]) -> str | None:
    for i, line in enumerate(lines):
        if FOOTER.match(line.strip()) or re.search(r"原文|原視頻|原视频|source|original", line, re.I):
            for candidate in lines[i : i + 3]:
                match = URL.search(candidate)
                if match:
                    return match.group(0)
    return None


def _date(lines: list[str], meta: dict[str, str]) -> str | None:
    for text in [meta.get("date", ""), *lines]:
        match = _DATE.search(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            if 1 <= month <= 12 and 1 <= day <= 31:
                return f"{year:04d}-{month:02d}-{day:02d}"
    return None


def parse_captions(lines: list[str], aliases: AliasTable, speaker_lines: set[str]) -> Parsed:
    """Bilingual captions: a speaker line, then the caption in one language and its translation.

    Both versions of a caption stay together; the Latin-script line is taken as the original (these
    files are translations of English shows) and the Chinese line as its translation. Host-read ad
    breaks (between 'right after this' and 'we're back') are dropped.
    """
    preamble: list[str] = []
    raw: list[tuple[str, list[str]]] = []
    for line in lines:
        stripped = line.strip()
        if stripped in speaker_lines:
            raw.append((stripped, []))
        elif stripped and raw and not is_chrome(stripped):
            raw[-1][1].append(stripped)
        elif stripped:
            preamble.append(stripped)
    blocks = []
    for label, content in raw:
        latin = [c for c in content if not _CJK.search(c)]
        chinese = [c for c in content if _CJK.search(c)]
        if chinese or latin:  # a caption missing one version keeps its place with an empty line
            blocks.append(Block(label, " ".join(latin), translation="".join(chinese)))
    blocks = _drop_ad_breaks(blocks)
    english_title = next((p for p in preamble if not _CJK.search(p) and len(p) > 10), None)
    return Parsed(
        "captions",
        blocks,
        title=english_title or _title_from(preamble),
        editor_summary=_editor_summary(preamble),
        context=" ".join([*preamble, *(b.text for b in blocks[:40])]),
    )


def _drop_ad_breaks(blocks: list[Block]) -> list[Block]:
    """Remove blocks between an ad-break cue ('right after this') and the return ('we're back', 'welcome to')."""
    keep = [True] * len(blocks)
    i = 0
    while i < len(blocks):
        if _AD_START.search(blocks[i].text):
            for j in range(i + 1, min(len(blocks), i + 80)):
                if _AD_END.search(blocks[j].text):
                    if any(_SPONSOR.search(b.text) for b in blocks[i + 1 : j]) or j - i > 3:
                        for k in range(i + 1, j):
                            keep[k] = False
                    i = j
                    break
        i += 1
    return [b for b, k in zip(blocks, keep, strict=True) if k and not is_sponsor_read(b.text)]


_NOT_SPEAKERS = re.compile(
    r"^(?:注|备注|備註|按|编者按|編者按|ps|p\.s|note|notes|update|editor|source|author|photo|image|credit|tags?|"
    r"category|版权|版權|图片|圖片|图|圖|作者|提示|声明|聲明|链接|鏈接|地址|时间|時間|日期|date|time|title|标题|標題)$",
    re.I,
)


def _is_role(label: str) -> bool:
    return bool(ROLE_HOST.match(label) or ROLE_GUEST.match(label) or DIARIZED.match(label))


def _cjk_name(label: str) -> bool:
    """A Chinese personal name: short, or a transliteration with '·', and no function words."""
    return (len(label) <= 5 or "·" in label) and not re.search(r"[我你他她的是了在这這之中一个個们們说說]", label)


def _speaker_names(lines: list[str], aliases: AliasTable) -> tuple[set[str], set[str]]:
    """(inline labels, name-alone lines) that behave like speakers in this file.

    A label counts when it recurs or is a known person or role; once the conversation has begun, a
    one-off label that looks like a name counts too. One-off labels before that are the page's own
    (`编辑:`, `来源:`, `文章来源:`).
    """
    order = []
    for line in lines:
        match = _INLINE.match(line)
        if not match or is_chrome(line) or URL.match(match.group("text")):
            continue
        label = match.group("label").strip()
        if _name_like(label, aliases) and not _NOT_SPEAKERS.match(label):
            order.append(label)
    counts = Counter(order)
    speakers = {label for label, count in counts.items() if count >= 2 or aliases.canonical(label) or _is_role(label)}
    if not speakers and len(order) >= 2 and len(order) * 2 >= sum(1 for line in lines if line.strip()):
        speakers.update(order)  # a short plain dialogue where nobody speaks twice
    started = False
    for label in order:
        started = started or label in speakers
        if started and len(_key(label)) >= 2 and not (_CJK.search(label) and not _cjk_name(label)):
            speakers.add(label)
    alone = Counter(line.strip() for line in lines if line.strip() and _name_like(line.strip(), aliases))
    names = {n for n, count in alone.items() if (count >= 3 or n in speakers) and not is_chrome(n)}
    return speakers, names


def _is_heading(line: str, next_is_speaker: bool, cjk_labels: bool) -> bool:
    text = line.strip()
    if len(text) > 60 or (len(_CJK.findall(text)) > 30):
        return False
    bare = text.strip('“”"「」『』【】《》')
    if not bare or _TERMINAL.search(bare):
        return False
    quoted = text[:1] in '“"「『【《' and text[-1:] in '”"」』】》'
    title_case = (
        cjk_labels and not _CJK.search(text) and all(w[:1].isupper() for w in text.split()) and len(text.split()) <= 8
    )
    return next_is_speaker or quoted or title_case


def parse_dialogue(lines: list[str], aliases: AliasTable, fmt: str = "dialogue") -> Parsed:
    """Web copies and plain text: `Name: text` lines or a name alone on its line, then paragraphs.

    Before the first speaker is the page's introduction (title, date, the editor's key points); after a
    footer marker (original link, credits, related articles) the rest is page. Between turns, short
    unpunctuated lines are section headings; paragraphs after a heading and before the next speaker,
    and paragraphs that talk about a speaker in the third person, are the editor's narration.
    """
    speakers, name_lines = _speaker_names(lines, aliases)
    cjk_labels = any(_CJK.search(s) for s in speakers | name_lines)
    people = {
        s for s in speakers | name_lines if len(_key(s)) >= 2 and not ROLE_HOST.match(s) and not ROLE_GUEST.match(s)
    }
    for label in list(people):
        canonical = aliases.canonical(label)
        for name, alias_list in aliases.people:
            if name == canonical:
                people.update(a for a in alias_list if len(_key(a)) >= 2 and _CJK.search(a))

    def speaker_at(line: str) -> tuple[str, str] | None:
        stripped = line.strip()
        if stripped in name_lines:
            return stripped, ""
        match = _INLINE.match(line)
        if match and match.group("label").strip() in speakers:
            return match.group("label").strip(), match.group("text").strip()
        for label in speakers:  # a label that lost its colon: '阿爾特曼我不認為…'
            if _CJK.search(label) and stripped.startswith(label) and stripped[len(label) : len(label) + 1] == "我":
                return label, stripped[len(label) :]
        return None

    content = [line.rstrip() for line in lines]
    significant = [i for i, line in enumerate(content) if line.strip()]
    blocks: list[Block] = []
    preamble: list[str] = []
    footer_at = len(content)
    section: str | None = None
    current: Block | None = None
    narration = False
    for n, i in enumerate(significant):
        line = content[i].strip()
        if blocks and FOOTER.match(line):
            footer_at = i
            break
        if is_chrome(line):
            continue
        found = speaker_at(line)
        if found:
            current = Block(found[0], found[1], section=section, new_turn=narration)
            blocks.append(current)
            narration = False
            continue
        following = [content[j] for j in significant[n + 1 :] if not is_chrome(content[j])]
        next_line = following[0] if following else ""
        next_is_speaker = speaker_at(next_line) is not None
        if not blocks:
            if next_is_speaker and _is_heading(line, True, cjk_labels) or re.fullmatch(r"[“「].{2,40}[”」]", line):
                section = line.strip("“”「」 ")  # a heading just before the first speaker
            elif _SUMMARY_MARKER.search(line):
                section = None
            preamble.append(line)
            continue
        fresh = current is not None and not current.text  # a name line waiting for its words
        if not fresh and _is_heading(line, next_is_speaker, cjk_labels):
            section, current, narration = line.strip('“”"「」『』【】《》 '), None, True
            continue
        if fresh:
            current.text = line
            continue
        if current is None or narration:
            continue
        if cjk_labels and _talks_about(line, people):
            narration = True
            continue
        current.text = f"{current.text}\n{line}"
    rest = content[footer_at:]
    meta_lines = preamble + rest
    return Parsed(
        fmt,
        [b for b in blocks if b.text.strip()],
        title=_title_from(preamble),
        source_url=_source_url(rest) or _source_url(preamble),
        date=_date(preamble, {}),
        editor_summary=_editor_summary(preamble),
        context=" ".join(meta_lines[:60]),
    )


def _talks_about(paragraph: str, people: set[str]) -> bool:
    """True when a paragraph names a speaker other than as a greeting: the editor narrating."""
    for name in people:
        position = paragraph.find(name)
        if position < 0:
            continue
        after = paragraph[position + len(name) : position + len(name) + 1]
        if position == 0 and after in (",", "，", "、", "!", "！"):
            continue  # addressing someone: 'Sam, ...'
        return True
    return False


# --------------------------------------------------------------------------- detection

TEXT_FORMATS = ("dialogue", "markdown", "captions", "timestamped", "header")
FORMATS = ("dialogue", "markdown", "captions", "timestamped", "header", "srt", "vtt", "whisper-json")


def parse_text(text: str, aliases: AliasTable, fmt: str | None = None) -> Parsed:
    """Detect the format (unless given) and parse."""
    stripped = text.lstrip("\ufeff \n\t")
    if fmt not in (None, *FORMATS):
        raise IngestError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "vtt" or (fmt is None and stripped.startswith("WEBVTT")):
        return parse_vtt(stripped, aliases)
    if fmt == "whisper-json" or (fmt is None and stripped[:1] in "[{"):
        try:
            return parse_whisper_json(stripped, aliases)
        except json.JSONDecodeError:
            if fmt == "whisper-json":
                raise IngestError("not valid JSON") from None
    lines = stripped.split("\n")
    if fmt == "srt" or (fmt is None and sum(bool(_SRT_TIME.match(line)) for line in lines[:400]) >= 2):
        return parse_srt(stripped, aliases)
    meta, lines = _front_matter(lines)
    lines, md_title, bold = _markdown(lines)
    parsed = _parse_lines(lines, aliases, fmt, bold)
    parsed.title = meta.get("title") or md_title or parsed.title
    parsed.date = _date([], meta) or parsed.date
    parsed.source_url = meta.get("url") or meta.get("source") or meta.get("link") or parsed.source_url
    if meta or md_title:
        parsed.context = " ".join([meta.get("title", ""), meta.get("description", ""), md_title or "", parsed.context])
    return parsed


def _parse_lines(lines: list[str], aliases: AliasTable, fmt: str | None, bold: bool) -> Parsed:
    headers = sum(1 for line in lines if (_OTTER_HEADER.match(line) or _REV_HEADER.match(line)))
    stamped = sum(1 for line in lines if _TIMESTAMPED.match(line))
    if fmt == "header" or (fmt is None and headers >= 2 and headers >= stamped):
        parsed = parse_headers(lines, aliases)
        parsed.context = " ".join(b.text for b in parsed.blocks[:30])
        return parsed
    if fmt == "timestamped" or (fmt is None and stamped >= 2):
        parsed = parse_timestamped(lines, aliases)
        parsed.context = " ".join(b.text for b in parsed.blocks[:30])
        return parsed
    speakers, name_lines = _speaker_names(lines, aliases)
    if fmt == "captions" or (fmt is None and name_lines and _bilingual(lines, name_lines)):
        return parse_captions(lines, aliases, name_lines)
    return parse_dialogue(lines, aliases, "markdown" if bold or fmt == "markdown" else "dialogue")


def _bilingual(lines: list[str], name_lines: set[str]) -> bool:
    """Most speaker blocks hold one Chinese line and one Latin-script line."""
    blocks, pairs = 0, 0
    current: list[str] = []
    for line in [*lines, next(iter(name_lines))]:
        if line.strip() in name_lines:
            if current:
                blocks += 1
                pairs += any(_CJK.search(c) for c in current) and any(not _CJK.search(c) for c in current)
            current = []
        elif line.strip():
            current.append(line.strip())
    return blocks >= 3 and pairs >= 0.6 * blocks


__all__ = ["FORMATS", "Block", "Parsed", "clean_text", "is_sponsor_read", "parse_text"]
