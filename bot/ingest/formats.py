"""Format detection and parsers: decoded text → labelled blocks of speech plus page metadata.

Each parser returns a `Parsed`: blocks in order (label, text, optional translation and times), and what
the page says about itself (title, source, date, the editor's summary). Speaker resolution, merging of
consecutive blocks into turns and text cleaning happen afterwards, the same for every format.

Here: detection, web copies and plain dialogue, Markdown, bilingual captions. Timed formats (SRT, WebVTT,
Whisper, Transcriber) are in `cues`, text lines that carry times (Otter, Rev, …) in `stamped`.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import replace
from itertools import pairwise, takewhile

from striprtf.striprtf import rtf_to_text

from bot.ingest.blocks import CJK as _CJK
from bot.ingest.blocks import HEADLINE, PAREN_NAME, Block, Parsed, is_role, name_like, person_label, section_name
from bot.ingest.cleaning import BAR, DATE_ONLY, FOOTER, NOISE, NOISE_EMPHASIS, URL, is_break, is_chrome, is_noise_mark
from bot.ingest.cues import (
    CUE_TIME,
    parse_ass,
    parse_marked_text,
    parse_subtitles,
    parse_table,
    parse_transcriber,
    parse_whisper_json,
    parse_whisper_tsv,
)
from bot.ingest.errors import IngestError
from bot.ingest.html_page import is_page, page_text
from bot.ingest.speakers import (
    DIARIZED,
    LABEL_KEY,
    ROLE_GUEST,
    ROLE_HOST,
    AliasTable,
    _key,
    credit_name,
    described,
    unnumbered,
    untitled,
)
from bot.ingest.stamped import name_lines_above_stamps, parse_stamped, speaker_labels, stamped_line
from bot.text.sentences import is_question, split_sentences
from bot.text.tokens import STOP_EN

_INLINE = re.compile(r"^\s*(?P<label>[^:：\s][^:：]{0,40}?)\s*[:：]\s*(?P<text>.*)$")
# A chat or IRC handle used as a label: 'roasbeef: Not bad', '**chg:** Hey.', 'luke-jr: I came across bitcoin…'
_HANDLE = re.compile(r"[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*")
_LIST_MARK = re.compile(r"^(?:[-*+•·–]\s|\d{1,2}[.)]\s)")
_SENTENCE_END = re.compile(r"[。！？!?.…”」』\"'’)）\]]$")
_TERMINAL = re.compile(r"[。！？!?.…;；,，、:：]$")
_LIST_ITEM = re.compile(r"^\s*(?:\d+\s*[、.．)]|[·•\-*]|[^:：\s][^:：]{0,18}[:：])")
_SUMMARY_MARKER = re.compile(
    r"核心要点|核心要點|核心内容|核心內容|太长不看|太長不看|关键点|關鍵點|划重点|劃重點|要点预览|要點預覽|"
    r"\btl;?dr\b|key (?:points|takeaways)|highlights|本集简介|本集簡介|节目简介|節目簡介",
    re.I,
)
INTERVIEWER, INTERVIEWEE = "Interviewer", "Interviewee"  # for Q&As that label nobody, or only the answers
AUDIENCE = "Audience"  # who asks after a talk ('Q:'): no one the talk mentions ("Trezor One", "Polish")
_SECTION_MARKS = ("heading", "bold")  # Markdown lines that can name a section
_ACKNOWLEDGEMENT = re.compile(r"^(?:thank|thanks|great|ok|okay|interesting|wow|got it|谢谢|謝謝|感谢|感謝|好的)", re.I)
_PHOTO_CREDIT = re.compile(r"^(?:photograph|photo|image|picture|illustration|图片?|圖片?)\s*(?:by\s|[:：/／])", re.I)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DATE_WORDS = re.compile(
    r"\b(?:(?P<day2>\d{1,2})\s+)?(?P<month>(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*)\.?"
    r"(?:\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?)?,?\s+(?P<year>(?:19|20)\d\d)\b",
    re.I,
)
_DATE = re.compile(r"(20\d\d|19\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_AD_START = re.compile(
    r"right after this|after (?:the|this) break|after these messages|be right back|back to the show in a moment"
    r"|广告之后|广告后",
    re.I,
)
_AD_END = re.compile(
    r"\b(?:we're|we are) back\b|\bback here (?:on|with)\b|\bwelcome (?:back )?to\b|\bnow (?:back|on) to the show\b"
    r"|欢迎回来|欢迎收听",
    re.I,
)
# an address as said: 'do.co', 'nexmo dot dev', 'mempool.space'
_WEB = r"(?:[\w-]++(?:\.| dot ))+(?:com|io|ai|org|net|dev|co|me|app|space|fm|tv|xyz|gg|info)\b"
_SLASH = rf"{_WEB}\s*(?:/|(?:forward )?slash )\s*"  # an address with a page after it: 'do.co/', 'sanity.io slash '
_SPONSOR_PLACES = (  # where to go, the listeners' own page ('do.co/ladybug', 'sanity.io slash ladybug') among them;
    # each phrase with the words one of which it holds, to rule it out quickly
    (("visit", "go to", "head"), rf"\b(?:visit(?:ing)?|(?:go|head(?: over)?) to) (?:https?://)?{_WEB}"),
    (("check out",), r"\bcheck out\b"), (("sign up at",), r"\bsign up at\b"),
    (("/", "slash"), rf"\b{_SLASH}[a-z]"), (("learn more",), r"\blearn more (?:about [^.?!]{1,60} )?at\b"),
    (("that's",), rf"\bthat's (?:[\w-]++ ){{0,3}}{_WEB}"),
)  # fmt: skip
_SPONSOR_OFFERS = (  # what only an ad says
    (("sponsor",), r"\bsponsor(?:ed)?\b"), (("brought to you by",), r"brought to you by"),
    (("code",), r"\b(?:promo|discount|coupon) code\b|\buse (?:the )?code\b"),
    (("free trial", "day trial"), r"\bfree trial\b|\bfree \d+[- ]day trial\b"),
    (("download the free",), r"\bdownload the free\b"), (("sign up today",), r"\bsign up today\b"),
    (("join",), r"\bjoin \w+ (?:today|now)\b"),
    (("for free",), r"\b(?:get started|try)(?: on)? (?:\w+ ){0,2}for free\b"),
    (("place for you",), r"\bis the place for you\b"), (("get started today",), r"^get started today\b"),
    (("credit",), r"\$\d+ credit\b|\b\d+ dollar credit\b"),
    (("off",), r"\d ?% off\b|\bpercent off\b|\$\d[\d,]* off\b(?! (?:of|the|all)\b)"),  # not '$40,000 off of it'
)  # fmt: skip
_SPONSOR_CUES = tuple((words, re.compile(cue, re.I)) for words, cue in _SPONSOR_PLACES + _SPONSOR_OFFERS)
_SPONSOR = re.compile("|".join(cue for _, cue in _SPONSOR_PLACES + _SPONSOR_OFFERS), re.I)
# one of them is in each of _AD_START's phrases, as each phrase of _SPONSOR_CUES holds one of its words
_AD_START_WORDS = ("right after this", "break", "after these", "be right back", "back to the show", "广告")
_WEB_ADDRESS = re.compile(_WEB, re.I)
_PAGE = re.compile(rf"(?:{_SLASH}|\bcode \W?)(\w+)", re.I)  # '/ladybug', 'code LIVERA'
# an ad repeats its address, whatever its ending: "That's do.co/x.", "Once again that's composer.trade."
_SAID_AGAIN = re.compile(rf"(?:(?:once )?again,? )?that's (?:.{{0,40}}{_WEB}|[\w-]+\.[a-z]{{2,}}\b)", re.I)
_READ_GAP = 6  # sentences between two phrases of one read
_READ_GAP_BEFORE = 2  # sentences not naming the product between two that do, in a read's close before its phrases
# characters past which a 'sentence' is no ad's: talk transcribed without punctuation is one sentence a paragraph,
# and a Conduit episode's 4 214 words went as a read for "it's not the sponsor… use promo code relay" inside them
_READ_SENTENCE = 600
_READ_BACK = 12  # sentences before its first phrase where a read's opening naming the product is looked for
_READ_OPENING = 4  # sentences of pitch before the product is named, none of them said in the first person


_READ_CLOSE = re.compile(r"\bthanks?(?: you)?(?: to)? [^.?!]{0,40}\bfor (?:sponsoring|supporting)\b", re.I)
_SPONSORED_BY = re.compile(r"(?:brought to you|sponsored|supported|presented|made possible) by", re.I)
_SPONSOR_INTRO = re.compile(
    r"^(?:and )?(?:this|today's|our|the)(?: week['’]s)? (?:episode|show|podcast|video|interview|portion|segment)"
    r"(?: of (?:the )?(?-i:[A-Z][\w'’-]*)(?: (?-i:[A-Z][\w'’-]*)){0,3})?(?: is| was|['’]s| has been)? "
    r"(?:brought to you|sponsored|supported|presented|made possible) by (?:the )?(?P<name>(?-i:[A-Z][\w.&'-]*))",
    re.I,
)


# A host handing the mic to a sponsor's person: "Andrew is CEO of OneSchema, one of our podcast sponsors. Welcome,
# Andrew.", "Vanta is a longtime sponsor of the show, but … what does Vanta do and who is it for?"
_SPONSOR_GUEST = re.compile(
    r"\b(?:one of our|our|a) (?:long[- ]?time |happy )?(?:podcast |show )?sponsors?\b"
    r"|\b(?:long[- ]?time |happy )?sponsor of (?:the|this|our) (?:show|podcast)\b"
    r"|\bfrom (?:podcast|show) sponsor\b",  # "my friend John Cutler from podcast sponsor Amplitude" (8 Lenny's files)
    re.I,
)
_SPONSOR_DIALOGUE = 12  # blocks from the host's introduction to the close that says where to go


def drop_sponsor_dialogues(blocks: list[Block]) -> list[Block]:
    """Remove ads played as a conversation (Lenny's Podcast: the host talks with a sponsor's founder for a minute):
    from the host's paragraph that introduces "one of our podcast sponsors" (or opens "This episode is brought to
    you by Vanta and I am very excited to have…"), the last of its block, to the host's block that says where to
    go ("head on over to oneschema.co") and the guest's "Thank you." after it, when the other voice speaks in no
    other part of the file (it may in another ad). Their words are no one's interview, and the sponsor's founder
    was listed as a participant. The host's words around it stay ('…that's oneschema.co. What is the most
    counterintuitive thing…')."""
    ads = {start: found for start in range(len(blocks)) if (found := _sponsor_dialogue(blocks, start))}
    inside = {k for start, (_, end, _) in ads.items() for k in range(start, end + 1)}
    kept: list[Block] = []
    start = 0
    while start < len(blocks):
        if start not in ads or any(_theirs(blocks[start + 1], b) for k, b in enumerate(blocks) if k not in inside):
            kept.append(blocks[start])
            start += 1
            continue
        close, end, before = ads[start]  # and the host's words before it, which stay
        kept += [replace(blocks[start], text=before)] if before else []
        sentences = split_sentences(blocks[close].text)
        guest = re.escape((blocks[start + 1].label or "").split()[0])  # 'Thanks for that, Christina.' is the ad's
        said = max(
            k for k, sentence in enumerate(sentences) if _WEB_ADDRESS.search(sentence) or re.search(guest, sentence)
        )
        rest = blocks[close].text[_sentence_ends(blocks[close].text, sentences)[said] :].strip()
        kept += [replace(blocks[close], text=rest)] if rest else []
        start = end + 1
    return kept


def _theirs(guest: Block, block: Block) -> bool:
    """Whether a block is the guest's: 'Christina Gilbert', then 'Christina'."""
    first = (guest.label or "").split()[:1]
    return block.label is not None and block.label.split()[:1] == first


