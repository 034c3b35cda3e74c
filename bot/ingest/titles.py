"""A readable title for every interview, and the page's lead sentence kept apart as its description.

The title is the page's headline when it has one that fits a line (80 columns, a Chinese character taking
two; a heading the file declares is shortened to fit, `shortened`); a page that opens with a lead sentence
instead ('今天凌晨,OpenAI CEO Sam Altman 公开一则专访,…') gets "Guest — topic" from the transcript (the principals'
names, or the guest the opening introduces, the words said most); a transcript whose speakers have no names
(speech-to-text's "Speaker 0", or the roles inferred for a file without labels) gets "Show — topic" when its
opening names the show ("welcome everyone to another episode of Waiting to Be Signed"), and one with none of
these is titled by its file name.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence

from bot.ingest.blocks import CJK
from bot.ingest.speakers import OPENING_TURNS, ROLE_GUEST, ROLE_HOST, introduced
from bot.ingest.transcript import Turn
from bot.text.keywords import content_words, english_phrases, name_words, show_name, spellings, top_keywords
from bot.text.roles import GUEST_SHARE, speaker_roles

MAX_TITLE = 80  # characters; a headline must also fit 80 columns (a Chinese character is two)
TOPIC_WORDS = 3
_UNNAMED = re.compile(
    r"^(?:unknown(?: speaker)?|speaker\s*\d+|spk_?\d+|[a-z]|说话人\s*\d+|發言人\s*\d+|发言人\s*\d+)$", re.IGNORECASE
)


def columns(text: str) -> int:
    """Display width: wide (Chinese, full-width) characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def is_headline(text: str | None) -> bool:
    """A headline fits one line; a longer first line is the article's lead sentence."""
    return bool(text and text.strip()) and columns(text.strip()) <= MAX_TITLE  # type: ignore[union-attr]


# words in brackets: '(OpenAI Chief Scientist)', '【正片】', '(Part 2)'
_ASIDE = r"(?:\([^()]*\)|（[^（）]*）|【[^【】]*】)"


def shortened(headline: str) -> str:
    """A declared headline cut to fit a line: its asides in brackets dropped ('Ilya Sutskever (OpenAI Chief
    Scientist) — Why next-token prediction…'; an upload's tag, '【正片】', went before) but for a part's number, kept
    at the end ('…(Part 2)': two parts of an episode keep two titles), then cut after the last item of its list
    that fits ('朱邦华: SGLang，强化学习，…，LMSYS…'), else after a word, else anywhere. The file's own heading says
    what the episode is about better than the words said most ('朱邦华 — 模型, 公司, agent')."""

    def aside(m: re.Match[str]) -> str:
        return m.group(0) if re.search(r"\d|part|第|[上下]", m.group(0), re.I) else " "

    text = " ".join(re.sub(rf"\s*{_ASIDE}\s*", aside, headline).split()) or headline
    if is_headline(text):
        return text
    last = re.search(rf"\s*{_ASIDE}$", text)
    tail = last.group(0) if last else ""
    text = text[: len(text) - len(tail)]
    room, end = MAX_TITLE - 1 - columns(tail), 0
    while end < len(text) and (room := room - columns(text[end])) >= 0:
        end += 1
    fits = text[:end]
    cut = max((m.start() for m in re.finditer(r"[，、;；|｜]|[,;](?=\s)|\s[—–-]\s", fits)), default=0)
    if cut < len(fits) * 0.6:
        cut = fits.rfind(" ") if fits.rfind(" ") >= len(fits) * 0.6 else len(fits)
    kept = fits[:cut].rstrip(" ，、,;；:：|｜—–-")
    kept = re.sub(r"(?:\s+(?:a|an|the|and|or|&|of|in|on|to|for|with|at|by|from|as|is|are))+$", "", kept, flags=re.I)
    return kept + "…" + tail  # '…companies…', not '…companies in…'; '…on the path…', not '…the path to…'


