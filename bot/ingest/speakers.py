"""Speaker labels → canonical people: the alias table, then what the file itself reveals.

Within a file a label may be a truncated name (`Sam Altma`), initials (`SA`), a first name (`Bekah`),
a misspelling (`Tailor` for the Taylor the host introduces), a role (`主持人`, `Q`, host) or a
diarization label (`Speaker 1`). Roles and diarization labels are named only on evidence from the
transcript: the title ("With Mustafa Suleyman"), introductions ("joined by …"), being addressed
("Hey, Alex."). What stays unknown stays as labelled, for an admin to rename.
"""

from __future__ import annotations

import functools
import re
import tomllib
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bot.ingest.cleaning import BAR, URL
from bot.text.dictionary import is_word
from bot.text.script import to_simplified
from bot.text.tokens import HANGUL, STOP_EN

# Roles in English and Chinese, and in the languages bot/text/latin.py tells apart (a Spanish interview's
# ENTREVISTADORA / ENTREVISTADA, a German one's MODERATORIN / GAST, a Spanish paper's P. / R.), and research
# interviews' 'I:' and 'R:' ('IV:', 'IP:'), which until stop 42 left the interviewer's 'I:' in the text of a turn
# given to no one; Japanese and Korean interviews' 聞き手 / 司会 / 진행자 and ゲスト / 게스트 (stop 43).
ROLE_HOST = re.compile(
    r"^(?:the )?(?:主持人|主持|host|co-?host|interviewer|moderator|q\d*|question|i|iv|int|问|問|问题|問題|提问|提問"
    r"|记者|記者|moderatorin|moderadora?|entrevistadora?|intervieweu(?:r|se)|journaliste|p|pregunta|pergunta"
    r"|聞き手|司会|司会者|インタビュアー|진행자|사회자|기자)$",
    re.I,
)
ROLE_GUEST = re.compile(
    r"^(?:the )?(?:a\d*|r|resp|ip|嘉宾|嘉賓|guest|interviewee|respondent|subject|answer|答|回答|受访者|受訪者"
    r"|被访者|被訪者|gast|invitad[oa]|invitée?|entrevistad[oa]|interviewée?|respuesta|resposta|r[ée]ponse|ゲスト|게스트)$",
    re.I,
)
DIARIZED = re.compile(
    r"^(?:speaker|spk|spkr|发言人|發言人|说话人|說話人)[\s_]*(?:\d+|[A-Z])$|^unknown(?: speaker)?$", re.I
)
# What meeting tools append to a name: pronouns and guest tags ('Ana Ruiz (she/her)', 'Bo Li (External)').
LABEL_SUFFIX = re.compile(
    r"\s*[(（](?:(?:he|she|they|ze|xe)\s*/\s*\w+(?:\s*/\s*\w+)?|external|extern|guest|organi[sz]er|unverified|"
    r"visitor|外部|访客|訪客)[)）]\s*$",
    re.I,
)
# Accented letters belong to a name: "Lucía Fernández" was no name, so a Spanish page's interviewee went unnamed.
# A name ends where the Latin letters do, not at a word boundary: Chinese pages write Western names against Chinese
# characters ("分析師Ben Thompson最近與OpenAI CEO Sam Altman進行"), where `\b` finds no edge and the names went unread.
_NAME_WORD = r"[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿā-ž]+"
_LETTER = r"A-Za-zÀ-ÖØ-öø-ÿā-ž"
_LATIN_NAME = re.compile(rf"(?<![{_LETTER}])({_NAME_WORD}(?:[ -]{_NAME_WORD}){{1,2}})(?![{_LETTER}])")
_NOT_NAMES = frozenset(
    [
        "the",
        "this",
        "that",
        "open",
        "source",
        "big",
        "technology",
        "podcast",
        "deep",
        "research",
        "chat",
        "microsoft",
        "google",
        "apple",
        "meta",
        "openai",
        "superintelligence",
        "do",
        "you",
        "and",
        "so",
        "thank",
        "thanks",
        "yes",
        "okay",
        "well",
        "is",
        "it",
        "we",
        "what",
        "how",
        "why",
        "but",
        "or",
        "if",
        "in",
        "on",
        "of",
        "to",
        "for",
        "hey",
        "hi",
        "hello",
        "great",
        "good",
        "right",
        "oh",
        "yeah",
        "no",
        "not",
        "just",
        "like",
        "really",
        "very",
        "project",
        "history",
        "interview",
        "episode",
        "show",
        "conference",
        "press",
        "news",
        "report",
        "transcript",
        "session",
        "meeting",
        "review",
        "hour",
        "radio",
        "live",
        "part",
        "university",
        "institute",
        "foundation",
        "society",
        "museum",
        "festival",
        "summit",
        "forum",
        # things and groups a page names as often as people: 'Bitcoin Core' answered six pages' questions, 'Socratic
        # Seminar', 'California Gathering', 'Chaincode Labs' and 'Optech Newsletters' were speakers of meetups' notes
        "core",
        "labs",
        "lab",
        "seminar",
        "gathering",
        "meetup",
        "workshop",
        "newsletter",
        "newsletters",
        "capital",
        "series",
        "union",
        "officer",
        "network",
        "team",
        "group",
        "club",
        "company",
        "inc",
        "ltd",
        "llc",
        # a credit's verb: 'Transcript completed by: Stephan Livera Edited by: …' named the host "Stephan Livera Edited"
        "edited",
        "transcribed",
        "translated",
        "produced",
        "recorded",
        "completed",
    ]
)
_VOCATIVE = re.compile(
    r"(?:^|[.!?]\s+)(?i:hey|hi|hello|thanks|thank you|thank you so much|welcome|welcome back|great to see you|"
    r"good to see you|nice to see you|alright|all right|okay|ok|so|well|yes|yeah|right),?\s+"
    r"(?P<name>[A-Z][a-z]{2,})\s*[.!?,]"
)
# A name closing a clause of address: 'Of course, Luis.', 'Thanks for having me, Tobias!'.
_VOCATIVE_END = re.compile(r",\s+(?P<name>[A-Z][a-z]{2,})[.!?](?:\s|$)")
# A host welcoming the guest by name: 'and yeah Claudio, so happy to have you on' (a diarized podcast's host, whose
# guest stayed "Guest"), 'Maya, welcome to the show', 'Tom Reyes, thanks for coming on'.
_WELCOMED = re.compile(
    r"\b(?P<name>[A-Z][a-z]{2,}(?: [A-Z][a-z]+)?),\s+(?:(?:(?:so|really|very|super)\s+)?"
    r"(?:happy|great|glad|nice|good|thrilled|excited)\s+to\s+have\s+you|welcome(?:\s+back)?\s+to\b"
    r"|thanks?(?:\s+you)?(?:\s+so\s+much)?\s+for\s+(?:coming|joining|being)"
    r"|it's\s+(?:great|good|a\s+pleasure)\s+to\s+have\s+you)"
)
_OWN_NAME_BEFORE = re.compile(r"(?:\bI am|\bI'm|\bis|\bmy name is)\s+(?:[A-Z][a-z]+\s+)?$")


