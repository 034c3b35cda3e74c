"""Turns and speakers for a transcript that names nobody (Whisper text, SRT captions, ASR exports), from the text.

The text is cut into units (sentences; each cue of unpunctuated captions). Two small logistic models score every
unit: how likely the speaker changes before it (the previous unit asked and this one answers, an answer word or a
short reaction opens it, the cues pause, speech was broken off) and how likely it is the host's (it asks, it says
"you" rather than "I"/"we"). A two-state Viterbi pass over Host and Guest combines them into turns. A file with no
sign of a second person (questions put to someone, answers to them) stays one speaker.

Names come only from the text: self-introductions ("I'm Lex Fridman", "我是主持人林晓"), people introduced or
addressed ("my guest today is…", "Sam, you said…", "谢谢你，周敏"), and the title. When two or more guests are
named, each guest turn goes to the one the host addressed, or the one it does not talk about. Everyone else keeps a
role ("Host", "Guest", "Speaker 1") that `colloquy speakers rename` changes; every turn is marked inferred.

The weights are fitted by `colloquy eval speakers --fit` on labelled transcripts with their labels removed
(bot/ingest/speaker_eval.py), leave-one-file-out figures in the README.
"""

from __future__ import annotations

import itertools
import logging
import math
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from bot.ingest.blocks import _FUNCTION_WORDS, Block
from bot.ingest.speakers import (
    _BYLINE,
    _INTERVIEWED,
    _INTRO,
    _INTRO_ZH,
    _NOT_ADDRESSED,
    _NOT_NAMES,
    _SELF,
    _SELF_ZH,
    _SURNAMES,
    _VOCATIVE,
    _VOCATIVE_END,
    _VOCATIVE_ZH,
    _YOUR_HOST,
    OPENING_TURNS,
    SIGN_ON,
    SIGN_ON_ZH,
    WELCOME_ZH,
    AliasTable,
    _edit_distance_one,
    context_names,
    first_name,
    title_people,
    welcomed,
)
from bot.text.sentences import UNPUNCTUATED_ZH, join_parts, split_sentences

log = logging.getLogger(__name__)