def _introducing(block: Block, guest: str | None) -> tuple[str, str]:
    """A block's words before its last paragraph introduces the sponsor ('Got it. That is very cool.'), and the
    rest: from the first sentence that names the sponsor's person (`guest`) or says the sponsor ("I'm excited to
    have Andrew Luo…", "This episode is brought to you by Vanta, and I'm very excited to have…")."""
    *paragraphs, last = block.text.split("\n")
    sentences = split_sentences(last)
    first = (guest or "").split()[:1]
    starts = (
        k
        for k, sentence in enumerate(sentences)
        if _SPONSOR_GUEST.search(sentence) or _SPONSOR_INTRO.match(sentence) or (first and first[0] in sentence)
    )
    at = next(starts, 0)
    while at and _names(sentences[at - 1]) & _names(sentences[at]):
        at -= 1  # "I'm excited to have Andrew Luo joining us today." before "Andrew is CEO of OneSchema, one of our…"
    cut = _sentence_ends(last, sentences)[at - 1] if at else 0
    return "\n".join([*paragraphs, *([last[:cut].strip()] if at else [])]), last[cut:].strip()


def _names(sentence: str) -> set[str]:
    return set(re.findall(r"\b[A-Z][a-z]+\b", sentence))


def _sponsor_dialogue(blocks: list[Block], start: int) -> tuple[int, int, str] | None:
    """(the host's closing block, the last block of the ad, the host's words before the introduction) of a
    sponsor's conversation that `blocks[start]`'s last paragraph introduces, or None."""
    host = blocks[start].label
    text = blocks[start].text
    if host is None or start + 1 == len(blocks) or not (_SPONSOR_GUEST.search(text) or _SPONSORED_BY.search(text)):
        return None  # a scan first: most blocks name no sponsor, and need not be split into sentences
    before, last = _introducing(blocks[start], blocks[start + 1].label)  # last: what the sponsor's person answers
    if not (_SPONSOR_GUEST.search(last) or _SPONSOR_INTRO.search(last)):
        return None
    guest = blocks[start + 1]
    if _theirs(guest, blocks[start]):
        return None
    window = range(start + 2, min(start + _SPONSOR_DIALOGUE, len(blocks)))
    close = next((k for k in window if blocks[k].label == host and _WEB_ADDRESS.search(blocks[k].text)), None)
    if close is None or not all(b.label == host or _theirs(guest, b) for b in blocks[start : close + 1]):
        return None
    thanks = close + 1 < len(blocks) and _theirs(guest, blocks[close + 1]) and len(blocks[close + 1].text.split()) <= 8
    return close, close + thanks, before  # and their 'Thank you.'


# a listeners' page on a site: 'janestreet.com/dwarkesh', 'sanity.io slash ladybug' (said, not a link's 'https://…')
_SITE_PAGE = re.compile(rf"(?<![\w/.:-])(?=({_WEB})){_SLASH}([a-z]\w+)\b(?![/.]\w)", re.I)
# sites where a page is someone's profile, not an offer: 'twitter.com/jna and github.com/jna' is a guest's handle
_PROFILE_SITE = re.compile(
    r"(?:^|\.)(?:twitter|x|github|gitlab|linkedin|instagram|youtube|youtu|tiktok|facebook|fb|medium|substack|"
    r"mastodon|bsky|twitch|dev|reddit|discord|t|patreon|threads|notion|google|apple|spotify|amazon|www)\.",
    re.I,
)


def show_pages(texts: Iterable[str]) -> set[str]:
    """The pages a show gives listeners on several sponsors' sites ('janestreet.com/dwarkesh', 'cursor.com/dwarkesh',
    'crusoe.ai/dwarkesh'): where a transcript names no speakers they stand for the host's name, which `_read` looks
    for in a read's page. YouTube captions put the host's mid-roll reads inside the guest's lines ("Go to
    janestreet.com/dwarkesh to learn more." was Jensen Huang's). A page counts when given on two sites in two
    lines, not a guest's "a subdirectory like Ymca.com/chapter, or WomenWhoCode.org/chapter"; over the 1 325
    surveyed files: 'lenny' in 231, 'ladybug' in 6, 'dwarkesh' in 3, four other pages once."""
    sites: dict[str, dict[str, int]] = defaultdict(dict)  # page → site → the line it was first given on
    lines = (line for text in texts for line in text.splitlines())
    for n, line in enumerate(lines):
        for site, page in _SITE_PAGE.findall(line):
            if not _PROFILE_SITE.search(site.lower() + "."):  # 'e-p-p-o.com' is 'eppo.com'
                sites[page.lower()].setdefault(re.sub(r"[-\s]|dot", "", site.lower()), n)
    return {page for page, where in sites.items() if len(set(where.values())) >= 2}


def drop_sponsor_reads(blocks: list[Block]) -> list[Block]:
    """Remove host-read ads: a paragraph that opens 'This episode is brought to you by Fin' (or a paragraph's
    rest from where it says so) and the paragraphs of the same speaker after it that keep naming Fin, up to the
    last sentence that does; then the reads that run inside other paragraphs (`cut_sponsor_reads`), over each
    speaker's consecutive blocks together. Blocks left without words are dropped."""
    sponsor, speaker, kept = None, None, []
    run: list[tuple[Block, list[str]]] = []  # one speaker's consecutive blocks, with their paragraphs
    pages = show_pages(block.text for block in blocks)
    # text of a sentence (or a caption) a line: a read goes on over lines that do not name the sponsor (blanked
    # once a later line within _READ_GAP does), as it goes on over a paragraph's sentences
    lines = _sentence_lines([block.text for block in blocks])
    held: list[tuple[list[str], int]] = []

    def cut_run() -> None:
        paragraphs = iter(cut_sponsor_reads([p for _, own in run for p in own], speaker, pages))
        for block, own in run:
            left = [p for p in (next(paragraphs) for _ in own) if p]
            if left:
                block.text = "\n".join(left)
                kept.append(block)
        run.clear()

    for block in blocks:
        if block.label != speaker:
            cut_run()
            sponsor, speaker, held = None, block.label, []
        if block.translation:  # bilingual captions: their ad breaks are cut where they are parsed
            cut_run()
            kept.append(block)
            continue
        paragraphs = []
        for paragraph in (part for text in block.text.split("\n") for part in _split_at_sponsor_intros(text)):
            intro = _SPONSOR_INTRO.match(paragraph)
            if intro or (sponsor and _names_sponsor(paragraph, sponsor)):
                sponsor = intro.group("name").rstrip(".'-") if intro else sponsor
                for own, k in held:
                    own[k] = ""
                held.clear()
                closing = _READ_CLOSE.search(paragraph)  # "Thank you to Python Tutor for sponsoring this episode."
                paragraph = _after_read(paragraph, sponsor)  # the talk after the read: "Jag, welcome to the podcast."
                sponsor = None if closing else sponsor  # then "…your example Python 3.11…" is the talk again
                if not paragraph:
                    continue
            elif sponsor and lines and len(held) < _READ_GAP:
                held.append((paragraphs, len(paragraphs)))
                paragraphs.append(paragraph)
                continue
            sponsor = None
            held.clear()
            paragraphs.append(paragraph)
        run.append((block, paragraphs))
    cut_run()
    return kept


def _sentence_lines(paragraphs: list[str]) -> bool:
    """Whether the text is at most a sentence a line, as Whisper's and Talk Python To Me's stamped text and
    captions write it: hardly any line holds a second ('00:27:43 It's easy to install.'). A mid-roll read there
    ("This portion of Talk Python To Me is brought to you by Rollbar." / "One of the frustrating things…" / "With
    Rollbar's full-stack error monitoring…") named its sponsor every few lines, and stopped at the first that did
    not."""
    more = sum(bool(_NEXT_SENTENCE.search(p)) for p in paragraphs)
    return len(paragraphs) >= 20 and 4 * more < len(paragraphs)


_NEXT_SENTENCE = re.compile(r"[.!?]\s+[A-Z]")


def _names_sponsor(paragraph: str, sponsor: str) -> bool:
    """Whether a paragraph goes on about the sponsor: by its name, or by an address made of it ('Work OS' →
    'workos.com')."""
    spelled = re.sub(r"\b(\w)-(?=\w\b)", r"\1", paragraph)  # 'That's E-X-P-L-O dot C-O slash Lenny'
    if re.search(rf"\b(?:{re.escape(sponsor)}|{re.escape(sponsor.upper())})\b", spelled):
        return True
    return any(address.lower().startswith(sponsor.lower()) for address in _WEB_ADDRESS.findall(paragraph))


def _after_read(paragraph: str, sponsor: str) -> str:
    """What follows a read that ends in this paragraph: the sentences after the last one that names the sponsor
    or holds a sponsor phrase, once the read has said where to go ('… at fin.ai/lenny. Jag, welcome to the
    podcast.'); nothing while the read goes on."""
    sentences = split_sentences(paragraph)
    said = [k for k, s in enumerate(sentences) if _names_sponsor(s, sponsor) or _SPONSOR.search(s)]
    if not said or said[-1] == len(sentences) - 1 or not _WEB_ADDRESS.search(" ".join(sentences[: said[-1] + 1])):
        return ""
    return paragraph[_sentence_ends(paragraph, sentences)[said[-1]] :].strip()


def _split_at_sponsor_intros(paragraph: str) -> list[str]:
    """The paragraph, split where it says "This episode is brought to you by …" after other sentences."""
    if not _SPONSORED_BY.search(paragraph):
        return [paragraph]
    sentences = split_sentences(paragraph)
    ends = _sentence_ends(paragraph, sentences)
    cuts = [0, *(ends[k - 1] for k, sentence in enumerate(sentences) if k and _SPONSOR_INTRO.match(sentence))]
    return [paragraph[a:b].strip() for a, b in pairwise([*cuts, len(paragraph)])]


def _sentence_ends(paragraph: str, sentences: list[str]) -> list[int]:
    """Where each of the paragraph's sentences ends in it, so that cuts keep the spacing between the others."""
    at, ends = 0, []
    for sentence in sentences:
        at = paragraph.index(sentence, at) + len(sentence)
        ends.append(at)
    return ends


def is_sponsor_read(text: str) -> bool:
    """Host-read advertising: two or more sponsor phrases ('visit x.com', 'promo code', 'brought to you by')."""
    return len(_sponsor_phrases(text)) >= 2


def _sponsor_phrases(text: str, among: Iterable[int] | None = None) -> set[int]:
    """Which kinds of sponsor phrase (positions in _SPONSOR_CUES) the text holds, looked for only where one of
    their words is in it (a third as long as searching for them all)."""
    lower = text.lower()
    kinds = range(len(_SPONSOR_CUES)) if among is None else among
    return {k for k in kinds if any(w in lower for w in _SPONSOR_CUES[k][0]) and _SPONSOR_CUES[k][1].search(text)}


def cut_sponsor_reads(
    paragraphs: list[str], speaker: str | None = None, pages: Collection[str] = frozenset()
) -> list[str]:
    """One speaker's paragraphs without the ads that Otter and podcast sites run into the talk around them
    ("…debugging the tech industry. Are you a developer looking for your next challenge? Meet Shopify. … Visit
    shopify.com/careers today. Okay, so let's kick things off…"): each read (`_read`), and each break from "Back to
    the show in a moment" to "And now back to the show". A read found in one paragraph that opens it goes on back
    into the paragraphs before, as long as they keep naming its product (`_read_back`): a transcript that stamps a
    long introduction every 20 seconds splits one read over several (Lenny's Podcast: "That's where Vanta comes
    in." in one, "Get $1,000 off at Vanta.com/Lenny." two later; only the last one went)."""
    cuts: list[set[int]] = []
    # caption lines, most of them ending mid-sentence, split a read's sentences over lines: its close may leave
    # more of them between two that name the product than a paragraph's ('…systems get more' / 'agentic and…')
    captions = speaker is None and 2 * sum(not _SENTENCE_END.search(p.rstrip()) for p in paragraphs) > len(paragraphs)
    spill = False  # the read before ended inside a sentence that this caption line ends
    for j, paragraph in enumerate(paragraphs):
        cut, carried = _cut_paragraph(paragraph, speaker, pages, captions)
        cuts.append(cut | ({0} if spill else set()))
        if carried is not None:
            _read_back(paragraphs[:j], carried, cuts, captions)
        last = len(split_sentences(paragraph)) - 1 if captions and cut else -1
        spill = last in cut and not _SENTENCE_END.search(paragraph.rstrip())
    kept = []
    for paragraph, cut in zip(paragraphs, cuts, strict=True):
        if cut:  # split again: the few paragraphs with ads (splitting every one cost the others' time)
            sentences = split_sentences(paragraph)
            ends = _sentence_ends(paragraph, sentences)
            starts = [0, *ends[:-1]]
            kept_k = [k for k in range(len(sentences)) if k not in cut or len(sentences[k]) > _READ_SENTENCE]
            paragraph = "".join(paragraph[starts[k] : ends[k]] for k in kept_k).strip()
        kept.append(paragraph)
    return kept


