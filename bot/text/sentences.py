"""Sentences and how much text says, in any script: splitting, joining, weighing, telling a question."""

from __future__ import annotations

import re
from collections.abc import Iterable

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_WIDE = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f“”‘’]")  # CJK text and punctuation
# A Chinese line with no punctuation at all: unpunctuated speech recognition (bilibili subtitles, Whisper output),
# which may follow punctuated lines in one file (a Whisper transcript punctuated for 17 minutes and not for the
# next 2 hours had its 2 800 lines read as three sentences). Latin words may be in it ('但是agent coding我也是第一
# 时间'); an English caption's fragment ('of the') is not one: it goes on the next line.
UNPUNCTUATED_ZH = re.compile(r"(?=[^\n]*[\u4e00-\u9fff])[\u4e00-\u9fffA-Za-z0-9 '\-\n]+")
# A full stop ends a sentence, except after a title that comes before a name: "talking with Dr. Jane Goodall".
# No mark ends one where a comma or colon follows: a quoted question or exclamation goes on ('people ask "Did you go
# to school?", and the answer is no'), and so does a name with its mark ("after I left Yahoo!, so I could save").
# The closing quotes a mark keeps are the ones its lookahead skips: else the match backtracks to before them.
_CLOSING = r"[”’」』\"')）]*"
_SENTENCE_END = re.compile(
    rf"(?<=[。！？!?；;…])(?!{_CLOSING}\s*[,:，：、]){_CLOSING}"
    r"|\.(?<!\bDr\.)(?<!\bMr\.)(?<!\bMs\.)(?<!\bMrs\.)(?<!\bProf\.)[”’\"')]*(?=\s)(?!\s*[,:])"
)


def text_weight(text: str) -> float:
    """How much a span says, comparable across scripts (see MIN_WEIGHT)."""
    if text.isascii():  # half of all passages: no CJK to count (a third faster)
        return len(text) / 3
    cjk = len(_CJK.findall(text))
    return cjk + (len(text) - cjk) / 3


# A full stop or an ellipsis that a lower-case word follows, in text that writes capitals, ends no sentence: speech
# trailing off and going on ('after about... maybe ten years in the police'), an abbreviation ('etc. and so on',
# 'the U.S. market', 'e.g. blue links'), a speech-to-text stop inside a sentence ('representation. for women').
# Not a name written so ('iOS', 'eBay'). A dash before the word goes on too, after words trailing off or an
# abbreviation ('they said "Well..." - and I can probably say this now', 'around hit ratios etc. - we learned from
# that': a summary's point began "- we learned from that"), but not a hyphen after a plain full stop, which in
# notes starts a list's next item ('and mostly completed. - middle: TxGraph…').
_QUOTES = r"[”’\"')]"
_GOES_ON = re.compile(
    rf"(?:[.…]{_QUOTES}*\s+(?:(?:--+|[–—])\s*)?"  # any stop, then the word, or a long dash and the word
    rf"|(?:…|(?<=\.\.)\.|\.(?={_QUOTES})|(?<=etc)\.|(?<=\bvs)\.|(?<=e\.g)\.|(?<=i\.e)\.|(?<=[A-Z]\.[A-Z])\.)"
    rf"{_QUOTES}*\s+(?:-+|[–—])\s*)"  # or after those, any dash
    r"[a-z](?![a-z]*[A-Z])"
)
_FIRST_LETTER = re.compile(r"[^\W\d_]")


def split_sentences(paragraph: str) -> list[str]:
    """Split a paragraph after sentence-final punctuation, keeping closing quotes with their sentence."""
    pieces, start = [], 0
    first = _FIRST_LETTER.search(paragraph)
    cased = not (first and first.group().islower())  # some captions write no capitals: there every stop counts
    for match in _SENTENCE_END.finditer(paragraph):
        end = match.end()
        mark = match.start() - (paragraph[match.start() - 1 : match.start()] == "…")  # the first branch is after it
        if cased and _GOES_ON.match(paragraph, mark):
            continue
        if end > start:
            pieces.append(paragraph[start:end])
            start = end
    pieces.append(paragraph[start:])
    return [piece.strip() for piece in pieces if piece.strip()]


def title_after(speaker: str, title: str | None) -> str:
    """The title as shown after a quote's speaker: one made from its guest ('周敏 — 工作, 远程') does not say the
    name twice ('周敏 [00:00:45] — 周敏 — 工作, 远程' was the demo's first Chinese answer)."""
    title = (title or "").removeprefix(f"{speaker} — ")
    return "" if title == speaker else title