def welcomed(text: str) -> list[str]:
    """The names a speaker welcomes (`_WELCOMED`), not the speaker's own ('I am Neha Narula, thank you for being
    here', a talk's opening)."""
    return [m.group("name") for m in _WELCOMED.finditer(text) if not _OWN_NAME_BEFORE.search(text, 0, m.start())]


def introduced(text: str) -> list[str]:
    """The people a speaker introduces or welcomes as the guest: 'we're joined by Wendy Fox', 'today's guest is
    Ana', 'Claudio, so happy to have you on', '今天的嘉宾是陈静'."""
    found = [m.group("name") for pattern in (_INTRO, _INTRO_ZH) for m in pattern.finditer(text)]
    return found + welcomed(text)


# Months and days, which are no one: not addressed when they end a list ("…in October, November, December." named a
# guest "December"), not speaking when they head a line of news ('October: Evan You starts a startup.'). April, May
# and June are people too.
CALENDAR = (
    "January", "February", "March", "July", "September", "October", "November", "December",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
)  # fmt: skip
# Words of talk a speech-to-text engine capitalizes after a comma ("Okay, Yeah.", "Yes, Right."), which named a
# research call's host "Yeah" and a panel's developer "Right". Only naming reads them: the inference model's
# features (`turns_from_text`) were fitted with `_NOT_ADDRESSED` as it was, and moved corpus 01's stripped F1.
_INTERJECTIONS = (
    "Yeah", "Yes", "Yep", "Yup", "Right", "Okay", "Sure", "Exactly", "Absolutely", "Totally", "Definitely", "Cool",
    "Great", "Awesome", "Nice", "Perfect", "Thanks", "Well", "Wow", "Alright", "Indeed", "Correct", "True", "Agreed",
    "Everyone", "Everybody",
)  # fmt: skip
# A name closing a clause is no address where a capitalized word inside the sentence (not 'Okay', 'Hi') stands before
# the comma and no question or call follows: 'in Hillsborough, Oregon.' is a place ('on Twitter, Adam?' asks Adam)
_NAME_BEFORE = re.compile(
    rf"(?<![.!?\s])\s+(?!(?:{'|'.join(_INTERJECTIONS)}|OK|Ok|Hey|Hi|Hello|So|Oh)\b)[A-Z][\w'’-]*$"
)
# Words of address that name no one: titles, God, family and friends ('Mission accomplished, Papa.' named Oxide's host)
_NOT_ADDRESSED = frozenset(
    ["Sir", "Madam", "God", "Lord", "Jesus", "Christ", "Mom", "Dad", "Man", "Guys", "Folks", *CALENDAR]
    + ["Papa", "Mama", "Mum", "Mommy", "Daddy", "Dude", "Bro", "Buddy", "Pal", "Mate", "Honey", "Baby", "Darling"]
)
# "I'm Kelly", "my name is…", "this is Sam Altman", and a host's sign-on, "This is your host, Michael Kennedy"
_SELF_NAME = r"(?P<name>[A-Z][a-z]{2,}(?: [A-Z][a-z]+)?)\b"
_YOUR_HOST = r"(?:[Tt]his is|I'm|I am) your (?:co-?)?host,?"
SIGN_ON = re.compile(rf"\b{_YOUR_HOST}\s+{_SELF_NAME}")
# A Chinese host's sign-on gives the name they go by, often a given name or a nickname that starts with no
# surname (小俊, 曼奇), so any two or three characters before a pause: '欢迎收听晚点聊，我是曼奇。' (or a line
# each, unpunctuated), '我是主持人小璇', and signing off, '我是陈茜，那我们就下期视频再见啦'.
WELCOME_ZH = r"(?:欢迎|歡迎)(?:你|您|大家|各位)?(?:来到|來到|收听|收聽|收看|回到)"  # '欢迎收听…', '歡迎來到…'
SIGN_ON_ZH = re.compile(
    rf"(?:{WELCOME_ZH}[^，。,！？!?\n]{{1,24}}(?:[，,]|\s*\n)\s*我是"
    r"|我是主持人"
    r"|我是(?=[\u4e00-\u9fff]{2,3}[，,]\s*(?:那么|那|那麼)?(?:我们|我們)?(?:就)?下期))"
    r"(?:主持人)?(?P<name>[\u4e00-\u9fff]{2,3}?)(?=[，。,.!！？?、\s]|$)"
)
_SELF = re.compile(rf"\b(?:I'm|I am|my name is|this is|{_YOUR_HOST})\s+{_SELF_NAME}")
# '大家好，我是陈茜。': a common surname and one or two more characters, then a pause ('我是觉得' is no name).
_SURNAMES = (
    "王李张張刘劉陈陳杨楊黄黃赵趙吴吳周徐孙孫马馬朱胡郭何林高罗羅郑鄭梁谢謝宋唐许許韩韓冯馮邓鄧曹彭曾肖萧蕭田董潘袁蔡蒋蔣"
    "余于杜叶葉程魏苏蘇吕呂丁任沈姚卢盧钟鍾姜崔谭譚陆陸范汪廖石金贾賈夏韦韋付方邹鄒熊白孟秦邱侯江尹薛闫閆段雷龙龍黎史陶贺賀"
    "毛郝顾顧龚龔邵万萬覃武钱錢戴严嚴莫孔向常汤湯康易乔喬赖賴文施洪辛柯庄莊"
)
# A Chinese name as speech says it: a common surname and one or two more characters (the lookahead after it, which
# ends the name, is each pattern's own).
_ZH_PERSON = rf"(?P<name>[{_SURNAMES}][\u4e00-\u9fff]{{1,2}}?)"
# '专访李明：…', '对话｜张一鸣：…', '本期嘉宾：李想，…', '嘉宾介绍' above '李想，理想汽车创始人': the person a Chinese
# headline or show note says is interviewed.
_INTERVIEWED_ZH = re.compile(
    rf"(?:专访|專訪|对话|對話|访谈|訪談|(?:嘉宾|嘉賓)(?:介绍|介紹|简介|簡介)?)\s*[{BAR}:：·]?\s*{_ZH_PERSON}(?=[{BAR}:：，,、\s（(—-]|$)"
)
# '山田太郎氏に聞く', 'インタビュー：山田太郎さん': the person a Japanese headline says is interviewed (after the
# name, unlike `_INTERVIEWED`'s words before it).
_INTERVIEWED_AFTER = r"(?:氏|さん|先生)?(?:に聞く|インタビュー)"
_INTERVIEWED_JA = re.compile(
    rf"(?P<name>[\u4e00-\u9fff]{{3,5}}?){_INTERVIEWED_AFTER}"
    r"|インタビュー\s*[|｜:：]\s*(?P<after>[\u4e00-\u9fff]{3,5}?)(?:氏|さん|先生)?(?=[|｜:：、，,\s]|$)"
)
_ZH_NAME = rf"{_ZH_PERSON}(?=[，。,.!！？?、\s]|$)"
# A name said with a title is how others call someone ('他在我叫何老师', what I called him: Teacher He), not a name.
_UNTITLED_ZH = r"(?<!老师)(?<!老師)(?<!先生)(?<!女士)(?<!总)(?<!總)"
# '本报记者张伟', '主持人：王芳', '采访｜李静': who asks, as a Chinese byline or credit line names them (the words
# `_BYLINE` also reads before a name).
# '采访' only as a credit, before a separator ('采访｜李静'): in speech '我曾四次采访曹旭东' names the one interviewed.
_ASKS_ZH = rf"[记記]者|(?:采访|採訪)(?=\s*[{BAR}:：])"
_BYLINE_ZH = re.compile(rf"(?:{_ASKS_ZH}|主持人|撰文)\s*[{BAR}:：]?\s*{_ZH_PERSON}(?=[{BAR}:：，,、\s]|$)", re.M)
# A credit line above the talk gives a role's person: 'Interviewer: Ana Ruiz', '主持人：王芳', '聞き手：佐藤花子'.
_CREDIT_LINE = re.compile(r"^\s*(?P<role>[^:：\n]{1,20}?)\s*[:：]\s*(?P<name>[^:：\n]{2,40}?)\s*$", re.M)
_GREETING_WORDS = frozenset(["good", "morning", "evening", "afternoon", "thank", "thanks", "welcome", "hello", "back"])