def _cut_paragraph(
    paragraph: str, speaker: str | None, pages: Collection[str], captions: bool
) -> tuple[set[int], re.Pattern[str] | None]:
    """The sentences of one paragraph that are ads or an ad break, and what a read that opens the paragraph
    advertises (None when no read does: one that names it in its first sentence, or any in a caption line, which
    opens with the end of a sentence begun in the line before). Where the transcript names no speaker, `pages`
    (the show's own, `show_pages`) stand for the host's name that a read's page repeats; where it does, a guest's
    "go to ultraspeaking.com/lenny" is their own work, not an ad."""
    lower = paragraph.lower()
    present = [k for k, (words, _) in enumerate(_SPONSOR_CUES) if any(w in lower for w in words)]
    breaks = any(w in lower for w in _AD_START_WORDS) and _AD_START.search(paragraph)
    if len(present) < 2 and not breaks:  # a read holds two kinds of phrase
        return set(), None
    sentences = split_sentences(paragraph)
    cut: set[int] = set()
    for k in (k for k, sentence in enumerate(sentences) if breaks and _AD_START.search(sentence)):
        back = next((j for j in range(k + 1, min(k + 40, len(sentences))) if _AD_END.search(sentences[j])), None)
        cut.update(range(k, back + 1) if back is not None else ())
    kinds = [_sponsor_phrases(s, present) for s in sentences]
    runs: list[list[int]] = []
    for k in (k for k, found in enumerate(kinds) if found):
        between = sentences[runs[-1][-1] + 1 : k] if runs else []
        named = _product_names([sentences[k]], "", [])  # a pitch naming the product in a third of its sentences
        if runs and (len(between) < _READ_GAP or 3 * sum(bool(named.search(s)) for s in between) >= len(between)):
            runs[-1].append(k)
        else:
            runs.append([k])
    host = {w.lower() for w in re.findall(r"\w+", speaker)} if speaker else set(pages)
    carried = None
    for run in runs:
        read = _read(sentences, run, set().union(*(kinds[k] for k in run)), host)
        cut.update(read)
        if read and read.start == 0:
            # what the read must keep naming back in the paragraph before: its address ('Vanta.com/Lenny'), not
            # every capitalised word beside it (a guest's name said in the host's introduction)
            address = _product_names(sentences[run[0] : read.stop], "", [], capitalised=False)
            carried = address if captions or address.search(sentences[0]) else carried
    return cut, carried


def _read_back(paragraphs: list[str], named: re.Pattern[str], cuts: list[set[int]], captions: bool) -> None:
    """Add to `cuts` the close of a read that opened the paragraph after `paragraphs`: back from its end, each
    sentence naming the product, and those between two that do, at most two in a row ('The result?'). Not a
    pitch before that, as `_read` takes within a paragraph: across paragraphs it took a host's welcome ('For those
    who don't know him - you are a Node.js core committer…') before a segment on a conference. A paragraph that
    opens without naming it ends the read, unless the paragraphs are caption lines, which end mid-sentence
    ("[00:24:40] you don't need to switch clouds. Crusoe's got you covered there too.": a Dwarkesh Podcast
    mid-roll in YouTube captions without speakers); there a read goes on while at most six sentences in a row do
    not name it."""
    allowed = _READ_GAP if captions else _READ_GAP_BEFORE
    pending: list[tuple[int, int]] = []  # (paragraph, sentence) not naming it, since the last that does
    if captions and paragraphs and not _SENTENCE_END.search(paragraphs[-1].rstrip()):  # the read's first words
        cuts[len(paragraphs) - 1].add(len(split_sentences(paragraphs[-1])) - 1)
    for earlier in range(len(paragraphs) - 1, -1, -1):
        if pending and not captions:
            return
        sentences = split_sentences(paragraphs[earlier])
        for k in range(len(sentences) - 1, -1, -1):
            if named.search(sentences[k]):
                for at, sentence in [*pending, (earlier, k)]:
                    cuts[at].add(sentence)
                pending.clear()
            elif len(pending) == allowed:
                return
            else:
                pending.append((earlier, k))


def _read(sentences: list[str], run: list[int], kinds: set[int], host: set[str]) -> range:
    """The sentences of an ad read around a run of sponsor phrases (empty if the run is none).

    A read holds two kinds of phrase, and something only an ad does: an offer (a code, a free trial), the host's
    own page ('flatfile.com/lenny'), its address said again ("That's do.co/ladybug.") or a pitch naming the
    product twice before it, these two only when not said in the first person (a guest's "I encourage you to
    check out bitcore.io/docs", the show's own "…on our website, virtualcoffee.io"). It starts at the earliest
    sentence naming the product (a word of the address, or a capitalised name said beside the phrases), or at
    the pitch before that said to "you" rather than by "I" or "we"."""
    first, last = run[0], run[-1]
    while last + 1 < len(sentences) and len(sentences[last + 1]) < 80 and _said_where(sentences[last + 1]):
        last += 1
    back = range(max(0, first - _READ_BACK), first)
    product = _product_names(sentences[first : last + 1], "", [])
    pitch = [sentences[k] for k in back if product.search(sentences[k])]
    said_twice = any(_SAID_AGAIN.match(s) for s in sentences[first + 1 : last + 1])
    offer = any(k >= len(_SPONSOR_PLACES) for k in kinds)  # _SPONSOR_CUES lists the places first
    pages = {page.lower() for s in sentences[first : last + 1] for page in _PAGE.findall(s)}
    own = any(_FIRST_PERSON.search(s) for s in [*pitch, *sentences[first : last + 1]])  # "…on our website, x.io"
    if len(kinds) < 2 or not (offer or host & pages or (said_twice or len(pitch) >= 2) and not own):
        return range(0)
    named = _product_names(sentences[first : last + 1], sentences[first - 1] if first else "", sentences[back.start :])
    start = next((k for k in back if named.search(sentences[k])), first)
    opening = start  # the pitch before the product is named: "Are you a developer looking for your next challenge?"
    while opening > start - _READ_OPENING and opening > 0 and not _FIRST_PERSON.search(sentences[opening - 1]):
        opening -= 1
    return range(opening, last + 1)


def _said_where(sentence: str) -> bool:
    """A web address, or its repeat: "That's composer.trade." """
    return bool(_WEB_ADDRESS.search(sentence) or _SAID_AGAIN.match(sentence))


def _product_names(run: list[str], before: str, window: list[str], capitalised: bool = True) -> re.Pattern[str]:
    """What a read advertises, as a pattern: the words of the addresses it gives ('aws-amplify.github.io' →
    amplify, github) and, unless only those are asked for, the capitalised words said beside them ('Get started on
    DigitalOcean'), or in the sentence before them if the window says them again ('GoDaddy Pro is free to join.
    Head over to go.me/x'), spaced or not ('Digital Ocean'); not the listeners' page itself ('/ladybug') nor words
    under three letters."""
    text = " ".join(run)
    pages = {m.lower() for m in _PAGE.findall(text)}
    words = {w.lower() for a in _WEB_ADDRESS.findall(text) for w in re.split(r"[.-]| dot ", a)[:-1]}
    words |= {w.lower() for sentence in run for w in _capitalised(sentence)} if capitalised else set()
    said = Counter(w.lower() for sentence in window for w in set(_capitalised(sentence)))
    words |= {w.lower() for w in _capitalised(before, first=True) if said[w.lower()] >= 2}
    names = [r"\s?".join(w) for w in sorted(words - pages - _NOT_PRODUCT - STOP_EN) if len(w) >= 3]
    return re.compile(rf"\b(?:{'|'.join(names)})\b" if names else r"(?!)", re.I)


_CAPITALISED = re.compile(r"\b[A-Z][A-Za-z]{2,}")


def _capitalised(sentence: str, first: bool = False) -> list[str]:
    """Names in a sentence: capitalised words, the first one only if asked for or written in camel case
    ('GoDaddy', 'DigitalOcean'), since any sentence starts with a capital ('Learn more at…')."""
    words = _CAPITALISED.findall(sentence)
    opening = sentence.lstrip("\"“'‘(").startswith(words[0]) if words else False
    if words and opening and not first and not re.search(r"[a-z][A-Z]", words[0]):
        words = words[1:]
    return words


_NOT_PRODUCT = frozenset({"www", "http", "https", "podcast", "visit", "today", "again", "okay", "yeah"})
_FIRST_PERSON = re.compile(
    r"(?<![.@/-])\b(?:(?-i:I)|I'm|I've|we|we're|we've|my|our|me|(?-i:us))\b(?![.-]\w)", re.I
)  # not 'go.me'


# --------------------------------------------------------------------------- line formats


# An LRC file's tags ('[ti:Episode 12]', '[ar:Tech Talk]'): the title, the artist… never speech.
_LRC_TAG = re.compile(r"^\s*\[(ti|ar|al|au|by|offset|re|ve|length|la):([^\]]*)\]\s*$", re.I)


def _front_matter(lines: list[str]) -> tuple[dict[str, str], list[str]]:
    """YAML front matter (--- ... ---) or an LRC file's tags → simple key/value strings, and the remaining lines."""
    tags = [tag for line in lines[:20] if (tag := _LRC_TAG.match(line))]
    if tags:
        meta = {"title" if t.group(1).lower() == "ti" else t.group(1).lower(): t.group(2).strip() for t in tags}
        rest = [line for line in lines if not _LRC_TAG.match(line)]
        return {key: value for key, value in meta.items() if value}, rest
    if not lines or lines[0].strip() != "---":
        return {}, lines
    for end in range(1, min(len(lines), 200)):
        if lines[end].strip() in ("---", "..."):
            import yaml

            try:
                meta = yaml.safe_load("\n".join(lines[1:end])) or {}
            except yaml.YAMLError:
                meta = {}
            values = {str(k).lower(): _meta_value(v) for k, v in meta.items()} if isinstance(meta, dict) else {}
            return values, lines[end + 1 :]
    return {}, lines


def _meta_value(value: object) -> str:
    """A front matter value as text: a list ('speakers: [Greg Maxwell, Pieter Wuille]', or entries with a
    `name`) one item a line."""
    if isinstance(value, list):
        items = [item.get("name", "") if isinstance(item, dict) else item for item in value]
        return "\n".join(str(item).strip() for item in items if item is not None and str(item).strip())
    return "" if value is None else str(value).strip()  # 'substack_url: null' is no address "None"


# Front matter keys that list who speaks (a talk archive's 'speakers:', a podcast site's 'guests:'): the people the
# talk is by, who answer its questions ('hosts:' are not: a host's name on an untold guest's answers is worse).
_SPEAKER_KEYS = ("speakers", "speaker", "guests", "guest", "interviewees", "interviewee")
_HOST_KEYS = ("hosts", "host", "interviewers", "interviewer")  # naming them too makes the file an interview


_TWO_DECLARED = re.compile(r"\s+(?:&|\+|and)\s+")  # 'Jake Knapp + John Zeratsky', 'Sriram and Aarthi'
_EDITION = re.compile(r"\s+\d+\.\d+$")  # 'Elena Verna 2.0': the guest's second episode, not their name
_DECLARED_NAME = re.compile(r"[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3}")