def _topic(turns: Sequence[Turn], names: set[str]) -> list[str]:
    """The words the transcript says most (two-word phrases weigh more), names of the speakers left out."""
    counts: Counter[str] = Counter()
    for turn in turns:
        counts.update(content_words(turn.text))
        counts.update(english_phrases(turn.text))
    weights = {term: count * (1.5 if " " in term else 1.0) for term, count in counts.items() if count >= 2}
    return top_keywords(weights, TOPIC_WORDS, names, counts)


def guest_title(turns: Sequence[Turn]) -> str | None:
    """'Guest — topic' (both principals of a conversation between equals), 'Show — topic' when no speaker has a
    name but the opening names the show, or None."""
    roles = speaker_roles((t.speaker, t.label, t.text) for t in turns)
    said: Counter[str] = Counter()
    for turn in turns:
        said[turn.speaker] += len(turn.text)
    guests = [s for s in sorted(roles.principals, key=lambda s: -said[s]) if not _UNNAMED.match(s.strip())]
    named = [s for s in guests if not (ROLE_HOST.match(s) or ROLE_GUEST.match(s))]
    if guest := _introduced_guest(turns, roles.said):
        named = [guest]  # the guest the host introduces, though the hosts talk more (a show with three hosts)
    # '박지현', not '박지현 & 진행자'; when nobody has a name, the show the opening names, else the role ('Guest — …')
    opening = [t.text for t in turns[:OPENING_TURNS]]
    who = " & ".join(named[:2]) if named else show_name(opening) or " & ".join(guests[:2])
    if not who:
        return None
    names = name_words(said, opening)  # every speaker's, the host's too, and the show's
    terms = _topic(turns, names)
    written = spellings(terms, [t.text for t in turns])
    topic = [written[term] for term in terms]
    while topic and len(f"{who} — {', '.join(topic)}") > MAX_TITLE:
        topic.pop()
    return f"{who} — {', '.join(topic)}" if topic else who[:MAX_TITLE]


def _introduced_guest(turns: Sequence[Turn], said: Mapping[str, float]) -> str | None:
    """The one speaker the opening introduces by name as the guest ('we're joined by Wendy Fox'), when they say
    a fair share (GUEST_SHARE): the hosts of a show with several may all say more, and the title is still the
    guest's."""
    most = max(said.values(), default=0.0)
    found = {
        speaker
        for turn in turns[:OPENING_TURNS]
        for name in introduced(turn.text)
        for speaker in said
        if speaker != turn.speaker and said[speaker] >= GUEST_SHARE * most and _same_person(name, speaker)
    }
    return found.pop() if len(found) == 1 else None


def _same_person(name: str, speaker: str) -> bool:
    """'Wendy Fox' is the speaker 'Wendy Fox', and 'Wendy' is too; 'Wendy Fox' is not 'Wendy Lee'."""
    return name == speaker or (name.split()[0] == speaker.split()[0] and " " not in name.strip())


# A video site's tag for the upload, no part of what the episode is called: '【正片】崔健×罗永浩！…' (33 of the 147
# surveyed Chinese podcasts)
_UPLOAD_TAG = re.compile(r"【(?:正片|完整版|全集|高清|超清|中字|中英字幕|双语字幕|雙語字幕|独家|獨家|首发|首發)】\s*")


# What a transcript's page calls itself before the episode's name: 'Transcript for Sam Altman: OpenAI, GPT-5, … |
# Lex Fridman Podcast #419' (lexfridman.com's headings), 'Full transcript: …', '文字稿｜…'
_TRANSCRIPT_OF = re.compile(
    r"^(?:(?:full|complete|episode)\s+)?transcript(?:ion)?(?:\s+(?:for|of)\s+|\s*[:：|｜–—-]\s*)|"
    r"^(?:文字稿|逐字稿|文字版|全文实录|全文實錄)\s*[:：|｜]\s*",
    re.IGNORECASE,
)