def credit_name(role: str, name: str) -> bool:
    """Whether `role: name` credits a person with a role rather than starting a turn ('Host: Good Morning'): the
    role asks or answers and the words are a person's name as that role's language writes one."""
    if not (ROLE_HOST.match(role) or ROLE_GUEST.match(role)):
        return False
    if _LATIN_NAME.fullmatch(name):
        return not any(w.casefold() in _NOT_NAMES or w.casefold() in _GREETING_WORDS for w in name.split())
    if re.search(r"[ぁ-ヿ]|司会", role):  # Japanese roles: 聞き手, 司会, インタビュアー, ゲスト
        return bool(re.fullmatch(r"[\u4e00-\u9fff]{3,5}", name))
    if re.search(f"[{HANGUL}]", role):  # Korean roles
        return bool(re.fullmatch(f"[{HANGUL}]{{2,4}}", name))
    return bool(re.fullmatch(_ZH_PERSON, name))


def credits(context: str) -> dict[str, str]:
    """Role label → the person a credit line in the page's introduction gives it."""
    found = (m.group("role", "name") for m in _CREDIT_LINE.finditer(context))
    return {role: name for role, name in found if credit_name(role, name)}


OPENING_TURNS = 12  # turns at the start where the host introduces the guest (after a sponsor's read or two)
# '今天的嘉宾是陈静', '嘉宾是Google DeepMind研究员姚舜宇', '我们请到了王磊': a guest introduced in Chinese (not
# '嘉宾是全球光互联的龙头', a leader of optical interconnects, nor '邀请到那些优秀的那些嘉宾，然后…过程里').
_INTRO_ZH = re.compile(
    rf"(?:(?:嘉宾|嘉賓)(?:(?:是|就是|为|為)[^，。,！？：:]{{0,24}}?(?<!的)|[，,：:]?\s*)"
    rf"|(?:请到了|請到了|邀请到|邀請到|请来了|請來了)[^，。,]{{0,12}}?){_ZH_PERSON}(?=[，。,.!！？?、\s]|$|来|來)"
)  # '…邀请到了AI领域的头部播客主许华哲来做客'

# '我是陈茜。', '我是主持人王磊，': a speaker naming themself ('我是觉得' is no name).
_SELF_ZH = re.compile(rf"我(?:是|叫)(?:本期)?(?:主持人|嘉宾|嘉賓)?{_ZH_NAME}{_UNTITLED_ZH}")
# '谢谢你，周敏。', '陈静你好': someone addressed by name ('王老师你好' names no one: a title is no name).
_VOCATIVE_ZH = re.compile(
    rf"(?:(?P<thanks>谢谢|謝謝|感谢|感謝|欢迎|歡迎)(?:你|您)?[，,、]?\s*|(?=[{_SURNAMES}])(?:^|(?<=[，。！？,.!?\s]))){_ZH_PERSON}"
    rf"{_UNTITLED_ZH}(?(thanks)(?=[，。,.!！？?\s]|$)|[，,]?\s*(?:你好|您好))"
)
# Korean: a common surname and two syllables, as a host introduces a guest ('오늘 모신 분은 김민수 대표입니다',
# '김민수 대표님, 안녕하세요') and a speaker names themself ('저는 김민수입니다'); '저는 개발자입니다' names no one.
_KO_SURNAMES = (
    "김이박최정강조윤장임한오서신권황안송류전홍고문양손배백허유남심노하곽성차주우구민진나엄채원천방공현함변염여추도석선"
    "설마길연위표명기반왕금옥육인맹제모탁국어은편용예경봉사부가복태목형피두감호"
)
_KO_PERSON = rf"[{_KO_SURNAMES}][가-힣]{{2}}"
_HANGUL = re.compile(f"[{HANGUL}]")
_INTRO_KO = re.compile(
    rf"(?:모신 분은|모셨습니다[.,]?|초대 손님은|게스트는|함께할 분은)\s*(?P<name>{_KO_PERSON})"
    rf"|(?P<called>{_KO_PERSON})\s*(?:대표|교수|박사|작가|기자|감독|의원|선생)?님[,.]?\s*(?:안녕하세요|반갑습니다)"
)
_SELF_KO = re.compile(rf"(?:저는|제 이름은)\s*(?P<name>{_KO_PERSON})(?:입니다|이라고 합니다|이에요|예요)")
_INTRO = re.compile(
    r"\b(?:joined (?:once again |again |today )?by|(?:we're|we are|I'm|I am) (?:here |back )?with|with me (?:today )?is"
    r"|joining (?:me|us) (?:today |now |this week )?is|(?i:today's|this week's) guest is|please welcome"
    r"|(?i:my|our) guests? (?:today |this week )?(?:is|are)|I'm talking (?:to|with)|I am talking (?:to|with)"
    r"|(?i:today|tonight|this week|(?:on|in) this episode),? we(?: have|'ve got| have got)|we have with us"
    r"|(?<!would )(?<!will )(?<!'d )(?<!'ll )welcome(?: back)?(?: to the show)?,?)"  # not 'I would welcome Trainium'
    # 'with Dr. Jane Goodall': no 'Dr'; a whole word ('talking to MailChimp' introduced a guest "Mail")
    r"\s+(?:(?:Dr|Mr|Mrs|Ms|Prof)\.?\s+)?(?P<name>[A-Z][a-z]+(?: [A-Z][a-z]+)?)\b"
)