HOST, GUEST, SPEAKER = "Host", "Guest", "Speaker 1"
_SENTENCE_END = re.compile(r"[.!?。！？…]")
_CUE_END = re.compile(r"(?:[.!?。！？…]|[-–—]{1,2})[”’\"')）]*$")  # a full stop, or speech broken off
_CJK = re.compile(r"[\u3400-\u9fff]")
_ANSWER = re.compile(
    r"^(?:yeah|yes|yep|yup|no|nope|nah|right|sure|absolutely|exactly|totally|definitely|correct|true|indeed|"
    r"of course|mm-?hmm|uh-huh|not (?:really|always|quite|exactly|at all)|(?:i )?(?:totally |completely )?agree|"
    r"fair enough|got it|makes sense|sí|claro|exacto|betul|"
    r"是的|是啊|对|對|没错|沒錯|确实|確實|当然|當然|嗯|是|不是|(?:我|完全)?同意|明白|懂了)(?![a-z])",
    re.I,
)
_REACTION = re.compile(
    r"^(?:oh|wow|okay|ok|great|cool|nice|awesome|amazing|interesting|fascinating|i love|thank|thanks|that's|"
    r"好的|好|谢谢|謝謝|哈哈|太好了|有意思|哇|没关系|沒關係|拜托|拜託)(?![a-z])",
    re.I,
)
_YOU = re.compile(
    r"\byou\b|\byour\b|\busted(?:es)?\b|\btú\b|\banda\b|\bawak\b|\bkamu\b|你|您", re.I
)  # 你 also in 你们: either way the listener
_YOU_ALL = re.compile(r"你们|你們|\byou guys\b|\by'all\b", re.I)
_I = re.compile(r"\bI\b|\bI'm\b|\bI've\b|\bmy\b|我(?!们|們)")
_WE = re.compile(r"\bwe\b|\bour\b|\bwe're\b|我们|我們", re.I)
_BROKEN_OFF = re.compile(r"[-–—]$")
_GIVEN_NAME_ZH = re.compile(r"我(?:是|叫)([\u4e00-\u9fff]{2})(?=[，。,.!！？?、\s]|$)")  # 'I am 华哲': a given name
_TALK = re.compile(r"演讲|演講|讲座|講座|\b(?:keynote|lecture|commencement address|TED talk)\b", re.I)
_EPISODE = r"期(?:视频|視頻)?(?:节目|節目|播客)"  # '(这)期节目', '期视频播客': an episode of the show
# What only the host says: welcoming listeners or a guest, introducing the show or themself as its host.
_HOSTING = re.compile(
    r"\b(?:welcome (?:back |everyone |everybody |all )*to (?:the |our |this |another )?"
    r"(?:show|podcast|episode|program|programme|(?-i:[A-Z]))|"
    r"thanks?(?: you)?(?: so much)? for (?:joining|coming (?:on|in)|being (?:here|with us|on)|talking (?:to|with) us)|"
    rf"(?:so |really )?(?:happy|glad|great|excited|thrilled) to have you|{_YOUR_HOST}|"
    # 'Today I'm speaking with Andrej Karpathy', 'In this episode, I'm interviewing Joseph Charlin'
    r"(?:today|this week|tonight|in this episode),? (?:I'm|I am|we're|we are) "
    r"(?:(?:speaking|chatting|talking|sitting down) (?:to|with)|interviewing)\s+(?-i:[A-Z]))|"
    rf"{WELCOME_ZH}|我是主持人|"
    # a podcast's host announcing the show and its guest: '这里是WhynotTV Podcast', '本期嘉宾翁家翌', '今天的嘉宾是…',
    # '我们今天的嘉宾Kimi…', '嘉宾呢是我们的老朋友了', '今天的这期视频播客，我们来到旧金山', '这期节目我邀请了…'
    # ('这期节目' alone is no sign: guests say '我无法想象谁这期节目从头看到尾能满意', '这期节目我会认真的听一遍')
    r"(?:这里|這裡)是[^，。,！？]{0,20}(?:播客|节目|節目|podcast)|(?:本期|今天的?|我们的|我們的)(?:嘉宾|嘉賓)|"
    rf"(?:嘉宾|嘉賓)呢是|(?:今天|本)的?(?:这|這)?{_EPISODE}|"
    rf"(?:这|這){_EPISODE}(?:[呢啊]?[，,]?\s*(?:我们|我們|我)(?:来|來|和|将|將|邀请|邀請|请|請)|就是(?:这|這)(?:样|樣))|"
    # and signing off: '非常感谢周南做客晚点聊', '以上就是我和田云东对谈的所有内容', '我们下期再见'
    r"(?:感谢|谢谢|感謝|謝謝)[^，。？！]{0,12}做客|以上(?:呢)?就是[^，。]{0,16}(?:内容|對談|对谈|访谈|訪談|节目|節目)|"
    # and inviting them: '今天非常高兴邀请到了…许华哲来做客', '今天我们邀请到的是一位…', '这次我们有幸邀请到了…'
    r"(?:邀请|邀請)(?:到)?了?[^。！？]{0,30}做客|"
    r"(?:今天|这次|這次|本期)[^。！？，,]{0,8}?(?:邀请到|邀請到|请到|請到|请来|請來)|"
    r"下期(?:节目|節目|视频|視頻)?再(?:见|見)",
    re.I,
)
# What only a guest says: thanks for the invitation.
_GUESTING = re.compile(
    r"\b(?:thanks?(?: you)?(?: so much)? for having me|"
    r"(?:glad|happy|great|good|nice|excited|thrilled|honou?red|a pleasure) to be (?:here|on)|"
    r"pleasure to be (?:here|on))|谢谢邀请|謝謝邀請|感谢邀请|感謝邀請|很高兴来|很高興來",
    re.I,
)
# A question without its mark, for transcripts that have lost them: 'can you tell us about it', '你去过吗'.
_UNMARKED_QUESTION = re.compile(
    r"^(?:(?:so|and|but|okay|ok|well|now),? )?(?:can|could|would|will|do|did|does|are|were|have|has|what|how|why|"
    r"when|where|who|which)\b(?=.*\byou)|(?:吗|嗎|呢)[。.]?$",
    re.I,
)
# A question tag asks nobody to take over: 'It's the same, right?', '这很正常，对吧？'.
_TAG = re.compile(
    r"(?:,\s*|^)(?:right|you know|no|yeah|yes|okay|ok|isn't it|aren't they|don't you think|huh|eh)\?[\"”’]?$|"
    r"(?:对吧|對吧|是吧|对不对|對不對)[？?]$",
    re.I,
)
_NAME_ALONE = re.compile(r"^[A-Z][a-z]{2,}[?.!]$")
_LEADING_NAME = re.compile(r"(?:^|[.!?]\s+)([A-Z][a-z]{2,}),\s")  # 'Hamel, do you have a favourite motto?'
# Introductions the labelled-file resolver does not need: 'we are sitting down with Reda', 'our guest, Reda'.
_INTRO_MORE = re.compile(
    r"\b(?:sitting down with|(?:talking|speaking|chatting) (?:to|with)|interviewing|(?i:our|my) (?:special )?guest,)\s+"
    r"(?P<name>[A-Z][a-z]+(?: [A-Z][a-z]+)?)\b"
)
_CO_HOST = re.compile(r"\bco-?host,?\s+[A-Z][a-z]+")
_SEVERAL_GUESTS = re.compile(r"(?:两|兩|三|四|几|幾)位(?:嘉宾|嘉賓)")  # 'the two guests': the guest role is two people
_AND_NAME = re.compile(r"\s+and\s+([A-Z][a-z]+(?: [A-Z][a-z]+)?)\b")
# A single name after 'I'm' ends the clause ('I'm Kelly.', 'I'm Bekah, and this is…'): 'I'm Canadian, so' is none.
_SELF_END = re.compile(r"\s*(?:[.!?]|,?\s+and\b|,\s+(?:your|the|a|an)\s)")