INFERRED_NOTE = "This transcript named no speakers: its turns and who said them were inferred from the text."


def attributed(speaker: str, inferred: bool) -> str:
    """A quote's speaker as shown to a reader: where the file named no one, the turns and who said them were
    inferred from the text (about three words in five are given to the right person, README "Transcripts without
    speakers"), and a reader weighing a quote should know that its attribution is a guess. A name given by
    `/library rename-speaker` keeps the mark: the rename names a role, the turns it holds are still inferred."""
    return f"{speaker} (speaker inferred)" if inferred else speaker


def as_excerpt(text: str) -> str:
    """The words with "…" where they begin or stop inside a sentence, for showing a quote: speech-to-text without
    punctuation, and passages cut from one long unpunctuated turn, start in lower case ("to fit nicely together
    and that's when…") or stop on a word or a comma. The mark tells a reader the quote is part of a sentence; the
    words are unchanged (JSON output and the index keep them bare). A Chinese line that simply lacks its final
    mark ("没错") is left alone, and so is speech broken off with a dash ("So in this case-")."""
    words = text.strip()
    if not words:
        return text
    head = "…" if "a" <= words[0] <= "z" else ""
    tail = "…" if re.search(r"[A-Za-z0-9,，、]$", words) else ""
    return f"{head}{words}{tail}"


def ends_asking(text: str) -> bool:
    """True when a turn hands the word over by asking: its last sentence asks, or the one before a closing
    remark does ("How do you decide salaries? Living costs differ a lot between cities.")."""
    sentences = [s for paragraph in text.split("\n") for s in split_sentences(paragraph)]
    return any(map(asks_itself, sentences[-2:]))


def asks_itself(sentence: str) -> bool:
    """`is_question`, but for a question the speaker reports: one quoted after words of their own ('The question is
    always, "How many of this do you do?"', '他问我：「为什么？」'), as speaker inference reads it too
    (`bot.ingest.turns_from_text.asks`). Ranking held such an answer back as a question (corpus 08's "at least 100")."""
    if not is_question(sentence):
        return False
    core = sentence.rstrip()
    opening = _OPENING_QUOTE.get(core[-1:])
    at = core.rfind(opening, 0, len(core) - 1) if opening else -1
    return not (at > 0 and core[:at].strip())


_OPENING_QUOTE = {'"': '"', "”": "“", "’": "‘", "」": "「", "』": "『"}  # a closing quotation mark → its opening one


# A statement with a tag asking for agreement ("…, right?", "…，对吧？") states; it does not ask. Nor does a check
# that the listener follows ("Does that make sense?", "You know what I mean?", about 460 in the surveyed
# transcripts), alone or as a tag: the speaker goes on explaining, and the "Yeah." that may follow answers nothing
# a search asks about (read as asking, it took an expert's point out of the quotes and handed its score to the
# "Yeah": "Does that make sense? 90% agreement look good on paper, but it might be misleading.").
_TAG = re.compile(
    r"(?:^|[,，、]\s*)(?:right|don'?t you think|you know|no|yeah|eh|okay|ok"
    r"|(?:is|are|was|were|do|does|did|can|could|will|would|have|has|had)n'?t (?:it|they|you|we|he|she|that|there)"
    r"|(?:(?:does|did) (?:that|this|it) |(?:if )?(?:that|this|it) )?makes? sense"
    r"|(?:do )?you (?:know|see) what i mean|(?:do )?you see|(?:do )?you follow(?: me)?)"
    r"\s*[?？]$"
    r"|(?:对吧|對吧|是吧|对不对|對不對|不是吗|不是嗎|是不是|好吧|吧|呢吧|(?:你)?(?:明白|懂)(?:我的意思)?(?:吗|嗎))\s*[?？]$",
    re.IGNORECASE,
)


