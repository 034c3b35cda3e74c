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

# A speaker who says they host the show is its host though no label says so: Environment Variables' Chris Adams ("I'm
# your host, Chris Adams") says nearly as much as each guest, so he was a principal, named in the titles and quoted
# in the summaries beside them ("I'm glad you mentioned WebAssembly…").
_SAYS_HOST = re.compile(
    r"\bI(?:'|’| a)m your (?:co-?)?host\b|\bthis is your (?:co-?)?host\b|我是(?:你们的|大家的|本期|今天的)?主持人",
    re.IGNORECASE,
)
# ...and whom that host names as sitting in with them ("with me, as always, is Autumn Nash", "joining me today as
# co-host is Ian") hosts too
_COHOST = re.compile(r"\bas always\b|\bco-?hosts?\b", re.IGNORECASE)
# A guest's fair share of what the most talkative speaker says (outside questions): below it, guests are cameos in the
# hosts' conversation; a guest the opening introduces who says it is the title's (bot.ingest.titles)
GUEST_SHARE = 0.25

PANEL = 3  # speakers besides the interviewer (and anyone labelled host) that make a conversation a panel
PANELIST = 0.15  # on a panel, the share of the most talkative speaker's words that makes a speaker a panelist...
PANELIST_ASKS = 0.15  # ...who asks in fewer than this share of their sentences (a co-host asks more: 0.19-0.22)


@dataclass(frozen=True)
class Roles:
    """Who the summary quotes: the principals (guests, or both sides of a conversation between equals)."""

    principals: frozenset[str]
    interviewer: str | None  # the speaker who mostly asks, when there is one
    said: Mapping[str, float] = field(default_factory=dict)  # how much each speaker says outside questions
    panelists: frozenset[str] = frozenset()  # on a panel, the others who say a fair share (`speaker_roles`)

    @property
    def quoted(self) -> frozenset[str]:
        """Whose words an interview's summary takes its points from: the principals and any panelists."""
        return self.principals | self.panelists


def speaker_roles(spoken: Iterable[tuple[str, str, str]]) -> Roles:
    """Principals from (speaker, label, text) turns: each says at least half as much (outside questions) as
    the guest who says most, and is not a host (labelled '主持人', 'Host', 'Q', saying "I'm your host", or named by
    that host as "with me, as always," or "co-host"); the rest ask or chime in. Where only hosts speak, or the guests
    say under GUEST_SHARE of what the most talkative speaker says (a hosts' conversation with cameos), everyone
    is measured against the one who says most, hosts too.

    A conversation between equals (Son and Altman: each speaks at length, neither mostly asks) has two
    principals; an interview has one guest, and its host is the interviewer even when the host talks a lot.
    On a panel, PANEL speakers or more besides the interviewer, the others who say at least PANELIST of what the
    most talkative one says, and seldom ask, are panelists: an interview's summary quotes them too (a panel where
    one of four panelists said half the words was summarized in eleven points of theirs alone), while titles
    still name the principals and their questions still open chapters. A co-host who asks one sentence in five
    (Go Time's, JS Party's) is no panelist: their explanations for listeners took the guests' points.
    """
    said: Counter[str] = Counter()
    asked: Counter[str] = Counter()
    sentences: Counter[str] = Counter()
    hosts: set[str] = set()
    sitting_in: list[str] = []  # what a host says after "as always" or "co-host"
    for speaker, label, text in spoken:
        if label and _HOST_LABEL.match(label.strip()):
            hosts.add(speaker)
        if _SAYS_HOST.search(text):
            hosts.add(speaker)
            sitting_in += [text[m.end() : m.end() + 40] for m in _COHOST.finditer(text)]
        for sentence in split_sentences(text.replace("\n", " ")):
            sentences[speaker] += 1
            if is_question(sentence):
                asked[speaker] += 1
            else:
                said[speaker] += text_weight(sentence)
    if not sentences:
        return Roles(frozenset(), None)
    hosts |= {
        s
        for s in sentences
        for first in s.split()[:1]
        if any(re.search(rf"\b{re.escape(first)}\b", w) for w in sitting_in)
    }
    most = max(said.values(), default=0.0)
    # measured against the guest who says most, not a host who says more; where guests say little (a hosts'
    # conversation with cameos), or only hosts speak, against everyone
    voices = {s: said[s] for s in sentences if s not in hosts and said[s] > 0}
    if max(voices.values(), default=0.0) < GUEST_SHARE * most:
        voices = {s: said[s] for s in said if said[s] > 0}
    top = max(voices.values(), default=0.0)
    principals = {s for s, n in voices.items() if n >= 0.5 * top}
    if not principals:
        principals = {max(sentences, key=lambda s: said[s])}
    share = {s: asked[s] / sentences[s] for s in sentences if s not in principals}
    interviewer = max(share, key=lambda s: share[s]) if share else None
    panel = [s for s in sentences if s not in hosts and s != interviewer and said[s] > 0]
    panelists = (
        {s for s in panel if said[s] >= PANELIST * most and asked[s] < PANELIST_ASKS * sentences[s]} - principals
        if len(panel) >= PANEL
        else set()
    )
    return Roles(frozenset(principals), interviewer, dict(said), frozenset(panelists))