# What separates a name's words ('Sam Altman', '山姆·奥特曼', 'Jean-Luc', 'J.K.'): a comparison ignores it.
_SEPARATOR = r"[\s·・.\-_]"


def _fold(text: str) -> str:
    """Text with width, case and script folded (separators kept)."""
    return unicodedata.normalize("NFKC", to_simplified(text)).casefold()


def _key(name: str) -> str:
    """Comparison form of a name: width, case, script and separators folded."""
    return re.sub(f"{_SEPARATOR}+", "", _fold(name))


@dataclass
class AliasTable:
    """Canonical names of well-known people, looked up by any alias in any script."""

    names: dict[str, str] = field(default_factory=dict)  # key(alias) -> canonical name
    people: list[tuple[str, list[str]]] = field(default_factory=list)

    def canonical(self, name: str) -> str | None:
        """The canonical person for a label or alias, or None."""
        return self.names.get(_key(name))

    def mentioned_in(self, text: str) -> list[str]:
        """People whose name or alias (of 2+ characters) occurs in text, in order of first mention. A name in
        Latin letters is whole words ("Lex" is not the one in "complexity", which put Lex Fridman's name on the
        questions of a talk about block propagation); a Chinese one is found anywhere, as Chinese has no spaces."""
        folded = _fold(text)
        keyed = re.sub(f"{_SEPARATOR}+", "", folded)  # _key(text), a cheap first test: most names are not in it
        found = []
        for canonical, aliases in self.people:
            forms = [_alias(a) for a in (canonical, *aliases)]
            matches = [pattern.search(folded) for key, pattern in forms if len(key) >= 2 and key in keyed]
            positions = [m.start() for m in matches if m]
            if positions:
                found.append((min(positions), canonical))
        return [name for _, name in sorted(found)]

    def with_people(self, names: Sequence[str]) -> AliasTable:
        """This table and these people (a file's declared speakers), each under their own name only."""
        if not names:
            return self
        table = AliasTable(dict(self.names), list(self.people))
        for name in names:
            if _key(name) not in table.names:
                table.names[_key(name)] = name
                table.people.append((name, []))
        return table


@functools.lru_cache(maxsize=4096)
def _alias(alias: str) -> tuple[str, re.Pattern[str]]:
    """An alias's key, and the alias as it may be written in folded text: any separators between its words (or,
    for Chinese, between its characters: '山姆·奥特曼', '山姆奥特曼'), and a Latin one only as whole words. Made once
    per alias: every file's mentions read them all."""
    key, between = _key(alias), f"{_SEPARATOR}*"
    if not re.fullmatch(rf"[{_LETTER}0-9]+", key):
        return key, re.compile(between.join(map(re.escape, key)))
    words = [w for w in re.split(f"{_SEPARATOR}+", _fold(alias)) if w]
    return key, re.compile(rf"(?<![{_LETTER}0-9]){between.join(map(re.escape, words))}(?![{_LETTER}0-9])")


