"""What every parser produces: labelled blocks of speech plus the page's metadata, and the label rules they share."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.ingest.cleaning import URL
from bot.ingest.speakers import CALENDAR, DIARIZED, LABEL_SUFFIX, ROLE_GUEST, ROLE_HOST, ZH_TITLE, AliasTable

CJK = re.compile(r"[\u3400-\u9fff]")
TIME = r"\d{1,3}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
# Words before a colon that introduce a remark, never a person ('Note: …', '注：…').
NOT_SPEAKERS = re.compile(
    r"^(?:注|备注|備註|按|编者按|編者按|ps|p\.s|nb|n\.b|note|notes|update|updated|edit|edited|editor|editor's note|"
    r"warning|caution|reminder|tip|hint|important|disclaimer|correction|spoiler|summary|tl;?dr|example|source|sources|"
    r"author|photo|image|credit|credits|tags?|category|categories|version|chapter|part|step|topic|subject|re|fyi|related|"
    r"translation|transcript|see also|read more|版权|版權|图片|圖片|图|圖|作者|提示|声明|聲明|链接|鏈接|地址|"
    r"时间|時間|日期|date|time|title|标题|標題|https?|www|location|venue|event|media|slides|"
    rf"{'|'.join(CALENDAR)}|"  # a month or a day heading its news
    # the items of a list ('One: "If your team is producing defective code…"', 'Reason: …')
    r"one|two|three|four|five|six|seven|eight|nine|ten|first|second|third|fourth|fifth|finally|reason)$",
    re.I,
)
# Page credits and notices: '特别声明', '核稿編輯', '图片来源', '文字整理' before a colon are never a person.
_CREDIT_LABEL = re.compile(
    r"^.{0,4}(?:声明|聲明|编辑|編輯|来源|來源|链接|鏈接|出品|监制|監製|排版|校对|校對|审校|審校|翻译|翻譯|撰文|整理|"
    r"策划|策劃|统筹|統籌|设计|設計|摄影|攝影|制图|製圖|视觉|視覺|运营|運營)$"
)
# A Chinese headline, not a speaker: '专访李明：我们为什么…' reads like a 'Name：words' turn.
HEADLINE = re.compile(r"^(?:专访|專訪|对话|對話|对谈|對談|访谈|訪談|采访|採訪|独家|獨家)")
_LAST_FIRST = re.compile(r"^[A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?, [A-Z][\w'’.-]+(?: [A-Z][\w'’.-]+)?$")
# A full stop after a word that is not an initial or a title ends a sentence: 'Podcast. I'm' is no name.
_SENTENCE_BREAK = re.compile(
    r"(?<![A-Z])(?<!\b(?:Dr|Mr|Ms|St|Jr|Sr|Lt|Mt))(?<!\b(?:Mrs|Col|Gen|Sen|Rep|Gov))(?<!\bProf)\.(?:\s|$)"
)
# Digits that count or date ('2024年', '第3期', '5个'), unlike an outlet's name ('36氪:' asking the questions).
_CJK_NUMBER = re.compile(r"\d\s*[年月日号號时時点點分秒季期届屆个個位名条條次%]|^第|^\d+$|\d{3,}")
# Reported speech before its words: '然后有人说：…', '它写道：…', '对方说：…' name no speaker.
_REPORTED = re.compile(r"(?:[说說讲講]|[写寫问問答]道)$")
# Characters of grammar rather than names, '其实很简单：…' and '我认为：…' are sentences, and interjections ('然后呃').
_CJK_FUNCTION = re.compile(
    r"[我你他她的是了在这這们們很就也都不没沒吗嗎呢吧啊么麼那哪怎其实實但所以因为為呃嗯哦噢哎诶欸唉喔]"
)
# A reply or a discourse word alone on a stamped line of unpunctuated speech ('[00:17:50] 对', '然后', '哈哈哈哈'):
# speech, not a speaker's header (a Whisper transcript's 2 829 such lines had 50 turns of '对', 37 of '呃').
_CJK_DISCOURSE = re.compile(r"^(?:对|對|好|行|然后|然後|后来|後來|而且|还有|還有|比如|当然|當然|哈哈+)+$")
_FUNCTION_WORDS = frozenset((
    "the", "is", "are", "was", "were", "be", "and", "or", "but", "this", "that", "these", "those", "here", "there",
    "what", "why", "how", "when", "where", "who", "my", "our", "your", "we", "it", "its", "to", "of", "in", "on",
    "at", "for", "with", "an", "i", "i'm", "if", "so", "yes", "no", "yeah", "okay", "ok", "well", "oh", "right",
    "hello", "hi", "hey", "thanks", "thank", "sure", "really", "wait", "now", "then", "you", "me", "us", "them",
    "good", "morning", "evening", "afternoon", "night", "everyone", "everybody", "welcome", "please", "let's",
    "today", "tonight", "tomorrow", "yesterday", "first", "next", "also", "plus", "remember", "look", "listen",
))  # fmt: skip
# Surnames that are also English function words ('Evan You', 'Sandra Oh', 'Wesley So', 'Ning An'): a name's last
# word may be one (Changelog's '**Evan You:**' was no label, and his 86 answers were the host's)
_SURNAME_WORDS = frozenset(("you", "oh", "so", "an"))
_NAME_PARTICLES = frozenset(["de", "van", "von", "da", "del", "der", "bin", "al", "la", "le", "du", "dos", "di"])
_NOISE_WORDS = frozenset((
    "music", "playing", "laughs", "laughing", "laughter", "applause", "chuckles", "chuckling", "sighs", "sighing",
    "inaudible", "unintelligible", "crosstalk", "silence", "indistinct", "speaking", "foreign", "language",
    "sound", "noise", "background", "cheering", "clapping", "coughs", "coughing", "singing", "static", "beep",
    "ringing", "phone", "door", "silent", "pause", "overlapping", "audio", "video",
))  # fmt: skip


# Headings that announce the transcript itself ('## Transcript', '**TRANSCRIPT BELOW:**', '对话实录') rather than name
# a part of it.
_GENERIC_HEADING = re.compile(
    r"^(?:(?:read |see )?(?:the )?(?:full|episode|interview|edited|podcast|video|complete)?\s*transcripts?(?:ion)?"
    r"(?: below| follows| starts here| here)?|interview|conversation|"
    r"q\s*&\s*a|以下[为為]?(?:对话|對話|访谈|訪談)?(?:全文|实录|實錄|内容|內容)|(?:对话|對話|访谈|訪談|文字)?(?:实录|實錄)|"
    r"全文|正文|文字稿|逐字稿|(?:对话|對話|访谈|訪談)(?:全文|内容|內容))[:：]?$",
    re.I,
)


def section_name(heading: str) -> str | None:
    """The section a heading names, or None for one that only announces the transcript ('Transcript')."""
    name = heading.strip('“”"「」『』【】《》 ▍▎▌▐■□●◆◇▶►▷▪|｜丨')  # a WeChat heading's bar or bullet ('▍关于纯电')
    return None if _GENERIC_HEADING.match(name) else name


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
    changes: bool = False  # captions mark a new speaker here (`>>`) without saying who


@dataclass
class Parsed:
    """What a parser found: speech blocks and the page's own metadata."""

    format: str
    blocks: list[Block]
    title: str | None = None
    title_declared: bool = False  # the title is the file's heading or front matter's, not its first line's guess
    source_url: str | None = None
    date: str | None = None
    editor_summary: str | None = None
    context: str = ""  # title and introduction, for naming speakers
    speakers: list[str] = field(default_factory=list)  # who the file's metadata says speaks (front matter)
    hosted: bool = False  # the front matter names hosts as well: an interview, not one speaker's talk
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
    """Starts with a capital, or with a letter of a script without case (Hangul, Arabic, Hebrew, Thai, …), or is
    a device name ('Jane's iPhone', as Zoom labels a phone that joined)."""
    first = word[:1]
    return (
        first.isupper()
        or (first.isalpha() and not first.islower() and first.lower() == first.upper())
        or bool(re.fullmatch(r"i[A-Z]\w*", word))
    )


