"""What every parser produces: labelled blocks of speech plus the page's metadata, and the label rules they share."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.ingest.cleaning import URL
from bot.ingest.speakers import DIARIZED, ROLE_GUEST, ROLE_HOST, AliasTable

CJK = re.compile(r"[\u3400-\u9fff]")
TIME = r"\d{1,3}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
# Words before a colon that introduce a remark, never a person ('Note: …', '注：…').
NOT_SPEAKERS = re.compile(
    r"^(?:注|备注|備註|按|编者按|編者按|ps|p\.s|nb|n\.b|note|notes|update|updated|edit|edited|editor|editor's note|"
    r"warning|caution|reminder|tip|hint|important|disclaimer|correction|spoiler|summary|tl;?dr|example|source|sources|"
    r"author|photo|image|credit|credits|tags?|category|categories|version|chapter|part|step|topic|subject|re|fyi|"
    r"translation|transcript|see also|read more|版权|版權|图片|圖片|图|圖|作者|提示|声明|聲明|链接|鏈接|地址|"
    r"时间|時間|日期|date|time|title|标题|標題|https?|www)$",
    re.I,
)
# A full stop after a word that is not an initial or a title ends a sentence: 'Podcast. I'm' is no name.
_SENTENCE_BREAK = re.compile(
    r"(?<![A-Z])(?<!\b(?:Dr|Mr|Ms|St|Jr|Sr|Lt|Mt))(?<!\b(?:Mrs|Col|Gen|Sen|Rep|Gov))(?<!\bProf)\.(?:\s|$)"
)
# Characters of grammar rather than names: '其实很简单：…' and '我认为：…' are sentences.
_CJK_FUNCTION = re.compile(r"[我你他她的是了在这這们們很就也都不没沒吗嗎呢吧啊么麼那哪怎其实實但所以因为為]")
_FUNCTION_WORDS = frozenset((
    "the", "is", "are", "was", "were", "be", "and", "or", "but", "this", "that", "these", "those", "here", "there",
    "what", "why", "how", "when", "where", "who", "my", "our", "your", "we", "it", "its", "to", "of", "in", "on",
    "at", "for", "with", "an", "i", "i'm", "if", "so", "yes", "no", "yeah", "okay", "ok", "well", "oh", "right",
    "hello", "hi", "hey", "thanks", "thank", "sure", "really", "wait", "now", "then", "you", "me", "us", "them",
    "good", "morning", "evening", "afternoon", "night", "everyone", "everybody", "welcome", "please", "let's",
))  # fmt: skip
_NAME_PARTICLES = frozenset(["de", "van", "von", "da", "del", "der", "bin", "al", "la", "le", "du", "dos", "di"])
_NOISE_WORDS = frozenset((
    "music", "playing", "laughs", "laughing", "laughter", "applause", "chuckles", "chuckling", "sighs", "sighing",
    "inaudible", "unintelligible", "crosstalk", "silence", "indistinct", "speaking", "foreign", "language",
    "sound", "noise", "background", "cheering", "clapping", "coughs", "coughing", "singing", "static", "beep",
    "ringing", "phone", "door", "silent", "pause", "overlapping", "audio", "video",
))  # fmt: skip


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
    total = 0.0
    for part in stamp.replace(",", ".").split(":"):
        total = total * 60 + float(part)
    return round(total, 3)


def is_role(label: str) -> bool:
    """A role or diarization label (`Host`, `Q`, `嘉宾`, `Speaker 1`) rather than a person's name."""
    return bool(ROLE_HOST.match(label) or ROLE_GUEST.match(label) or DIARIZED.match(label))


def _capitalised(word: str) -> bool:
    """Starts with a capital, or with a letter of a script without case (Hangul, Arabic, Hebrew, Thai, …)."""
    first = word[:1]
    return first.isupper() or (first.isalpha() and not first.islower() and first.lower() == first.upper())


def name_like(label: str, aliases: AliasTable) -> bool:
    """Could this be a speaker label? Short, no sentence punctuation, capitalised words or a CJK name."""
    label = label.strip()
    if (
        not label
        or len(label) > 40
        or URL.search(label)
        or NOT_SPEAKERS.match(label)
        or re.search(r"[。！？!?,，;；\"“”「」()（）\[\]【】/]", label)
        or _SENTENCE_BREAK.search(label)
    ):
        return False
    if aliases.canonical(label) or is_role(label):
        return True
    if CJK.search(label):
        return len(label) <= 12 and not re.search(r"\d", label) and " " not in label and not _CJK_FUNCTION.search(label)
    words = label.split()
    folded = [w.casefold().strip(".") for w in words]
    return (
        1 <= len(words) <= 4
        and all(_capitalised(w) or f in _NAME_PARTICLES for w, f in zip(words, folded, strict=True))
        and not any(f in _FUNCTION_WORDS for f in folded)
        and not (set(folded) & _NOISE_WORDS)
    )