@dataclass
class Unit:
    """A sentence (or an unpunctuated cue) with the times of the cues it spans and where it came from."""

    text: str
    start: float | None
    end: float | None
    block: int  # index of the block it starts in
    line: int  # running number of the source line (paragraph or cue) it starts in
    mid_cue: bool = False  # starts inside a caption cue, after another sentence
    translation: str | None = None  # a bilingual cue's other language version (such a cue is one unit)
    marked: bool = False  # the captions mark a new speaker at its start (`>>`)


@dataclass(frozen=True)
class SpeakerModel:
    """Fitted weights: change before a unit, the unit being the host's, and how much the latter counts."""

    change: tuple[float, ...]  # intercept, then one weight per change_features column
    host: tuple[float, ...]  # intercept, then one weight per host_features column
    emission: float  # weight of the host model against the change model in the Viterbi pass
    bias: float = 0.0  # added to the log-odds of a change: trades precision of turn changes for recall


# Fitted by `colloquy eval speakers --fit` on the default development files (README, "Transcripts without speakers").
MODEL = SpeakerModel(
    change=(-1.843, -1.336, 1.114, 3.133, 1.829, 0.986, 0.631, 0.234, 0.371, 1.97, -3.321, -0.27, 0.03),
    host=(-0.603, 1.717, 0.224, 1.875, -0.235, -0.575, 0.308, -0.041, -0.365, 0.656),
    emission=1.0,
    bias=0.5,
)


# Captions that mark speaker changes with `>>` (broadcast and YouTube captions) say where turns change: from this many
# marks on, turns change at the marks alone (the host model still tells who asks); MARK_DOUBT is the chance a mark
# is wrong, or a change went unmarked.
MARKS = 2
MARK_DOUBT = 0.02
OPENING_UNITS = 40  # sentences at the start where a host introduces the guest and the guest says hello
NARRATED_UNITS = 80  # sentences at the start where a host's narrated introduction ends (`_narrated`)
# Where a host's narrated introduction hands over to the conversation: '我们正式进入本期节目吧', '现在让我们进入正题吧',
# '现在请与我一起进入和杨硕的对话', '以下内容是我和杨硕的对话', '那么以下就是我与王西桥的深度对话'.
_HERE_IS_TALK = re.compile(r"以下(?:内容)?(?:就)?是我(?:和|与|與)[^。！？]{0,30}?(?:对话|對話|对谈|對談|访谈|訪談)")
_SHOW = "(?:show|podcast|program|programme)"
_INTO_TALK = re.compile(
    r"进入(?:本期|今天的?)?(?:节目|節目|正题|正題)|進入(?:本期|今天的?)?(?:節目|正題)|"
    rf"一起(?:进入|進入)[^。！？，,]{{0,16}}(?:对话|對話|世界)|{_HERE_IS_TALK.pattern}|"
    # an English show's host welcoming the guest by name once the introduction is read: 'Nicola, welcome to the
    # show.', 'Brett, welcome to Talk Python.', 'Welcome to the podcast, Sam.' (not the listeners: 'Hello, welcome to…',
    # 'Welcome to the show, folks')
    r"(?:^|[.!?]\s+)(?!(?:Hello|Hi|Hey|Folks|Everyone|Everybody|Friends|So|Well|And|Okay|Ok|Yes|Yeah)\b)"
    rf"[A-Z][a-z]+(?: [A-Z][a-z]+)?,\s+(?:and\s+)?welcome (?:back )?to (?:the {_SHOW}\b|[A-Z])|"
    rf"\b[Ww]elcome (?:back )?to the {_SHOW},\s+"
    r"(?!(?:folks|everyone|everybody|friends|all)\b)[A-Z][a-z]+[.!]"
)


def _punctuated(blocks: list[Block]) -> bool:
    text = " ".join(b.text for b in blocks)
    return len(_SENTENCE_END.findall(text)) * 300 >= len(text)


def split_units(blocks: list[Block], joiner: str) -> list[Unit]:
    """Sentences across caption cues (each cue alone when the captions are unpunctuated), or within each line."""
    units: list[Unit] = []
    if any(b.translation for b in blocks):  # bilingual cues: each stays whole, with its translation
        pairs = enumerate(blocks)
        return [Unit(b.text, b.start, b.end, i, i, translation=b.translation, marked=b.changes) for i, b in pairs]
    if joiner != " " or not _punctuated(blocks):
        line = 0
        for b, block in enumerate(blocks):
            for p, paragraph in enumerate(block.text.split("\n")):
                sentences = split_sentences(paragraph) if joiner != " " else [paragraph.strip()]
                sentences = [s for s in sentences if s]
                opens = block.changes and p == 0  # a mark opens the block's first sentence
                units += [
                    Unit(s, block.start, block.end, b, line, marked=opens and k == 0) for k, s in enumerate(sentences)
                ]
                line += 1
        return units
    pending: list[tuple[str, int]] = []  # pieces of the sentence being read, with their block
    previous_end = -1  # the block the previous unit ended in

    def close() -> None:
        nonlocal previous_end
        first, last = pending[0][1], pending[-1][1]
        text = join_parts([p for p, _ in pending])
        mid_cue = first == previous_end
        marked = blocks[first].changes and not mid_cue
        units.append(Unit(text, blocks[first].start, blocks[last].end, first, first, mid_cue=mid_cue, marked=marked))
        previous_end = last
        pending.clear()

    for b, block in enumerate(blocks):
        for piece in split_sentences(block.text.replace("\n", " ")):
            pending.append((piece, b))
            if _CUE_END.search(piece):
                close()
        if pending and UNPUNCTUATED_ZH.fullmatch(block.text.strip()):
            close()  # a Chinese line of unpunctuated speech is a unit of its own, in a punctuated file too
    if pending:
        close()
    return units