def interview_title(
    headline: str | None, turns: Sequence[Turn], file_name: str, declared: bool = False
) -> tuple[str, str | None]:
    """(title, description): the headline if it fits (or its part before a ' | ' when only that does), else, when
    the file declares it (a Markdown heading, front matter), the headline shortened, else 'Guest — topic', else
    the file name; a headline or lead sentence too long to be the title becomes the description."""
    headline = _TRANSCRIPT_OF.sub("", _UPLOAD_TAG.sub("", headline)).strip() if headline else None
    if headline and is_headline(headline):
        return headline, None
    # 'Why AI evals … | Hamel Husain & Shreya…', '陈天奇：机器学习系统…｜WhynotTV Podcast'; and the show's name in
    # brackets after a Chinese headline ('…不想 boring 就继续 suffering【晚点聊 LateTalk】'); still too long, a Chinese
    # headline's words before its colon ('对李想的第二次3小时访谈：CEO大模型、MoE、…')
    lead = re.split(r"\s+[|｜]\s+|｜", headline)[0].strip() if headline else ""
    lead = re.sub(r"(?<=\S)\s*【[^【】]+】$", "", lead)
    lead = lead if is_headline(lead) else lead.split("：")[0]
    if lead != headline and is_headline(lead) and columns(lead) >= 20:
        return lead, headline
    if headline and declared:
        return shortened(headline), headline
    title = file_title(file_name) or guest_title(turns) or file_name.rsplit("/", 1)[-1][:MAX_TITLE]
    return title, headline


# What a file name says about how it was made, not what it holds: dropped from either end of a name before asking
# whether words a person wrote are left ('A Requiem for SPARC with Tom Lyon_transcript.md', 'Zoom Meeting 3.vtt')
_MADE_BY = frozenset({
    "transcript", "transcripts", "transcription", "transcribed", "captions", "caption", "subtitles", "subtitle", "subs",
    "corrected", "final", "copy", "edited", "clean", "cleaned", "raw", "auto", "generated", "otter", "rev", "whisper",
    "diarized", "audio", "video", "recording", "recorded", "export", "exported", "en", "zh", "english", "chinese",
    "untitled", "document", "new", "zoom", "meeting", "gmt", "img", "vid", "dsc", "pxl", "spoiler",
})  # fmt: skip
# ...and a hash, a date, or a download's copy number ('… (1).txt')
_HASH_OR_DATE = re.compile(r"(?i)^(?=.*\d)(?:[0-9a-f]{6,}|\d{4}-?[01]\d-?[0-3]\d\w*|\(\d+\))$")


def file_title(file_name: str) -> str | None:
    """The title a person gave the file in its name, when they wrote one: two words or more, in capitals, or four
    Chinese characters, once what says how the file was made ('transcript', 'corrected', a date, a hash, a leading
    number) is dropped from its ends. 'The Wrath of Kahn_transcript.md' is "The Wrath of Kahn", which Oxide and
    Friends' speakers and words had titled "Papa — credit, guy, history". A lower-case slug
    ('hamel-husain-shreya-shankar.md') or a recorder's name ('audio1234.json', 'GMT20231012-otter.txt') is no
    title: the speakers and the topic say more."""
    stem = re.sub(r"(?:\.[A-Za-z0-9]{1,5}){1,2}$", "", file_name.replace("\\", "/").rsplit("/", 1)[-1])
    # spaces or underscores part the words where a name has them ('Purpose-built'), else hyphens ('episode-59--CNCF')
    words = [w for w in re.split(r"[\s_]+" if re.search(r"[\s_]", stem) else r"[\s_-]+", stem) if w.strip("-")]
    while words and (words[-1].casefold() in _MADE_BY or _HASH_OR_DATE.match(words[-1])):
        words.pop()
    while words and (words[0].casefold() in _MADE_BY or _HASH_OR_DATE.match(words[0]) or words[0].isdigit()):
        words.pop(0)
    title = " ".join(w.strip("-") for w in words)
    if len(CJK.findall(title)) >= 4 or (len(words) >= 2 and any(w[0].isupper() for w in words)):
        return shortened(title[:1].upper() + title[1:])
    return None