def load_aliases(path: Path) -> AliasTable:
    """Read the alias table (config/speakers.toml): [[person]] name = ..., aliases = [...]."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    table = AliasTable()
    for person in data.get("person", []):
        canonical = person["name"]
        aliases = list(person.get("aliases", []))
        table.people.append((canonical, aliases))
        for alias in (canonical, *aliases):
            table.names[_key(alias)] = canonical
    return table


def first_name(name: str) -> str:
    """'Dr. Raj Patel' → 'Raj': the name a transcript shortens a full name to, past a title."""
    words = name.split()
    return words[1] if len(words) > 2 and re.fullmatch(r"(?i)(?:dr|mr|mrs|ms|prof|sir|dame)\.?", words[0]) else words[0]


def _initials(name: str) -> str:
    return "".join(word[0] for word in re.findall(r"[A-Za-z]+", name)).upper()


def _short_forms(name: str) -> tuple[str, str]:
    """A name's initials, all of them and its first and last word's."""
    initials = _initials(name)
    return initials, initials[:1] + initials[-1:]


def _edit_distance_one(a: str, b: str) -> bool:
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


_HONORIFIC = re.compile(r"^(?:Miss|Mister|Mr|Mrs|Ms|Mx|Dr|Doctor|Prof|Professor|Sir|Dame|Madam|Lady|Lord) ")
_SENTENCE_START = re.compile(r"(?:^|[.!?…]\s+)$")


def _name_pairs(text: str, lower: set[str]) -> list[str]:
    """Capitalised word pairs that may be names, less a word that only stands before one: an honorific ("Miss
    Emma") or a common word capitalised because it opens a sentence ("Which Kelly really likes.", "Except Emma's
    part time"; a word the text also writes in lower case). Ladybug's Otter exports named their hosts "Miss
    Emma", "Which Kelly" and "Except Emma" that way; a pair left with one word is no full name."""
    pairs = []
    for match in _LATIN_NAME.finditer(text):
        name = _HONORIFIC.sub("", match.group(1), count=1)
        first = name.split(" ", 1)[0]
        before = text[max(0, match.start() - 4) : match.start()]  # not a copy of all the text before, each match
        if name == match.group(1) and first.casefold() in lower and _SENTENCE_START.search(before):
            name = name[len(first) :].strip()
        if " " in name or "-" in name:
            pairs.append(name)
    return pairs


def context_names(context: str, aliases: AliasTable, body: str = "") -> list[str]:
    """Full names the title and introduction mention (known people first, then capitalised name pairs),
    and name pairs the speech itself repeats."""
    names = aliases.mentioned_in(context)
    zh = [*_INTERVIEWED_ZH.finditer(context), *_BYLINE_ZH.finditer(context)]
    names += [aliases.canonical(m.group("name")) or m.group("name") for m in zh]
    names += [m.group("name") or m.group("after") for m in _INTERVIEWED_JA.finditer(context)]
    # no name inside an address: '<https://…/wiki/P2P-Design-Philosophy>' named a talk's answers "Design-Philosophy"
    context, body = URL.sub(" ", context), URL.sub(" ", body)
    lower = set(re.findall(r"\b[a-z]+\b", f"{context} {body}"))
    repeated = Counter(_name_pairs(body, lower))
    candidates = _name_pairs(context, lower) + [n for n, c in repeated.items() if c >= 2]
    text = re.sub(r"\s+", " ", f"{context} {body}")
    folded = text.casefold()
    for candidate in candidates:
        candidate = re.sub(
            r"^(?:By|With|From|Meet|Featuring|Interviewed By|Hosted By|Por|Par|Von|Con|Avec|Mit)\s+(?=\S+\s)",
            "",
            candidate,
        )
        if not any(w.casefold() in _NOT_NAMES for w in candidate.split()) and not _said_in_lower_case(
            candidate, lower, text, folded
        ):
            names.append(aliases.canonical(candidate) or candidate)
    return list(dict.fromkeys(names))


# A title that opens with whom the episode is about, before a dash, colon or bar: 'Ilya Sutskever – We're moving
# from…', 'Dario Amodei (Anthropic CEO) — …', '李美珍：我是你们的马拉松运动员李美珍', '对话王熙乔：…'; or with two
# names joined by '×', the guest's and the host's ('【正片】名创优品叶国富×罗永浩！…').
_TITLE_LEAD = re.compile(
    r"\s*(?:【[^】]*】|#?\d+\s*[–—:|.]\s*)?(?P<lead>[^–—:：|｜×(（!！?？【]{1,40}?)\s*(?:\([^)]*\)|（[^）]*）)?\s*"
    r"(?:(?:×| x )\s*(?P<second>[^–—:：|｜!！?？【]{1,40}?)\s*(?:[！!：:｜|【]|$)|[–—:：|｜]| - )"
)
# Surnames too rare to look for in speech, where 路 is a road and 游 a swim; a title's '路颖：' names a person, as
# '对话盛颖：…' does.
_TITLE_SURNAMES = (
    _SURNAMES + "路管翁毕畢游盛尤柯阎閻聂聶齐齊邢祝凌温溫俞裴岳骆駱殷祁庞龐樊饶饒柴滕晏卓屈霍鲍鮑冉焦童舒苗戚窦竇"
)
# '对李想的第二次3小时访谈', '…？对能量奇点创始人杨钊3小时访谈': whom a Chinese title says the interview is of; and
# '口述SpaceX开发史：和前高管洪力德聊，…', '“谷歌太慢了”：与Andrew Dai聊Gemini…': whom it says the host talks with.
_INTERVIEW_OF = re.compile(
    r"对(?P<lead>[^的\d，：:|｜]{2,20})(?=(?:的|\d)[^，：:|｜]{0,12}访谈)"
    r"|(?:^|(?<=[：:，,！!？?\s】”\"]))(?:和|与|與)(?P<with>[^，：:|｜、！？!?【]{2,24}?)(?=聊|谈|談)"
)


def title_people(title: str, body: str, aliases: AliasTable) -> list[tuple[int, str]]:
    """(role, name) for the people a title opens with (`_TITLE_LEAD`): the guest (1), and the host (0) when a title
    joins two names by '×'. A transcript that names nobody is still published under such a title: of the 110
    surveyed files (of 1 325) whose guest was "Guest", 63 are named so (Dwarkesh Patel's, 张小珺's, 罗永浩's shows)."""
    found = _TITLE_LEAD.match(title)
    # of two parts only one a name: which of them it is is a guess ('影视飓风TIM×罗永浩！', '硅谷坐标 × …林杰屏：')
    if found and found.group("second"):
        first, second = (_title_name(found.group(part), title, body, aliases) for part in ("lead", "second"))
        return [(1, first), (0, second)] if first and second else []
    guest = found and _title_name(found.group("lead"), title, body, aliases)
    if not guest and (interview := _INTERVIEW_OF.search(title)):
        guest = _title_name(interview.group("lead") or interview.group("with"), title, body, aliases)
    return [(1, guest)] if guest else []


def _title_name(part: str, title: str, body: str, aliases: AliasTable) -> str | None:
    """The person a title's part is, or ends with in Chinese ('名创优品叶国富' → 叶国富: the longer form the speech
    says, else one a common surname starts that is no dictionary word: not '马拉松')."""
    part = re.sub(r"[聊谈談说說讲講的]+$", "", part.strip())  # '和智谱 CEO 张鹏聊'
    if _LATIN_NAME.fullmatch(part):  # said in the speech, unless that is a translation ('Dario Amodei' in Chinese)
        words = "|".join(map(re.escape, part.split()))
        said = len(_HAN.findall(body)) > len(body) / 4 or re.search(rf"\b(?:{words})\b", body)
        found = (n for n in context_names(title, aliases) if n == (aliases.canonical(part) or part))
        return next(found, None) if said else None
    forms = [part[-n:] for n in (3, 2) if re.fullmatch(rf"[{_TITLE_SURNAMES}][\u4e00-\u9fff]{{{n - 1}}}", part[-n:])]
    forms = [form for form in forms if not is_word(form)]
    return next((form for form in forms if form in body), forms[0] if forms else None)


def _said_in_lower_case(pair: str, lower: set[str], text: str, folded: str) -> bool:
    """Whether the text (spaces folded; `folded` is it in lower case) also writes the pair with a word in lower case:
    a thing, not a person ("Bitcoin core", "hardware wallets", "submarine swaps"). Title-case headings and titles
    made such things speakers' names (a talk's answers were "Hardware Wallets"'s, a podcast's host "Bitcoin Core")."""
    words = re.split(r"([ -])", pair)
    if not any(w.casefold() in lower for w in words[::2]) or folded.count(pair.casefold()) <= text.count(pair):
        return False  # no other spelling of it at all (counted first: the search below is what costs)
    phrase = "".join(" " if w == " " else re.escape(w) for w in words)
    found = re.finditer(rf"(?<![{_LETTER}/._-]){phrase}(?![{_LETTER}/_-])", text, re.I)  # not in an address
    return any(w[0].islower() for m in found for w in m.group(0).split())


_HAN = re.compile(r"[\u3400-\u9fff]")
# A Chinese name and the title said with it: '李开复博士', '王总', '陈老师'.
ZH_TITLE = re.compile(r"([\u3400-\u9fff]{1,3}?)(?:博士|先生|女士|小姐|老师|老師|教授|院士|律师|律師|医生|醫生|总|總)")


def untitled(key: str) -> str:
    """A surname said with a title ('李博士', '王总') as the surname alone; any other key as it is."""
    titled = ZH_TITLE.fullmatch(key)
    return titled.group(1) if titled and len(titled.group(1)) == 1 else key


def _match_in_file(label: str, known: Sequence[str], loose: bool = False) -> str | None:
    """A known full name this label abbreviates: a prefix, initials, a first or last name, a one-letter misspelling
    of a one-word name; `loose` (the people a file declares): of their first name too. A label of a whole name is
    kept as the transcriber wrote it even one letter off the metadata's (which wrote 'Pavel' for Pavol Rusnak)."""
    key = untitled(_key(label))  # '李博士' after '李开复博士'
    if len(key) == 1 and _HAN.fullmatch(key):  # Chinese press labels: '黄仁勋：' once, then the surname, '黄：'
        surnamed = [n for n in known if re.fullmatch(rf"{_HAN.pattern}{{2,4}}", _key(n)) and _key(n)[0] == key]
        return surnamed[0] if len(surnamed) == 1 else None
    if len(key) == 2 and _HAN.fullmatch(key[0]) and _HAN.fullmatch(key[1]):  # a two-character surname: '佐藤：'
        # for the credit's 佐藤花子, '山田：' for the headline's 山田太郎 ('山田太郎氏に聞く'), '欧阳：' for 欧阳娜娜
        surnamed = [n for n in known if re.fullmatch(rf"{_HAN.pattern}{{3,5}}", _key(n)) and _key(n).startswith(key)]
        return surnamed[0] if len(surnamed) == 1 else None
    if len(key) < 2:
        return None
    prefixes = [n for n in known if _key(n).startswith(key) and len(key) >= max(4, len(_key(n)) * 0.6)]
    if len(prefixes) == 1:
        return prefixes[0]
    if 2 <= len(label) <= 3 and label[0].isupper() and label[-1].isupper():  # 'SP', 'JOB', 'AvW'
        # all of them, or the first and last name's ('LS' for Lawrence H. Summers, 'AW' for Aaron van Wirdum)
        initials = [n for n in known if len(n.split()) >= 2 and label.upper() in _short_forms(n)]
        if len(initials) == 1:
            return initials[0]
    firsts = [n for n in known if len(n.split()) >= 2 and _key(first_name(n)) == key]
    if len(firsts) == 1:
        return firsts[0]
    lasts = [n for n in known if len(n.split()) >= 2 and _key(n.split()[-1]) == key]  # press style: 'ALTMAN:'
    if len(lasts) == 1 and len(key) >= 3:
        return lasts[0]
    if len(key) >= 5:  # one letter off a one-word name; a declared person's first name too ('Sjoers': Sjors P.)
        one_word = " " not in label.strip()

        def near(n: str) -> bool:
            if " " not in n:
                return _edit_distance_one(_key(n), key)
            return loose and one_word and _edit_distance_one(_key(first_name(n)), key)

        close = [n for n in known if near(n)]
        if len(close) == 1:
            return close[0]
    return None


def _misspelt(label: str, context: str) -> str | None:
    """A name the text spells one letter differently and more often than the label ('Tailor' → 'Taylor')."""
    if " " in label or len(label) < 5:
        return None
    words = Counter(re.findall(r"\b[A-Z][a-z]{3,}\b", context))
    close = [
        w
        for w, n in words.items()
        if n >= 2 and n > words[label] and _edit_distance_one(w.casefold(), label.casefold())
    ]
    return close[0] if len(close) == 1 else None


def _typo_of(label: str, counts: Counter[str]) -> str | None:
    """The label a rare whole-name label misspells by one letter: 'Max Hilebrand' (twice) beside 'Max Hillebrand'
    (five times), 'Christopher Allne' beside 'Christopher Allen', 'Mrk Erhardt' beside 'Mark Erhardt'."""
    words = label.split()  # whole words: 'Senator R' is no 'Senator M' misspelt, 'Senator M' no 'Senator'
    if len(words) < 2 or min(map(len, words)) < 3 or len(_key(label)) < 8:
        return None
    near = [
        other for other in counts
        if counts[other] > counts[label] and len(other.split()) == len(words)
        and _edit_distance_one(_key(other), _key(label))
    ]  # fmt: skip
    return near[0] if len(near) == 1 else None


def _first_name_map(names: list[str]) -> dict[str, str]:
    firsts = defaultdict(list)
    for name in names:
        firsts[name.split()[0]].append(name)
    return {first: full[0] for first, full in firsts.items() if len(full) == 1}


def _personal(name: str) -> bool:
    """Whether a name speech gives someone can be a person's: not an interjection or a function word that speech-to-
    text capitalized ('this is Yeah', 'I'm Nice', 'And, Yeah.', 'The Inventor'; 'Will' is a name)."""
    first = name.split()[0]
    return first not in _INTERJECTIONS and (first.casefold() == "will" or first.casefold() not in STOP_EN)


def _evidence(turns: list[tuple[str, str]], full_names: list[str]) -> dict[str, Counter[str]]:
    """label -> votes for a name, from how people address, introduce and name themselves."""
    labels = list(dict.fromkeys(label for label, _ in turns))
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    introduced = [  # full names the speakers introduce, others or themselves ('this is Adam Leventhal')
        m.group("name") for _, text in turns for m in (*_INTRO.finditer(text), *_SELF.finditer(text))
        if " " in m.group("name") and _personal(m.group("name"))
    ]  # fmt: skip
    expand = _first_name_map(list(dict.fromkeys(full_names + introduced)))

    def full(name: str) -> str:
        return expand.get(name, name)

    for i, (label, text) in enumerate(turns):
        others = [lab for lab in labels if lab != label]
        if len(others) != 1:
            # With several speakers, credit the name to whoever speaks next.
            others = [turns[i + 1][0]] if i + 1 < len(turns) and turns[i + 1][0] != label else []
        korean = _HANGUL.search(text) is not None  # the Korean patterns only where Hangul is (a twentieth faster)
        selves = {m.group("name") for m in (*_SELF.finditer(text), *_SELF_ZH.finditer(text))}
        selves |= {m.group("name") for m in _SELF_KO.finditer(text)} if korean else set()
        selves = {name for name in selves if _personal(name)}
        if len(selves) == 1:  # 'I'm Kelly. I'm Allie.' is a round of introductions, not one speaker
            votes[label][full(selves.pop())] += 2
        vocatives = (_VOCATIVE, _VOCATIVE_END, *((_VOCATIVE_ZH,) if _HAN.search(text) else ()))  # English: no scan
        addressed = [
            m.group("name") for v in vocatives for m in v.finditer(text)
            if v is not _VOCATIVE_END or m.group().rstrip()[-1] != "." or not _NAME_BEFORE.search(text, 0, m.start())
        ] + welcomed(text)  # fmt: skip
        addressed = [name for name in addressed if name not in _NOT_ADDRESSED and _personal(name)]
        addressed += [
            m.group(1) for m in re.finditer(r"(?:^|[.!?]\s+)([A-Z][a-z]{2,}),\s", text) if m.group(1) in expand
        ]
        addressed += [m.group("name") for m in (*_INTRO.finditer(text), *_INTRO_ZH.finditer(text))]
        addressed += [m.group("name") or m.group("called") for m in _INTRO_KO.finditer(text)] if korean else []
        for name in addressed:
            for other in others:
                votes[other][full(name)] += 1
    return votes


# a person's name another label may end in (not a group: 'Various Audience Members' are no 'Audience Members')
_GIVEN = re.compile(
    rf"{_HAN.pattern}{{2,4}}|(?!.*\b(?:Audience|Members?|People|Panel|Students)\b)"
    r"[A-Z][\w'’-]+(?: [A-Z][\w'’-]+){1,2}"
)


def described(label: str, name: str) -> bool:
    """Whether the label is a description (two characters or more: '创始人', 'CEO') and then the name."""
    rest = label.removesuffix(name)
    return rest != label and len(rest.strip()) >= 2 and (bool(_HAN.match(name)) or rest.endswith(" "))


# A page's key to its letter labels, above or below the talk: '(M=被访者,R=记者)', '（Q＝记者，A＝张三）'.
_KEYED = re.compile(r"([A-Z]{1,3})\s*[=＝]\s*([^=＝()（）\n,，;；、]{1,16})")
LABEL_KEY = re.compile(rf"[（(]\s*(?:注[:：]\s*)?{_KEYED.pattern}(?:[,，;；、]\s*{_KEYED.pattern})+\s*[)）]")
_NUMBERED_QA = re.compile(r"([QA问問答])\s*\d{1,3}", re.I)


def unnumbered(label: str) -> str:
    """A numbered question's or answer's label as the role it numbers ('Q1' → 'Q', '答2' → '答'); others as they are."""
    numbered = _NUMBERED_QA.fullmatch(label)
    return numbered.group(1).upper() if numbered else label


def resolve_speakers(
    turns: list[tuple[str, str]], context: str, aliases: AliasTable | None, declared: Sequence[str] = ()
) -> dict[str, str]:
    """Map each label (in `turns`, as (label, text) in order) to the name to show for it.

    `context` is what the page says about itself (title, introduction); names it mentions are trusted,
    while names from the speech count only when repeated. Labels that differ only in case or spacing
    (`ANA`, `Ana`) are one speaker, shown in the spelling that is not all capitals; pronoun and guest tags go.
    `declared` are the people the file's metadata says speak (a talk archive's front matter): a label that
    abbreviates one is that person, and a role (`Q`, `A`, `Host`) takes no other name the page mentions.
    """
    base = {label: LABEL_SUFFIX.sub("", label).strip() or label for label, _ in turns}
    spellings: dict[str, str] = {}
    for label in base.values():
        key = _key(label)
        if key not in spellings or (spellings[key].isupper() and not label.isupper()):
            spellings[key] = label
    same = {label: spellings[_key(name)] for label, name in base.items()}
    # a letter the page's key explains is what the key says ('M' is '被访者' under '(M=被访者,R=记者)')
    keyed = {k: v.strip() for key in LABEL_KEY.finditer(context) for k, v in _KEYED.findall(key.group(0))}
    same = {label: keyed.get(spelling, spelling) for label, spelling in same.items()}
    # a label with a description before a name other labels give is theirs ('极客公园创始人张鹏：' once, then '张鹏：';
    # 'Microsoft CEO Satya Nadella:', then 'Satya Nadella:')
    given = {n for n in same.values() if _GIVEN.fullmatch(n)}
    for label, spelling in same.items():
        same[label] = next((n for n in given if described(spelling, n)), spelling)
    # a Q&A that numbers its questions and answers ('Q1：', 'A1：', '问2：'): one who asks and one who answers (each
    # number had been a speaker of its own), but numbered questions beside a named speaker who asks the others are
    # that speaker's (`_resolve`: a moderator reading out the audience's)
    asker = _main_asker([(same[label], text) for label, text in turns], {}, [])
    for label, spelling in same.items():
        if not (asker and ROLE_HOST.match(unnumbered(spelling))):
            same[label] = unnumbered(spelling)
    names = _resolve([(same[label], text) for label, text in turns], context, aliases or AliasTable(), declared)
    return {label: names[spelling] for label, spelling in same.items()}


def _claim(votes: dict[str, Counter[str]], label: str, name: str) -> tuple[int, bool]:
    """How strongly speech names a voice `name`: its votes, then whether it is the voice's best name (of two voices
    called 'Dusty' once each, the one called nothing else)."""
    said = votes.get(label)
    return (said[name], said.most_common(1)[0][0] == name) if said else (0, False)


def _resolve(
    turns: list[tuple[str, str]], context: str, aliases: AliasTable, declared: Sequence[str]
) -> dict[str, str]:
    labels = list(dict.fromkeys(label for label, _ in turns))
    counts = Counter(label for label, _ in turns)
    body = " ".join(text for _, text in turns[:200])
    credited = credits(context)
    cjk_credited = [n for n in credited.values() if _HAN.search(n)]  # '聞き手：佐藤花子' for a label '佐藤：'
    mentioned = list(dict.fromkeys(context_names(context, aliases, body) + cjk_credited))
    known = list(dict.fromkeys([*declared, *mentioned]))
    resolved: dict[str, str] = {}
    for label in labels:
        name = aliases.canonical(label)
        if name is None and not (ROLE_HOST.match(label) or ROLE_GUEST.match(label) or DIARIZED.match(label)):
            other_labels = [lab for lab in labels if lab != label and len(_key(lab)) > len(untitled(_key(label)))]
            # another label first: a person who speaks ('Kirk' is the 'Kirk Shillingford' who says one line, not
            # the 'Kirk Day' the talk celebrates); then the page's names before its metadata's, which a site may
            # get wrong (a 'Ryan' is the title's Ryan Singer, not the front matter's 'guest: Ryan Hoover')
            name = (
                _match_in_file(label, other_labels)
                or _match_in_file(label, mentioned)
                or _match_in_file(label, declared, loose=True)
            )
            if name is None and counts[label] <= 2:  # a file's own steady spelling is not a typo
                name = _misspelt(label, f"{context} {body}") or _typo_of(label, counts)
        if name:
            resolved[label] = aliases.canonical(name) or name
    # Labels that other labels abbreviate resolve through them ('Bekah' → 'Bekah Hawrot Weigel').
    for label in labels:
        if label in resolved and resolved[label] in labels and resolved[label] != label:
            resolved[label] = resolved.get(resolved[label], _tidy(resolved[label]))
    named = set(resolved.values()) | {lab for lab in labels if lab not in resolved and not _is_placeholder(lab)}
    # a first name said in address stands for a full name the page gives (its title, introduction, front matter) or a
    # speaker's, not one the talk merely repeats: "Tom" was a regular's name, "Tom Clancy" an author they discussed
    page_names = [*declared, *context_names(context, aliases), *cjk_credited]
    votes = _evidence(turns, list(dict.fromkeys(page_names)) + sorted(named))
    for label in labels:
        if label in resolved or not _is_placeholder(label) or label.casefold() in ("unknown", "unknown speaker"):
            continue  # Otter's 'Unknown Speaker' is everyone it could not tell apart
        for name, _ in votes.get(label, Counter()).most_common():
            canonical = aliases.canonical(name) or _match_in_file(name, declared, loose=True) or name
            claim = _claim(votes, label, name)
            if any(_claim(votes, other, name) > claim for other in labels if other not in resolved):
                continue  # another voice is called this more often: 'Are you high, Josh?' once to a co-host
            if canonical not in named and not _is_placeholder(canonical):
                resolved[label] = canonical
                named.add(canonical)
                break
    # Roles without evidence: the host is the person the page names who is not already speaking;
    # questions (Q1, Q2...) are asked by whoever asks most of the other questions.
    spare = [n for n in (declared or known) if n not in named]  # a talk's "Q" is no "Hardware Wallets"
    # the answers take a name first, the questions what is left: the people a file declares, or a page names,
    # are more often who is interviewed than who asks (a byline still names the questions: `_take`)
    for label in sorted(labels, key=lambda label: not ROLE_GUEST.match(label)):
        if label in resolved:
            continue
        if label in credited and credited[label] not in named:  # 'Interviewer: Ana Ruiz' above the talk
            resolved[label] = aliases.canonical(credited[label]) or credited[label]
            named.add(resolved[label])
            continue
        if ROLE_HOST.match(label):
            asker = _main_asker(turns, resolved, labels) if re.fullmatch(r"(?i)q\d+|问|問", label) else None
            name = asker or _take(spare, _BYLINE, context, _INTERVIEWED)
        elif ROLE_GUEST.match(label):
            name = _take(spare, _INTERVIEWED, context, _BYLINE)
        else:
            continue
        if name:
            resolved[label] = name
            named.add(name)
    return {label: resolved.get(label, _tidy(label)) for label in labels if counts[label]}


# "By Ana Ruiz" and, starting a line, "Por Marta Ruiz", "Von Anna Schmidt": who asks (inside a sentence "por" and
# "par" are everyday words); "with", "con", "avec", "mit": who answers. Not a sponsor: "brought to you by
# FusionAuth", "sponsored by Posit Connect" named Talk Python To Me's host after the show's advertisers.
_BYLINE = (
    r"(?:(?<!rought to you )(?<!ponsored )(?<!upported )(?<!resented )(?<!possible )(?<!owered )\b[Bb]y|"
    rf"\b(?:[Ii]nterviewed|[Hh]osted) by|(?m:^)(?:Por|Par|Von)\b|文者|{_ASKS_ZH}|主持人?)"
    rf"\s*[:：{BAR}]?\s*"
)
_INTERVIEWED = (
    r"(?:\b(?:[Ww]ith|[Mm]eet|[Ff]eaturing|[Cc]on|[Aa]vec|[Mm]it|[Ee]ntrevista a)\b"  # not 'confidence in Nippon Time'
    rf"|对话|對話|专访|專訪|访谈|訪談|嘉宾|嘉賓|インタビュー)\s*[:：{BAR}]?\s*(?:[\w.]+\s+){{0,2}}?"
)


def _take(spare: list[str], before: str, context: str, not_before: str) -> str | None:
    """The first spare name the context introduces that way ('By Ana Ruiz' for the host), else the first one it
    does not introduce as the other role: "Interview with Dr. Sarah Chen" names the answers, never the questions
    (a Q: label took her name, and her A: stayed "A")."""

    def introduced(name: str, pattern: str) -> bool:
        after = f"|{re.escape(name)}{_INTERVIEWED_AFTER}" if pattern == _INTERVIEWED else ""  # '山田太郎氏に聞く'
        return re.search(f"{pattern}{re.escape(name)}{after}", context) is not None

    found = next((n for n in spare if introduced(n, before)), None)
    found = found or next((n for n in spare if not introduced(n, not_before)), None)
    if found:
        spare.remove(found)
    return found


def _is_placeholder(label: str) -> bool:
    return bool(ROLE_HOST.match(label) or ROLE_GUEST.match(label) or DIARIZED.match(label))


def _main_asker(turns: list[tuple[str, str]], resolved: dict[str, str], labels: list[str]) -> str | None:
    """The named speaker whose turns most often end in a question mark."""
    questions: Counter[str] = Counter()
    for label, text in turns:
        if not _is_placeholder(label) and text.rstrip().endswith(("?", "？")):
            questions[resolved.get(label, label)] += 1
    return questions.most_common(1)[0][0] if questions else None


def _tidy(label: str) -> str:
    """Labels in one spelling: 'SPEAKER_01' → 'Speaker 1'; capitals as a name: 'MARIA LOPEZ' → 'Maria Lopez'."""
    match = re.fullmatch(r"(?i)(?:speaker|spk|spkr)[\s_]*(\d+)", label)
    if match:
        return f"Speaker {int(match.group(1))}"
    if label.isupper() and re.search(r"[A-Z]{3}", label):
        return re.sub(r"[A-Z]+", lambda word: word.group(0).capitalize(), label)
    return label