def _words(text: str) -> float:
    return len(_CJK.findall(text)) / 1.5 + len(re.findall(r"[A-Za-z0-9']+", text))


def asks(texts: list[str]) -> list[bool]:
    """Which units ask a question of their own: neither a tag ('…, right?') nor one quoted ('He said, "Can you?"')."""
    out, depth, straight = [], 0, False
    for text in texts:
        for char in text:
            if char in "“「『":
                depth += 1
            elif char in "”」』":
                depth = max(0, depth - 1)
            elif char == '"':
                straight = not straight
        end = text.strip()
        out.append(end.endswith(("?", "？")) and not depth and not straight and not _TAG.search(end))
    # speech recognition that dropped the question marks, in the whole file or in a Chinese line: read the words
    few = sum(out) * 100 < len(texts)
    return [
        a or bool((few or UNPUNCTUATED_ZH.fullmatch(t.strip())) and _UNMARKED_QUESTION.search(t.strip()))
        for a, t in zip(out, texts, strict=True)
    ]


def _pauses(units: list[Unit]) -> list[float | None]:
    """Each gap between units in multiples of the file's typical pause; None when the file has no real timing."""
    gaps = [
        b.start - a.end if a.end is not None and b.start is not None and not b.mid_cue else None
        for a, b in zip(units, units[1:], strict=False)
    ]
    positive = [g for g in gaps if g is not None and g > 0.005]
    if len(positive) < 0.1 * len(units):  # untimed, or every cue abuts the next (Whisper segments)
        return [None] * len(gaps)
    typical = statistics.median(positive)
    return [max(g, 0.0) / typical if g is not None else 0.0 for g in gaps]


def change_features(units: list[Unit], asked: list[bool]) -> np.ndarray:
    """One row per gap between units: what suggests that someone else speaks from the next unit on."""
    pauses = _pauses(units)
    rows = []
    for i in range(1, len(units)):
        a, b = units[i - 1].text, units[i].text
        answer = bool(_ANSWER.match(b))
        pause = pauses[i - 1]
        rows.append(
            [
                asked[i - 1],
                asked[i],
                asked[i - 1] and not asked[i],
                answer,
                bool(_REACTION.match(b)),
                _words(b) <= 3,
                _words(a) <= 3,
                bool(_BROKEN_OFF.search(a.rstrip())),
                math.log1p(pause) if pause is not None else 0.0,
                units[i].mid_cue,
                asked[i - 1] and answer,
                _addresses(a),
            ]
        )
    return np.array(rows, dtype=float).reshape(-1, 12)


def host_features(units: list[Unit], asked: list[bool]) -> np.ndarray:
    """One row per unit: what suggests the host says it (asking, 'you') rather than a guest ('I', 'we')."""
    rows = []
    for unit, question in zip(units, asked, strict=True):
        text, words = unit.text, _words(unit.text)
        rows.append(
            [
                question,
                bool(_YOU.search(text)),
                bool(_YOU_ALL.search(text)),
                bool(_I.search(text)),
                bool(_WE.search(text)),
                words <= 3,
                words > 25,
                bool(_ANSWER.match(text)),
                bool(_REACTION.match(text)),
            ]
        )
    return np.array(rows, dtype=float).reshape(-1, 9)


def _addresses(text: str) -> bool:
    """The unit ends by naming someone: 'Shreya?', 'What do you think, Sam?', '谢谢你，周敏。'."""
    text = text.strip()
    if _NAME_ALONE.match(text) and text[:-1] not in _NOT_ADDRESSED:
        return True
    end = _VOCATIVE_END.search(text)
    return bool(end and end.end() >= len(text) - 1 and end.group("name") not in _NOT_ADDRESSED) or bool(
        _VOCATIVE_ZH.search(text)
    )


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def predict(weights: tuple[float, ...], features: np.ndarray) -> np.ndarray:
    """Probabilities from a logistic model's weights (intercept first)."""
    w = np.asarray(weights)
    return _sigmoid(w[0] + features @ w[1:])