def name_like(label: str, aliases: AliasTable, *, last_first: bool = False) -> bool:
    """Could this be a speaker label? Short, no sentence punctuation, capitalised words or a CJK name.

    Pronouns and meeting tags after a name ('Ana Ruiz (she/her)', 'Bo Li (External)') do not count against it;
    `last_first` also accepts the 'Ellis, Morgan' of company directories (Teams), where the layout marks a speaker.
    """
    label = LABEL_SUFFIX.sub("", label).strip()
    if label.isupper() and is_role(label):  # oral histories' 'SUBJECT:' (an email's 'Subject:' is no speaker)
        return True
    if last_first and _LAST_FIRST.match(label):
        label = label.replace(",", "")
    if (
        not label
        or len(label) > 40
        or URL.search(label)
        or NOT_SPEAKERS.match(label)
        or _CREDIT_LABEL.match(label)
        or re.search(r"[。！？!?,，;；:：\"“”「」()（）\[\]【】/]", label)  # a colon: a label and its words
        or re.search(r"[-–—…]$", label)  # speech broken off ('Okay-' alone on a line)
        or re.search(r"[a-z]\.[a-z]", label)  # a file or a site ('Tensorflow.js: Powerful machine learning')
        or _SENTENCE_BREAK.search(label)
    ):
        return False
    if aliases.canonical(label) or (is_role(label) and not label[:1].islower()):  # 'question: what is…' is speech
        return True
    if CJK.search(label):
        return (
            len(label) <= 12
            and not _CJK_NUMBER.search(label)
            and " " not in label
            and not _CJK_FUNCTION.search(label)
            and not _CJK_DISCOURSE.match(label)
            and not HEADLINE.match(label)
            and not _REPORTED.search(label)
        )
    words = label.split()
    folded = [w.casefold().strip(".") for w in words]
    said = folded[:-1] if len(folded) > 1 and folded[-1] in _SURNAME_WORDS else folded  # 'Evan You': a surname
    return (
        1 <= len(words) <= 4
        and all(_capitalised(w) or f in _NAME_PARTICLES for w, f in zip(words, folded, strict=True))
        and not any(f in _FUNCTION_WORDS for f in said)
        and not (set(folded) & _NOISE_WORDS)
    )


