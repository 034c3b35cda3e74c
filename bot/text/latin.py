"""Latin-script languages besides English, told apart by their most frequent words.

A Spanish or French interview used to be labelled English (the script alone cannot tell them apart): the English
language filter returned it, and a summary asked for in English showed it without saying so. (Their function words
are also no keywords: bot/text/keywords.py.)
"""

from __future__ import annotations

import re
from collections import Counter

# The most frequent words of each language, short ones included: they tell one language from another.
_TELLING = {
    "en": "the and of to is that it you was what with for this have but are not they in",
    "es": "el los y es por una con para pero muy también qué cómo porque las más yo sí",
    "pt": "não uma com você isso também muito são então os ao é do em um mas foi eu sim",
    "it": "gli che di è non per sono della anche ma questo molto perché io ho hai ci",
    "fr": "le les des et est une qui je vous pas pour dans avec ce nous mais c'est au du",
    "de": "der die das und ist nicht ich wir ein eine mit auf zu den auch sie dass für von",
    "nl": "het een van niet ik op voor zijn dat maar ook wat met",
}
# word → the languages it tells: one lookup a word of a long transcript
_CODES_OF = {
    word: [code for code, words in _TELLING.items() if word in words.split()]
    for word in " ".join(_TELLING.values()).split()
}

_WORD = re.compile(r"[a-zß-ɏ]+(?:['’][a-zß-ɏ]+)?")
MIN_TELLING = 8  # function words a text needs before it is called anything but English
MIN_DISTINCT = 4  # of them different words: Indonesian says "di" constantly, and no other Italian word


def latin_language(text: str) -> str:
    """'es', 'pt', 'it', 'fr', 'de' or 'nl' when the text's function words are mostly that language's (at least
    MIN_TELLING of them, MIN_DISTINCT different ones, and twice English's); else 'en'. Short, mixed or other
    Latin-script text (Indonesian, Tagalog, …) stays English, as before."""
    counts: Counter[str] = Counter()
    distinct: dict[str, set[str]] = {}
    for word in _WORD.findall(text.lower()):
        for code in _CODES_OF.get(word, ()):
            counts[code] += 1
            distinct.setdefault(code, set()).add(word)
    english = counts.pop("en", 0)
    if not counts:
        return "en"
    code, found = counts.most_common(1)[0]
    return code if found >= MIN_TELLING and len(distinct[code]) >= MIN_DISTINCT and found >= 2 * english else "en"
