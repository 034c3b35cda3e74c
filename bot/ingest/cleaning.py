"""Text cleaning shared by every format: page chrome, pinyin annotations, noise markers, language."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from functools import cache

from bot.text.latin import latin_language
from bot.text.script import to_simplified

_PINYIN_LETTERS = "a-zü\u00e0-\u00fc\u0101-\u01dc\u01f9\u1e3f\u0144\u0148"
# some copies space the reading ('罗永浩( hào)', '的( de)') or use full-width brackets ('设（shè）')
_ANNOTATION = re.compile(rf"([\u3400-\u9fff])[(（] ?([{_PINYIN_LETTERS}]{{1,7}}) ?[)）]")
# GBK mojibake leaves a '?' where a character was lost, followed by its stray annotation: '大量?jī)r(jià)值'.
_MOJIBAKE = re.compile(rf"\?[{_PINYIN_LETTERS}]{{1,7}}\)(?:[a-z]\([{_PINYIN_LETTERS}]{{1,7}}\))?")
# A reading with tone marks in brackets is never a gloss: left over where mojibake ate its character.
_STRAY_READING = re.compile(r"\( ?[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹ][a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜńňǹ]* ?\)")
# Non-speech marks: '[Laughter]', '(laughs)', '<laughter>', '[inaudible 00:12:01]', and the capitalised sound
# descriptions of subtitles for the hard of hearing ('[DOOR SLAMS]', '(DOOR CREAKS)'); '[the company]' and
# '(NASA)' stay.
_NOT_MADE_OUT = r"\[\s*\?(?:\s*\?)*\s*\]"  # '[??]': a word the transcriber did not make out (read as asking: '…[?')
_NOISE_WORD = (
    r"(?:music|laugh\w*|chuckl\w*|applause|crosstalk|cross-talk|inaudible|unintelligible|indistinct|silence|sigh\w*|"
    r"cough\w*|cheer\w*|clap\w*|giggl\w*|background|noise|static|beep\w*|foreign language|speaking \w+|pause|"
    r"overlapping)"
)
NOISE = re.compile(
    rf"\[[^\[\]]{{0,30}}\b{_NOISE_WORD}\b[^\[\]]{{0,30}}\]\.?|\([^()]{{0,20}}\b{_NOISE_WORD}\b[^()]{{0,20}}\)\.?|"
    rf"<[^<>]{{0,20}}\b{_NOISE_WORD}\b[^<>]{{0,20}}>|"  # '<laughter>'
    rf"{_NOT_MADE_OUT}|"
    r"(?-i:\[[A-Z][A-Z0-9 ,.'-]+\]|\([A-Z][A-Z'-]+(?: [A-Z][A-Z'-]+)+\))\.?|♪[^♪]*♪|♪|"
    r"[(（\[【](?:全场|全場|众人|眾人|观众|觀眾)?(?:大?笑|笑声|笑聲|掌声|掌聲|鼓掌|音乐|音樂|停顿|停頓|沉默|听不清|聽不清)[)）\]】]",
    re.I,
)


# Marks of words said but not made out ('[inaudible 00:04:30]', '[crosstalk]'), and what follows one inside a sentence.
_UNHEARD = re.compile(
    rf"inaudible|unintelligible|indistinct|crosstalk|cross-talk|foreign language|{_NOT_MADE_OUT}", re.I
)
_GOES_ON = re.compile(r"[ \t]*(?:,|\w)")


def drop_noise(text: str) -> str:
    """The text without its noise marks, keeping the full stop after one that ends a sentence: 'good to have
    community in that [Bekah chuckles]. But yeah' lost the stop with the mark, and two sentences ran together.
    Words not made out inside a sentence leave an elision mark, "[...]": 'So I think you [inaudible 00:11:40]
    constantly look at the team' read as if nothing had been said between (776 of the 1 535 such marks of Lenny's
    Podcast)."""

    def gone(mark: re.Match[str]) -> str:
        before = text[max(0, mark.start() - 8) : mark.start()].rstrip()[-1:]
        if mark.group().endswith(".") and before.isalnum():
            return "\0."
        if _UNHEARD.search(mark.group()) and (before.isalnum() or before == ",") and _GOES_ON.match(text, mark.end()):
            # 'like Sprig, [inaudible 00:04:30] and ClassDojo': words were said there; an editor's "[...]", since a
            # bare "…" before a capital ends a sentence ('like … Ramp' was two)
            return "[...]"
        return ""

    kept = NOISE.sub(gone, text)
    return re.sub(r"[ \t]*\0", "", kept) if "\0" in kept else kept  # most text holds no such mark


def is_noise_mark(text: str) -> bool:
    """'[Music]', '(laughs)', '[DOOR SLAMS]': a non-speech mark, whole."""
    return bool(NOISE.fullmatch(text.strip()))


# '*laughs*': removed before Markdown emphasis is (which would leave the word 'laughs' in the speech)
NOISE_EMPHASIS = re.compile(
    rf"(?<![\w*])\*{{1,2}}[^*\n]{{0,20}}\b{_NOISE_WORD}\b[^*\n]{{0,20}}\*{{1,2}}(?![\w*])", re.I
)
# '[00:05:12]', '（00:12:34）', '【00:12】' inside a paragraph
TIME_MARK = re.compile(r"[\[(（【](\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?)[\])）】]")  # group 1: the time
_CJK = re.compile(r"[\u3400-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_SCRIPTS = tuple(
    (code, re.compile(chars))
    for code, chars in (
        ("ko", r"[\uac00-\ud7af\u1100-\u11ff]"),
        ("ru", r"[\u0400-\u04ff]"),
        ("ar", r"[\u0600-\u06ff]"),
        ("he", r"[\u0590-\u05ff]"),
        ("el", r"[\u0370-\u03ff]"),
        ("th", r"[\u0e00-\u0e7f]"),
        ("hi", r"[\u0900-\u097f]"),
    )
)

BAR = "|｜丨/／"  # what a Chinese byline or headline puts between a word and a name ('编辑丨宋玮', '记者／陈怡君')
# Lines that belong to the web page, not the conversation (matched on the stripped line, any script).
CHROME = re.compile(
    r"^(?:微信扫码|微信掃碼|与创始人交个朋友|我要投稿|.*关注公众号|.*關注公眾號|全文共?\s*[\d,]+\s*字|阅读约|閱讀約|"
    # a picture's credit or caption ('图片来源：视觉中国', '图｜王小川在发布会上'), a link, WeChat's "在看" prompt
    r"(?:题|題|头|頭|封面)?(?:图片|圖片|图|圖)(?:来源|來源|源)[:：]|(?:图|圖)\s*[|｜丨]|(?:链接|鏈接)[:：]|"
    r".{0,12}点(?:个|亮|击)?\s*[“\"「]?在看|本文作者|"
    # the page's credits: '排版｜小王', '本期编辑：李四', '校对：小李', '运营｜小赵'
    rf".{{0,4}}(?:编辑|編輯|排版|校对|校對|审校|審校|运营|運營|监制|監製|策划|策劃|统筹|統籌|美编|美編|题图|題圖)\s*[{BAR}:：]|"
    r"--\s*END\s*--|排版[:：]|主编[:：]|主編[:：]|编辑[:：]|編輯[:：]|责编|責編|责任编辑|責任編輯|来源[:：]|來源[:：]|"
    r"文章来源|文章來源|产品[:：]|承诺[:：]|相关文章|相關文章|关键词[:：]|關鍵詞[:：]|软媒旗下|軟媒旗下|广告声明|廣告聲明|"
    r"(?:免责)?声明[:：]|(?:免責)?聲明[:：]|版权所有|版權所有|本文来自|本文來自|原文链接|原文鏈接|原视频地址|原視頻地址|"
    r"访谈原文|訪談原文|.{0,12}(?:扫|掃|识别|識別).{0,6}(?:二维码|二維碼)|"
    r"分享到|分享至|用微信扫|用微信掃|下[载載].{0,12}(?:客户端|客戶端|app)|返回.{0,8}(?:首页|首頁)|特别声明|特別聲明|"
    r"核稿[编編]辑|核稿編輯|本文[经經]授权|本文經授權|转载请|轉載請|未经授权|未經授權|[（(]原[标標][题題]|"
    r"全文约\s*[\d,]+\s*字|原创\s|記者\S{1,8}[／/]\S{1,8}報導|记者\S{1,8}[／/]\S{1,8}报道|[（(](?:图|圖|图片|圖片)\s*[／/:：]|"
    r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\s+\d{1,2}:\d{2}(?::\d{2})?\s*(?:来源|來源)|[（(]?本文(?:首发|首發|由|系|为|為|原载|原載|"
    r"已获|已獲|仅代表|僅代表)|(?:编辑|編輯|发布|發布|發佈)(?:于|於)\s*\d|ip\s*属地|ip\s*屬地|著作权归|著作權歸|"
    r"\d+\s*人(?:赞同|贊同)|(?:赞同|贊同)\s*\d+$|\d+\s*条评论|\d+\s*條評論|关注(?:他|她|我)$|關注(?:他|她|我)$|申请转载|"
    r"thanks for reading [^.!?]{1,60}[!.]\s*subscribe|type your email|link copied|\d+\s+(?:likes?|restacks?|shares?)$|"
    r"get the app$|start writing$|"
    r"仅展示文本字幕|"
    # a subtitle group's credits: '本字幕由某某字幕组翻译', '某某字幕组 出品', '翻译：小王 校对：小李 时间轴：小张' (a
    # role the group alone has, or two roles and names; '翻译：他说…' alone is an interpreter speaking)
    r"(?:本|该|該|此)?(?:视频|視頻|影片|节目|節目)?字幕由\S{1,20}(?:翻译|翻譯|制作|製作|提供|听译|聽譯)|"
    r"[^。！？!?，,]{0,30}字幕[组組][^。！？!?，,]{0,20}$|"
    r"(?:(?:时间轴|時間軸|压制|壓制|听译|聽譯|片源|字幕)\s*[:：|｜/／]|"
    r"(?:翻译|翻譯|校对|校對|后期|後期|审校|審校)\s*[:：|｜/／]\s*[^\s:：，。！？]{1,8}\s+"
    r"(?:翻译|翻譯|校对|校對|时间轴|時間軸|压制|壓制|后期|後期|审校|審校)\s*[:：|｜/／])|"
    # what Whisper writes over silence in Chinese audio, learnt from its training captions
    r".{0,30}(?:明镜与点点|明鏡與點點|优优独播剧场|優優獨播劇場|yo ?yo television series exclusive|amara\.org)|"
    # a speech service's notice below its text: '以上内容由AI生成', '本内容由 AI 生成，仅供参考'
    r"(?:以上|本|此)?(?:全文|内容|內容|文字|文稿|纪要|紀要|字幕|转写|轉寫)?由\s*(?:AI|人工智能)\s*(?:生成|转写|轉寫|整理)"
    r"(?:[，,\s]*(?:仅供参考|僅供參考|请注意甄别|請注意甄別|请谨慎甄别|請謹慎甄別))?[。.！!]?$|"
    r"关于.{1,20}播客$|關於.{1,20}播客$|继续浏览|繼續瀏覽|.{0,20}提供中文\+原文|"
    r"transcribed by\b|transcript(?:ion)?(?: completed| edited)? by\b|this transcript was|"
    r"(?:(?:editor'?s )?note:\s*)?this (?:interview|conversation|transcript) "
    r"(?:has been|was|is) (?:edited|condensed|lightly edited)|"
    r"editor'?s note\b|skip to (?:main )?content|back to top\b|we use cookies|this (?:web)?site uses cookies|"
    r"by continuing to (?:browse|use)|accept (?:all )?cookies|cookie (?:settings|policy|preferences)|©|"
    r"copyright\s+(?:©|\(c\)|\d{4})|all rights reserved|tags?:|filed under\b|categories:|"
    r"\d+\s*min(?:ute)?s? read\b|sponsored content\b|photo(?:graph)?:|image:|enjoyed this episode\b|"
    r"(?:please )?(?:leave|give) us a (?:review|rating)\b|rate,? (?:and|&) review\b|powered by \w+\.?$|"
    r"transcripts? (?:was |were )?(?:auto-?)?(?:generated|produced|created|provided) by\b|"
    r"(?:subtitles?|subtitled|captions?|captioned|captioning|synced|sync|translated|translation|ripped|encoded|timing)"
    r"(?: and \w+)? by\b|(?:www\.)?[\w-]+\.(?:com|org|net|io|tv|cn)/?$|"
    r"[\w ,.'()-]{1,60} (?:started|stopped) transcription$|"
    r"(?:get|sign up for) (?:the|our) [\w ]{0,40}(?:newsletter|in your inbox))",
    re.I,
)
# Calls to action and link captions: chrome only as a short line that is not a sentence ('点击上方蓝字关注我们'; a
# guest's '点击率是我们最看重的指标。' is speech).
_SHORT_CHROME = re.compile(
    r"^(?:点击|點擊|扫描|掃描|扫码|掃碼|长按|長按|"
    r"subscribe|share (?:this|on)|follow us|sign up|related (?:posts|articles|stories|reading)|read more|"
    r"you (?:may|might) also like|more from|recommended for you|leave a (?:comment|reply)|\d+ comments?$|"
    r"listen (?:on|now)|download the app|advertisement)",
    re.I,
)
# Buttons and prompts that are chrome only as the whole line: '在看' also starts sentences ('在看这个问题…'), and so
# do a player's settings ('设置很重要。' was dropped from a guest's turn as the page's '设置' menu).
_CHROME_LINE = re.compile(
    r"^(?:设置|設置|日夜间|日夜間|随系统|隨系統|浅色|淺色|深色|主题色|主題色|双语字幕|雙語字幕|点赞|點讚|點贊|在看|写留言|寫留言|留言|赞赏|讚賞|举报|舉報|收藏|阅读原文|閱讀原文|轻触阅读原文|輕觸閱讀原文|"
    r"图片|圖片|【?(?:广告|廣告)】?|字级|字級|申请入驻|申請入駐|展开全文|展開全文|复制链接|複製連結|打开app|打開app|"
    r"预览时标签不可点|預覽時標籤不可點|(?:继续|繼續|向上)滑[动動]看下一[个個]|微信扫一扫|微信掃一掃|"
    r"(?:关注该公众号|關注該公眾號)|订阅电子报|訂閱電子報|看更多.{0,10}|show notes|"
    r"(?:previous|next) (?:episode|post|article)|"
    r"share (?:full )?(?:article|story|episode)|continue reading(?: the main story)?|story continues below|"
    r"scroll to continue)$",
    re.I,
)
# A Markdown thematic break ('---', '* * *') between the conversation and the page's notes.
_RULE = re.compile(r"^(?:([-*_=])\s*)(?:\1\s*){2,}$")
# Where a show breaks, written like a speaker: '**Break:** [20:10] to [00:20:43.13]', 'Jingle: [01:00:02]'.
_BREAK = re.compile(
    r"^(?:break|ad break|jingle|music|song|interlude|intro|outro)\s*:\s*[\d:.,\\\[\]\s]*(?:to[\d:.,\\\[\]\s]*)?$", re.I
)
# Whole lines of navigation: one capitalised menu word, or short items between separators ('Privacy | Terms').
_NAV_WORD = re.compile(
    r"^(?:Home|Menu|Search|News|About(?: Us)?|Contact(?: Us)?|Log ?[Ii]n|Sign ?[Ii]n|Sign [Uu]p|Register|Share|"
    r"Tweet|Email|Print|Copy [Ll]ink|Next|Previous|More|Close|Accept|Reject [Aa]ll|Privacy(?: Policy)?|"
    r"Terms(?: of (?:Service|Use))?|Podcasts?|Episodes?|Blog|Newsletter|Facebook|Twitter|LinkedIn|Instagram|"
    r"YouTube|WhatsApp|Reddit|Comments?|首页|首頁|正文|分享|收藏|评论|評論|登录|登錄|注册|註冊)$"
)
# A site's menu: '腾讯新闻 首页 科技 财经 娱乐', 'Home News Sport Culture' (a line of speech is never all capitals)
_NAV_MENU = re.compile(
    r"^(?:\S{1,8}\s+)?(?:首页|首頁|主页|主頁)(?:\s+[^\s。！？，,.!?]{1,8}){2,}$|^Home(?:\s+[A-Z][\w&'-]{0,15}){3,}$"
)
_NAV_ITEMS = re.compile(r"^[^.!?。！？|•·>»›]{1,30}(?:\s+[|•·>»›/]\s+[^.!?。！？|•·>»›]{1,30})+$")
# After one of these the rest of the page is footer: source links, credits, related articles.
FOOTER = re.compile(
    r"^(?:[-—–=_*\s]*END[-—–=_*\s]*$|[（(【—-]+\s*完\s*[）)】—-]+$|原文链接|原文鏈接|本文来自|本文來自|广告声明|廣告聲明|相关文章|相關文章|访谈原文|訪談原文|"
    r"(?:作者简介|作者簡介|关于作者|關於作者)(?:[:：]|$)|"
    r"[（(]\s*(?:注[:：]\s*)?[A-Z]{1,3}\s*[=＝]|"  # a key to the letter labels, '(M=被访者,R=记者)', after the talk
    r"原视频地址|原視頻地址|往期(?:推荐|推薦|回顾|回顧|精选|精選)|(?:推荐|推薦|延伸|相关|相關)(?:阅读|閱讀)|"
    r"(?:相关|相關|热门|熱門|精彩)(?:推荐|推薦)|(?:热点|熱點|热门|熱門)新[闻聞]|猜你喜[欢歡]|更多精彩|"
    r"喜[欢歡]此[内內]容的人[还還]喜[欢歡]|特别声明|特別聲明|免责声明|免責聲明|"
    r"transcribed by\b|©|copyright\s+(?:©|\(c\)|\d{4})|all rights reserved|source:|"
    r"(?:originally|first) published\b|this (?:interview|article|story|conversation) (?:originally |first )?appeared\b|"
    r"(?:related (?:posts|articles|stories|reading)|you (?:may|might) also like|more from [^.!?]{1,40}|"
    r"recommended(?: for you| stories| reading)?|about the author|leave a (?:comment|reply)|\d+ comments?|"
    r"related(?: coverage| content| episodes| links)?|more (?:stories|coverage|episodes|on this (?:topic|story))|"
    r"most (?:popular|read|viewed)|read next|up next|trending(?: now)?|explore more on these topics|reuse this content|"
    r"discussion about this post|ready for more\?|"
    r"(?:编辑|編輯|发布|發布|發佈)(?:于|於)\s*\d.*|著作权归.*|著作權歸.*)\s*:?$)",
    re.I,
)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
TIME_ONLY = re.compile(r"^[\[(]?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?[\])]?$")  # a stamp between paragraphs
DATE_ONLY = re.compile(
    rf"^(?:\d{{4}}[-/.]\d{{1,2}}[-/.]\d{{1,2}}|\d{{4}}\s*年\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*日|"
    rf"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|"
    rf"\d{{1,2}}\s+{_MONTH}\s+\d{{4}}))(?:,?\s+\d{{1,2}}[:.]\d{{2}}(?:\s*[ap]\.?m\.?)?(?:\s+[A-Z]{{2,4}})?)?$",
    re.I,
)
URL = re.compile(r"https?://[^\s<>\"'`)）]+")
# A line that only points elsewhere: links, bare or in <…>, after a name or a short description ('Slides:
# <https://…>', 'David Harding on Taproot activation proposals: https://…'), or links in <…> after a few words with
# no colon ('Utreexo paper <https://…>', 'See also <https://…>'), maybe as a list's item ('* pay-to-contract
# <https://…>'): a talk archive's references, never speech (summaries' points were such lines, stop 53).
_LINKS = r"(?:<?https?://[^\s<>]+>?[,;]?\s*)+"
_REFERENCE = re.compile(
    rf"(?:[-*•]\s+)?(?:(?:[A-Za-z][^:<>]{{0,100}}:\s*)?{_LINKS}|(?:[A-Za-z][^<>.!?]{{0,80}}\s)?(?:<https?://[^\s<>]+>[,;]?\s*)+)"
)
LINK_LIST_ITEM = re.compile(r"^\d+\s*[、.．]\s*[\[【].+[\]】]$")


@cache
def _readings(char: str) -> frozenset[str]:
    from pypinyin import Style, pinyin

    readings = set()
    for style in (Style.TONE, Style.NORMAL, Style.TONE3):
        for options in pinyin(char, style=style, heteronym=True):
            readings.update(r.lower() for r in options)
    return frozenset(readings)


def strip_pinyin_annotations(text: str) -> str:
    """Remove readings some converters insert after characters (`設(shè)置` → `設置`), keeping real glosses.

    A parenthesis is dropped only when its content is a pinyin reading of the character before it,
    so `算力(compute)` and `適應能力(adaptability)` stay.
    """

    def replace(match: re.Match[str]) -> str:
        char, reading = match.group(1), match.group(2)
        return char if reading.lower() in _readings(char) else match.group(0)

    return _STRAY_READING.sub("", _MOJIBAKE.sub("", _ANNOTATION.sub(replace, text)))


# An HTML character reference left in text a web site exported as Markdown: Ladybug's Otter transcripts write
# "I don&#39;t", which quotes showed as written and keywords read as "don".
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def unescape_entities(text: str) -> str:
    """Character references (`&#39;`, `&amp;`, `&rsquo;`) as the characters they stand for; a bare `&` stays."""
    return _ENTITY.sub(lambda m: html.unescape(m.group(0)), text) if "&" in text else text


def clean_text(text: str) -> str:
    """Speech text as shown: no pinyin annotations, character references, noise markers or inline time marks,
    single spaces."""
    text = strip_pinyin_annotations(unescape_entities(text))
    text = TIME_MARK.sub("", drop_noise(text))
    return re.sub(r"[ \t\u00a0\u3000]+", " ", text).strip()


# Some caption tools write a mark straight against the next word ('journey,and', 'you.Here', 'back?How's'). A mark
# between letters (a full stop only from a small letter or 'I' to a capital: 'virtualcoffee.io', 'U.S.' are names),
# and one followed by a space, as they are counted to tell such a file from ordinary text.
_TIGHT = re.compile(r"(?:(?<=[A-Za-z])[,?!]|(?<=[a-z]|\bI)\.(?=[A-Z]))(?=[A-Za-z])")
_SPACED = re.compile(r"(?<=[a-z])[,.?!](?=\s)")
_TOUCHING = re.compile(r"[,?!.](?=[A-Za-z])")  # as many as _TIGHT finds or more, ten times as fast
_ADDRESS = re.compile(r"(\S*(?:://|www\.|@)\S*)")  # split keeps them, at odd places
TIGHT_SHARE = 0.5  # surveyed: seven Virtual Coffee caption files 0.82-0.85, the other 2 361 files at most 0.11
TIGHT_LEAST = 10  # fewer tight marks than this are typos or code ('a,b'), not the file's habit


def writes_marks_tight(texts: Iterable[str]) -> bool:
    """True when most of the texts' punctuation touches the next word: the file's captions were written so.
    Chinese text is left out: an ASCII comma between Latin words there ('Sam,AI') is how it is written."""
    texts = list(texts)
    if len(_TOUCHING.findall("\n".join(texts))) < TIGHT_LEAST:  # most files, in one quick pass
        return False
    latin = "\n".join(text for text in texts if not _CJK.search(text))
    tight, spaced = len(_TIGHT.findall(latin)), len(_SPACED.findall(latin))
    return tight >= TIGHT_LEAST and tight >= TIGHT_SHARE * (tight + spaced)


def space_marks(text: str) -> str:
    """The text with a space after each mark that touches the next word ('journey,and' → 'journey, and'), web and
    mail addresses and Chinese text left as written: sentences and words are then found as in any other file."""
    if _CJK.search(text):
        return text
    parts = _ADDRESS.split(text)
    return "".join(part if i % 2 else _TIGHT.sub(r"\g<0> ", part) for i, part in enumerate(parts))


_SENTENCE_ENDS = (".", "!", "?", "。", "！", "？")


_BUTTONS = frozenset(["赞", "讚", "转发", "轉發", "喜欢", "喜歡", "Like", "Reply"])  # a share bar's other buttons
# A short line of arrows, stars or box drawing: '↓↓↓', '⭐⭐⭐', '▼' ('……', '？' and emoji may be speech)
_SYMBOLS_ONLY = re.compile(r"^[\u2190-\u21ff\u2500-\u27bf\u2b00-\u2bff*#=~^+<>|/\\ ]{1,40}$")


def _buttons(line: str) -> bool:
    """A bar of buttons: 'Share Like Reply', '分享 收藏 在看 赞'."""
    words = line.split()
    return len(words) >= 2 and all(w in _BUTTONS or _CHROME_LINE.fullmatch(w) or _NAV_WORD.match(w) for w in words)


def is_break(line: str) -> bool:
    """A show's break written like a speaker ('Break: [20:10] to [00:20:43.13]'): nobody's words, and the end of a
    turn (the same speaker after it is not someone else between two of their turns)."""
    return bool(_BREAK.match(line.strip()))


def is_chrome(line: str) -> bool:
    """True for a line of page furniture (menus, cookie and QR prompts, credits, date-only lines, link lists, a share
    bar, a line of arrows or stars)."""
    if _RULE.match(line.strip()):
        return True
    stripped = line.strip().lstrip("•·*-– ").strip()
    bracketed = re.fullmatch(r"[(（](.+)[)）]", stripped)  # or a notice in brackets: '(聲明:刊用《中國企業家》稿件…)'
    return _furniture(stripped) or bool(bracketed and _furniture(bracketed.group(1).strip()))


def _furniture(stripped: str) -> bool:
    """`is_chrome` for a line without its surrounding whitespace and bullets."""
    if stripped and (_SYMBOLS_ONLY.match(stripped) or _buttons(stripped)):
        return True
    return bool(
        CHROME.match(stripped) or _CHROME_LINE.match(stripped) or DATE_ONLY.match(stripped) or TIME_ONLY.match(stripped)
        or LINK_LIST_ITEM.match(stripped) or URL.fullmatch(stripped)
        or _NAV_WORD.match(stripped) or _NAV_ITEMS.match(stripped) or _NAV_MENU.match(stripped)
        or (len(stripped) <= 80 and not stripped.endswith(_SENTENCE_ENDS) and _SHORT_CHROME.match(stripped))
    )  # fmt: skip


def is_reference(line: str) -> bool:
    """True for a line of speech text that only points elsewhere ('Slides: <https://…>'): no one's words. Not page
    chrome: above the talk the same line may give the page's source ('Source: https://…')."""
    return bool(_REFERENCE.fullmatch(line.strip()))


def detect_language(text: str) -> str:
    """The language by script: 'zh-Hans' or 'zh-Hant' for Chinese (Traditional if OpenCC would change it), 'ja'
    when kana appear, 'ko', 'ru', 'ar', 'he', 'el', 'th', 'hi' for those scripts; Latin script by its function
    words ('es', 'pt', 'it', 'fr', 'de', 'nl', else 'en': `latin_language`)."""
    cjk = _CJK.findall(text)
    letters = {code: len(pattern.findall(text)) for code, pattern in _SCRIPTS}
    script, count = max(letters.items(), key=lambda item: item[1])
    latin = len(_LATIN.findall(text))
    if len(cjk) < max(1, latin // 4, count // 4):
        return script if count > latin else latin_language(text)
    if len(_KANA.findall(text)) * 10 >= len(cjk):
        return "ja"
    sample = "".join(cjk[:5000])
    changed = sum(a != b for a, b in zip(sample, to_simplified(sample), strict=False))
    return "zh-Hant" if changed > 0.03 * len(sample) else "zh-Hans"
