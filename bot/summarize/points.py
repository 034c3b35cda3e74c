"""What a point is: a sentence (or two of one turn) that tells a reader something on its own.

A point states a claim, a number, a decision, a prediction, a named thing or a story. Conversation is full of
sentences that do not: back-channel ("Yeah.", "是的。"), talk about the talk ("That's a great question",
"正如我刚才说的"), hedges with nothing hedged ("We'll see.", "敬请期待。"), generic effort or praise ("There is a lot
of work to do.", "在这方面还有大量的工作需要完成。"), and sentences so full of fillers ("like, you know, sort of")
that they read as unedited speech. Those are never points and never the quote of the day.

Pure functions over text; the same rules serve the interview summary, the digest and its quote of the day.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.text.keywords import content_words
from bot.text.sentences import is_question, split_sentences

# Words a speaker opens a sentence with that carry nothing (stripped before judging what is left).
_OPENER = re.compile(
    r"^(?:(?:yeah|yes|yep|yup|no|nope|oh|well|so|and|but|look|listen|okay|ok|alright|all right|right|now|anyways?|"
    r"i mean|you know|like|"
    r"honestly|basically|actually|uh-?huh|mm-?hm+|um+|uh+|er|ah|mm+|hmm+|hm+|mhm|"
    r"嗯|啊|哦|噢|呃|对|對|是的|是啊|没错|沒錯|所以|那么|那麼|然后|然後|其实|其實|但是|不过|不過|而且|我觉得|我覺得|我认为|我認為)"
    r"(?![a-z])[\s,，、.。!！…—-]*)+",  # a whole word: 'Nobody', 'Sorry' and 'Yesterday' open with none
    re.IGNORECASE,
)

# A whole sentence that is only a reply signal, a thank-you or an exclamation (after the opener is stripped).
_BACKCHANNEL = re.compile(
    r"^(?:exactly|absolutely|definitely|totally|sure|of course|true|correct|indeed|agreed|fair enough|"
    r"that'?s (?:so |very |really |absolutely |totally |exactly )?"
    r"(?:right|true|correct|fair|it|great|amazing|awesome|incredible|fascinating|interesting|cool)|"
    r"you'?re (?:so |absolutely |totally |exactly |completely )?right|"
    r"(?:it|this|that) (?:is|was) (?:really |very |so )?(?:great|amazing|awesome|incredible|fascinating|interesting|"
    r"cool|helpful|useful)|i (?:totally |completely |fully )?agree(?: with you)?|i see|got it|no doubt|"
    r"(?:great|good|nice|fair|interesting) (?:idea|point)|"
    r"great|cool|wow|interesting|amazing|awesome|wonderful|perfect|thanks?(?: you)?(?: so much| very much)?|"
    r"nice|sweet|fair|gotcha|for sure|love it|(?:that )?makes (?:total |perfect )?sense|huh|ha(?:-?ha)*|"
    r"mm-?hmm|uh-?huh|(?:hello|hi|hey)(?: (?:there|everyone|everybody|all))?|good (?:morning|afternoon|evening)|"
    r"当然|當然|(?:确实|確實)+|完全是|完全正确|完全正確|(?:你)?(?:说|說)(?:得|的)?(?:太|很|非常|特别|特別)?(?:对|對)(?:了|啊)?|"
    r"说得也是|說得也是|我同意|太好了|太棒了|真是太棒了|很好|好的|好吧|谢谢|謝謝|谢谢你|謝謝你|是这样(?:的)?|是這樣(?:的)?|"
    r"的确|的確|没问题|沒問題|(?:好|是|对的|對的|可以|行|明白了?|了解了?|懂了|嗯|哈)+)$",
    re.IGNORECASE,
)

# Talk about the talk, hedges with nothing hedged, generic effort and praise: filler wherever they stand in a
# short sentence (a sentence that also says something else keeps enough content words to pass).
_FILLER = re.compile(
    r"(?:great|good|fair|interesting|tough|hard|excellent|fantastic|big) (?:question|point)|"
    r"let me (?:think|answer|start|say|ask|put it|tell you)|"
    # announcing what comes next, which a span ending so leaves out: 'Maybe here's another way to put it.'
    r"here'?s (?:another way to (?:put|say|think about) (?:it|this)|the thing|an example|an analogy|what i mean)|"
    r"(?:let me|i'?ll|i will|i can) (?:put|say) it (?:differently|another way|this way)|"
    r"(?:let me|i'?ll|i can|i will|i'?d) give you (?:an? |a couple of |a few )?(?:example|analogy|examples)|"
    r"举个例子|舉個例子|打个比方|打個比方|怎么说呢|怎麼說呢|换句话说|換句話說|"
    r"thanks? (?:you )?for (?:having|asking|inviting)|"
    r"(?:good|great|nice) to (?:be here|see you|have you)|glad (?:you asked|to be here)|welcome (?:to|back)|"
    r"as i (?:said|mentioned)|like i said|we'?ll (?:get|come) (?:to|back to) (?:that|this)|"
    r"^(?:i'?m|i am|my name is) \w+(?: \w+)?$|"  # a name said in a round of introductions: 'I'm Allie.'"
    r"(?:we|you) (?:talked|spoke) about (?:this|that|it)|"
    r"(?:之前|刚才|剛才|前面)(?:也)?(?:聊|谈|談|说|說|讲|講)(?:过|過|到)|(?:等(?:一)?下|稍后|稍後)(?:再)?(?:聊|谈|談|说|說)|"
    r"i don'?t know|i'?m not sure|hard to say|who knows|we'?ll see|time will tell|stay tuned|it depends|"
    r"wrap (?:this|it|things) up|(?:great|good|nice) note to|i learned a lot|i showed you|"
    r"as (?:we|you) (?:saw|can see)|(?:let'?s|we'?ll) (?:move on|switch gears)|i can'?t remember|"
    r"(?:there'?s|there is|we have|we'?ve got) (?:still )?(?:a lot|lots|plenty|much) (?:more )?(?:of )?work|"
    r"好问题|好問題|问得好|問得好|这个问题很好|這個問題很好|正如我(?:刚才|剛才|之前|前面)?(?:所)?说|正如我(?:剛才|之前)?(?:所)?說|"
    r"我(?:来|來|先)?(?:讲讲|講講|说说|說說|讲一下|講一下|说一下|說一下|讲两句|講兩句|说两句|說兩句)吧?|"
    r"我不知道|不确定|不確定|很难说|很難說|不好说|不好說|拭目以待|敬请期待|敬請期待|看情况|看情況|"
    r"(?:还|還)有(?:大量|很多|许多|許多)的?工作(?:需要|要)?(?:完成|做)|谢谢(?:你|您)?的?邀请|謝謝(?:你|您)?的?邀請|"
    r"很高兴(?:来到|來到|参加|參加)|很高興(?:來到|參加)",
    re.IGNORECASE,
)

# Signing off: where to find the speaker, thanks for the time, the show's own plugs and shout-outs. Never a point,
# whatever else the sentence names ('you can reach me on Twitter at …, and on LinkedIn').
_SIGN_OFF = re.compile(
    r"\b(?:can|could|should|to) (?:find|reach|follow|contact|connect with|ping|dm|email) (?:me|us)\b|"
    r"(?:^|[,.;!]\s*|\band\s+)(?:go )?(?:find|follow|connect with) (?:me|us)\b|"
    r"\b(?:i'?m|we'?re) (?:on|at) (?:twitter|linkedin|instagram|tiktok|youtube|mastodon|bluesky)\b|"
    r"\b(?:pleasure|blast|joy|honou?r|treat)"
    r"(?=\s*(?:[.!,]|$)| to (?:be|talk|chat|speak|have|join|meet)\b| (?:talking|chatting|having|being)\b)|"
    r"\b(?:fun|great|good|nice|lovely) (?:to talk|talking|to chat|chatting) (?:to|with) (?:you|y'all|everyone)\b|"
    r"\bthanks?(?: you)?(?: so much| very much| again)* for (?:having|coming|joining|being|doing|listening|tuning)\b|"
    r"\b(?:subscribe|rate|review) (?:to )?(?:the|our|this) (?:show|podcast|channel)\b|"
    # and the show's newsletter: "That's the news for now, but go and subscribe to the Changelog Newsletter for…"
    r"\bsubscribe to (?:the|our) (?:[\w'’-]+ ){0,2}newsletter\b|"
    # and the sponsor's thanks: "Thanks again to Sentry for sponsoring Changelog News." (stop 62)
    r"\bfor sponsoring\b|\b(?:this|today'?s) (?:episode|show) is (?:brought to you|sponsored|supported) by\b|"
    # and, since stop 60, the show notes' links, the show's site, thanks for the invitation: "…so we'll link that
    # tweet down below.", "please check out our website at virtualcoffee.io or say hi to us on Twitter", "I really
    # appreciated that you guys invited me" (points of Ladybug and Virtual Coffee summaries)
    r"\b(?:we'?ll|we will|i'?ll|i will) (?:also )?(?:link\b[^.!?]{0,60}\b(?:show ?notes|description|below)|"
    r"(?:put|drop|add|include)\b[^.!?]{0,60}\b(?:show ?notes|description))\b|"
    r"\b(?:check out|visit) our (?:website|site|page)\b|\bsay hi to (?:us|me)\b|"
    r"\b(?:thanks?|thank you|appreciated?)\b[^.!?]{0,30}\b(?:inviting|invited|invitation|having me)\b|"
    r"\bmy shout ?-?outs?\b|\b(?:to|i'?d|i) shout ?-?out\b|\bshout ?-?outs? to\b|"
    r"\bsee you (?:all )?(?:next|in the next)\b|\buntil next time\b|"
    # and the show's own opening, whatever it names: 'Hello, and welcome to season two, episode six of the
    # Virtual Coffee podcast.' was a summary's first point, then 'I'm Bekah, and this is a podcast that features…'
    r"\bwelcome (?:back )?to (?:[\w'’.-]+,? ){0,8}?(?:podcast|show|episode|season|edition|program(?:me)?|broadcast)\b|"
    r"\bthis is (?:a (?:weekly |daily )?(?:podcast|show) (?:that|where|about|for)\b"
    r"|(?:the )?(?-i:[A-Z][\w'’.-]*)(?: (?-i:[A-Z][\w'’.-]*)){0,3} (?:podcast|show)\b)|"
    r"欢迎(?:收听|收看|来到)|歡迎(?:收聽|收看|來到)|"
    r"关注我|關注我|订阅(?:我们|本)|訂閱(?:我們|本)|"
    # and a Chinese show's close: '那今天的节目就到这里，感谢各位的收听，拜拜。', '下期再见。'
    r"感谢(?:你|您|大家|各位)?(?:今天)?的?(?:收听|收看|观看)|感謝(?:你|您|大家|各位)?(?:今天)?的?(?:收聽|收看|觀看)|"
    r"节目就到这|節目就到這|下(?:期|次)(?:节目)?再见|下(?:期|次)(?:節目)?再見|(?:各位|大家)拜拜",
    re.IGNORECASE,
)

# A host handing the talk to a subject, anywhere in a sentence: "Okay, so both of you have projects using mental
# health tech, and I'd love to talk a little bit more about those." asks as a question does, and was a Virtual Coffee
# summary's and digest's point. Search's `is_question` reads only a sentence's opening, as stored rows do.
_HANDS_OVER = re.compile(
    r"\b(?:(?:i'?d|i would) (?:really |also |just )?(?:love|like) to|i (?:really |also |just )?want to|let'?s) "
    r"(?:really |also |just )?(?:talk|chat|hear|dig|dive|get) (?:a (?:little )?bit |a little )?(?:more )?"
    r"(?:about|into)\b|"
    # or announcing what the episode covers and with whom: "…and this episode, we're chatting with Rachel Nabors,
    # an American abroad", "this kind of ties into the next section where I want to discuss…" (a Ladybug summary's
    # first two points), "Yeah, today I'm gonna talk about voice agent." (a talk's first), "…what I'm going to walk
    # through today is…" (a Lenny's Podcast digest's)
    r"\b(?:today|(?:in |on )?(?:this|today'?s) (?:episode|show|topic))\b[,:\s–—-]*(?:we|i)(?:'re| are|'ll| will|'m| am)"
    r"(?: be)? "
    r"(?:joined|chat(?:ting)?|talk(?:ing)?|discuss(?:ing)?|cover(?:ing)?|"
    r"(?:going to|gonna) (?:talk|chat|discuss|cover|go over))\b|"
    r"\bwe(?:'re| are) (?:so )?(?:excited to be )?joined (?:today |here )?by\b|"
    # and introducing who is on the show and moving on to the topic: "And as you hear from Ujjwal, also joining us is
    # our favorite panelist, Nick Nisi.", then "I'm your host this week…", "Okay, so let's dive in a little bit to our
    # actual topic", "So today's topic - we will be talking about…", "But before we dive into that, I'm gonna scratch
    # my own itch a little bit and ask Ujjwal…" (a JS Party summary's first point, each in turn once the one before
    # was gone), "With me today is…", "on the panel with me today is…"
    r"\b(?:also )?joining (?:us|me)(?: today| this week| here| again)? (?:is|are)\b|"
    r"\b(?:(?:here|on the panel) )?with (?:us|me) (?:today|this week|here) (?:is|are)\b|"
    r"\blet'?s (?:really |just )?(?:dive|dig|jump|get) (?:right )?in(?:to)?\b|"
    r"\bbefore we (?:dive|dig|get|jump) in(?:to)?\b|"
    r"\b(?:i'?m gonna|i'?m going to|let me|i want to|i'?d like to|i wanted to) (?:just )?ask\b|"
    r"\bon the panel with (?:us|me)\b|\b(?:i'?m|i am|we'?re|we are) your (?:co-?)?hosts?\b|"
    r"\b(?:joining|with) us (?:for|on|in) (?:today'?s|this) (?:episode|show|conversation)\b|"
    r"\b(?:i|we)(?:'m| am|'re| are)? (?:(?:(?:really |also |just )?want|'?d like|would like|going) to|gonna) "
    r"(?:discuss|talk through|walk (?:you |us )?through)\b|"
    # or asking the guest to tell it without a question mark: "But, Dave, maybe you could take it from the beginning
    # of this thing." (an Oxide summary's first point), "So maybe you could just start out by telling us…" (stop 64)
    r"(?:\bmaybe,? you (?:could|can|might) (?:maybe |just |first )?|\bwhy don'?t you )"
    r"(?:take|walk|tell|talk|start|describe|explain|give|share)\b",
    re.IGNORECASE,
)

# Fillers of unedited speech, counted per word (English) or per character (Chinese).
_DISFLUENCY_EN = re.compile(
    r"\b(?:you know|i mean|sort of|kind of|um+|uh+|ah+|er|blah|like(?=,)|(?:like|as) i (?:said|mentioned))\b|"
    r"\w-(?=\s)|--",
    re.IGNORECASE,
)  # 'if- if': a word cut off; 'so-- yeah': a sentence abandoned; 'like I said': talk pointing back at itself
_DISFLUENCY_ZH = re.compile(r"就是说|就是說|那个那个|那個那個|嗯|呃")
# an article and then another start: speech that set off one way and went another ('you got a it was', 'is a an');
# in lower case ('vitamin A and C', 'the I/O path' are none); 'the the' is `_REPEATED_WORD`'s
_STARTS = r"it|I(?![/-])|he|she|we|they|this|that|and|but|so"
_RESTART = re.compile(rf"\b(?:[Tt]he\s+(?:an?|{_STARTS})|an?\s+(?:the|{_STARTS})|a\s+an|an\s+a)\b")
# a word or a few said twice: 'the the', 'I, I', 'you could try, you could try' (captions keep every restart); not
# emphasis ('very, very', 'no, no') nor grammar ('that that', 'had had')
_REPEATED_WORD = re.compile(
    r"\b(?!(?:very|really|so|much|many|more|too|far|no|yes|yeah|bye|ha|that|had)\b)(\w+(?:\s+\w+){0,3})[-–—,]*\s+\1\b",
    re.IGNORECASE,
)

# A sentence whose subject points back to something said before it ('它跟人类的过程很像', 'That was the reason').
_DANGLING = re.compile(
    r"^(?:it|that|this|these|those|they|he|she|him|them|which|such)\b(?!\s+(?:is|was) (?:not )?(?:clear|true|why))|"
    r"^(?:它|这|這|那|这个|這個|那个|那個|这些|這些|那些|他们|他們|她们|她們|其)(?![们們]?(?:家|种|種|位|年|天|次)?公司)",
    re.IGNORECASE,
)

# 'I think (that)' / '我相信' before the subject: the subject that may point back comes after it.
_STANCE = re.compile(
    r"^(?:i (?:think|believe|guess|feel|suspect|would say)|我(?:相信|想|猜|觉得|覺得|认为|認為|感觉|感覺))[\s,，]*",
    re.IGNORECASE,
)

# What makes a sentence specific: figures ('2019', '10%', '十亿', 'forty'), names ('Crystal' in Chinese text, 'Tromsø'
# inside an English sentence), quoted terms (‘十亿个代理’, "Stargate") and commitments (below).
_FIGURE = re.compile(
    r"\d+(?:[.,]\d+)*%?|[零〇一二两三四五六七八九十百千万亿]*[十百千万亿][零〇一二两三四五六七八九十百千万亿]*|"
    r"\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|thousand|"
    r"million|billion|trillion|half|twice|percent)\b",
    re.IGNORECASE,
)
_NAME = r"[A-Za-z\u00c0-\u024f][A-Za-z\u00c0-\u024f0-9+-]*(?:\.\d+)?"
_NAME_IN_CJK = re.compile(_NAME)  # any Latin word in Chinese text: 'Crystal', 'GPT-4', 'AI'
_NAME_IN_LATIN = re.compile(rf"(?<=[a-z,;:]\s)(?=[A-Z]){_NAME}")  # capitalized inside a sentence
# A decision, plan or prediction stated as such ('我的设想是', 'we decided', 'by 2030').
_COMMITMENT = re.compile(
    r"我的(?:设想|設想|愿景|願景|计划|計劃|目标|目標)|我们(?:决定|決定|计划|計劃|打算)|(?:预计|預計|预测|預測|我打赌|我打賭)|"
    r"\b(?:we|i) (?:decided|plan|predict|bet|expect|will|'ll|are going to|'re going to)\b|\bby (?:19|20)\d\d\b|"
    r"\bour (?:plan|goal|vision)\b",
    re.IGNORECASE,
)
_QUOTED = re.compile(r"[‘“「『\"]([^’”」』\"]{2,30})[’”」』\"]")

# The words a sentence cannot end on (a conjunction, an article) when speech-to-text closed it there anyway
# ('…所以就是。', '…跟团队讲，嗯，对，然后。', 'and the.'); a Chinese one only after a pause or a particle,
# as '我还有。' and '他就是。' end where they should. 371 of 271 000 sentences of PodWiki and Talk Python, nearly
# all Chinese speech-to-text; 1 of the seeds' and corpus' 14 000.
_TRAILS_OFF = re.compile(
    r"(?:(?:^|[\s,，、啊嗯呢吧对對])(?:其实|其實)?(?:但是?|然后|然後|所以说?|所以說|而且|并且|並且|因为|因為|如果|或者|还有|還有|以及|而是|甚至|"
    r"比如说?|比如說|那么|那麼|就是说?|就是說)+[啊呢吧嘛呀]?|"
    r"(?<=\w[\s,])(?:and|but|or|because|the|an?))[.。…]$"
)
_ADDRESSED = re.compile(r"^[A-Z][a-z]+,\s+")  # the name a sentence opens by addressing
_CONTINUED = re.compile(r"[-–—]+\s*[a-z]")  # words going on from an earlier turn ('-week', '- and I can…')
# what mis-decoded bytes leave in text ('它幫助我們谀承╊I域節省時間', seed 003's copy): never in anyone's words
_GARBLED = re.compile(r"[\u2500-\u257f\ufffd]")
MAX_DISFLUENCY = 0.1  # every tenth word a filler: unedited speech, not a quotable point


def strip_opener(sentence: str) -> str:
    """The sentence without the back-channel and discourse words it opens with ('Yeah. I mean, so…')."""
    return _OPENER.sub("", sentence.strip()).strip()


def _slips(text: str) -> tuple[int, float]:
    """Fillers, stutters and restarts in the text, and its words (Chinese: one per two characters)."""
    cjk = len(re.findall(r"[\u3400-\u9fff]", text))
    words = len(re.findall(r"[A-Za-z']+", text)) + cjk / 2
    return sum(len(p.findall(text)) for p in (_DISFLUENCY_EN, _REPEATED_WORD, _RESTART, _DISFLUENCY_ZH)), words


def roughness(text: str) -> float:
    """Fillers, stutters and restarts per word ('like, you know, a a point…', 'so you got a it was…'): how far
    the words are from what an editor would have printed."""
    slips, words = _slips(text)
    return slips / words if words else 0.0


def disfluency(text: str) -> float:
    """`roughness` when there are two slips or more: one slip is speech; a pattern of them is unedited."""
    slips, words = _slips(text)
    return slips / words if words and slips >= 2 else 0.0


def specifics(text: str) -> set[str]:
    """The figures, names, quoted terms and stated decisions, plans or predictions of a span: what makes a
    claim a specific one."""
    names = _NAME_IN_CJK if re.search(r"[\u3400-\u9fff]", text) else _NAME_IN_LATIN
    found = {m.group(0).lower() for pattern in (_FIGURE, names) for m in pattern.finditer(text)}
    found |= {f"commitment: {m.group(0).lower()}" for m in _COMMITMENT.finditer(text)}
    return found | {m.group(1) for m in _QUOTED.finditer(text)}


def _content(text: str) -> int:
    return len(set(content_words(text)))


def signs_off(text: str) -> bool:
    """True when the span signs off: where to find the speaker, thanks for the time, a plug or a shout-out."""
    return bool(_SIGN_OFF.search(text))


def is_filler(sentence: str) -> bool:
    """True for a sentence that says nothing on its own: back-channel, meta-talk, an empty hedge, praise."""
    rest = strip_opener(sentence).rstrip(" .。!！…~～")
    if not rest or _BACKCHANNEL.match(rest) or (_CONTINUED.match(rest) and _content(rest) < 2):
        return True  # '-week.': the rest of a sentence an interjection broke off ('a really long-'), nothing alone
    left, found = _FILLER.subn(" ", _ADDRESSED.sub("", rest))  # 'Andy, welcome to the podcast.' names no one else
    # What the sentence says besides its filler phrases: a claim needs a couple of content words of its own.
    return bool(found) and _content(left) < 2


def dangles(sentence: str) -> bool:
    """True when the sentence opens by pointing back ('It', 'That', '它', '看起来,这…') and names little itself."""
    rest = _STANCE.sub("", strip_opener(sentence))
    clauses = re.split(r"(?<=[,，、:：])\s*", rest)
    while len(clauses) > 1 and _content(clauses[0]) == 0 and not _DANGLING.match(clauses[0]):
        clauses.pop(0)  # 'I think,' / '看起来,': the subject comes after
    return bool(_DANGLING.match(clauses[0])) and _content(rest) < 3


def trails_off(sentence: str) -> bool:
    """True when the sentence ends on a word that leads to more ('…有很多东西我做的不好啊，但是。', 'It's interesting
    because.'): the speaker trailed off, and speech-to-text put a full stop there anyway."""
    return bool(_TRAILS_OFF.search(sentence.strip()))


def is_fragment(text: str) -> bool:
    """True for a span that is not a whole sentence: it starts in lower case (unpunctuated speech-to-text cut
    mid-sentence, or the rest of words an interjection broke off, '-week. And in my mind…' after 'a really long-'),
    stops without a sentence's final mark ('Three priests,') or on a word leading to more (`trails_off`), or is
    cut inside a quotation."""
    text = text.strip()
    return (
        bool(re.match(r"[a-z]", text) or _CONTINUED.match(text))
        or not re.search(r"[.!?。！？…][\"'”’」』)）]*$", text)
        or trails_off(text)
        or inside_quotation(text)
    )


def inside_quotation(text: str) -> bool:
    """True when the span starts or stops inside someone's quoted words ('problem," rather than, "Hey…'): a quote
    closed before it opens or never closed. A straight double quote opens after a space or at the start, else it
    closes: 'for the best." It's the culture. It sounds like, "We move fast.' holds two, and both are unpaired."""
    curly = "".join(
        ("“" if i == 0 or text[i - 1].isspace() or text[i - 1] in "([" else "”") if char == '"' else char
        for i, char in enumerate(text)
    )
    for opening, closing in ("“”", "「」", "『』"):
        depth = 0
        for char in curly:
            depth += (char == opening) - (char == closing)
            if depth < 0:
                return True
        if depth:
            return True
    return False


# Sounds of hesitation a span opens with ('嗯，其实有很多…', 'Um, I think…'), and a Chinese reply's yes before a comma
# ('对对对，这个好理解啊。', '对，是有这种可能性'; stop 68: 4 of 8 points of a LateTalk summary opened so): left out
# of a point when what follows can open a sentence ("Um, and then…" keeps them: "and then…" would not read as a
# sentence's start, nor, to `is_fragment`, would '呃呃，yolo的意思…').
_HESITATION = re.compile(
    r"^(?:(?:呃|嗯|啊|哦|噢|额)+[\s,，、.。…]+|(?:对|對|是|是的|没错|沒錯)+[啊呀]?[,，、]\s*|(?:um+|uh+|erm?)[,.…]*\s+)+",
    re.IGNORECASE,
)


def trim_filler(text: str) -> str:
    """The span without the filler sentences it opens or closes with ('Exactly. We launched…' → 'We launched…';
    '…back to the age of research. Maybe here's another way to put it.' ends at 'research.'), without a last sentence
    that trails off (`trails_off`) and without the sounds of hesitation it opens with; exact words kept."""
    sentences = [s for line in text.split("\n") for s in split_sentences(line)]
    start, end = 0, len(sentences) - 1
    while start < end and is_filler(sentences[start]):
        start += 1
    while end > start and (is_filler(sentences[end]) or trails_off(sentences[end])):
        end -= 1
    first, last = sentences[start], sentences[end]
    begin = text.find(first) if start and first in text else 0
    stop = text.rfind(last) + len(last) if end < len(sentences) - 1 and last in text[begin:] else len(text)
    hesitation = _HESITATION.match(text, begin)
    if hesitation and re.match(r"[A-Z0-9\"“\u3400-\u9fff]", text[hesitation.end() : stop]):
        begin = hesitation.end()
    return text[begin:stop]


@dataclass(frozen=True)
class Verdict:
    """Why a span is or is not a point (for tests and for the summary's own choices)."""

    question: bool
    filler: bool
    disfluent: bool
    thin: bool  # names nothing at all (no noun, no content word): it leans on what was said before
    garbled: bool  # mis-decoded bytes in it (a box-drawing mark or a replacement character): no one said that

    @property
    def stands_alone(self) -> bool:
        """True when the span can be shown on its own as what was said."""
        return not (self.question or self.filler or self.disfluent or self.thin or self.garbled)


def judge(text: str) -> Verdict:
    """Judge a span as a point: no question, no filler opening it, readable speech, something named in it."""
    sentences = [s for line in text.split("\n") for s in split_sentences(line)] or [text]
    return Verdict(
        question=any(is_question(s) or _HANDS_OVER.search(s) for s in sentences),
        filler=all(is_filler(s) for s in sentences) or is_filler(sentences[0]) or signs_off(text),
        disfluent=disfluency(text) > MAX_DISFLUENCY,
        thin=_content(text) == 0,
        garbled=bool(_GARBLED.search(text)),
    )


def stands_alone(text: str) -> bool:
    """True when the span is a point: a claim, number, decision or named thing, not filler or a question."""
    return judge(text).stands_alone


def filler_points(texts: Sequence[str]) -> list[str]:
    """The texts that are not points (tests and the eval use this to list what a summary should never show)."""
    return [t for t in texts if not stands_alone(t)]
