"""Theme-bearing words of a text in any script: Chinese nouns (jieba's part-of-speech tags), English content words,
and the longer words of scripts without a dictionary here (Cyrillic, Greek, Arabic, Hangul…).

Keywords, chapter labels, titles and the test of whether a sentence names anything all count these words.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from functools import lru_cache
from itertools import islice

import rjieba

from bot.text.script import normalize
from bot.text.sentences import split_sentences
from bot.text.tokens import ALPHABETS, HANGUL, LATIN_WORD, STOP_EN, STOP_ZH, stem

NOUN_TAGS = frozenset({"n", "nr", "nrt", "ns", "nt", "nz", "vn", "eng", "nrfg"})
_ELIDED = re.compile(r"^(?:l|d|j|qu|n|s|c|m|t)['’](?=[a-zß-ɏ])")  # French and Italian: "l'école" is 'école'
_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")


def _word_list(words: str) -> frozenset[str]:
    """A stop list written as one string (easier to read and extend than a list literal)."""
    return frozenset(words.split())


# Words of scripts the search tokens cannot read (`tokens.other_language`): four letters or more of an alphabet
# (Cyrillic, Greek, Hebrew, Arabic, Devanagari, Thai), two syllables or more of Hangul. Until stop 43 none counted,
# so every sentence of a Russian or Korean interview named nothing and its summary was "Nothing found."
_OTHER_WORD = re.compile(f"[{ALPHABETS}]{{4,}}|[{HANGUL}]{{2,}}")
# The commonest Russian function words of four letters or more, and Korean greetings, thanks and connectives.
_STOP_KEYWORD_OTHER = _word_list(
    "это этот эта эти того тому чтобы когда потому тоже также очень может можно было были была будет есть если "
    "только между после через более всего себя свой своих наши ваши тогда просто который которые которая которых "
    "здесь сейчас теперь почему какой какие такой такие этого этой этих всех весь всем думаю знаете "
    "안녕하세요 감사합니다 고맙습니다 반갑습니다 그래서 그리고 그런데 하지만 그러면 그러니까 정말 그냥 이제 "
    "가장 아주 너무 저는 제가 우리는 우리가 있습니다 있어요 했습니다 합니다"
)


# Words too common in conversation to name a theme (on top of the search stop words).
_STOP_KEYWORD_EN = STOP_EN | _word_list(
    "also always among another any anything around back because been being both can come could day did doing "
    "done down each even ever every going good got great just know kind let like little lot lots make many "
    "may maybe mean more most much must need never new next not now obviously okay one only other out over "
    "people pretty quite really right same see should some something still such sure take talk tell than "
    "thank thanks thing things think time today too two under very want way well going gonna yeah yes "
    "actually already back basically believe first get give here it's i'm that's don't we're they're you're "
    "all these those sort stuff whatever where while who whom whose will would should shall might "
    "become becomes became seem seems lot able after again against before below between during few "
    "further once own through until above off why how here there when once yet however though although "
    "across along else enough instead less least looking look looked saying says said goes went gone "
    "making made getting thinking talking trying try tried kinds bit big huge hard easy real year years "
    "different important whole point part course question answer sense case fact idea ideas "
    "three four five many much every everyone everybody someone somebody anyone nobody none nothing everything "
    "guys folks use used uses using shout worth self find found life blah remember started start starting "
    "decided working love loved single line open learn learned happen happened feel felt wanted came called "
    "call put keep kept ask asked help helped lets let's stuff anyway totally literally definitely absolutely "
    "honest honestly thought knew wow "
    # the same verbs inflected: "makes" (of "if that makes sense") was a Changelog summary's keyword
    "makes gets takes comes wants means feels thinks knows goes tells gives needs happens keeps puts calls asks "
    "helps tries starts e.g i.e etc "
    # and their -ing, "coming" (of "coming up", "coming from": an Environment Variables summary's "hackathon,
    # coming, work") and "happening", as "going", "doing" already were
    "coming happening "
    # prepositions of three letters or more that STOP_EN lacks: a Changelog title read "lines per, Varnish, …"
    "per via versus "
    # words of any talk, not a theme: "example" (of "for example") was a keyword of 40 of 525 surveyed summaries
    # and a digest's theme of the week, "terms" (of "in terms of") of 14, "episode" of 16; "podcast" of 7 of 70
    # Virtual Coffee titles
    "example examples terms amazing create creating created questions episode episodes podcast podcasts "
    # talk's fillers and intensifiers, which titled real podcasts "Bogdan Covrig — cuz, wanna, weird" and
    # "Sadie Jay — job, mm-hmm, interview"
    "cuz wanna gotta kinda sorta mm-hmm mhm uh-huh "
    # and "cause" ('cause: because) and "figure" (of "figure out"), "Helen — developer, figure, cause" (a Virtual
    # Coffee title, stop 61): 648 and 938 times in the surveyed English files, "root cause" 76, "figure out" 3 070
    "cause figure "
    # interjections, which reported speech capitalizes ("Hey, I'm a little too busy"): "Kelsey Hightower — work, Hey,
    # money" was a Changelog title
    "hey hello huh yep yup nope hmm gosh dude whoa yay haha lol ooh aha oops alright "
    "him hers theirs yours ours myself himself herself themselves itself yourself ourselves saw seen "
    # adverbs of how often or how much, which name no theme: "Romano Roth — DevOps, technology, transformation" had
    # the keyword "usually", 2 of 18 summaries of two untuned libraries one such, 3 of 1 325 surveyed titles
    "usually especially generally typically essentially probably certainly simply clearly exactly often sometimes "
    "perhaps mostly "
    # connectives, which no more name a theme: "Amjad Masad — …" had a chapter "models, including, editor" and Annie
    # Duke's one "nevertheless, kids, children" (Lenny's Podcast, stop 63)
    "including nevertheless nonetheless meanwhile otherwise therefore thus hence indeed rather whether regardless "
    "anyways besides furthermore moreover likewise "
    # plurals of words above, which count no more ("mainframe, …, determination, times, teach", a Conduit episode)
    "times ways looks"
)
# Function words and greetings of Spanish, French, German, Portuguese, Italian and Dutch (the languages
# bot/text/latin.py tells apart) of three letters or more, without English look-alikes ('son', 'war', 'die',
# 'plus', 'era', 'comment', 'van', 'dove', 'sim', 'hoe'), so no English summary loses a theme: a French interview
# was titled "les, bois, cole".
_STOP_KEYWORD_LATIN = _word_list(
    "que los las del una por con para pero como más muy está están esto eso esta este esa entre sobre cuando también "
    "porque donde ser fue han hemos tiene tengo tenemos todos todas nos les sus unos unas desde hasta qué cómo "
    "cuál dónde así bien sólo mucho mucha muchos poco otro otra otros ella ellos nosotros usted aquí entonces "
    "les des une est pas pour dans avec qui sur mais nous vous ils elle elles ont sont été était être avoir fait "
    "très tout tous toute toutes comme aussi cette ces ses leur leurs dont où quand parce alors donc même moi toi "
    "lui aux chez quoi pourquoi oui cela ça ceci voilà peu beaucoup c'est "
    "der das und ist nicht ich wir sie ein eine einen einem einer mit auf dem des von für auch sich aber wie "
    "wenn noch nur schon oder sind haben hatte werden wird kann können mehr sehr hier dann doch bei nach aus über "
    "unter zum zur durch ihr ihre ihnen uns mein meine dass daß diese dieser dieses jetzt immer viel viele "
    "não uma mais mas das isso isto ele ela eles elas você vocês muito quando onde então até sem seu "
    "sua seus suas meu minha foi são estão tem têm ter aqui ainda "
    "che non della dei delle degli nel nella sono anche più questo questa quello quella molto tutto tutti perché "
    "già ancora essere stato stata hanno abbiamo fatto cosa suo loro mio mia gli alla alle allo agli dal dalla "
    "sul sulla "
    "het een niet dat zijn voor maar ook als wat bij nog wel naar dit deze zou worden wordt heeft hebben "
    "heb mijn onze hun jij wij zij aan uit daar elke soms "
    "hola gracias bueno claro bonjour merci hallo danke nein grazie buongiorno hai lei ogni può qual olá sei depois "
    "hoje welkom "
    # … and their talk's everyday verbs, pronouns and nouns, as the English list has them (English words such as
    # 'algo', 'fare', 'hay' left out): a Spanish talk's keywords were "puede, cosas, tener" and a panel's chapters
    # "soy, bitcoin, riesgo" and "contra, corto plazo, esas"
    "cosa cosas puede pueden puedo podemos tener hacer hace hacemos estar soy somos eres esas esos ese estos "
    "estas vez veces nada todo toda creo digo dicho decir ver voy vamos quiero sabe sabes gente manera "
    "mismo misma contra cada hagas haga hacen hecho tienen tienes sido estoy estamos sería tipo probablemente "
    "nuestro nuestra nuestros nuestras algún alguna algunos algunas alguien lugar realmente siempre incluso "
    "chose choses peut peuvent faire faut veux sais avez avons aller vais vraiment juste quelque rien gens "
    "dit dire fois crois pense notre votre vos "
    "gibt geht machen etwas wirklich glaube weiß sagen muss müssen habe hast waren wurde würde einfach ganz unser "
    "unsere "
    "coisa coisas pode fazer acho pessoas vai gente vez vezes estou "
    "cose penso così bene poi allora proprio quindi sempre qualcosa niente volta volte "
)
_STOP_KEYWORD_ZH = STOP_ZH | _word_list(
    "时候 东西 事情 问题 方面 方式 时间 部分 情况 地方 人们 大家 感觉 意思 事儿 过程 原因 角度 程度 世界 "
    "今天 现在 未来 一点 一些 一下 一种 很多 这些 那些 可能 非常 真的 觉得 认为 知道 需要 希望 谢谢 明白"
)

_GIVEN_NAME = re.compile(r"[\u4e00-\u9fff]{3}")  # a Chinese name of three characters: a surname, a given name of two
# How a Chinese talk addresses people ('刘老师', '王先生'), alone or after a surname: the top keyword of an interview
# whose host called his guest 刘老师 throughout, and of 2 of 22 surveyed Chinese interviews
_ADDRESS_ZH = ("老师", "老師", "先生", "女士")


@lru_cache(maxsize=65536)
def content_words(text: str) -> tuple[str, ...]:
    """Theme-bearing words of a text: Chinese nouns (jieba POS tags) and English content words, normalized."""
    norm = normalize(text)
    words = [w for w in _latin_words(norm) if is_content_word(w)]
    words += [w for w in _OTHER_WORD.findall(norm) if w not in _STOP_KEYWORD_OTHER]
    for run in _CJK_RUN.findall(norm):
        words.extend(
            token
            for token, tag in rjieba.tag(run)
            if tag in NOUN_TAGS
            and len(token) >= 2
            and token not in _STOP_KEYWORD_ZH
            and not token.endswith(_ADDRESS_ZH)
        )
    return tuple(words)


def is_content_word(word: str) -> bool:
    """Whether a (normalized) Latin-script word can name a theme: no function word of English or of the other
    languages bot/text/latin.py knows, no contraction, three letters or a figure."""
    if not any(ch.isalpha() for ch in word):
        return False
    return _has_digit(word) or (
        len(word) >= 3
        and word not in _STOP_KEYWORD_EN
        and word not in _STOP_KEYWORD_LATIN
        and "'" not in word
        and "’" not in word  # a contraction, typed or typeset ("it’s" was a theme)
    )


# Chinese characters and their punctuation, which stand between English words that are no phrase (a name of its
# own: `_CJK_RUN` above is what jieba reads, characters alone)
_CHINESE_BETWEEN = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")


def _latin_words(norm: str) -> list[str]:
    """The Latin-script words of normalized text as the search tokenizer cuts them (accents are letters: 'énergie',
    not 'nergie'), elisions read off ("l'école" is 'école')."""
    return [_ELIDED.sub("", word) for word in LATIN_WORD.findall(norm)]


def _has_digit(word: str) -> bool:
    """Model names and figures with letters ('gpt-5', '10x') are themes even when short."""
    return any(ch.isdigit() for ch in word) and any(ch.isalpha() for ch in word)


# Stop words that open a term with the content word after them: alone, "open" names nothing; before "source" it
# names the theme, and without it 56 of 906 surveyed fallback titles read "Raj Dutt — source, company, Grafana";
# "back end" is the other half of "front end" (one surveyed title: "front end, developer, back end").
_PHRASE_OPENERS = frozenset(["open", "back"])


def english_phrases(text: str) -> list[str]:
    """Two-word phrases of English content words that stand next to each other ('gpt-5 model'), or of an opener
    and one ('open source'); not a word said twice ('paper paper', 'focus focus': speech repeating itself), nor two
    words with Chinese between them ('写了paper，然后focus在…' is no 'paper focus'), nor the second word of an opener's
    phrase with the word after it ('open source microfactory' is no 'source microfactory')."""
    phrases = []
    for sentence in split_sentences(normalize(text)):
        for run in _CHINESE_BETWEEN.split(sentence):
            words = _latin_words(run)
            closed = False  # the pair before was an opener's phrase, and `a` its second word
            for a, b in zip(words, words[1:], strict=False):
                paired = not closed and a != b and (is_content_word(a) or a in _PHRASE_OPENERS) and is_content_word(b)
                if paired:
                    phrases.append(f"{a} {b}")
                closed = paired and a in _PHRASE_OPENERS
    return phrases


# How a podcast opens: "welcome (back) (everyone) to (another episode of) <Show>", "you're listening to <Show>",
# "welcome to Season 6, Episode 1 of the Virtual Coffee podcast"; the show's name is its run of capitalized words
# (small words such as "to", "of", "the" may join them).
_SMALL = ("of", "the", "to", "and", "for", "in", "on", "a", "be", "&")
_SHOW = re.compile(
    r"\b(?i:(?:welcome(?: back)?(?: everyone| everybody| all)?(?: back)? to|you(?:'re| are) listening to)\s+"
    r"(?:(?:another|today's|this week's|the latest|a new|a special|this) )?"
    r"(?:season [\w-]+,? ?(?:episode [\w-]+ )?of |(?:episode|edition)(?: \d+)? of )?)"
    rf"(?:the )?(?P<show>[A-Z][\w'’&-]*(?: (?:[A-Z0-9][\w'’&-]*|{'|'.join(_SMALL)}))*)"
)
OPENING = 600  # characters at the start of the transcript where a show names itself
SHOW_TURNS = 4  # ...in its first turns (or passages)
LONGEST_SHOW = 40  # characters: a longer run of capitals is a sentence in title case, not a name


def show_name(texts: Iterable[str]) -> str | None:
    """The show's name as its opening (the first SHOW_TURNS of the turns' `texts`) says it ("Waiting to Be
    Signed"), or None."""
    opening = " ".join(islice(texts, SHOW_TURNS))[:OPENING]
    match = _SHOW.search(opening)
    if match is None:
        return None
    words = match.group("show").split()
    while words and words[-1] in _SMALL:
        words.pop()
    name = " ".join(words[:8])
    return name if 3 <= len(name) <= LONGEST_SHOW else None


def name_words(names: Collection[str], opening: Iterable[str] = ()) -> set[str]:
    """Speakers' names as content words ('sam', 'altman', '孙正义'), and the show's its `opening` says ('virtual',
    'coffee'): they name who talks and where, not what about (half of Virtual Coffee's episodes were titled
    "Guest — Virtual Coffee, …", and the show was a digest's theme of the week)."""
    show = show_name(opening)
    names = [*names, *([show] if show else [])]
    given = {n[1:] for n in names if _GIVEN_NAME.fullmatch(n)}  # '李美珍', whom the talk calls '美珍'
    return (
        {w for name in names for w in content_words(name)} | {part.lower() for n in names for part in n.split()} | given
    )


def _is_participle(word: str) -> bool:
    """An English past tense or participle ('changed', 'hacked'), told by its stem ('need', 'speed' are not)."""
    return len(word) > 4 and word.endswith("ed") and word.isalpha() and not stem(word).endswith("ed")


def singular(word: str) -> str:
    """An English plural's singular ('tides', 'bakeries', 'matches'); any other term as it is."""
    if len(word) > 3 and word.isalpha() and word.endswith("s") and not word.endswith("ss"):
        for ending, replaced in (("ies", "y"), ("ches", "ch"), ("shes", "sh"), ("xes", "x"), ("s", "")):
            if word.endswith(ending):
                return word[: -len(ending)] + replaced
    return word


def _within(term: str, phrase: str) -> bool:
    """Whether a term is one of a phrase's words, in either number ('tide' in 'tides', 'code' in 'axial codes')."""
    return singular(term) in map(singular, phrase.split())


# Words a sentence may carry as content but no title or keyword should show: "Gant Laborde — cool, person, podcast",
# "Mike Rogers — work, job, almost"; and the agreement and praise of talk, in 28 of 906 surveyed untitled
# transcripts' titles ("Mat Ryer — xbar, show, nice", "Sid Sijbrandij — GitLab, open source, better").
_BLAND = frozenset(
    ["cool", "super", "awesome", "probably", "almost", "sometimes", "weird", "having"]
    + ["interesting", "better", "nice", "exactly", "alright", "correct", "man", "sorry"]
)


def _how(word: str) -> bool:
    """An English word made with -ly from another ('extremely', 'recently', 'monthly'), told by its stem ('family',
    'supply' and 'early' are not): it says how or when, not what."""
    return len(word) > 5 and word.endswith("ly") and word.isalpha() and stem(word) == stem(word[:-2])


def names_a_theme(term: str, names: AbstractSet[str]) -> bool:
    """Whether a term can stand for what is talked about: no word of a speaker's name (`names`, from `name_words`:
    they name who talks), not a lone past participle ("changed" says that something changed, not what) nor a word
    made with -ly (`_how`: "learning, models, …, building, extremely" were a Dwarkesh episode's keywords), not a
    bland word of talk (`_BLAND`; a phrase holding one may name a thing: "Font Awesome")."""
    return not _is_participle(term) and not _how(term) and term not in _BLAND and names.isdisjoint(term.split())


def repeats(term: str, chosen: Iterable[str]) -> bool:
    """Whether a term is already shown among `chosen`: one of a chosen phrase's words, or a phrase holding a chosen
    word, in either number ('tides' after 'tide', 'code' after 'axial codes')."""
    same = tuple(map(singular, term.split()))
    return any(
        _within(term, other) or _within(other, term) or tuple(map(singular, other.split())) == same for other in chosen
    )


def _folded(text: str) -> tuple[str, list[int]]:
    """The text normalized, and for each of its characters the position of the text's character it came from
    ('…' folds to three, 'ß' to two: a passage with either would otherwise lose its positions)."""
    folded = normalize(text)
    if len(folded) == len(text):
        return folded, list(range(len(text)))
    parts = [normalize(ch) for ch in text]
    return "".join(parts), [i for i, part in enumerate(parts) for _ in part]


def spellings(terms: Iterable[str], texts: Sequence[str]) -> dict[str, str]:
    """Each keyword as the texts write it most often: keywords come from normalized text (Simplified, case-folded),
    and were shown so ('agi', and a Traditional or Japanese transcript's '开源', '农家', '仕组' for 開源, 農家,
    仕組). A Latin term counts where it stands as a word ('agi' in 'magic' does not), and not where it opens a
    sentence unless in capitals ('Small bakeries…' says nothing of how 'small' is written; 'AGI is…' does)."""
    found: dict[str, Counter[str]] = {term: Counter() for term in terms}
    for text in texts:
        folded, origin = _folded(text)
        for term, counts in found.items():
            start = folded.find(term)
            while start >= 0:
                end = start + len(term)
                written = text[origin[start] : origin[end - 1] + 1]
                edges = folded[start - 1 : start] + folded[end : end + 1]
                before = text[max(0, origin[start] - 3) : origin[start]].rstrip()  # what a sentence ends with
                opens = origin[start] == 0 or before[-1:] in (".", "!", "?", "") or "\n" in before
                if not (term[0].isascii() and any(c.isalnum() and c.isascii() for c in edges)) and (
                    not opens or written.isupper() or not written[:1].isupper()
                ):
                    counts[written] += 1
                start = folded.find(term, start + 1)
    # ties go to the plain form: 'small' in 'small cafes' and in the show 'Small Rooms' is the word 'small'
    written = {term: max(counts, key=lambda w: (counts[w], w.islower())) for term, counts in found.items() if counts}
    return {term: written.get(term, term) for term in found}


PHRASE_SAID = 3  # times a phrase must be said to stand for its words in a title


def top_keywords(
    weights: dict[str, float], k: int = 8, exclude: Collection[str] = (), counts: Mapping[str, int] | None = None
) -> list[str]:
    """The k heaviest terms that name a theme (`names_a_theme`, `exclude` being the speakers' `name_words`), none
    a repeat of one chosen before (`repeats`, or the same letters spaced otherwise): a digest's themes read
    "daniel okafor" and "changed" before. Given the terms' `counts`, a word said in one phrase for half its uses
    or more, three times at least, is shown as that phrase ("Emma & Ali — end, developer, front" was a Ladybug
    episode's title, from "front end" and "back end"; "learning, system, reinforcement")."""
    excluded = set(exclude)
    chosen: list[str] = []
    phrases = sorted((w, t) for t, w in weights.items() if " " in t and counts and counts.get(t, 0) >= PHRASE_SAID)
    for term, weight in sorted(weights.items(), key=lambda item: (-item[1], item[0])):
        if len(chosen) == k:
            break
        holding = [t for w, t in phrases if " " not in term and term in t.split() and 4 * w >= 3 * weight]
        for shown in (*holding[-1:], term):
            if not names_a_theme(shown, excluded) or repeats(shown, chosen):
                continue
            if any(shown.replace(" ", "") == other.replace(" ", "") for other in chosen):
                continue
            chosen.append(shown)
            break
    return chosen