_NAME_ROLE = re.compile(
    r"^(.{2,40}?),\s*(?:host|co-?host|byline|guest|anchor|moderator|interviewer|correspondent|reporter)$", re.I
)
# A degree after a name: 'Mireille B. Reece, Psy.D', 'Jane Doe, Ph.D.', 'Sam Lee MD' (Changelog's Brain Science
# labelled its guest so, and her every line stayed inside the host's turns).
_DEGREE = re.compile(
    r"^(.{2,40}?),?\s+(?:Ph\.?\s?D|Psy\.?\s?D|Ed\.?\s?D|M\.?\s?D|D\.?O|J\.?D|MBA|M\.?Sc?|R\.?N|Esq|DDS|DVM|LCSW|CPA)\.?$"
)
_LEADING_MARKS = re.compile(r"^[^\w(（\[【<《「『\"“'‘]+(?=\w)")  # an emoji, a bullet or '@' before a name
_FULL_WIDTH = {code: code - 0xFEE0 for code in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))}
# Broadcast transcripts describe everyone in capitals: 'JENNIFER GRAY, CNN METEOROLOGIST', 'LINDSEY GRAHAM, (R) SC'.
_NAME_COMMA = re.compile(r"^([^,]{2,40}),\s*\S.{0,60}$")
PAREN_NAME = re.compile(
    r"^(?P<outer>[^()（）\[\]]{1,30}?)\s*(?:[(（](?P<inner>[^()（）]{1,40})[)）]|\[(?P<tag>[^\[\]]{1,30})\])$"
)