def viterbi(p_change: np.ndarray, p_host: np.ndarray, emission: float) -> list[int]:
    """The likeliest Host (0) / Guest (1) sequence: switching costs -log p_change, staying -log(1 - p_change), and
    each unit adds `emission` times the log-ratio of its host probability to the file's mean."""
    p_change = np.clip(p_change, 1e-6, 1 - 1e-6)
    p_host = np.clip(p_host, 1e-6, 1 - 1e-6)
    prior = float(np.mean(p_host))
    host = (emission * np.log(p_host / prior)).tolist()
    guest = (emission * np.log((1 - p_host) / (1 - prior))).tolist()
    switch, stay = np.log(p_change).tolist(), np.log(1 - p_change).tolist()
    score = [host[0], guest[0]]
    back: list[tuple[int, int]] = [(0, 1)]
    for i in range(1, len(host)):
        h_stay, h_switch = score[0] + stay[i - 1], score[1] + switch[i - 1]
        g_stay, g_switch = score[1] + stay[i - 1], score[0] + switch[i - 1]
        back.append((0 if h_stay >= h_switch else 1, 1 if g_stay >= g_switch else 0))
        score = [max(h_stay, h_switch) + host[i], max(g_stay, g_switch) + guest[i]]
    state = 0 if score[0] >= score[1] else 1
    path = [state]
    for i in range(len(host) - 1, 0, -1):
        state = back[i][state]
        path.append(state)
    return path[::-1]


def is_dialogue(units: list[Unit], asked: list[bool], settled: list[int | None]) -> bool:
    """Two people or more, shown at least twice: a question put to someone ('How did you…?'), a question answered
    ('Yes.', 'Not always.', '是的'), a welcome and a thank-you for the invitation. One role's phrases count once: a
    host alone says "Welcome to Talk Python To Me… This is your host, Michael Kennedy" (the show's first episode)."""
    put = sum(1 for unit, question in zip(units, asked, strict=True) if question and _YOU.search(unit.text))
    answered = sum(1 for i in range(1, len(units)) if asked[i - 1] and not asked[i] and _ANSWER.match(units[i].text))
    return put + answered + len({role for role in settled if role is not None}) >= 2


@dataclass
class Evidence:
    """What the text of one file says, before any weight: the features of both models and the units that settle."""

    dialogue: bool
    change: np.ndarray  # change_features
    host: np.ndarray  # host_features
    settled: list[int | None]  # 0 for what only a host says, 1 for what only a guest says
    marked: list[bool] = field(default_factory=list)  # per unit: the captions mark a new speaker at its start


def evidence(units: list[Unit]) -> Evidence:
    """Features of every unit and gap, whether the file is a dialogue, and the units whose role is certain."""
    asked = asks([u.text for u in units])
    settled: list[int | None] = []
    for i, unit in enumerate(units):
        if _HOSTING.search(unit.text) or _INTRO.search(unit.text) or _INTRO_ZH.search(unit.text):
            settled.append(0)
        else:
            settled.append(1 if _GUESTING.search(unit.text) or _introduced_before(units, i) else None)
    _narrated(units, settled)
    marked = [unit.marked for unit in units]
    dialogue = len(units) >= 2 and (sum(marked) >= MARKS or is_dialogue(units, asked, settled))
    return Evidence(dialogue, change_features(units, asked), host_features(units, asked), settled, marked)


def _narrated(units: list[Unit], settled: list[int | None]) -> None:
    """Settle as the host's a podcast's narrated introduction: from the host's sign-on ('欢迎收听晚点聊，我是曼奇',
    'Welcome to Talk Python To Me… This is your host, Michael Kennedy') or '以下内容是我和杨硕的对话' to where the
    host says the conversation starts ('我们正式进入本期节目吧', '现在请与我一起进入和杨硕的对话', 'Nicola, welcome
    to the show.'). The guest's name and story fill it, and it went to the guest after the name ('今天的嘉宾是…田渊栋。'
    / '这家公司在经过四个月的隐身研发之后…'; a plug for a course and the guest's biography); the cold open before it is
    left alone, and a unit only a guest says (a hello) keeps its role."""
    ends = [i for i, unit in enumerate(units[:NARRATED_UNITS]) if _INTO_TALK.search(unit.text)]
    if not ends:
        return
    end = ends[-1]
    start = next((i for i in range(end + 1) if settled[i] == 0 or _HERE_IS_TALK.search(units[i].text)), end)
    for i in range(start, end + 1):
        if settled[i] is None:
            settled[i] = 0


def _introduced_before(units: list[Unit], i: int) -> bool:
    """In the opening, a speaker giving a name the talk already spoke of ('本期我访谈了…总裁袁鑫。…本期节目由SAP支持
    播出。', then '大家好，我是袁鑫'): the guest the host introduced says hello (the hello ran into the host's turn, and
    the host was named after the guest)."""
    if i >= OPENING_UNITS:
        return False
    names = {re.escape(name) for name in _selves(units[i].text, early=True)}
    # or by the given name alone ('大家好，我是华哲' after '…许华哲来做客'): the full name spoken before ends so
    names |= {rf"[{_SURNAMES}]{m.group(1)}" for m in _GIVEN_NAME_ZH.finditer(units[i].text)}
    return any(re.search(name, unit.text) for name in names for unit in units[:i])


