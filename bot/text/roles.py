"""Who speaks in which role: the principals (guests, or both sides of a conversation between equals) and the
interviewer. Titles name the principals, summaries and the digest quote them."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from bot.text.sentences import is_question, split_sentences, text_weight

_HOST_LABEL = re.compile(
    r"^(?:host|co-?host|interviewer|moderator|presenter|anchor|reporter|q|question|主持人?|主持|记者|記者|问|問|提问|提問)"
    r"\s*\d*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Roles:
    """Who the summary quotes: the principals (guests, or both sides of a conversation between equals)."""

    principals: frozenset[str]
    interviewer: str | None  # the speaker who mostly asks, when there is one
    said: Mapping[str, float] = field(default_factory=dict)  # how much each speaker says outside questions


def speaker_roles(spoken: Iterable[tuple[str, str, str]]) -> Roles:
    """Principals from (speaker, label, text) turns: each says at least half as much (outside questions) as
    the one who says most, and is not labelled as the host ('主持人', 'Host', 'Q'); the rest ask or chime in.

    A conversation between equals (Son and Altman: each speaks at length, neither mostly asks) has two
    principals; an interview has one guest, and its host is the interviewer even when the host talks a lot.
    """
    said: Counter[str] = Counter()
    asked: Counter[str] = Counter()
    sentences: Counter[str] = Counter()
    hosts: set[str] = set()
    for speaker, label, text in spoken:
        if label and _HOST_LABEL.match(label.strip()):
            hosts.add(speaker)
        for sentence in split_sentences(text.replace("\n", " ")):
            sentences[speaker] += 1
            if is_question(sentence):
                asked[speaker] += 1
            else:
                said[speaker] += text_weight(sentence)
    if not sentences:
        return Roles(frozenset(), None)
    most = max(said.values(), default=0.0)
    principals = {s for s in sentences if s not in hosts and said[s] >= 0.5 * most and said[s] > 0}
    if not principals:
        principals = {max(sentences, key=lambda s: said[s])}
    share = {s: asked[s] / sentences[s] for s in sentences if s not in principals}
    interviewer = max(share, key=lambda s: share[s]) if share else None
    return Roles(frozenset(principals), interviewer, dict(said))