# A Chinese interview names each side once in full, then by a short form: '晚点LatePost（以下简称“晚点”）：',
# '理想汽车CEO李想（下称李想）：', then '晚点：' and '李想：' (the first exchange had been the page's, and lost); a
# surname alone stands for the name it begins ('台积电前研发副总蒋尚义（以下简称蒋）' is 蒋尚义, whose '蒋：' follow).
_SHORT_FORM = re.compile(
    r"^(?P<full>.{1,30}?)\s*[(（](?:以下|下文|下)?(?:简称|簡稱|称|稱)[“\"'‘「『]?(?P<short>[^“”\"'‘’「」『』()（）]{1,12})[”\"'’」』]?[)）]$"
)


def person_label(label: str, aliases: AliasTable) -> str:
    """The person in a label that adds a role, name or spelling: '主持人（Brad Gerstner）' → 'Brad Gerstner',
    '黄仁勋（Jensen Huang）' → '黄仁勋', 'Sam Altman (OpenAI)' → 'Sam Altman', 'TERRY GROSS, HOST' → 'TERRY GROSS',
    'COOPER (voice-over)' → 'COOPER', 'KARA SWISHER [HOST]' → 'KARA SWISHER', '主持人 张小珺' → '张小珺',
    '李开复博士' → '李开复', '晚点LatePost（以下简称“晚点”）' → '晚点'; other labels as they are."""
    label = _LEADING_MARKS.sub("", label.strip().translate(_FULL_WIDTH))  # 'Ｑ：' is 'Q:', '🎙️ Lex' is 'Lex'
    if short := _SHORT_FORM.match(label):
        full, called = short.group("full"), short.group("short").strip()
        name = full[full.rfind(called) :]  # from the surname's last mention on
        person = len(called) == 1 and re.fullmatch(r"[\u4e00-\u9fff]{2,3}", name) and not is_role(name)
        return name if person else called  # ('记者（以下简称记）' stays '记', as its questions are labelled)
    titled = (
        _NAME_ROLE.match(label) or (label.isupper() and _NAME_COMMA.match(label)) or _DEGREE.match(label)
    )  # CNN: 'X, CNN ANCHOR'
    if titled and name_like(titled.group(1), aliases):
        return titled.group(1)
    role, _, name = label.partition(" ")  # '主持人 张小珺', 'Host Ana Ruiz'; not 'R Kelly', not 'Unknown Speaker'
    asks_or_answers = len(role) >= 2 and (ROLE_HOST.match(role) or ROLE_GUEST.match(role))
    if name and asks_or_answers and name_like(name, aliases) and not is_role(name):
        return name
    honoured = ZH_TITLE.fullmatch(label)  # '李开复博士' (but '李博士' stays: a surname and a title)
    if honoured and len(honoured.group(1)) >= 2 and name_like(honoured.group(1), aliases):
        return honoured.group(1)
    match = PAREN_NAME.match(label)
    if not match or LABEL_SUFFIX.search(label):
        return label
    outer, inner = match.group("outer").strip(), (match.group("inner") or match.group("tag")).strip()
    if is_role(outer) and name_like(inner, aliases) and not is_role(inner):
        return inner
    if re.fullmatch(r"[A-Za-z]{0,3}\d{1,3}", inner) and name_like(outer, aliases):
        return f"{outer} {inner}"  # 'Participant (P3)' and 'Participant (P4)' are two people
    # 'COOPER (voice-over)', 'Sam Altman (CEO, OpenAI)', 'KARA SWISHER [HOST]': who, then how or what they are
    return outer if name_like(outer, aliases) else label