def decode(found: Evidence, model: SpeakerModel = MODEL) -> list[int]:
    """Host (0) or Guest (1) for each unit; all Guest when the text shows no second person."""
    if not found.dialogue:
        return [1] * len(found.settled)
    if sum(found.marked) >= MARKS:  # the captions say where the speaker changes: only there, and always
        p_change = np.where(np.array(found.marked[1:], dtype=bool), 1 - MARK_DOUBT, MARK_DOUBT)
    else:
        p_change = predict(model.change, found.change)
        p_change = _sigmoid(np.log(p_change / (1 - p_change)) + model.bias)
    p_host = predict(model.host, found.host)
    for i, role in enumerate(found.settled):
        if role is not None:
            p_host[i] = 1.0 - role
    return viterbi(p_change, p_host, model.emission)


def label_units(
    units: list[Unit], context: str, aliases: AliasTable, model: SpeakerModel = MODEL, title: str = ""
) -> list[str]:
    """The inferred speaker of every unit: a name the text gives, else a role. A file its title calls a talk
    (`_TALK`) is one voice, however often it asks: the rhetorical questions of 李沐's keynote ("So first of all,
    what's a voice agent?") made half of it a host's."""
    found = evidence(units)
    found.dialogue = found.dialogue and not _TALK.search(title)
    return name_speakers(units, decode(found, model), context, aliases, title)


@dataclass
class _Turn:
    role: int  # 0 host, 1 guest
    text: str
    last: str  # its last unit: where the next speaker is called on ('Shreya?', 'What do you think, Sam?')


def _turns(units: list[Unit], roles: list[int]) -> list[_Turn]:
    turns: list[_Turn] = []
    for unit, role in zip(units, roles, strict=True):
        if turns and turns[-1].role == role:
            # unpunctuated Chinese lines keep their breaks, the pauses a name ends at ('我是陈茜' / '欢迎…')
            pause = "\n" if UNPUNCTUATED_ZH.fullmatch(turns[-1].last.strip()) else ""
            turns[-1].text = join_parts([turns[-1].text + pause, unit.text])
            turns[-1].last = unit.text
        else:
            turns.append(_Turn(role, unit.text, unit.text))
    return turns


def _selves(text: str, early: bool, opening: bool = True) -> set[str]:
    """Names a speaker gives themself; 'this is' only before a full name ('this is Norvig algorithms' is none), and
    '我是…' only in the `opening` turns: later, in unpunctuated speech, it is '我是文科好，理科一般' ('I am good at
    arts'), '我是高兴的' ('I am glad'); a name is one word in Chinese, so no full name tells them apart."""
    found = {m.group("name") for m in _SELF_ZH.finditer(text)} if opening else set()
    for m in _SELF.finditer(text):
        single = not m.group(0).lower().startswith("this is") and early and _SELF_END.match(text, m.end())
        if " " in m.group("name") or single:
            found.add(m.group("name"))
    return found


def _called(text: str, known: set[str] | None = None) -> list[str]:
    """Names a unit calls on: vocatives ('Thanks, Sam.', '谢谢你，周敏'), and when `known` lists them, a name opening
    a sentence ('Hamel, do you…') or said alone ('Shreya?')."""
    text = text.strip()
    names = [m.group("name") for p in (_VOCATIVE, _VOCATIVE_END, _VOCATIVE_ZH) for m in p.finditer(text)]
    if known:
        weak = [m.group(1) for m in _LEADING_NAME.finditer(text)] + ([text[:-1]] if _NAME_ALONE.match(text) else [])
        names += [n for n in weak if n in known]
    return [n for n in dict.fromkeys(names) if _name_like(n)]


def _name_like(word: str) -> bool:
    """Not a word that opens or closes a sentence ('Okay.', 'Yeah,', 'Amazing.', 'Sir')."""
    first = word.split()[0]
    return not (
        first in _NOT_ADDRESSED
        or first.casefold() in _FUNCTION_WORDS
        or first.casefold() in _NOT_NAMES
        or _ANSWER.match(first)
        or _REACTION.match(first)
    )


def _introduced(text: str, opening: bool) -> list[str]:
    """People introduced: 'my guests today are Hamel Husain and Shreya Shankar', 'joined by Taylor', or welcomed by
    name ('and yeah Claudio, so happy to have you on': a diarized podcast's guest stayed "Guest"); 'talking to…'
    and 'our guest, …' only in the `opening` turns (an hour in, "I'm already talking to Postgres" is no guest)."""
    names = [m.group("name") for m in _INTRO_ZH.finditer(text)] + welcomed(text)
    for m in (*_INTRO.finditer(text), *(_INTRO_MORE.finditer(text) if opening else ())):
        names.append(m.group("name"))
        more = _AND_NAME.match(text, m.end())
        if more:
            names.append(more.group(1))
    return names