def declared_speakers(meta: dict[str, str], aliases: AliasTable) -> list[str]:
    """The people the front matter says speak, in its order. A capitalised name given there is one even where a
    label would not read as one: 'Or Sattath', 'An Nguyen' (a function word first). Not a handle ('niftynei'): the
    talk's labels may spell that person otherwise ('nixbitcoindev (NBD)', then 'NBD:'), and the two did not meet."""
    lines = [line.strip() for key in _SPEAKER_KEYS for line in meta.get(key, "").split("\n")]
    names = [_EDITION.sub("", part) for line in lines for part in _TWO_DECLARED.split(line)]
    names = [
        aliases.canonical(n) or n
        for n in names
        if not is_role(n) and (name_like(n, aliases) or _DECLARED_NAME.fullmatch(n))
    ]
    return list(dict.fromkeys(names))


_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]^][^\]]*)\]\((?:[^()\s]|\([^()]*\))+(?:\s+\"[^\"]*\")?\)")
_MD_FOOTNOTE = re.compile(r"\[\^[^\]\s]+\]")
# **bold**, __bold__, *italic* and _italic_ ('_Ada Park_ (00:00:09):' kept its underscores until stop 42, and the
# label was none); an underscore inside a word (snake_case) is no emphasis
_MD_EMPHASIS = re.compile(
    r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1|(?<![\w*])\*(?=[^\s*])([^*]+?)(?<=\S)\*(?![\w*])"
    r"|(?<![\w_])_(?=[^\s_])([^_]+?)(?<=\S)_(?![\w_])"
)


def _emphasized(match: re.Match[str]) -> str:
    return match.group(2) or match.group(3) or match.group(4)


_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.+?)(?:\s+#+)?\s*$")
_MD_BOLD_LABEL = re.compile(
    r"^(?:\*\*|__)([^*_]{1,40}?)\s*([:：])\s*(?:\*\*|__)\s*|^(?:\*\*|__)([^*_]{1,40}?)(?:\*\*|__)\s*([:：])\s*"
)
_MD_BOLD_ALONE = re.compile(r"^(?:\*\*|__)([^*_]{1,40}?)(?:\*\*|__)$")
_MD_ESCAPE = re.compile(r"\\([!-/:-@[-`{-~])")  # '\[laughs\]' is '[laughs]', '\*' no emphasis
_PROTECTED = 0xE000  # escaped characters wait in the private use area while Markdown is read


def _unprotect(text: str) -> str:
    """Escaped characters back from the private use area, as plain text."""
    return re.sub("[\ue000-\ue07f]", lambda m: chr(ord(m.group(0)) - _PROTECTED), text)


_HTML_BREAK = re.compile(r"\s*<br\s*/?>\s*", re.I)
_HTML_INLINE = re.compile(r"</?(?:span|em|strong|b|i|u|sup|sub|font|a|mark|small|p|div)\b[^>]*>", re.I)
_MD_BOLD_QUESTION = re.compile(r"^(?:\*\*|__)[^*_]{2,400}?[?？](?:\*\*|__)$")
# Chinese pages mark a speaker with lenticular brackets ('【主持人】您为什么…', '【马斯克】：因为…'): read as 'Name：',
# and the usual label rules decide. Only a bracket that opens two lines or more (a speaker speaks again; '【小结】本段…'
# once is an editor's), never a section number ('【一】') or a bracket alone on its line ('【导读】').
_BRACKET_LABEL = re.compile(r"^【(?![一二三四五六七八九十百]+】)([^【】、，。\s]{1,12})】\s*[:：]?\s*(?=\S)")
# '[Lex Fridman] Why compute?' or '[Lex Fridman]' above the words: read as 'Lex Fridman:' when two names or more each
# open two lines or more so; '[Music]' and '[00:01:02]' are no names.
_STAMP_FIRST = re.compile(r"\(?\d{1,2}:\d{2}")
_SQUARE_LABEL = re.compile(r"^(\[((?!\d)[^\[\]:]{2,40})\])\s*[:：]?\s*")
# 'Lex Fridman - Do you fear AGI?': a name and a dash open most lines of some exports. Read as 'Name:' only when two
# names or more each open two lines or more and such lines are half the file: a dash inside speech stays a dash, and
# 'Dana Lee - 00:09' above the words is a stamped header (its time had been lost).
_CLOCK = r"\d{1,2}:\d{2}(?::\d{2})?"  # a time of the talk as these conventions write it: 0:09, 00:00:09
_DASH_LABEL = re.compile(rf"^([A-Z][\w.'’]*(?: [A-Z][\w.'’]*){{0,3}})\s+[-–—]\s+(?=\S)(?!{_CLOCK}\s*$)")

# '说话人1 00:00:01 大家好…', 'Dana Lee 00:00:09 Thanks…': a name, the time and the words on one line, as some speech
# services export them. Read as 'Name (00:00:01): words' on the same terms as the dash above.
_NAME_STAMP = re.compile(rf"^([^\s:：\[\]()（）]+(?: [^\s:：\[\]()（）]+){{0,3}}?)\s+({_CLOCK})\s+(?=\S)")

# The US Congressional Record and hearing transcripts: a title, the surname in capitals and a full stop ('Senator
# CRUZ. Thank you…', 'Mr. McCONNELL. I yield', 'The CHAIRMAN. The committee will…'). Read as 'Senator Cruz:' once
# two people or more speak so, each at least twice.
_RECORD_LABEL = re.compile(
    r"^((?:The|Chairman|Chairwoman|Chair|Senator|Representative|Mr\.|Ms\.|Mrs\.|Dr\.|Secretary|General|Admiral|"
    r"Judge|Justice|Governor|Mayor|Ambassador|Commissioner)\s+(?:Ma?c|O')?[A-Z]{2,}(?:[-' ][A-Z]{2,})?)\.\s+(?=\S)"
)


def _from_capitals(label: str) -> str:
    """'Senator CRUZ' → 'Senator Cruz', 'Mr. McCONNELL' → 'Mr. McConnell', 'Ms. JACKSON-LEE' → 'Ms. Jackson-Lee'."""
    return re.sub(r"(?<=[A-Z])[A-Z]+", lambda m: m.group(0).lower(), label)


def _break(match: re.Match[str]) -> str:
    """An HTML line break inside a paragraph: nothing after Chinese text or punctuation, else a space."""
    before = match.string[max(0, match.start() - 1) : match.start()]
    return "" if re.match(r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]", before) else " "


def _openings(lines: list[str], convention: re.Pattern[str], group: int = 1) -> Counter[str]:
    """How often each label of a plain-text convention ('【Name】', 'Name –', '[Name]') opens a line."""
    return Counter(m.group(group) for raw in lines if (m := convention.match(raw.strip())))


def _conventional_names(lines: list[str], convention: re.Pattern[str], fewest: int = 2) -> set[str]:
    """The names that open lines by a convention that speech could follow by chance ('Well - ', 'we met at 10:30
    and'): `fewest` names or more, each opening two lines or more, and such lines half the file's."""
    opened = _openings(lines, convention)
    names = {name for name, count in opened.items() if count >= 2 and name_like(name, AliasTable())}
    if len(names) < fewest or 2 * sum(opened[n] for n in names) < sum(1 for raw in lines if raw.strip()):
        return set()
    return names


# A second bold label inside a paragraph that opens with one, after a sentence: '**Jerod Santo:** …on the streets?
# **Mat Ryer:** They did shout that a lot.' (the second speaker's words were the first's)
_BOLD_OPENING = re.compile(r"^\*\*[^*:]{2,40}:\*\*\s")
_SECOND_LABEL = re.compile(r"(?<=[.!?…\"”])\s+(?=\*\*[^*:]{2,40}:\*\*\s)")


def _one_label_a_line(raw: str) -> list[str]:
    """The paragraph, or its pieces where a second bold label starts after a sentence (see _SECOND_LABEL)."""
    return _SECOND_LABEL.split(raw) if _BOLD_OPENING.match(raw) else [raw]


def _markdown(lines: list[str], titled: bool = False) -> tuple[list[str], str | None, bool, dict[str, str]]:
    """Markdown → plain lines, the title (first `# heading`, unless front matter gave one: `titled`, where it is
    a section, '# Intro (Michael Folkson)' above a talk), whether it was Markdown, and the marked lines.

    `**Name:**` and `**Name**:` become `Name:`; links keep their text, images and footnotes go, emphasis
    is dropped; blockquote marks and a list bullet before a bold label are removed. Headings and lines
    that are only bold come back as marked lines ('heading' or 'bold'): speaker names or section names; longer
    bold questions as 'question' (a magazine Q&A's interviewer).
    """
    title, out, marked, markdown = None, [], {}, False
    lines = [part for raw in lines for part in _one_label_a_line(raw)]
    bracketed = _openings(lines, _BRACKET_LABEL)
    # a time after the name is rarer in speech than a dash: one speaker's talk is read so too ('说话人1 00:00:01 …')
    names, timed = _conventional_names(lines, _DASH_LABEL), _conventional_names(lines, _NAME_STAMP, fewest=1)
    recorded = sum(count >= 2 for count in _openings(lines, _RECORD_LABEL).values()) >= 2
    squared = {name for name, n in _openings(lines, _SQUARE_LABEL, 2).items()
               if n >= 2 and name_like(name, AliasTable()) and not is_noise_mark(f"[{name}]")}  # fmt: skip
    if len(squared) < 2:
        squared = set()
    for raw in lines:
        if re.match(r"^\s*\[\^[^\]]+\]:", raw):  # a footnote's text
            markdown = True
            continue
        line = re.sub(r"^\s*(?:>\s?)+", "", _MD_ESCAPE.sub(lambda m: chr(_PROTECTED + ord(m.group(1))), raw))
        line = re.sub(r"^\s*[-*+]\s+(?=\*\*|__)", "", line)
        heading = _MD_HEADING.match(line)
        bold_alone = _MD_BOLD_ALONE.match(line.strip())
        line = _MD_BOLD_LABEL.sub(lambda m: f"{m.group(1) or m.group(3)}{m.group(2) or m.group(4)} ", line.lstrip())
        line = _MD_FOOTNOTE.sub("", _MD_LINK.sub(r"\1", _MD_IMAGE.sub("", line)))
        line = _HTML_INLINE.sub("", _HTML_BREAK.sub(_break, line))
        plain = _unprotect(_MD_EMPHASIS.sub(_emphasized, NOISE_EMPHASIS.sub("", line)))
        markdown |= plain.strip() != raw.strip()
        bracket, dash, record, square, stamped = (
            p.match(plain) for p in (_BRACKET_LABEL, _DASH_LABEL, _RECORD_LABEL, _SQUARE_LABEL, _NAME_STAMP)
        )
        if bracket and bracketed[bracket.group(1)] >= 2:  # plain-text conventions: no sign of Markdown
            plain = f"{bracket.group(1)}：{plain[bracket.end() :]}"
        elif square and square.group(2) in squared and not _STAMP_FIRST.match(plain, square.end()):
            plain = f"{square.group(2)}: {plain[square.end() :]}"  # ('[Ana] 10:02:15' is Zoom's header: stamped)
        elif dash and dash.group(1) in names:
            plain = f"{dash.group(1)}: {plain[dash.end() :]}"
        elif stamped and stamped.group(1) in timed:
            plain = f"{stamped.group(1)} ({stamped.group(2)}): {plain[stamped.end() :]}"
        elif record and recorded:
            plain = f"{_from_capitals(record.group(1))}: {plain[record.end() :]}"
        if heading:
            text = _unprotect(_MD_EMPHASIS.sub(_emphasized, heading.group(2))).strip()  # '## Q\&A' is 'Q&A'
            if is_break(text):  # '# **Break:** \[14:22\]' halfway through: no title, no section
                out.append(text)
                continue
            # a '## Title' that opens the file; not '### [00:00:00] John', the first speaker's header
            opens = not any(o.strip() for o in out) and section_name(text) and stamped_line(text) is None
            if title is None and not titled and (len(heading.group(1)) == 1 or opens):
                title = text
                continue
            marked[text] = "heading"
            plain = text
        elif bold_alone:
            marked[plain.strip()] = "bold"
        elif _MD_BOLD_QUESTION.match(line.strip()):
            marked[plain.strip()] = "question"
        out.append(plain)
    return out, title, markdown, marked


def _title_from(lines: list[str]) -> str | None:
    for line in lines:
        text = NOISE.sub("", line).strip()  # '[Music] welcome back' (or '[Music]' alone) was a title
        if len(text) < 6 or is_chrome(text) or _SUMMARY_MARKER.match(text) or text[:1] == "“":
            continue
        if section_name(text):  # not 'Interview' or 'Transcript'
            first = re.split(r"(?<=[。!?！？])|核心内容[:：]|核心內容[:：]", text)[0].strip().rstrip("。")
            first = re.sub(r"\s*封面$", "", first)
            return first  # a lead sentence too long for a title becomes the description (bot.ingest.titles)
    return None


def _editor_summary(preamble: list[str]) -> str | None:
    """The page's own key points: the list after a 'key points' / 'TL;DR' marker in the introduction."""
    points: list[str] = []
    for i, line in enumerate(preamble):
        marker = _SUMMARY_MARKER.search(line)
        if not marker:
            continue
        rest = line[marker.end() :].lstrip("】]:： ")
        taken = 0
        if len(rest) > 8:
            points.append(rest)
            taken += 1
        for item in preamble[i + 1 :]:
            if not item.strip() or _SUMMARY_MARKER.search(item) or not section_name(item):
                break  # a blank line, the next marker, or '以下为访谈全文：' where the talk begins
            if _LIST_ITEM.match(item):
                points.append(item.strip())
                taken += 1
                continue
            if not taken:  # a marker followed by one paragraph: an episode blurb
                points.append(item.strip())
            break
    kept = [line for line in (_without_promo(p) for p in points) if line]
    return "\n".join(dict.fromkeys(kept)) or None


# An episode blurb's tail: ratings, coupons, e-mail, ad disclaimers, links; after ' --- ' a podcast page's
# description is all of that.
_PROMO = re.compile(
    r"https?://|www\.|\b[\w.+-]+@[\w-]+\.[\w.]+|\b[\w-]+\.(?:com|fm|io|org|net|co)/|adchoices|coupon|promo code|"
    r"subscribe|sponsor|rate us|five[- ]star|广告|廣告|优惠|優惠|订阅|訂閱|好评|好評|赞助|贊助|邮箱|郵箱|请邮|請郵",
    re.IGNORECASE,
)


def _without_promo(point: str) -> str:
    """The point without the promotion after a ' --- ' rule and without sentences that carry links or ads."""
    point = re.split(r"\s+-{3,}\s+", point)[0]
    return "".join(s for s in re.split(r"(?<=[。！？!?])", point) if s.strip() and not _PROMO.search(s)).strip()


_SOURCE = re.compile(
    r"原文|原視頻|原视频|(?i:\b(?:source|original)\b)[^.:：]{0,25}[:：]|(?i:\boriginally (?:published|appeared|posted))"
)


def _link(text: str) -> str | None:
    """The first web address in a value, if any."""
    match = URL.search(text)
    return match.group(0) if match else None


def _source_url(lines: list[str]) -> str | None:
    """The link a line above or below the talk gives as its source ('原文链接：…', 'Source: …', 'Original article:
    …'), not one near a word of the talk ('## Sources of latency', 'outsourced', 'open source') or a link's path
    ('演示文档：https://srgi.me/resources/slides/…' is the slides): 30 of 1 298 bitcointranscripts pages had such a
    source."""
    for i, line in enumerate(lines):
        if FOOTER.match(line.strip()) or _SOURCE.search(URL.sub("", line)):
            for candidate in lines[i : i + 3]:
                if link := _link(candidate):
                    return link
    return None


# front matter keys of the day a talk was given or published, and of its address (a page's own, then its recording's)
_DATE_KEYS = ("date", "publish_date", "published", "published_at", "pub_date", "date_published", "recorded", "air_date")
_URL_KEYS = ("url", "source", "link", "permalink", "episode_url")
_MEDIA_KEYS = ("youtube_url", "video_url", "audio_url")


def _first_value(meta: dict[str, str], keys: tuple[str, ...]) -> str | None:
    """The value of the first of `keys` the front matter fills."""
    return next((meta[key] for key in keys if meta.get(key)), None)


def _date(lines: list[str], meta: dict[str, str]) -> str | None:
    """The first date the front matter or introduction states (2024-05-20, 2024年5月20日, May 20, 2024, 20 May 2024)."""
    for text in [_first_value(meta, _DATE_KEYS) or "", *lines]:
        match = _DATE.search(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
        else:
            words = _DATE_WORDS.search(text)
            if not words:
                continue
            month = _MONTHS.index(words.group("month")[:3].lower()) + 1
            if not (words.group("day") or words.group("day2")):
                continue
            year, day = int(words.group("year")), int(words.group("day") or words.group("day2"))
        if 1 <= month <= 12 and 1 <= day <= 31:
            return f"{year:04d}-{month:02d}-{day:02d}"
    return None


def parse_captions(lines: list[str], aliases: AliasTable, speaker_lines: set[str]) -> Parsed:
    """Bilingual captions: a speaker line, then the caption in one language and its translation.

    Both versions of a caption stay together; the Latin-script line is taken as the original (these
    files are translations of English shows) and the Chinese line as its translation. Host-read ad
    breaks (between 'right after this' and 'we're back') are dropped.
    """
    preamble: list[str] = []
    raw: list[tuple[str, list[str]]] = []
    for line in lines:
        stripped = line.strip()
        if stripped in speaker_lines:
            raw.append((stripped, []))
        elif stripped and raw and not is_chrome(stripped):
            raw[-1][1].append(stripped)
        elif stripped:
            preamble.append(stripped)
    blocks = []
    for label, content in raw:
        latin = [c for c in content if not _CJK.search(c)]
        chinese = [c for c in content if _CJK.search(c)]
        if chinese or latin:  # a caption missing one version keeps its place with an empty line
            blocks.append(Block(label, " ".join(latin), translation="".join(chinese)))
    blocks = _drop_ad_breaks(blocks)
    english_title = next((p for p in preamble if not _CJK.search(p) and len(p) > 10), None)
    return Parsed(
        "captions",
        blocks,
        title=english_title or _title_from(preamble),
        editor_summary=_editor_summary(preamble),
        context="\n".join([*preamble, *(b.text for b in blocks[:40])]),
    )


def _drop_ad_breaks(blocks: list[Block]) -> list[Block]:
    """Remove blocks between an ad-break cue ('right after this') and the return ('we're back', 'welcome to')."""
    keep = [True] * len(blocks)
    i = 0
    while i < len(blocks):
        if _AD_START.search(blocks[i].text):
            for j in range(i + 1, min(len(blocks), i + 80)):
                if _AD_END.search(blocks[j].text):
                    if any(_SPONSOR.search(b.text) for b in blocks[i + 1 : j]) or j - i > 3:
                        for k in range(i + 1, j):
                            keep[k] = False
                    i = j
                    break
        i += 1
    return [b for b, k in zip(blocks, keep, strict=True) if k and not is_sponsor_read(b.text)]


def _cjk_name(label: str) -> bool:
    """A Chinese personal name: two to four characters, or a transliteration with '·', and no function words."""
    return (len(label) <= 4 or "·" in label) and not re.search(
        r"[我你他她的是了在这這之中一个個们們说說很就也都不没沒吗嗎呢吧啊么麼那哪怎其实實总總而如果但所以因为為]", label
    )


def _monologue(label: str, text: str) -> bool:
    """One full name heading the whole text, said once: a news episode read by one person ('**Jerod Santo:** Hello
    friends, I'm Jerod and this is Changelog News…'), which without labels was split into an inferred host and a
    guest named after a story. A short line is a headline ('Elon Musk: Why Mars'), a Chinese one a page's own."""
    return len(label.split()) >= 2 and not _CJK.search(label) and len(text) >= 80


def _speaker_names(lines: list[str], aliases: AliasTable, marked: dict[str, str]) -> tuple[set[str], set[str]]:
    """(inline labels, name-alone lines) that behave like speakers in this file.

    A label counts when it recurs or is a known person or role; once the conversation has begun, a
    one-off label that looks like a name counts too. One-off labels before that are the page's own
    (`编辑:`, `来源:`, `文章来源:`). A name alone on its line counts when it recurs three times, or
    twice as a Markdown heading or bold line (`### Host`, `**Ada Park**`) or next to another recurring
    name; once other bold names are speakers, a bold name said once is one too, and so is a full name alone on its
    line that the talk has already mentioned. A lower-case handle ('roasbeef:', not indented like code) counts when
    it opens two lines or more, most of them capitalised, beside other speakers or another such handle.
    """
    order: list[str] = []
    texts: dict[str, set[str]] = {}
    handles: dict[str, list[str]] = {}  # lower-case labels and what follows them
    before = 0  # lines of text before the first label
    fenced = False  # inside a Markdown code fence: 'name: Build' is configuration, not a handle speaking
    for line in lines:
        fenced ^= line.lstrip().startswith("```")
        match = _INLINE.match(line)
        # a heading is a section's title ('## Attempt: Multi-Party Schnorr'), 'Paper: <https://…>' a reference
        heading = marked.get(line.strip()) == "heading"
        if not match or heading or is_chrome(line) or is_break(line) or URL.match(match.group("text").lstrip("<")):
            before += not order and bool(line.strip())
            continue
        label = person_label(match.group("label"), aliases)
        if name_like(label, aliases):
            order.append(label)
            texts.setdefault(label, set()).add(match.group("text").strip())
        else:
            before += not order
            code = fenced or line != line.lstrip()
            if _HANDLE.fullmatch(label) and not code and name_like(label.capitalize(), aliases):
                handles.setdefault(label, []).append(match.group("text").strip())
    if len(order) == 1 and before <= 2 and _monologue(order[0], next(iter(texts[order[0]]))):
        return {order[0]}, set()
    counts = Counter(order)
    for label in counts:
        # one line said again and again: the page's title shown twice, not a speaker; but a label with nothing after
        # it heads the paragraphs below ('**Jerod Santo:**' above his news, every time)
        if len(texts[label]) == 1 and "" not in texts[label]:
            counts[label] = 1
    speakers = {label for label, count in counts.items() if count >= 2 or aliases.canonical(label) or is_role(label)}
    said: Counter[str] = Counter()  # and 'Q1', 'Q2'… are one asker asking again
    for label, count in counts.items():
        said[unnumbered(label)] += count
    if max(said.values(), default=0) < 2 <= len(order) and len(order) * 2 >= sum(1 for line in lines if line.strip()):
        speakers.update(order)  # a short plain dialogue where nobody speaks twice (a role among them: '司会：')
    # 'TERRY GROSS, HOST:' once, then 'GROSS:' (recurring, or said once: NPR's host opens and asks one question)
    shortened = {_key(s) for s in speakers} | {_key(label) for label in order if " " not in label}
    speakers.update(label for label in order if " " in label and _key(label.split()[-1]) in shortened)
    # and '李开复博士：' once at the top, then '李博士：' or '李：' again and again
    called = {key for key in (untitled(_key(s)) for s in speakers) if len(key) == 1}
    speakers.update(label for label in order if _cjk_name(label) and len(_key(label)) >= 2 and _key(label)[0] in called)
    surnames = {_key(s)[0] for s in speakers if _CJK.search(s) and _cjk_name(s) and len(_key(s)) >= 2}
    first = next((i for i, label in enumerate(order) if label in speakers), 0)
    if first and any(order[first].split()[-1] in text for text in texts[order[first - 1]]):
        speakers.add(order[first - 1])  # who introduces the first speaker: 'Jeff Gallas: Next up is Christian Decker.'
    started = False
    for label in order:
        started = started or label in speakers
        whole = len(_key(label)) >= 2 and not (_CJK.search(label) and not _cjk_name(label))
        surname = _CJK.fullmatch(_key(label)) and _key(label) in surnames  # '张：' for 张小珺, said once
        if started and (whole or surname):
            speakers.add(label)
    # and 'Microsoft CEO Satya Nadella:' or '极客公园创始人张鹏：' once, then 'Satya Nadella:', '张鹏：'
    speakers.update(label for label in order if any(described(label, s) for s in speakers))
    chat = {
        h for h, said in handles.items() if len(set(said)) >= 2 and 2 * sum(t[:1].isupper() for t in said) >= len(said)
    }
    if speakers or len(chat) >= 2:  # handles that speak beside others, 'roasbeef: Not bad' after 'Pierre: …'
        speakers |= chat
    alone = Counter(line.strip() for line in lines if line.strip() and name_like(line.strip(), aliases))
    names = {
        n
        for n, count in alone.items()
        if (count >= 3 or n in speakers and count >= 2 or n in marked and (count >= 2 or is_role(n)))
        and not is_chrome(n)
    }
    recurring = {n for n, count in alone.items() if count >= 2 and not is_chrome(n)}
    if len(recurring) >= 2:  # two or more names that each head several paragraphs: a dialogue
        names |= recurring
    if len(names) == 1 and all(marked.get(n) == "heading" and not is_role(n) and n not in speakers for n in names):
        names = set()  # one heading again and again is a section ('## Covertness', three times), not a voice
    if any(marked.get(n) == "bold" for n in names):
        names.update(n for n in alone if marked.get(n) == "bold" and not is_chrome(n))
    said: list[str] = []  # the talk so far, once a name line has opened it
    for line in (line.strip() for line in lines):
        if names and said and alone.get(line) == 1 and " " in line and any(line in s for s in said):
            names.add(line)  # a one-off name line for someone the talk introduced: 'Producer Nancy Updike went…'
        if said or line in names:
            said.append(line)
    return speakers, names


# Show-note lines that look like headings: '收听平台：小宇宙、喜马拉雅', '本期嘉宾：李想'; and a page's byline
# above the first turn ('文｜李小明', '記者／陳怡君', '编辑丨宋玮', '作者：张三'), which had headed the conversation
# as its section.
_SHOW_NOTE = re.compile(
    r"^(?:本期)?(?:嘉宾|嘉賓|主播|主持人?|时间轴|時間軸|收听平台|收聽平台|收听方式|收聽方式|剪辑|剪輯|后期|後期|制作人?|製作人?|"
    r"音乐|音樂|bgm|监制|監製|整理|文字整理|listen on|guests?|hosts?|produced by|music)\s*[:：]|"
    rf"^(?:文|撰文|作者|[记記]者|[编編][辑輯]|[责責][编編]|采访|採訪|采写|採寫|整理|摄影|攝影)\s*[{BAR}]|^(?:文|撰文|作者)\s*[:：]|"
    r"^(?:时间|時間|地点|地點|日期)[\s:：]",  # and where and when it was: '時間 2003年8月14日', '地點 北京和平飯店'
    re.I,
)


def _is_heading(line: str, next_is_speaker: bool, cjk_labels: bool) -> bool:
    text = line.strip()
    if len(text) > 60 or (len(_CJK.findall(text)) > 30) or _LIST_MARK.match(text) or not re.search(r"[^\W\d_]", text):
        return False  # too long, a list item, or no letters at all ('0' shares, '2024')
    if not _CJK.search(text) and not re.match(r"[\dA-Z“\"'「『【《]", text):
        return False  # Latin-script headings start with a capital; a lowercase line continues the speech
    bare = text.strip('“”"「」『』【】《》')
    if not bare or _TERMINAL.search(bare) or _SHOW_NOTE.match(bare) or bare.lower() in STOP_EN:
        return False  # ... or a lone 'All' or 'So': speech cut off before the next speaker, no heading
    quoted = text[:1] in '“"「『【《' and text[-1:] in '”"」』】》'
    title_case = (
        cjk_labels and not _CJK.search(text) and all(w[:1].isupper() for w in text.split()) and len(text.split()) <= 8
    )
    return next_is_speaker or quoted or title_case


def _credited(name: str, speakers: set[str]) -> bool:
    """Whether a credit line's name ('主持人：王芳') is one of the speakers: as labelled, or in full where the
    labels give only the surname ('记者：张小珺' above `张：`, '聞き手：佐藤花子' above `佐藤：`)."""
    if name in speakers:
        return True
    short = [s for s in speakers if len(s) <= 2 and _CJK.search(s)]
    return 2 <= len(name) <= 4 and bool(_CJK.match(name)) and any(name.startswith(s) and name != s for s in short)


def parse_dialogue(
    lines: list[str], aliases: AliasTable, marked: dict[str, str], fmt: str = "dialogue", talk_by: Sequence[str] = ()
) -> Parsed:
    """Web copies and plain text: `Name: text` lines or a name alone on its line, then paragraphs.

    Before the first speaker is the page's introduction (title, date, the editor's key points), except on a talk
    page: a file whose front matter declares who speaks (`talk_by`) and whose only labels are its Q&A's ('Q: …',
    'A: …', 'Audience: …'). There the text before the first question, and under each heading between them, is the
    talk, the one declared speaker's (167 of 1 204 bitcointranscripts pages had lost it as introduction and
    narration), and the questions are the audience's. After a
    footer marker (original link, credits, related articles) the rest is page. Between turns, Markdown
    headings and short unpunctuated lines after a finished sentence are section headings; paragraphs
    after a heading and before the next speaker, and paragraphs that talk about a speaker in the third
    person, are the editor's narration. Text without any speaker is one unlabelled block.
    """
    speakers, name_lines = _speaker_names(lines, aliases, marked)
    cjk_labels = any(_CJK.search(s) for s in speakers | name_lines)
    labelled = speakers | name_lines  # press style labels only the answers, of one person: 'DEMIS HASSABIS', 'HASSABIS'
    sole = not any(is_role(s) for s in labelled) and len({_key(s.split()[-1]) for s in labelled}) == 1
    # the other way round: only the questions are labelled ('问：', 'Q:'), the answers are the paragraphs after them
    asker = next(iter(labelled)) if len(labelled) == 1 and ROLE_HOST.match(next(iter(labelled))) else None
    people = {
        s for s in speakers | name_lines if len(_key(s)) >= 2 and not ROLE_HOST.match(s) and not ROLE_GUEST.match(s)
    }
    for label in list(people):
        canonical = aliases.canonical(label)
        for name, alias_list in aliases.people:
            if name == canonical:
                people.update(a for a in alias_list if len(_key(a)) >= 2 and _CJK.search(a))

    talker = talk_by[0] if len(talk_by) == 1 else None
    talker_keys = {_key(talker), *map(_key, talker.split())} if talker else set()
    page_keys = {_key(s) for s in [*labelled, *talk_by]}  # the people the page knows (`told_by`)

    def answers(label: str | None) -> bool:
        """The label is the talk's speaker: 'A:', '答：', the declared name or a word of it ('Matt:')."""
        return bool(label) and (bool(ROLE_GUEST.match(label)) or _key(label) in talker_keys)

    def told_by(section: str | None) -> str | None:
        """Who a talk page's heading says speaks under it ('Intro (Jeff Gallas)', '开场（Jeff Gallas）'): a person
        the page knows, or a name of two or three capitalised words, not '(cont.)', '(BIP 340)', '(Harris, Zohar)'."""
        match = re.search(r"[(（]([^()（）]+)[)）]$", section or "")
        name = match.group(1).strip() if match else ""
        named = _key(name) in page_keys or re.fullmatch(r"[A-Z][a-z]+(?: [A-Z][a-z]+){1,2}", name)
        return name if name and named else None

    def speaker_at(line: str) -> tuple[str, str] | None:
        stripped = line.strip()
        if stripped in name_lines:
            return stripped, ""
        match = _INLINE.match(line)
        if match and person_label(match.group("label"), aliases) in speakers:
            return person_label(match.group("label"), aliases), match.group("text").strip()
        for label in speakers:  # a label that lost its colon: '阿爾特曼我不認為…'
            if _CJK.search(label) and stripped.startswith(label) and stripped[len(label) : len(label) + 1] == "我":
                return label, stripped[len(label) :]
        return None

    content = [line.rstrip() for line in lines]
    # a talk page (`talk_by`) whose only labels are its Q&A's, or whose words are mostly under no label (the talk
    # told in sections, its questions or a moderator's lines labelled): every section is the talk, its headings
    # no narration
    qa = {s for s in labelled if is_role(s) or s.startswith(AUDIENCE)}  # and someone asking may go by a handle
    talk = bool(talk_by) and (
        bool(qa)
        and all(s in qa or _HANDLE.fullmatch(s) for s in labelled)
        or talker is not None
        and _mostly_unlabelled(content, speaker_at, marked)
    )
    significant = [i for i, line in enumerate(content) if line.strip()]
    blocks: list[Block] = []
    preamble: list[str] = []
    intro: list[str] = []  # everything before the first speaker, page furniture included (a date line)
    footer_at = len(content)
    section: str | None = None
    current: Block | None = None
    narration = False
    headline_at = 0  # the line of the first speaker block
    next_content = [""] * len(significant)  # the next line that is not page furniture, for each line
    for n in range(len(significant) - 2, -1, -1):
        after = content[significant[n + 1]]
        next_content[n] = next_content[n + 1] if is_chrome(after) else after
    for n, i in enumerate(significant):
        line = content[i].strip()
        if blocks and FOOTER.match(line):
            footer_at = i
            break
        if len(blocks) == 1 and _headline(content[headline_at], blocks[0], line):
            preamble.append(content[headline_at].strip())  # '李开复：大模型的下半场是应用' above its date
            blocks, current, section = [], None, None
        if not blocks:
            intro.append(line)
        if is_chrome(line) or re.fullmatch(r"[\d\s·•|/]{1,12}", line):  # chrome, or like and comment counts
            continue
        if is_break(line):
            current = None
            continue
        found = speaker_at(line)
        if (
            found
            and _LIST_MARK.match(line)
            and not (re.search(r"\w\s+\w", said := URL.sub("", found[1])) or _CJK.search(said))
        ):
            continue  # a list of the page's, no one's words: '- 主网：02f695cd…@https://teos.pisa.watch:443'
        if found and not blocks and is_role(found[0]) and (_credited(found[1], speakers) or credit_name(*found)):
            preamble.append(line)  # a credit above the talk ('主持人：王芳', '记者：张小珺' before '张：'), not a turn
            continue
        if found:
            current = Block(found[0], found[1], section=section, new_turn=narration)
            blocks.append(current)
            headline_at = i if len(blocks) == 1 else headline_at
            narration = False
            continue
        next_line = next_content[n]
        next_is_speaker = speaker_at(next_line) is not None
        thanks = len(line) <= 40 and blocks and current and not narration and _ACKNOWLEDGEMENT.match(line)
        asked = next_is_speaker and sole and (line.endswith(("?", "？")) or thanks)
        if asked and not (current is not None and not current.text):
            current = Block(INTERVIEWER, line, section=section)  # press style: only the answers are labelled
            blocks.append(current)
            headline_at = i if len(blocks) == 1 else headline_at
            continue
        if not blocks:
            # A Markdown heading, or a heading-like line that is not the page's first (its title).
            dateline = n + 1 < len(significant) and DATE_ONLY.match(content[significant[n + 1]].strip())
            heading = (
                marked.get(line) in _SECTION_MARKS
                or preamble
                and next_is_speaker
                and not dateline  # a headline above its date, not a section
                and _is_heading(line, True, cjk_labels)
            )
            if heading or re.fullmatch(r"[“「].{2,40}[”」]", line):
                section = section_name(line)  # a heading just before the first speaker
            elif _SUMMARY_MARKER.search(line) or _LIST_MARK.match(line):
                section = None  # the page's key points, or show notes: '**Resources:**' heads its links, not the talk
            preamble.append(line)
            continue
        fresh = current is not None and not current.text  # a name line waiting for its words
        title_case = len(line.split()) >= 2 and all(w[:1].isupper() for w in line.split())  # 'Three More Questions'
        finished = current is None or bool(_SENTENCE_END.search(current.text)) or title_case
        if not fresh and (
            marked.get(line) in _SECTION_MARKS or finished and _is_heading(line, next_is_speaker, cjk_labels)
        ):
            section, current, narration = section_name(line), None, not talk
            if talk:  # the talk goes on under its next heading ('## Sigma protocol' after a question)
                current = Block(told_by(section) or talker, "", section=section)
                blocks.append(current)
            continue
        if fresh:
            current.text = line
            continue
        if current is None or narration or talk and re.fullmatch(r"[(（].*[)）]", line):
            continue  # a talk page's whole paragraph in brackets is its editor's: '(How can users recover funds…?)'
        if cjk_labels and _talks_about(line, people):
            narration = True
            continue
        # someone's question, then a paragraph of the talk's speaker answering (not a diarized voice's next line)
        answered = current.text.endswith(("?", "？")) and not line.endswith(("?", "？")) and not content[i - 1]
        if talk and talker and answered and not answers(current.label) and not DIARIZED.match(current.label or ""):
            current = Block(talker, line, section=section)
            blocks.append(current)
            continue
        asking = "\n" not in current.text and not current.text.endswith(("?", "？")) and line.endswith(("?", "？"))
        if asker and current.label == asker and not asking:  # a question said in two paragraphs stays one
            current = Block(INTERVIEWEE, line, section=section)
            blocks.append(current)
            continue
        current.text = f"{current.text}\n{line}"
    rest = content[footer_at:]
    if not speakers and not name_lines:  # no speakers at all: the body is one block, for 'Unknown'
        body = [line.strip() for line in content[:footer_at] if line.strip() and not is_chrome(line)]
        if body and HEADLINE.match(body[0]) and not _SENTENCE_END.search(body[0]):
            body = body[1:]  # the headline ('专访李明：大模型创业的第二年') is the title, not the first words said
        # and the editor's lead up to '以下是对话全文。' is the page's (not '以下内容是我和杨硕的对话': a host speaking)
        said = (_TALK_FOLLOWS.search(line) for line in body[:LEAD_LINES])
        lead = [i for i, found in enumerate(said) if found and "我" not in found.group(0)]
        body = body[lead[-1] + 1 :] if lead and lead[-1] + 1 < len(body) else body
        questions = _bold_questions(body, marked)
        if questions:
            preamble = body[: body.index(questions[0].text)]
        blocks = questions or _sections(body, marked)
    elif talk and blocks:
        opening = _sections(_talk_opening(preamble, marked), marked)  # the loop kept page chrome out already
        for block in opening:
            block.label = told_by(block.section) or talker
        for block in blocks if talker else ():  # 'A:' is the speaker, 'Q:' someone in the audience (not 'Moderator:')
            role = block.label or ""
            block.label = talker if ROLE_GUEST.match(role) else AUDIENCE if _ASKED.fullmatch(role) else role
        blocks = opening + blocks
    meta_lines = preamble  # not the footer: its related-article titles name other people
    if not speakers and not name_lines:  # the preamble is the whole text: its opening says who, not 'with Bitcoin Core'
        meta_lines = _opening(preamble)
    return Parsed(
        fmt,
        _translated([b for b in blocks if b.text.strip()]),
        title=_title_from(preamble),
        source_url=_source_url(rest) or _source_url(preamble),
        date=_date(intro, {}),
        editor_summary=_editor_summary(preamble),
        # lines apart, so names on adjacent lines do not run together; and a key to the labels below the talk
        context="\n".join([*meta_lines[:60], *(line for line in rest[:1] if LABEL_KEY.fullmatch(line.strip()))]),
    )


LEAD_LINES = 10  # paragraphs at the top of a text without speakers where an editor's lead may end
# The editor's lead ends announcing the conversation: '…上周，我们在北京见到了他。以下是对话全文。', 'Below is the
# full transcript.'
_TALK_FOLLOWS = re.compile(
    r"以下(?:是|为|為|即)?[^。！？]{0,24}?(?:对话|對話|访谈|訪談|对谈|對談|实录|實錄|问答|問答)(?:全文|实录|實錄|内容|內容|整理)?"
    r"[。：:]?$|以下(?:是|为|為)?全文[。：:]?$|"
    r"\b(?:below is|here is|what follows is) (?:the |an |our )?(?:full |edited |lightly edited )?"
    r"(?:transcript|conversation|interview)\b[^.!?]{0,40}[.:]$",
    re.I,
)


def _opening(lines: list[str]) -> list[str]:
    """The lines of a text without speakers above its first paragraph of talk: the title, facts and headings that say
    who speaks. The talk itself names the people it introduces (`turns_from_text`); read as the page's introduction,
    'run c-lightning with Bitcoin Core' introduced a guest: 32 surveyed texts took a speaker's name from such a
    mention ('Bitcoin Core' in six, 'Docker Compose', a talk's co-author)."""
    return list(takewhile(lambda line: len(line.split()) < 15, lines))


# A page's facts about the talk, one to a line, above it: what it is about, where, when, the recording.
_META_LINE = re.compile(
    r"(?i)(?:name|topic|topics|location|date|time|video|audio|slides|transcript|event|venue|tema|lugar|fecha"
    r"|sujet|lieu|thema|ort|datum):\s*\S.{0,80}"
)


def _mostly_unlabelled(
    content: list[str], speaker_at: Callable[[str], tuple[str, str] | None], marked: dict[str, str]
) -> bool:
    """Whether more of a page's prose stands under no speaker's label than under one: before the first label, or
    after a heading and before the next (list items, links and chrome left out). So is a talk archive's page whose
    talk is told in sections and only its questions, a moderator's lines or a few of the talk's own are labelled
    (73 of 1 130 bitcointranscripts pages kept less than half of their words: 'Gloria Zhao:' and 'Audience:' after
    the talk, and the talk itself read as the page's introduction)."""
    counts = [0, 0]  # under no label, under one
    under = False
    for line in (line.strip() for line in content):
        if speaker_at(line) is not None:
            under = True
        elif marked.get(line) in _SECTION_MARKS:
            under = False
        elif line and not is_chrome(line) and not _LIST_MARK.match(line) and len(URL.sub("", line)) >= 40:
            counts[under] += len(line)
    return counts[0] > counts[1]


def _talk_opening(preamble: list[str], marked: dict[str, str]) -> list[str]:
    """The lines above a talk page's first label that are the talk: not the page's links ('Slides: <https://…>',
    '演示文档：https://…'), a line introducing a list of them ('c-lightning watchtower hook discussion:') or an
    editor's note, nor the lines before its first sentence that end none ('Stephan Livera Podcast with Jon Atack -
    November 13th 2019', 'OP_CHECKTEMPLATEVERIFY workshop notes'); headings stay, to name the sections."""
    kept: list[str] = []
    said = False  # the talk began: a sentence ended, or a line went on in the next ('…drop the legacy' / 'wallet.')
    for n, line in enumerate(preamble):
        after = preamble[n + 1] if n + 1 < len(preamble) else ""
        if marked.get(line) == "heading":
            kept.append(line)
            continue
        linked = bool(URL.search(line)) and len(URL.sub("", line).strip(" <>()[]:：&")) < 40
        if linked or len(line) < 80 and line.endswith((":", "：")) or re.match(r"(?i)note\b", line):
            continue
        said = said or bool(_SENTENCE_END.search(line) or re.match(r"[a-z]", after))
        if said:
            kept.append(line)
    return kept


def _sections(body: list[str], marked: dict[str, str]) -> list[Block]:
    """Text without speakers as one unlabelled block per Markdown section: a heading ('## Mempool Policy') names the
    section of the paragraphs below it and is no words of anyone's (a talk's quotes began 'Intro Hi I'm Gloria')."""
    blocks: list[Block] = []
    section: str | None = None
    while body and _META_LINE.fullmatch(body[0]):  # 'Topic: Various topics', 'Location: Jitsi online' above it
        body = body[1:]
    for line in body:
        if marked.get(line) == "heading":
            section = section_name(line)
        elif blocks and blocks[-1].section == section:
            blocks[-1].text += f"\n{line}"
        else:
            blocks.append(Block(None, line, section=section))
    return blocks


def _translated(blocks: list[Block]) -> list[Block]:
    """Bilingual dialogue: in most turns (three or more) Latin-script lines and Chinese ones ('Lex Fridman: Why
    now?' then '为什么是现在？'). Each turn's Latin-script lines are then its words and the Chinese lines their
    translation, as in bilingual captions (until stop 42 one text of both, labelled Chinese)."""
    parts = [[[line for line in b.text.split("\n") if bool(_CJK.search(line)) == cjk] for cjk in (False, True)]
             for b in blocks]  # fmt: skip
    if len(blocks) < 3 or sum(bool(latin and chinese) for latin, chinese in parts) < 0.6 * len(blocks):
        return blocks
    return [
        replace(b, text=" ".join(latin), translation="".join(chinese)) if latin and chinese else b
        for b, (latin, chinese) in zip(blocks, parts, strict=True)
    ]


def _bold_questions(body: list[str], marked: dict[str, str]) -> list[Block]:
    """A magazine Q&A in Markdown: the questions are bold lines ('**Why cities?**'), the answers plain paragraphs."""
    if sum(1 for line in body if marked.get(line) in ("bold", "question") and line.endswith(("?", "？"))) < 2:
        return []
    blocks: list[Block] = []
    for line in body:
        if marked.get(line) in ("bold", "question"):
            blocks.append(Block(INTERVIEWER, line))
        elif blocks and blocks[-1].label == INTERVIEWEE:
            blocks[-1].text += "\n" + line
        elif blocks:
            blocks.append(Block(INTERVIEWEE, line))
    return blocks


def _headline(first_line: str, block: Block, line: str) -> bool:
    """A page's headline or photo caption in 'Name: words' form: one short line, then the article's date line or
    the photo credit before anyone replies."""
    dated = len(line) <= 80 and bool(_DATE.search(line) or _DATE_WORDS.search(line) or _PHOTO_CREDIT.match(line))
    dated = dated and (is_chrome(line) or not re.search(r"[。！？!?]|\.(?:\s|$)", line))  # a dateline, not a sentence
    return dated and "\n" not in block.text and len(block.text) <= 60 and first_line.strip().endswith(block.text)


def _talks_about(paragraph: str, people: set[str]) -> bool:
    """True when a paragraph names a speaker other than as a greeting: the editor narrating."""
    for name in people:
        position = paragraph.find(name)
        if position < 0:
            continue
        after = paragraph[position + len(name) : position + len(name) + 1]
        if position == 0 and after in (",", "，", "、", "!", "！"):
            continue  # addressing someone: 'Sam, ...'
        return True
    return False


# --------------------------------------------------------------------------- detection

FORMATS = (
    "dialogue", "markdown", "captions", "timestamped", "header", "srt", "vtt", "sbv", "ass", "whisper-json",
    "whisper-tsv", "transcriber", "table",
)  # fmt: skip
_SBV_TIME = re.compile(r"^(\d{1,2}:\d{2}:\d{2}\.\d{3}),(\d{1,2}:\d{2}:\d{2}\.\d{3})[ \t]*$", re.M)


def parse_text(text: str, aliases: AliasTable, fmt: str | None = None) -> Parsed:
    """Detect the format (unless given) and parse."""
    stripped = text.lstrip("\ufeff \n\t")
    if fmt not in (None, *FORMATS):
        raise IngestError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt is None and is_page(stripped):  # a saved web page: its text, read as a copied page would be
        text = page_text(stripped)
        if not text:
            raise IngestError("a web page with no text in it (scripts may draw it): save the page as text instead")
        return parse_text(text, aliases)
    if fmt is None and stripped.startswith("{\\rtf"):  # TextEdit's and WordPad's RTF: its text, read as any text
        return parse_text(rtf_to_text(stripped, errors="replace"), aliases)
    if fmt == "transcriber" or (fmt is None and re.match(r"<\?xml|<(?:Trans|tt|transcript|timedtext)\b", stripped)):
        return parse_transcriber(stripped, aliases)
    if fmt is None and re.match(r"<(?:!doctype|\?xml)\b", stripped, re.I):
        raise IngestError("XML that is not a transcript (Transcriber .trs, TTML/DFXP or YouTube timed text)")
    if fmt == "ass" or (fmt is None and re.match(r"\[Script Info\]", stripped, re.I)):
        return parse_ass(stripped, aliases)
    if fmt == "whisper-json" or (fmt is None and stripped[:1] in "[{"):
        try:
            return parse_whisper_json(stripped, aliases)
        except json.JSONDecodeError as error:
            if fmt == "whisper-json" or re.match(r"[\[{]\s*[\[{\"]", stripped):  # JSON, not '[00:01] Ana: …'
                raise IngestError(f"not valid JSON ({error.msg} at line {error.lineno})") from None
    if fmt == "whisper-tsv" or (fmt is None and re.match(r"start\tend\ttext\s*\n", stripped)):
        return parse_whisper_tsv(stripped, aliases)
    table = parse_table(stripped, aliases) if fmt in (None, "table") else None
    if table is not None or fmt == "table":
        return table or Parsed("table", [])
    lines = stripped.split("\n")
    if fmt == "sbv" or (fmt is None and sum(bool(_SBV_TIME.match(line)) for line in lines[:400]) >= 2):
        return parse_subtitles(_SBV_TIME.sub(r"\1 --> \2", stripped), aliases, "sbv")  # YouTube's SubViewer
    cues = sum(bool(CUE_TIME.match(line)) for line in lines[:400])
    opens_with_cue = re.match(r"WEBVTT\b", stripped) or any(CUE_TIME.match(line) for line in lines[:2])  # one cue
    if fmt in ("srt", "vtt") or (fmt is None and (cues >= 2 or cues and opens_with_cue)):
        return parse_subtitles(stripped, aliases, fmt or ("vtt" if stripped.startswith("WEBVTT") else "srt"))
    marked_text = parse_marked_text(lines, aliases) if fmt is None else None
    if marked_text is not None:
        return marked_text
    meta, lines = _front_matter(lines)
    lines, md_title, markdown, marked = _markdown(lines, titled=bool(meta.get("title")))
    declared = declared_speakers(meta, aliases)
    lines = _without_heading_lines(lines, meta.get("title", ""), declared)
    # the people a file declares are known people in it: 'Christian Decker:' said once, after the host's one
    # 'Jeff Gallas: Next up is Christian Decker.', starts his talk (it stayed in the text of an inferred turn)
    parsed = _parse_lines(lines, aliases.with_people(declared), fmt, markdown, marked, declared)
    parsed.title = meta.get("title") or md_title or parsed.title
    parsed.title_declared = bool(meta.get("title") or md_title)
    parsed.speakers = declared
    parsed.hosted = any(meta.get(key, "").strip() for key in _HOST_KEYS)
    parsed.date = _date([], meta) or parsed.date
    # the page's own address, else a source line's, else the recording the words were taken from (a talk's video)
    page, media = _first_value(meta, _URL_KEYS), _first_value(meta, _MEDIA_KEYS)
    parsed.source_url = page or parsed.source_url or media or _link(meta.get("media", ""))
    if meta or md_title:
        parsed.context = "\n".join([meta.get("title", ""), meta.get("description", ""), md_title or "", parsed.context])
    return parsed


def _without_heading_lines(lines: list[str], title: str, declared: Sequence[str]) -> list[str]:
    """The lines without those above the talk that restate its front matter: the title written again as plain
    text, a subtitle holding it, or a declared speaker's byline ('Kim Hamilton Duffy, kimdhamilton'). A talk's
    first quote and summary point began "Swashbuckling safety training with decentralized identifiers… Kim
    Hamilton Duffy, kimdhamilton I was very excited…" (about 100 of the 1 204 bitcointranscripts pages surveyed).
    Only lines that end no sentence, before the first that is neither these nor a link or chrome."""
    folded = " ".join(title.lower().split())
    names = [name.lower() for name in declared]

    def restates(line: str) -> bool:
        low = " ".join(line.lower().strip("#*_ ").split())
        if not low or len(low) > 160 or low.endswith((".", "?", "!", ":", "。", "？", "！", "：")):
            return False
        # a name, then a handle or an affiliation (not a colon: 'Aaron van Wirdum: 00:00:21' is a speaker's label)
        if any(low.startswith(name) and re.fullmatch(r"\s*[,(|·–—-][^:.!?]{0,40}", low[len(name) :]) for name in names):
            return True
        return len(folded) >= 8 and (low.startswith(folded) or (folded in low and len(low) <= len(folded) + 60))

    kept, above = [], True
    for line in lines:
        if above and line.strip():
            if restates(line):
                continue
            above = is_chrome(line) or bool(URL.search(line))
        kept.append(line)
    return kept


def _parse_lines(
    lines: list[str], aliases: AliasTable, fmt: str | None, markdown: bool, marked: dict[str, str], declared: list[str]
) -> Parsed:
    found = [stamped_line(line) for line in lines]
    speakers = speaker_labels([f for f in found if f], aliases)
    labelled = sum(1 for f in found if f and f.label in speakers)
    significant = [(line, f) for line, f in zip(lines, found, strict=True) if line.strip()]
    # Lines a stamp accounts for: stamped lines, the words under a stamped header, names above stamped lines.
    stamped = sum(1 for _, f in significant if f)
    under = sum(
        1
        for (_, above), (_, f) in zip(significant, significant[1:], strict=False)
        if above and not above.words and not f
    )
    covered = stamped + under + len(name_lines_above_stamps(lines, found, speakers, aliases))
    # Unstamped `Name: words` lines: a dialogue with a few stamps in it is still a dialogue.
    inline = Counter(m.group("label").strip() for line, f in significant if not f and (m := _INLINE.match(line)))
    dialogue = sum(count for label, count in inline.items() if count >= 2 and name_like(label, aliases))
    mostly_stamped = stamped >= 2 and covered * 2 >= len(significant)
    if fmt in ("header", "timestamped") or (fmt is None and (labelled >= 2 or mostly_stamped) and dialogue < stamped):
        parsed, preamble = parse_stamped(lines, aliases, marked)
        parsed.format = fmt or parsed.format
        parsed.title = _title_from(preamble)
        parsed.date = _date(preamble, {})
        parsed.source_url = _source_url(preamble)
        return parsed
    lines = _spelled_out(_dashed_dialogue(_qa_with_full_stops(lines, dashes=bool(declared))), aliases)
    speakers, name_lines = _speaker_names(lines, aliases, marked)
    if fmt == "captions" or (fmt is None and name_lines and _bilingual(lines, name_lines)):
        return parse_captions(lines, aliases, name_lines)
    fmt = "markdown" if markdown or fmt == "markdown" else "dialogue"
    return parse_dialogue(lines, aliases, marked, fmt, talk_by=declared)


# 'P.' / 'R.': Spanish and Portuguese press (pregunta / respuesta, pergunta / resposta), French 'Q.' / 'R.'
_QA_DOT = re.compile(r"^\s*(Q|A|P|R|问|問|答)\s*[.．]\s+(?=\S)")
# 'Q - ' / 'A - ': a talk's questions and answers on 95 of 1 204 bitcointranscripts pages, read only where the front
# matter declares who speaks (elsewhere a line may open 'A - B testing'); the questions were the speaker's words
_QA_DASH = re.compile(r"^\s*(Q|A)\s+[-–—]\s+(?=\S)")
# the labels of a talk's questions, never a name the talk mentions; Spanish and Portuguese ask with 'P:' (pregunta,
# pergunta: translated talks' questions were a speaker "P", or took a name the talk mentions, "Bitcoin Core")
_ASKED = re.compile(r"[qp]\d*|questions?|preguntas?|perguntas?", re.I)


def _qa_with_full_stops(lines: list[str], dashes: bool = False) -> list[str]:
    """Press style 'Q. …' / 'A. …' (or 'P. …' / 'R. …', or with `dashes` 'Q - …' / 'A - …') as 'Q: …' / 'A: …',
    when the file asks and answers that way more than once; not the dashes of a file whose answers are named so
    ('Laolu - …', 'Joost - …'), which would become a Q&A without its answers."""
    dashes = dashes and not any(n not in ("Q", "A") and c >= 2 for n, c in _openings(lines, _DASH_LABEL).items())
    for mark in (_QA_DOT, _QA_DASH) if dashes else (_QA_DOT,):
        marks = Counter(m.group(1) for line in lines if (m := mark.match(line)))
        if sum(marks.values()) >= 3 and len(marks) >= 2:
            lines = [mark.sub(lambda m: f"{m.group(1)}: ", line) for line in lines]
    return lines


# Spanish and French papers print an interview as dialogue, each turn opening with a dash ('—¿Cuándo…?' /
# '—A los quince años…'); Japanese ones open only the questions so ('――最初の事業は？', the answer below). Until
# stop 43 either page was one turn, title and all.
_DIALOGUE_DASH = re.compile(r"^\s*[—―–]+\s*(?=\S)")


def _dashed_dialogue(lines: list[str]) -> list[str]:
    """Turns that open with a dialogue dash as 'Interviewer: …' / 'Interviewee: …', alternating from the first
    (the dash is where the speaker changes), when the file is laid out that way: four dashed lines or more, none
    of them naming its speaker, the first asking and most of every other one too. Where every dashed line asks
    and text follows each, the dashes mark the questions alone, and the paragraphs after them are the answers
    (`parse_dialogue`'s Q&A that labels only the questions)."""
    dashed = [i for i, line in enumerate(lines) if _DIALOGUE_DASH.match(line)]
    texts = [_DIALOGUE_DASH.sub("", lines[i]) for i in dashed]
    if len(dashed) < 3 or any(_INLINE.match(text) for text in texts):
        return lines
    asks = [is_question(text) or text.startswith("¿") for text in texts]
    answered = all(any(line.strip() for line in lines[i + 1 : j]) for i, j in pairwise([*dashed, len(lines)]))
    if sum(asks) >= 0.8 * len(asks) and answered:
        speakers = [INTERVIEWER] * len(dashed)
    else:
        asking, answering = asks[0::2], asks[1::2]
        if len(dashed) < 4 or not asks[0] or sum(asking) < 0.6 * len(asking) or sum(answering) > 0.4 * len(answering):
            return lines
        speakers = [INTERVIEWEE if k % 2 else INTERVIEWER for k in range(len(dashed))]
    out = list(lines)
    for i, speaker, text in zip(dashed, speakers, texts, strict=True):
        out[i] = f"{speaker}: {text}"
    return out


_SHORT_FORM = re.compile(r"[A-Z][A-Za-z]{0,3}")  # 'MF', 'E', 'JOB', 'AvW'


def _spelled_out(lines: list[str], aliases: AliasTable) -> list[str]:
    """Each label the transcript itself abbreviates, as the name it abbreviates, from where it says so: 'MF:' is
    'Michael Folkson:' after 'Michael Folkson (MF):'. Socratic seminars and podcasts transcribed that way (34 of
    2 368 surveyed files, 3 560 turns) were quoted as 'MF' and 'PW', and the turn that spelled a name out, said
    once before the others spoke, was read as the page's introduction. The short form starts as the name does
    ('Jane Doe (CEO):' defines no label)."""
    defined: dict[str, str] = {}
    out = []
    for line in lines:
        match = _INLINE.match(line) if line == line.lstrip() else None
        label = match.group("label").strip("* ") if match else ""
        spelled = PAREN_NAME.match(label)  # the label's name and what follows it in brackets, as `person_label` reads
        name, short = (spelled.group("outer").strip(), spelled.group("inner")) if spelled else ("", None)
        if short and _SHORT_FORM.fullmatch(short) and short[0] == name[:1].upper():
            if name_like(name, aliases) and not is_role(name):
                defined.setdefault(short, name)
        elif label in defined:
            line = line.replace(label, defined[label], 1)
        out.append(line)
    return out


def _bilingual(lines: list[str], name_lines: set[str]) -> bool:
    """Most speaker blocks hold one Chinese line and one Latin-script line."""
    blocks, pairs = 0, 0
    current: list[str] = []
    for line in [*lines, next(iter(name_lines))]:
        if line.strip() in name_lines:
            if current:
                blocks += 1
                pairs += any(_CJK.search(c) for c in current) and any(not _CJK.search(c) for c in current)
            current = []
        elif line.strip():
            current.append(line.strip())
    return blocks >= 3 and pairs >= 0.6 * blocks


__all__ = ["FORMATS", "drop_sponsor_reads", "is_sponsor_read", "parse_text"]