# Asking without a question mark: indirect questions and requests to speak ("I'd love to hear how…", "I'm curious
# whether…", "Talk about the perks.", "我想问一下…", "请您谈谈…"). Hosts ask this way and transcripts drop the
# mark; read as statements, the host's question outranked the guest's answer and handed nothing over. English
# only at the start of a sentence (after "so", "however", …), where the words are an asking act, not a report.
_ASKS_UNMARKED = re.compile(
    r"(?:(?:so|and|but|however|now|okay|ok|well|actually|also|yeah|yes|right|then|first|finally|lastly)[,\s]+)*"
    r"(?:i(?:['’]d| would)? (?:do |really |also |just )?(?:want|like|love) to (?:know|hear|ask)"
    r"|i(?:['’]m| am) (?:really |just |also )?(?:curious|wondering) (?:about|if|whether|how|what|why|where|when|who)"
    r"|(?:can|could|would) you (?:tell|walk|talk|share|explain|describe|give|speak)"
    r"|tell (?:me|us) (?:about(?! it\b)|more|how|what|why|a bit|a little)"
    r"|walk (?:me|us) through"
    r"|talk (?:to (?:me|us) )?(?:about|through|a bit|a little)"
    r"|let['’]?s talk about)",
    re.IGNORECASE,
)
_ASKS_UNMARKED_ZH = re.compile(
    r"想(?:问|問|请教|請教)|^(?:那|那么|那麼)?[请請](?:您|你)?(?:谈谈|談談|讲讲|講講|说说|說說|聊聊|介绍|介紹)"
)
# A particle that asks where the mark would be: Japanese "…のですか。", "…でしょうか", Chinese speech-to-text's
# "…吗。"; or Japanese asking to be told ("教えてください。"). Read as statements, an interviewer's questions
# outranked the answers (stop 43). "〜とか。" lists and "不是吗" seeks agreement.
_ASKS_BY_PARTICLE = re.compile(
    r"(?:(?<![とし])か(?:ね|な)?|(?<!不是)[吗嗎]|(?:教えて|聞かせて|話して|説明して|紹介して)(?:ください|下さい))[。．]?$"
)
# Every unmarked asking form holds one of these (lower-cased): `may_ask` tests them before any pattern.
_ASKING_KEYS = ("to know", "to hear", "to ask", "curious ", "wondering ", "you tell", "you walk", "you talk",
                "you share", "you explain", "you describe", "you give", "you speak", "tell me", "tell us", "walk me",
                "walk us", "talk about", "talk through", "talk a ", "talk to ", "想问", "想問", "想请", "想請", "请",
                "請", "か", "ください", "下さい", "吗", "嗎")  # fmt: skip
_ASKING_KEY = re.compile("|".join(map(re.escape, _ASKING_KEYS)))  # one search, not one per key (a third faster)


def may_ask(text: str) -> bool:
    """False when no sentence of `text` can ask (`is_question`): a quick test before splitting a whole passage
    (every passage's share of asking sentences is read when an index loads)."""
    if "?" in text or "？" in text:
        return True
    return _ASKING_KEY.search(text.lower()) is not None


def is_question(sentence: str, unmarked: bool = True) -> bool:
    """True when the sentence asks: it ends in a question mark (closing quotes aside) and is not a statement
    with an agreement tag ("…都很荒谬,对吧?", "…, right?"), or, unless `unmarked` is False, it asks without one
    (`_ASKS_UNMARKED`)."""
    core = sentence.rstrip("”’\"')）」 ")
    if core.endswith(("?", "？")):
        return not _TAG.search(core)
    if not unmarked:
        return False
    core = core.lstrip()
    return bool(_ASKS_UNMARKED.match(core) or _ASKS_UNMARKED_ZH.search(core) or _ASKS_BY_PARTICLE.search(core))


_NEXT_SENTENCE = re.compile(r"[.!?][”’\"')]*\s+([^\W\d_])")
CAPITALIZED = 0.8  # share of sentences starting upper case above which a lower-case start continues a sentence


def capitalizes(texts: Iterable[str]) -> bool:
    """True when the text starts its sentences in upper case, so one in lower case continues a sentence (the
    letters after a full stop and a space: one scan, a fifth of the cost of splitting every line)."""
    starts = [m.group(1) for text in texts for m in _NEXT_SENTENCE.finditer(text)]
    return bool(starts) and sum(c.isupper() for c in starts) >= CAPITALIZED * len(starts)


def continues(text: str) -> bool:
    """True when text starts in lower case, as the rest of a sentence does (no Chinese character has a case)."""
    return text[:1].isalpha() and text[:1].islower()


def join_parts(parts: list[str]) -> str:
    """Join pieces with a space between Latin text and nothing next to CJK text or punctuation."""
    out = ""
    for part in parts:
        if out and not (_WIDE.match(part[:1]) or _WIDE.match(out[-1:])):
            out += " "
        out += part
    return out