def _people(
    turns: list[_Turn], context: str, aliases: AliasTable
) -> tuple[dict[str, Counter[int]], list[str], dict[str, str]]:
    """Evidence name → role → weight from self-introductions and vocatives, the people introduced as guests, and
    how each name form is written in full ('Sam' → 'Sam Altman')."""
    early = max(3, len(turns) // 4)
    found: list[tuple[str, int, int]] = []  # (name, role, weight)
    introduced: list[str] = []
    roles = {turn.role for turn in turns}
    host = next(iter(roles)) if len(roles) == 1 else 0  # one voice throughout is the host
    for k, turn in enumerate(turns):
        # a host signing on ("This is your host, Michael Kennedy") names the host whichever turn the sign-off fell
        # in, worth twice a self-introduction: it names the role too, where a guest's "Thanks, Michael." run into
        # the host's turn calls the host's role by the host's name (Talk Python's "Pyjion" episode: 4 votes to 3)
        hosts = {m.group("name") for sign_on in (SIGN_ON, SIGN_ON_ZH) for m in sign_on.finditer(turn.text)}
        found += [(name, host, 4) for name in hosts if _name_like(name)]
        selves = {n for n in _selves(turn.text, k < early, k < OPENING_TURNS) if _name_like(n) and n not in hosts}
        if len(selves) == 1:  # 'I'm Kelly. I'm Allie.' is a round of introductions, not one speaker
            found.append((selves.pop(), turn.role, 2))
        introduced += [name for name in _introduced(turn.text, k < early) if _name_like(name)]
        found += [(name, 1 - turn.role, 1) for name in _called(turn.text)]
    full_names = context_names(context, aliases) + [n for n in [*introduced, *(n for n, _, _ in found)] if " " in n]
    known = {first_name(n) for n in full_names} | {n for n, _, _ in found} | set(introduced)
    for turn in turns:  # names only confirmed by the forms above: 'Hamel.' alone, 'Shreya, …'
        found += [(name, 1 - turn.role, 1) for name in _called(turn.text, known) if name not in _called(turn.text)]
    spelling = _spellings([n for n, _, _ in found] + introduced, full_names, aliases)
    evidence: dict[str, Counter[int]] = {}
    for name, role, weight in found:
        evidence.setdefault(spelling[name], Counter())[role] += weight
    return evidence, list(dict.fromkeys(spelling[n] for n in introduced)), spelling


def _spellings(names: list[str], full_names: list[str], aliases: AliasTable) -> dict[str, str]:
    """One spelling per person: the alias table's, the full name the text gives, the commoner of two near spellings."""
    counts = Counter(names)
    out: dict[str, str] = {}
    for name in counts:
        known = aliases.canonical(name)
        fulls = list(dict.fromkeys(f for f in full_names if f != name and first_name(f) == name))
        close = [n for n in counts if _edit_distance_one(n.casefold(), name.casefold()) and counts[n] > counts[name]]
        base = close[0] if close and " " not in name else name
        out[name] = known or (fulls[0] if len(fulls) == 1 else base)
    return {name: out.get(out[name], out[name]) for name in out}


def name_speakers(units: list[Unit], roles: list[int], context: str, aliases: AliasTable, title: str = "") -> list[str]:
    """The speaker of each unit: the name the text gives its role or, with several guests introduced, its guest.

    A guest is whoever the conversation introduces ('my guest today is…', 'joined by…'); otherwise a name goes to the
    role that introduces itself by it or is addressed by it at least twice, and twice as often as the other role;
    a role the text leaves unnamed takes the name the `title` opens with (`title_people`), and that name moves to
    the role the title gives it where the text gave it the other role."""
    turns = _turns(units, roles)
    evidence, guests, spelling = _people(turns, context, aliases)
    named: dict[int, str] = {}
    for role in (0, 1):
        candidates = sorted(
            ((votes[role], name) for name, votes in evidence.items() if votes[role] >= max(2, 2 * votes[1 - role])),
            reverse=True,
        )
        if role == 0:
            candidates = [c for c in candidates if c[1] not in guests]
        if candidates and (len(candidates) == 1 or candidates[0][0] >= 2 * candidates[1][0]):
            named[role] = candidates[0][1]
    if len(guests) == 1:
        named[1] = guests[0]
    if len(guests) < 2 and any(_SEVERAL_GUESTS.search(t.text) for t in turns[:OPENING_TURNS]):
        named.pop(1, None)  # '今天跟我在一起的两位嘉宾是黄东旭…': one guest's name is not the other's
    if any(_CO_HOST.search(t.text) for t in turns):  # two hosts share the Host role: it cannot bear one name
        named.pop(0, None)
    else:
        people = [n for n in context_names(context, aliases) if n not in named.values()]
        for role, name in _roles_in(context, people):
            named.setdefault(role, name)
        others = [n for n in people if n not in named.values()]
        if len(named) == 1 and len(people) == 2 and len(others) == 1:  # the title names both: the other one
            role, name = next(iter(named.items()))
            if bool(_CJK.search(name)) == bool(_CJK.search(others[0])):  # not 'Kimi Moment' beside '叶奇意'
                named[1 - role] = others[0]
    two = len(set(roles)) > 1
    if two:  # the title says whose role the name it opens with is (one voice throughout is no guest)
        co_host = 0 not in named and any(_CO_HOST.search(t.text) for t in turns)
        for role, name in title_people(title, " ".join(t.text for t in turns), aliases):
            if role == 0 and co_host:
                continue
            other = named.get(1 - role)
            if other is not None and (other == name or _edit_distance_one(other, name)):
                # the text gave the other role this person's name ('Dario' addressed in turns inferred to be his
                # named the host): the roles' names change places, the title's spelling kept ('洪乐彤' / '洪乐潼')
                mine = named.pop(role, None)
                named[role] = name
                if mine is None:
                    named.pop(1 - role)
                else:
                    named[1 - role] = mine
            elif (mine := named.get(role)) is not None and _edit_distance_one(mine, name):
                named[role] = name  # the text's speech recognition misspelt the name the title gives ('洪乐彤')
            elif name not in named.values():
                named.setdefault(role, name)
    default = {0: HOST, 1: GUEST} if two else {0: SPEAKER, 1: SPEAKER}
    if not two:
        named = {role: name for role, name in named.items() if role in roles}
    per_turn = [named.get(t.role, default[t.role]) for t in turns]
    if two and len(guests) >= 2:
        per_turn = _guests(turns, per_turn, guests, spelling)
    speakers: list[str] = []
    k = -1
    for i, role in enumerate(roles):
        k += i == 0 or role != roles[i - 1]
        speakers.append(per_turn[k])
    return speakers


def _roles_in(context: str, people: list[str]) -> list[tuple[int, str]]:
    """Who the title or introduction calls the host ('主持人…Lex Fridman', 'hosted by…') or the guest ('with…')."""
    out = []
    for name in people:
        escaped = re.escape(name)
        if re.search(rf"(?:{_BYLINE})[^，。,.!?\n]{{0,16}}?{escaped}", context):
            out.append((0, name))
        elif re.search(rf"(?:{_INTERVIEWED}){escaped}", context):
            out.append((1, name))
    return out


def _guests(turns: list[_Turn], per_turn: list[str], guests: list[str], spelling: dict[str, str]) -> list[str]:
    """Each guest turn to a named guest: one who introduces themself, the one the host just called on, the one of
    two it does not talk about, else whoever answered last."""
    out = list(per_turn)
    current: str | None = None
    unresolved: list[int] = []
    for k, turn in enumerate(turns):
        if turn.role != 1:
            continue
        selves = [spelling.get(n, n) for n in _selves(turn.text, True)]
        called = [spelling.get(n, n) for n in _called(turns[k - 1].last, set(spelling))] if k else []
        mentioned = [g for g in guests if re.search(rf"\b{re.escape(first_name(g))}\b", turn.text)]
        choice = next((g for g in selves if g in guests), None)
        choice = choice or next((g for g in called if g in guests), None)
        if choice is None and len(guests) == 2 and len(mentioned) == 1:
            choice = next(g for g in guests if g not in mentioned)
        current = choice or current
        if current is None:
            unresolved.append(k)
            continue
        out[k] = current
        for j in unresolved:
            out[j] = current
        unresolved = []
    return out


def infer_speakers(
    blocks: list[Block], context: str, joiner: str, aliases: AliasTable, title: str = ""
) -> tuple[list[Block], set[str]]:
    """Blocks labelled with inferred speakers (names the text gives, else roles) and the set of those labels."""
    units = split_units(blocks, joiner)
    speakers = label_units(units, context, aliases, title=title)
    log.debug("inferred %d turns among %s", 1 + sum(a != b for a, b in itertools.pairwise(speakers)), set(speakers))
    return _blocks(units, speakers, blocks, joiner), set(speakers)


def _blocks(units: list[Unit], speakers: list[str], source: list[Block], joiner: str) -> list[Block]:
    """One block per source line and speaker (per unit for captions), so turns keep the file's paragraphs."""
    out: list[Block] = []
    for i, unit in enumerate(units):
        same_line = joiner != " " and unit.line == units[i - 1].line and unit.translation is None
        if out and speakers[i] == speakers[i - 1] and same_line:
            last = out[-1]
            last.text = join_parts([last.text, unit.text])
            last.end = unit.end
            continue
        new_turn = bool(out) and speakers[i] != speakers[i - 1]
        section = source[unit.block].section
        out.append(Block(speakers[i], unit.text, unit.translation, unit.start, unit.end, section, new_turn))
    return out


def is_role(name: str) -> bool:
    """True for the names given when the text gives none."""
    return name in (HOST, GUEST, SPEAKER)


def inferred_warning(labels: set[str], reason: str = "no speaker labels") -> str:
    """What `warnings` says about an inferred attribution (the example names one of these labels: it once said
    "Host" whatever the labels were)."""
    names = sorted(labels)
    return (
        f"{reason}: turns and speakers were inferred from the text ({', '.join(names)}); name them with "
        "'colloquy speakers rename OLD NEW --interview ID' or /library rename-speaker (without an interview, "
        f"every interview's {names[0] if names else 'Host'} is renamed)"
    )
