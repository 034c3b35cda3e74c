"""Interviews copied from web pages: the conversation stays, the page around it goes."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import PROJECT_ROOT
from bot.ingest import load_aliases
from bot.ingest.errors import IngestError
from tests.ingest.conftest import ingest_file, speakers_and_texts

ALIASES = load_aliases(PROJECT_ROOT / "config" / "speakers.toml")

ENGLISH_PAGE = """Skip to main content
Menu
Home
News
Podcasts
About Us
Search
We use cookies to improve your experience. By continuing to browse you agree to our use of cookies.
Accept all cookies
Cookie settings
The Long Game: A conversation with Priya Raman on climate finance
By Daniel Ortiz
March 14, 2024
5 min read
Share on Twitter
Share on LinkedIn
Copy link
Photo: Jane Smith for Example Media
Priya Raman has spent two decades financing solar projects. We spoke about what comes next.
This interview has been edited for length and clarity.
Daniel Ortiz: Priya, thanks for joining us.
Priya Raman: Happy to be here, Daniel.
Daniel Ortiz: Where does the money come from?
Priya Raman: Mostly pension funds. They think in decades, which suits solar.
Advertisement
Daniel Ortiz: And what worries you?
Priya Raman: Interest rates. When rates rise, projects stall.
Subscribe to our newsletter
Get the best interviews in your inbox every week.
That's the honest answer.
Related posts
Why batteries matter more than panels
The hidden cost of cheap solar
Tags: climate, finance, interviews
© 2024 Example Media. All rights reserved.
Privacy Policy | Terms of Service | Contact
"""

ENGLISH_CHROME = [
    "cookies", "Skip to", "Menu", "Share on", "Copy link", "min read", "Photo:", "edited for length", "Advertisement",
    "Subscribe", "inbox", "Related posts", "batteries matter", "Tags:", "©", "Privacy Policy",
]  # fmt: skip


ENGLISH_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>The Long Game: A conversation with Priya Raman on climate finance | Example Media</title>
<script>window.dataLayer = [{"speaker": "Daniel Ortiz: tracking"}];</script><style>p { margin: 0 }</style>
</head><body>
<a class="skip" href="#main">Skip to main content</a>
<nav><button>Menu</button><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
<li><a href="/podcasts">Podcasts</a></li></ul><form><input name="q"><button>Search</button></form></nav>
<div class="cookies">We use cookies to improve your experience. By continuing to browse you agree to our use of
cookies. <button>Accept all cookies</button> <button>Cookie settings</button></div>
<main id="main"><article>
<header><h1>The Long Game: A conversation with Priya Raman on climate finance</h1>
<p class="byline">By Daniel Ortiz</p><time datetime="2024-03-14">March 14, 2024</time><span>5 min read</span>
<div class="share"><button>Share on Twitter</button><button>Share on LinkedIn</button><button>Copy link</button></div>
</header>
<figure><img src="p.jpg" alt=""><figcaption>Photo: Jane Smith for Example Media</figcaption></figure>
<p><em>Priya Raman has spent two decades financing solar projects. We spoke about what comes next.</em></p>
<p><em>This interview has been edited for length and clarity.</em></p>
<p><strong>Daniel Ortiz:</strong> Priya, thanks for joining us.</p>
<p><strong>Priya Raman:</strong> Happy to be here, Daniel.</p>
<p><strong>Daniel Ortiz:</strong> Where does the money come from?</p>
<p><strong>Priya Raman:</strong> Mostly pension funds. They think in decades, which suits&nbsp;solar.</p>
<div class="ad" aria-hidden="true">Advertisement</div>
<p><strong>Daniel Ortiz:</strong> And what worries you?</p>
<p><strong>Priya Raman:</strong> Interest rates. When rates rise, projects stall.<br>That&#39;s the honest answer.</p>
</article>
<aside><h2>Related posts</h2><ul><li>Why batteries matter more than panels</li>
<li>The hidden cost of cheap solar</li></ul></aside>
<form class="newsletter"><p>Subscribe to our newsletter</p>
<p>Get the best interviews in your inbox every week.</p></form>
<p class="tags">Tags: climate, finance, interviews</p>
</main>
<footer>&copy; 2024 Example Media. All rights reserved.
<a href="/privacy">Privacy Policy</a> | Terms of Service</footer>
<script>render({"title": "Advertisement"})</script>
</body></html>
"""


@pytest.mark.parametrize(
    ("name", "page", "code"),
    [("page.txt", ENGLISH_PAGE, []), ("page.html", ENGLISH_HTML, ["tracking", "render", "margin"])],
)
def test_english_page_keeps_the_conversation_and_drops_the_page(
    tmp_path: Path, name: str, page: str, code: list[str]
) -> None:
    # The page copied as text, and saved from the browser as .html (refused until stop 39 with "save the page as
    # text"; now its text is read without its code and furniture): the same interview either way.
    transcript = ingest_file(tmp_path, name, page)
    assert transcript.title == "The Long Game: A conversation with Priya Raman on climate finance"
    assert transcript.date == "2024-03-14"
    assert transcript.participants == {"Daniel Ortiz": 3, "Priya Raman": 3}
    text = "\n".join(t.text for t in transcript.turns)
    assert [chrome for chrome in [*ENGLISH_CHROME, *code] if chrome in text] == []
    assert transcript.turns[3].text == "Mostly pension funds. They think in decades, which suits solar."
    assert transcript.turns[-1].text == "Interest rates. When rates rise, projects stall.\nThat's the honest answer."


def test_a_chinese_page_saved_in_gbk_names_the_interviewee_its_headline_gives(tmp_path: Path) -> None:
    page = (
        '<html><head><meta charset="gbk"><title>专访李明：我们为什么要做数据库_科技频道</title></head><body>'
        "<div class=nav>首页 | 科技 | 财经</div><h1>专访李明：我们为什么要做数据库</h1>"
        "<p>问：你为什么做数据库？</p><p>答：因为银行的核心<ruby>系<rt>xì</rt></ruby><ruby>统<rt>tǒng</rt></ruby>离不开它。</p>"
        "<p>问：团队多大？</p><p>答：三个人，在地下室写了两年。</p><footer>版权所有 2024</footer></body></html>"
    )
    transcript = ingest_file(tmp_path, "db.html", page.encode("gbk"))
    assert transcript.title == "专访李明：我们为什么要做数据库"
    assert speakers_and_texts(transcript)[-1] == ("李明", "三个人，在地下室写了两年。")
    assert transcript.participants == {"问": 2, "李明": 2}
    assert speakers_and_texts(transcript)[1] == ("李明", "因为银行的核心系统离不开它。")  # the ruby's pinyin is no text


def test_a_page_that_lays_its_transcript_out_as_a_table(tmp_path: Path) -> None:
    rows = [("00:01", "Alice Wong", "Where does the river start?"), ("00:04", "Bob Ray", "In a bog, high up."),
            ("01:02:09", "Alice Wong", "And where?"), ("01:02:12", "Bob Ray", "<p>In the sea.</p>")]  # fmt: skip
    table = "".join(f"<tr><td>{t}</td><td>{who}</td><td>{words}</td></tr>" for t, who, words in rows)
    page = f"<html><body><h1>Rivers</h1><table><tr><th>Time</th><th>Speaker</th><th>Text</th></tr>{table}</table>"
    page += "</body></html>"
    transcript = ingest_file(tmp_path, "rivers.html", page)
    assert speakers_and_texts(transcript) == [
        ("Alice Wong", "Where does the river start?"), ("Bob Ray", "In a bog, high up."),
        ("Alice Wong", "And where?"), ("Bob Ray", "In the sea."),
    ]  # fmt: skip
    assert [t.start for t in transcript.turns] == [1.0, 4.0, 3729.0, 3732.0]


def test_a_podcast_host_s_html_transcript_without_a_page_around_it(tmp_path: Path) -> None:
    """The Podcasting 2.0 HTML transcript (a speaker, a time, a paragraph; no <html>): its tags were read as words,
    into the quotes and the title ('<cite>Travis:</cite>'), and nobody was named. A Markdown file that opens with
    markup is still Markdown."""
    fragment = (
        "<cite>Travis:</cite>\n<time>0:00</time>\n<p>When you first get started in podcasting, it&#39;s almost "
        "guaranteed that you make mistakes.</p>\n<cite>Sarah:</cite>\n<time>0:53</time>\n<p>Creating good audio "
        "is key.</p>\n<cite>Travis:</cite>\n<time>1:40</time>\n<p>So what about intros?</p>\n"
    )
    transcript = ingest_file(tmp_path, "transcript.html", fragment)
    assert speakers_and_texts(transcript) == [
        ("Travis", "When you first get started in podcasting, it's almost guaranteed that you make mistakes."),
        ("Sarah", "Creating good audio is key."),
        ("Travis", "So what about intros?"),
    ]
    assert "<" not in transcript.title and [t.start for t in transcript.turns] == [0.0, 53.0, 100.0]
    markdown = '<div align="center">Episode 3</div>\n\n**Ana:** Hello there.\n\n**Ben:** Hi, Ana.\n\n**Ana:** Bye.\n'
    assert speakers_and_texts(ingest_file(tmp_path, "ep3.md", markdown))[1] == ("Ben", "Hi, Ana.")


def test_speech_that_starts_like_a_page_button_is_kept(tmp_path: Path) -> None:
    # '设置很重要。' was dropped from the guest's turn as the page's '设置' menu, and '点击率…' as a 'click here'
    # prompt; the buttons themselves, alone on their lines, still go.
    text = (
        "主持人：你们最看重什么？\n李明：点击率是我们最看重的指标。\n主持人：那界面呢？\n李明：设置很重要。\n"
        "深色\n长按识别二维码\n点击上方蓝字关注我们\n"
    )
    assert speakers_and_texts(ingest_file(tmp_path, "settings.txt", text)) == [
        ("主持人", "你们最看重什么？"), ("李明", "点击率是我们最看重的指标。"),
        ("主持人", "那界面呢？"), ("李明", "设置很重要。"),
    ]  # fmt: skip


def test_a_page_whose_text_scripts_draw_is_refused_with_the_reason(tmp_path: Path) -> None:
    page = '<!doctype html><html><head><title>Episode 12</title></head><body><div id="app"></div>'
    page += "<script>mount('#app')</script></body></html>"
    with pytest.raises(IngestError, match="no text in it"):
        ingest_file(tmp_path, "app.html", page)


CHINESE_PAGE = """首页 > 科技 > 正文
对话李明：算力(compute)不是唯一的答案
2024-05-20 10:30 来源：科技日报
编辑：张华
责编：王丽
李明是某实验室的负责人。本文整理自他与主持人的对话。
主持人：你怎么看现在的算力(compute)竞赛？
李明：算力(compute)很重要，但数据的质(zhì)量更重要。
我们要把设(shè)置调好。
主持人：那人才呢？
李明：人才是根本。
扫描二维码关注我们
长按识别二维码，关注公众号
声明：本文仅代表作者观点，不代表本站立场。
原文链接：https://example.cn/article/123
相关文章
1、【对话】另一篇文章
"""


def test_chinese_page_drops_credits_and_qr_prompts_and_pinyin_but_keeps_glosses(tmp_path: Path) -> None:
    transcript = ingest_file(tmp_path, "page.txt", CHINESE_PAGE)
    assert transcript.title == "对话李明：算力(compute)不是唯一的答案"
    assert (transcript.date, transcript.source_url) == ("2024-05-20", "https://example.cn/article/123")
    assert transcript.participants == {"主持人": 2, "李明": 2}
    assert transcript.turns[1].text == "算力(compute)很重要，但数据的质量更重要。\n我们要把设置调好。"
    text = "\n".join(t.text for t in transcript.turns)
    assert [w for w in ("编辑", "责编", "来源", "二维码", "声明", "原文链接", "相关文章", "首页") if w in text] == []


def test_a_chinese_interview_s_short_forms_name_its_speakers_from_the_first_exchange(tmp_path: Path) -> None:
    page = (
        "对话李想：我们要做最好的家庭用车\n文丨程曼祺 编辑丨宋玮\n"
        "晚点LatePost（以下简称“晚点”）：去年你们的销量增长很快，你怎么看今年的竞争？\n"
        "理想汽车CEO李想（以下简称“李想”）：竞争会越来越激烈。\n晚点：最难的是什么？\n李想：补能。\n"
    )
    assert speakers_and_texts(ingest_file(tmp_path, "latepost.txt", page)) == [
        ("晚点", "去年你们的销量增长很快，你怎么看今年的竞争？"),
        ("李想", "竞争会越来越激烈。"),
        ("晚点", "最难的是什么？"),
        ("李想", "补能。"),
    ]


@pytest.mark.parametrize(
    ("page", "title", "participants", "sections"),
    [
        (  # a surname standing for the name it begins; a byline just above the first turn is no section of it
            "專訪蔣尚義：晶片戰爭的下一步\n記者／陳怡君\n記者：您怎麼看晶片法案？\n台積電前研發副總蔣尚義（以下簡稱蔣）：影響會很長遠。\n"
            "記者：優勢還能維持多久？\n蔣：至少十年。\n記者：那大陸呢？\n蔣：設備是最大的限制。\n",
            "專訪蔣尚義：晶片戰爭的下一步", {"陳怡君": 3, "蔣尚義": 3}, {None},
        ),
        (  # a label describing a speaker once
            "对话王慧文：我为什么回来\n极客公园创始人张鹏：为什么？\n王慧文：因为机会。\n张鹏：竞争呢？\n王慧文：还早。\n",
            "对话王慧文：我为什么回来", {"张鹏": 2, "王慧文": 2}, {None},
        ),
        (
            "Satya Nadella on AI\nMicrosoft CEO Satya Nadella: Thanks for having me.\nDwarkesh Patel: Why now?\n"
            "Satya Nadella: Compute is cheap.\nDwarkesh Patel: And then?\nSatya Nadella: We build.\n",
            "Satya Nadella on AI", {"Satya Nadella": 3, "Dwarkesh Patel": 2}, {None},
        ),
        (  # numbered questions and answers: one asker, one who answers (the headline's name after a bar)
            "36氪专访丨李明：创业第二年\nQ1：你为什么创业？\nA1：因为机会难得。\nQ2：融资顺利吗？\nA2：第二轮难多了。\n",
            "36氪专访丨李明：创业第二年", {"Q": 2, "李明": 2}, {None},
        ),
        (  # a show note's guest answers; a heading's bar is no part of its name
            "理想汽车的下一个十年\n本期嘉宾：李想，理想汽车创始人\n主持人：张小珺\n▍关于纯电\nQ：纯电最难的是什么？\n"
            "A：补能。\nQ：两千座够吗？\nA：第一年够了。\n",
            "理想汽车的下一个十年", {"张小珺": 2, "李想": 2}, {"关于纯电"},
        ),
        (  # a guest introduced under a heading of the page's
            "理想汽车的下一个十年\n嘉宾介绍\n李想，理想汽车创始人兼CEO。\n问：纯电最难的是什么？\n答：补能。\n问：够吗？\n答：够了。\n",
            "理想汽车的下一个十年", {"问": 2, "李想": 2}, {None},
        ),
        (  # a notice in brackets above the headline is page, not the title
            "(聲明:刊用《中國企業家》稿件。)\n中韓社會都需要這種轉變\n時間 2003年8月14日\n地點 北京和平飯店\n"
            "牛文文:韓國公眾如何評價他們?\n金光洙:很難一句話來概括。\n牛文文:那么今天呢?\n金光洙:評價截然不同。\n",
            "中韓社會都需要這種轉變", {"牛文文": 2, "金光洙": 2}, {None},
        ),
    ],
)  # fmt: skip
def test_chinese_press_conventions_name_each_side_and_leave_the_page_out(
    tmp_path: Path, page: str, title: str, participants: dict[str, int], sections: set[str | None]
) -> None:
    transcript = ingest_file(tmp_path, "page.txt", page)
    assert (transcript.title, transcript.participants) == (title, participants)
    assert {t.section for t in transcript.turns} == sections


def test_a_key_to_letter_labels_names_them_and_ends_the_talk(tmp_path: Path) -> None:
    page = (
        "R:您能否谈一下中国旅游市场?\nM:我希望仪雯可以开启它们。\nR:您现在的感受呢?\nM:我是一个情绪波动很大的人。\n"
        "R:谢谢您接受我们的采访。\nM:谢谢你,再见。\n(M=被访者,R=记者)\n副文\n播主的话\n1你自己是否喜欢旅游呢?\n"
        "环游世界是我的梦想。\n"
    )
    transcript = ingest_file(tmp_path, "key.txt", page)
    assert transcript.participants == {"记者": 3, "被访者": 3}
    assert transcript.turns[-1].text == "谢谢你,再见。"  # the sidebar after the key is the page's


def test_an_unlabelled_interview_s_headline_and_lead_are_not_the_first_words_said(tmp_path: Path) -> None:
    page = (
        "专访李明：大模型创业的第二年\n2024年5月10日\n上周，我们在北京见到了李明。以下是对话全文。\n你为什么在2023年决定创业？\n"
        "因为我觉得大模型是十年一遇的机会。如果不做，我会后悔。\n融资顺利吗？\n第一轮很顺利，第二轮就难多了。\n"
    )
    transcript = ingest_file(tmp_path, "plain.txt", page)
    assert transcript.title == "专访李明：大模型创业的第二年"
    assert not any("专访" in t.text or "以下" in t.text for t in transcript.turns)  # nor is the editor's lead
    assert transcript.turns[0].text.startswith("你为什么在2023年决定创业？")


def test_a_wechat_copy_s_picture_credits_captions_byline_and_prompts_are_page(tmp_path: Path) -> None:
    page = (
        "点击上方蓝字关注我们\n对话王小川：医疗大模型的难点\n全文共5000字，阅读大约需要10分钟\n作者：张三\n"
        "链接：https://www.zhihu.com/question/123\n来源：知乎\n题图来源：视觉中国\n张小珺：你为什么选择做医疗？\n"
        "王小川：因为医疗是离生命最近的场景。\n图｜王小川在发布会上\n张小珺：最难的地方在哪里？\n王小川：数据和信任。\n"
        "点个“在看”，分享给更多人\n排版｜小王\n—— 完 ——\n作者简介\n张三，资深记者，关注医疗。\n"
    )
    transcript = ingest_file(tmp_path, "wechat.txt", page)
    texts = ["你为什么选择做医疗？", "因为医疗是离生命最近的场景。", "最难的地方在哪里？", "数据和信任。"]
    assert [(t.text, t.section) for t in transcript.turns] == [(text, None) for text in texts]


def test_pinyin_spaced_inside_its_brackets_or_in_full_width_ones_goes_too(tmp_path: Path) -> None:
    page = "主持人：罗永浩( hào)的访谈( tán)播（bō）客很长。\n李想：長(cháng)是因为算力(compute)不够。\n"
    assert [t.text for t in ingest_file(tmp_path, "pinyin.txt", page).turns] == [
        "罗永浩的访谈播客很长。",
        "長是因为算力(compute)不够。",
    ]


def test_traditional_chinese_page_with_a_written_out_date(tmp_path: Path) -> None:
    page = (
        "專訪陳大文：人工智慧的下一步\n2024年6月1日\n主持人：歡迎陳大文。\n陳大文：謝謝。我覺得人工智慧要慢慢來。\n"
        "主持人：為什麼？\n陳大文：因為安全最重要。\n本文來自微信公眾號「某某」\n責任編輯：小李\n"
    )
    transcript = ingest_file(tmp_path, "page.txt", page)
    assert (transcript.title, transcript.date) == ("專訪陳大文：人工智慧的下一步", "2024-06-01")
    assert transcript.participants == {"主持人": 2, "陳大文": 2}
    assert transcript.languages == ["zh-Hant"]
    assert all(t.section is None and "編輯" not in t.text for t in transcript.turns)


def test_a_source_note_after_the_conversation_gives_the_url_and_is_not_speech(tmp_path: Path) -> None:
    page = (
        "Ann Lee: Hello there.\nBo Chen: Hi, welcome.\nAnn Lee: Thanks.\nBo Chen: Bye.\n"
        "This interview originally appeared in The Example Review.\nSource: https://example.org/interviews/ann-lee\n"
    )
    transcript = ingest_file(tmp_path, "page.txt", page)
    assert transcript.source_url == "https://example.org/interviews/ann-lee"
    assert transcript.turns[-1].text == "Bye."


WECHAT_PAGE = """对话黄仁勋：AI工厂时代已经到来
原创 张三 硅谷观察 2024年06月05日 08:30 北京
图片
全文约6000字，阅读约需15分钟
王磊：黄总，欢迎。今年最让您兴奋的是什么？
黄仁勋：AI工厂(AI factory)终于落地了。
王磊：谢谢黄总。
黄仁勋：谢谢。
-END-
往期推荐
▶ 深度｜一文读懂英伟达的护城河
分享到朋友圈
微信扫一扫
关注该公众号
在看
写留言
继续滑动看下一个
"""


def test_wechat_page_ends_at_its_end_marker_and_its_buttons_are_not_speech(tmp_path: Path) -> None:
    transcript = ingest_file(tmp_path, "wechat.txt", WECHAT_PAGE)
    assert transcript.participants == {"王磊": 2, "黄仁勋": 2}
    assert transcript.turns[-1].text == "谢谢。"
    assert transcript.turns[1].text == "AI工厂(AI factory)终于落地了。"


NETEASE_PAGE = """网易首页 > 网易号 > 正文
申请入驻
李开复：大模型的下半场是应用
2024-05-12 10:21:33　来源: 澎湃新闻
举报
0
分享至
（原标题：专访李开复）
记者：李老师您好，这一年您怎么评价？
李开复：我们做对了几件事。
记者：为什么？
李开复：因为坚持自研。
特别声明：以上内容为自媒体平台“网易号”用户上传并发布，本平台仅提供信息存储服务。
Notice: The content above is uploaded and posted by a user of NetEase Hao.
相关推荐
马斯克起诉OpenAI案最新进展
"""


def test_headline_in_name_colon_form_is_the_title_and_the_notice_below_is_page(tmp_path: Path) -> None:
    """'李开复：…' above the date is the headline; the related titles after the notice do not name the reporter."""
    transcript = ingest_file(tmp_path, "163.txt", NETEASE_PAGE, aliases=ALIASES)
    assert (transcript.title, transcript.date) == ("李开复：大模型的下半场是应用", "2024-05-12")
    assert transcript.participants == {"记者": 2, "Kai-Fu Lee": 2}  # the alias table's name, as 孙正义 is Masayoshi Son
    assert all(t.section is None for t in transcript.turns)
    assert transcript.turns[-1].text == "因为坚持自研。"


def test_traditional_news_page_credits_ads_and_further_reading_are_dropped(tmp_path: Path) -> None:
    page = (
        "專訪魏哲家：AI需求比想像的還強\n2024/07/18 14:05\n記者陳小明／新竹報導\n分享到 Facebook\n複製連結\n"
        "（圖／記者陳小明攝）\n問：外界關心AI需求會放緩嗎？\n魏哲家：AI的需求是真實的。\n問：海外廠呢？\n"
        "魏哲家：進度比預期好。\n【廣告】\n延伸閱讀\n輝達市值突破三兆美元\n核稿編輯：王美麗\n本文經授權轉載\n"
    )
    transcript = ingest_file(tmp_path, "news.txt", page)
    assert transcript.participants == {"問": 2, "魏哲家": 2}
    assert transcript.turns[-1].text == "進度比預期好。" and transcript.turns[-1].section is None


def test_press_interview_with_only_the_answers_labelled(tmp_path: Path) -> None:
    """Unlabelled questions between two answers of the one labelled person are the interviewer's."""
    page = (
        "The Interview: Demis Hassabis on the road to AGI\nBy Jane Reporter\nMarch 3, 2024\n"
        "When do you think we will reach AGI?\nDEMIS HASSABIS: Within the next decade, perhaps.\n"
        "What kind of breakthroughs?\nHASSABIS: Planning and memory.\nContinue reading the main story\n"
        "Thank you.\nHASSABIS: Thank you.\nRelated Coverage\nGoogle Unveils Gemini\n"
    )
    transcript = ingest_file(tmp_path, "nyt.txt", page, aliases=ALIASES)
    assert speakers_and_texts(transcript) == [
        ("Jane Reporter", "When do you think we will reach AGI?"),
        ("Demis Hassabis", "Within the next decade, perhaps."),
        ("Jane Reporter", "What kind of breakthroughs?"),
        ("Demis Hassabis", "Planning and memory."),
        ("Jane Reporter", "Thank you."),
        ("Demis Hassabis", "Thank you."),
    ]


def test_an_outlet_asking_the_questions_is_a_speaker(tmp_path: Path) -> None:
    page = (
        "专访｜杨植麟：长文本是第一步\n文 | 王小明\n以下是对话实录：\n"
        "36氪：为什么选择长文本？\n杨植麟：因为它是基础。\n"
        "36氪：参数量是多少？\n杨植麟：不方便透露。\n（本文首发于36氪，转载请注明出处）\n"
    )
    transcript = ingest_file(tmp_path, "36kr.txt", page)
    assert speakers_and_texts(transcript) == [
        ("36氪", "为什么选择长文本？"),
        ("杨植麟", "因为它是基础。"),
        ("36氪", "参数量是多少？"),
        ("杨植麟", "不方便透露。"),
    ]


def test_zhihu_copy_with_zero_width_spaces_and_a_copyright_footer(tmp_path: Path) -> None:
    page = (
        "对话张一鸣：我们如何思考全球化\n张三\n\u200b关注他\n128 人赞同了该文章\n问：你怎么看全球化？\n"
        "张一鸣：全球化是必然。\n问：有什么遗憾吗？\n张一鸣：太多了。\n编辑于 2023-05-01 10:20・IP 属地北京\n"
        "赞同 128\u200b\n\u200b12 条评论\n\u200b分享\n\u200b收藏\n作者：张三\n链接：https://zhuanlan.zhihu.com/p/1\n"
        "著作权归作者所有。商业转载请联系作者获得授权。\n"
    )
    transcript = ingest_file(tmp_path, "zhihu.txt", page)
    assert transcript.participants == {"问": 2, "张一鸣": 2}
    assert transcript.turns[-1].text == "太多了。"


def test_a_title_shown_twice_like_counts_and_a_byline_are_not_speakers(tmp_path: Path) -> None:
    page = (
        "The Generalist\nSubscribe\nModern Meditations: Patrick Collison\nLink copied\n"
        "Modern Meditations: Patrick Collison\nMario Gabriele\nJan 14, 2024\n42\n8\nShare\n"
        "Thanks for reading The Generalist! Subscribe for free to receive new posts and support my work.\n"
        "Mario Gabriele: Patrick, thanks for doing this.\nPatrick Collison: Happy to.\n"
        "Mario Gabriele: What should we fund?\nPatrick Collison: Science.\n42 Likes\n3 Restacks\n"
        "Discussion about this post\n"
    )
    transcript = ingest_file(tmp_path, "substack.txt", page)
    assert speakers_and_texts(transcript) == [
        ("Mario Gabriele", "Patrick, thanks for doing this."),
        ("Patrick Collison", "Happy to."),
        ("Mario Gabriele", "What should we fund?"),
        ("Patrick Collison", "Science."),
    ]


def test_a_photo_caption_quoting_the_guest_is_not_a_turn(tmp_path: Path) -> None:
    page = (
        "Interview\n'I was terrified every night': Olivia Colman on fame and The Crown\nCatherine Shoard\n"
        "Sun 5 Nov 2023 09.00 GMT\nOlivia Colman: 'I don't like being recognised.'\n"
        "Photograph: John Smith/The Guardian\nCatherine Shoard: Why were you terrified?\n"
        "Olivia Colman: Everyone has an opinion about her.\n"
        "Explore more on these topics\nThe Crown\nReuse this content\n"
    )
    transcript = ingest_file(tmp_path, "guardian.txt", page)
    assert transcript.title == "'I was terrified every night': Olivia Colman on fame and The Crown"
    assert speakers_and_texts(transcript) == [
        ("Catherine Shoard", "Why were you terrified?"),
        ("Olivia Colman", "Everyone has an opinion about her."),
    ]
    assert all(t.section is None for t in transcript.turns)


def test_magazine_qa_in_markdown_with_bold_questions(tmp_path: Path) -> None:
    """The questions are the byline's, the answers the person the title interviews."""
    page = (
        '# "Cities are for people": an interview with architect Jan Gehl\n\n*By Sofia Marin — 12 May 2022*\n\n'
        "**Mr. Gehl, when did you realise that cities were being built for cars?**\n\nIn the 1960s.\n\n"
        "She kept asking why.\n\n**And what did you do?**\n\nI started watching.\n"
    )
    transcript = ingest_file(tmp_path, "gehl.md", page)
    assert speakers_and_texts(transcript) == [
        ("Sofia Marin", "Mr. Gehl, when did you realise that cities were being built for cars?"),
        ("Jan Gehl", "In the 1960s.\nShe kept asking why."),
        ("Sofia Marin", "And what did you do?"),
        ("Jan Gehl", "I started watching."),
    ]
    assert not transcript.warnings


def test_podcast_page_transcript_heading_and_episode_links(tmp_path: Path) -> None:
    page = (
        "Episode 212: Building in public\nApril 12, 2024\nShow notes\nTranscript\n"
        "Mike Jones: Welcome back. Sarah, welcome.\nSarah Chen: Thanks, Mike.\nMike Jones: Bye!\nSarah Chen: Bye!\n"
        "Enjoyed this episode? Leave us a review on Apple Podcasts.\n"
        "Previous episode\nNext episode\nPowered by Transistor\n"
    )
    transcript = ingest_file(tmp_path, "episode.txt", page)
    assert all(t.section is None for t in transcript.turns)  # 'Transcript' announces the talk, it names no part
    assert transcript.turns[-1].text == "Bye!"


def test_show_notes_before_the_talk_are_not_a_section(tmp_path: Path) -> None:
    page = (
        "第45期：和李想聊聊理想汽车\n本期嘉宾：李想\n主播：张小珺\n收听平台：小宇宙、喜马拉雅\n"
        "张小珺：李想你好。\n李想：你好，小珺。\n张小珺：为什么做增程？\n李想：因为充电桩太少了。\n"
    )
    transcript = ingest_file(tmp_path, "notes.txt", page)
    assert transcript.participants == {"张小珺": 2, "李想": 2}
    assert all(t.section is None for t in transcript.turns)


def test_labels_that_add_a_name_in_brackets_and_chinese_audience_reactions(tmp_path: Path) -> None:
    page = (
        "黄仁勋最新访谈：未来每个人都是CEO\n2024年10月8日 来源：腾讯科技\n划重点：\n1. AI将让每个人都拥有助理团队。\n"
        "以下为访谈全文：\n主持人（Brad Gerstner）：Jensen，欢迎回来。\n"
        "黄仁勋（Jensen Huang）：是的，时间过得真快。（笑）\n主持人（Brad Gerstner）：你每天工作多少小时？\n"
        "黄仁勋（Jensen Huang）：从醒来到睡觉。（全场笑）\n（完）\n推荐阅读：\n"
    )
    transcript = ingest_file(tmp_path, "qq.txt", page, aliases=ALIASES)
    assert speakers_and_texts(transcript) == [
        ("Brad Gerstner", "Jensen，欢迎回来。"),
        ("Jensen Huang", "是的，时间过得真快。"),
        ("Brad Gerstner", "你每天工作多少小时？"),
        ("Jensen Huang", "从醒来到睡觉。"),
    ]
    assert transcript.editor_summary == "1. AI将让每个人都拥有助理团队。"


def test_a_dated_sentence_after_the_first_turn_is_speech(tmp_path: Path) -> None:
    text = (
        "Ana Diaz: Welcome to the show.\nIt is June 5, 2024, and we are live.\nBo Li: Hi.\nAna Diaz: Go.\nBo Li: Ok.\n"
    )
    assert (
        ingest_file(tmp_path, "live.txt", text).turns[0].text
        == "Welcome to the show.\nIt is June 5, 2024, and we are live."
    )


def test_narration_between_one_persons_quotes_is_not_an_interviewer(tmp_path: Path) -> None:
    page = (
        "奥特曼谈AI：未来十年\n奥特曼：我认为AGI会比大家想象的更早到来。\n在谈到算力时，奥特曼表示成本会持续下降。\n"
        "奥特曼：算力就是未来的货币。\n他最后强调了安全的重要性。\n奥特曼：我们必须谨慎。\n"
    )
    assert set(ingest_file(tmp_path, "quotes.txt", page, aliases=ALIASES).participants) == {"Sam Altman"}


def test_npr_transcript_with_name_and_role_labels_and_soundbites(tmp_path: Path) -> None:
    page = (
        "Fresh Air\nNovelist Ann Patchett on grief\nMarch 12, 2024 12:45 PM ET\n\nTERRY GROSS, HOST:\n\n"
        "This is FRESH AIR. My guest, Ann Patchett, has a new novel.\n\n(SOUNDBITE OF MUSIC)\n\n"
        "GROSS: Ann Patchett, welcome back.\n\nANN PATCHETT: Thank you, Terry.\n\nGROSS: Why cherries?\n\n"
        "PATCHETT: Because they're fragile.\n\nCopyright © 2024 NPR. All rights reserved.\n\n"
        "NPR transcripts are created on a rush deadline by an NPR contractor.\n"
    )
    transcript = ingest_file(tmp_path, "npr.txt", page)
    assert transcript.participants == {"Terry Gross": 2, "Ann Patchett": 2}
    assert (
        transcript.turns[0].text
        == "This is FRESH AIR. My guest, Ann Patchett, has a new novel.\nAnn Patchett, welcome back."
    )
    assert all(t.section is None for t in transcript.turns)


def test_chinese_press_labels_shortened_to_the_surname(tmp_path: Path) -> None:
    # '李开复：' at first, then '李：'; '张：' said once was no label at all, so 张小珺's question ran into 李开复's
    # answer, and '黄：' was a speaker of its own, apart from 黄仁勋.
    page = (
        "对话李开复：大模型的下半场\n\n张小珺：李老师好，先聊聊零一万物。\n\n李开复：好的。我们成立两年。\n\n"
        "张小珺：为什么要做基座模型？\n\n李：因为应用需要可控的底座。\n\n张：那成本呢？\n\n李：推理成本降低了十倍。\n"
    )
    assert speakers_and_texts(ingest_file(tmp_path, "li.txt", page))[3:] == [
        ("李开复", "因为应用需要可控的底座。"),
        ("张小珺", "那成本呢？"),
        ("李开复", "推理成本降低了十倍。"),
    ]
    # two people named 张 speaking: '张' is neither of them
    two = "张小珺：你好。\n张一鸣：你好。\n张小珺：先聊产品。\n张一鸣：好的。\n张：我补充一句。\n"
    assert ingest_file(tmp_path, "two.txt", two).turns[-1].speaker == "张"


def test_chinese_labels_with_a_title_or_a_role_before_the_name(tmp_path: Path) -> None:
    # '李开复博士：' once at the top became the page's title (its words lost), '李博士：' a speaker of its own, and
    # '主持人 张小珺：' no label (the question went to a guessed Interviewer with the label in its text).
    page = (
        "李开复博士：AI会改变每个行业。\n\n主持人 张小珺：包括教育吗？\n\n李博士：尤其是教育。\n\n"
        "主持人 张小珺：为什么？\n\n李博士：因为个性化辅导终于可以规模化。\n"
    )
    assert speakers_and_texts(ingest_file(tmp_path, "li.txt", page)) == [
        ("李开复", "AI会改变每个行业。"),
        ("张小珺", "包括教育吗？"),
        ("李开复", "尤其是教育。"),
        ("张小珺", "为什么？"),
        ("李开复", "因为个性化辅导终于可以规模化。"),
    ]
    boss = "王总：我们今年要上市。\n记者：什么时候？\n王总：明年春天。\n"  # no full name anywhere: the title stays
    assert ingest_file(tmp_path, "wang.txt", boss).participants == {"王总": 2, "记者": 1}


@pytest.mark.parametrize(
    ("page", "asker", "answerer"),
    [
        (
            "专访李明：回国创业这五年\n\n问：您为什么回国？\n\n因为国内市场更大。\n\n我在硅谷待了十年。\n\n"
            "问：我们聊聊团队。\n\n最难的是什么？\n\n招人。\n",
            "问",
            "李明",
        ),
        (
            "Interview with Dr. Sarah Chen\n\nQ: Why did you leave academia?\n\nI wanted my work used.\n\n"
            "Universities move slowly.\n\nQ: Let us talk about money.\n\nWhat was hardest?\n\nRaising it.\n",
            "Q",
            "Sarah Chen",
        ),
    ],
    ids=["chinese", "english"],
)
def test_a_q_and_a_that_labels_only_the_questions(tmp_path: Path, page: str, asker: str, answerer: str) -> None:
    # Every answer ran into the question before it: all of it was the interviewer's.
    turns = speakers_and_texts(ingest_file(tmp_path, "qa.txt", page))
    assert [speaker for speaker, _ in turns] == [asker, answerer, asker, answerer]
    assert turns[1][1].count("\n") == 1  # the answer's two paragraphs
    assert turns[2][1].count("\n") == 1  # a question said in two paragraphs stays one


def test_a_site_menu_above_the_headline_is_not_the_title(tmp_path: Path) -> None:
    # '腾讯新闻 首页 科技 财经 娱乐' was the interview's title.
    page = (
        "腾讯新闻 首页 科技 财经 娱乐\n对话王小川：大模型创业这一年\n2024-03-12 10:23 发布于北京\n"
        "腾讯科技：这一年最大的感受是什么？\n王小川：比预想的快。\n腾讯科技：为什么是医疗？\n王小川：因为医疗最需要AI。\n"
    )
    transcript = ingest_file(tmp_path, "qq.txt", page)
    assert transcript.title == "对话王小川：大模型创业这一年"
    assert transcript.participants == {"腾讯科技": 2, "王小川": 2}
    english = "Home News Sport Culture\nThe Interview: Ada Park\n\nHOST: Welcome, Ada.\nADA PARK: Thanks.\n"
    assert ingest_file(tmp_path, "bbc.txt", english).title == "The Interview: Ada Park"
    said = "Ana: Home is where the heart is.\nBo: And where is yours?\nAna: Home is where the heart is\n"
    assert ingest_file(tmp_path, "home.txt", said).turns[-1].text == "Home is where the heart is"


def test_a_share_bar_and_a_line_of_arrows_after_the_talk_are_page(tmp_path: Path) -> None:
    # The last answer ended with "↓↓↓" and "分享 收藏 在看 赞" (each button alone was already page).
    page = (
        "对话杨植麟：长文本是第一步\n张小珺：为什么押注长文本？\n杨植麟：因为这是通往AGI的第一步。\n"
        "张小珺：怎么看竞争？\n杨植麟：创业公司有速度。\n↓↓↓\n分享 收藏 在看 赞\n"
    )
    assert ingest_file(tmp_path, "wx.txt", page).turns[-1].text == "创业公司有速度。"
    english = "Ana: Any last words?\nBo: Be kind.\nAna: Thanks, Bo.\nBo: Thank you.\nShare Like Reply\n"
    assert ingest_file(tmp_path, "en.txt", english).turns[-1].text == "Thank you."


def test_npr_host_who_opens_and_asks_once_more(tmp_path: Path) -> None:
    # Morning Edition's shape: the host's label alone above the introduction, one question later as 'INSKEEP:'.
    # Both labels said once, so the introduction went to the page (lost) and the question to 'Inskeep'.
    page = (
        "Ocean heat hit a record high\n\nMarch 3, 2024 5:00 AM ET\n\nSTEVE INSKEEP, HOST:\n\n"
        "The oceans absorbed more heat than ever. NPR's Rebecca Hersher reports.\n\n"
        "REBECCA HERSHER, BYLINE: The ocean soaks up the heat.\n\nLIJING CHENG: Every year we see a record.\n\n"
        "HERSHER: Warmer water fuels storms.\n\nINSKEEP: Rebecca, what happens next?\n\n"
        "HERSHER: Another record.\n"
    )
    transcript = ingest_file(tmp_path, "npr.txt", page)
    assert speakers_and_texts(transcript)[0] == (
        "Steve Inskeep",
        "The oceans absorbed more heat than ever. NPR's Rebecca Hersher reports.",
    )
    assert transcript.participants == {"Steve Inskeep": 2, "Rebecca Hersher": 3, "Lijing Cheng": 1}


def test_cnn_labels_with_the_outlet_s_description_and_stage_directions(tmp_path: Path) -> None:
    # 'NAME, CNN ANCHOR:' was no label (the first line became the title, the guest's answer the anchor's), and
    # 'COOPER (voice-over):' none either.
    page = (
        "ANDERSON COOPER, CNN ANCHOR: Good evening. We begin with the storm.\n\n(BEGIN VIDEOTAPE)\n\n"
        "COOPER (voice-over): The winds reached 150 miles an hour.\n\n(END VIDEOTAPE)\n\n"
        "COOPER: Jennifer, how bad is it?\n\nJENNIFER GRAY, CNN METEOROLOGIST: It is very bad, Anderson.\n\n"
        "COOPER: When does it make landfall?\n\nGRAY: Early tomorrow.\n"
    )
    assert speakers_and_texts(ingest_file(tmp_path, "cnn.txt", page)) == [
        (
            "Anderson Cooper",
            "Good evening. We begin with the storm.\nThe winds reached 150 miles an hour.\nJennifer, how bad is it?",
        ),
        ("Jennifer Gray", "It is very bad, Anderson."),
        ("Anderson Cooper", "When does it make landfall?"),
        ("Jennifer Gray", "Early tomorrow."),
    ]


def test_a_hearing_record_s_titled_surnames_in_capitals_are_speakers(tmp_path: Path) -> None:
    # The Congressional Record's 'Senator CRUZ. Thank you…' was one turn of an inferred Speaker 1.
    page = (
        "ARTIFICIAL INTELLIGENCE AND THE FUTURE OF WORK\n\nHEARING BEFORE THE COMMITTEE ON COMMERCE\n\n"
        "Chairman CANTWELL. The committee will come to order.\n\nSenator CRUZ. Thank you, Madam Chair.\n\n"
        "Chairman CANTWELL. Our first witness is Dr. Ana Ruiz.\n\nDr. RUIZ. Thank you for inviting me.\n\n"
        "Senator McCONNELL. Does that mean fewer jobs?\n\nDr. RUIZ. Not in the firms we studied.\n"
    )
    transcript = ingest_file(tmp_path, "hearing.txt", page)
    assert speakers_and_texts(transcript)[:2] == [
        ("Chairman Cantwell", "The committee will come to order."),
        ("Senator Cruz", "Thank you, Madam Chair."),
    ]
    assert transcript.participants == {"Chairman Cantwell": 2, "Senator Cruz": 1, "Dr. Ruiz": 2, "Senator McConnell": 1}
    assert transcript.title == "ARTIFICIAL INTELLIGENCE AND THE FUTURE OF WORK"
    # one person speaking so is no convention: 'Mr. SMITH. Hello.' twice in a letter stays as written
    letter = "Dear Sir,\n\nMr. SMITH. Hello.\n\nMr. SMITH. Again.\n\nRegards.\n"
    assert "Mr. SMITH. Hello." in ingest_file(tmp_path, "letter.txt", letter).turns[0].text


@pytest.mark.parametrize(
    ("page", "speakers"),
    [
        (
            "硅谷知名分析師Ben Thompson最近與OpenAI CEO Sam Altman進行了一場深度對談,聊了開源模型和GPT-5的進展。\n\n"
            "主持人:你覺得DeepSeek的走紅說明了什麼?\nSA: 我認為DeepSeek確實是個很棒的團隊,也做出了很優秀的模型。\n"
            "主持人:GPT-5會免費嗎?\nSA: 是的,GPT-5將可以在免費層中使用。\n",
            ["Ben Thompson", "Sam Altman"] * 2,
        ),
        (
            "OpenAI CEO Sam Altman对话孙正义,揭秘AI算力与智能的指数级关系\n\n"
            "孙正义: 你好,今天很高兴见到你,我们一起宣布了很多消息。\nSam Altma: 我很高兴你喜欢。我真的非常激动。\n"
            "孙正义: 算力是不是越多越好?\nSam Altma: 对,没错,越多越好。更多的算力当然就能带来更强大的模型。\n",
            ["孙正义", "Sam Altman"] * 2,
        ),
    ],
)
def test_a_chinese_page_names_speakers_from_latin_names_written_against_chinese(
    tmp_path: Path, page: str, speakers: list[str]
) -> None:
    """Chinese pages write Western names right against Chinese characters ("分析師Ben Thompson最近與"), with no
    space: those names are read, so initials ("SA") and a truncated label ("Sam Altma") take the full name, and
    the host role (主持人) the other one, with no alias table. Before, the labels stayed and the first page was
    titled "SA — …"."""
    transcript = ingest_file(tmp_path, "page.txt", page)
    assert [turn.speaker for turn in transcript.turns] == speakers
    assert transcript.title.startswith(("Sam Altman", "OpenAI CEO Sam Altman"))


def test_an_oral_history_subject_is_the_interviewee_and_an_email_subject_is_no_speaker(tmp_path: Path) -> None:
    """Oral histories label the interviewee `SUBJECT:`. The word was only ever an email header, so the label was
    not one, and every answer ran into the interviewer's turn: the whole talk was James Park's."""
    talk = (
        "INTERVIEWER: How did you start?\nSUBJECT: I grew up by the sea in Valencia.\n"
        "INTERVIEWER: What worries you most?\nSUBJECT: Warming water and dying reefs.\n"
    )
    page = f"An interview with Dr. Maria Lopez, marine biologist\nBy James Park\n\n{talk}"
    transcript = ingest_file(tmp_path, "oral.txt", page)
    assert [t.speaker for t in transcript.turns] == ["James Park", "Maria Lopez"] * 2
    mail = "Subject: notes from the harbour visit\n\nAna: Did the boats come in?\nBo: All of them, before the tide.\n"
    assert [t.speaker for t in ingest_file(tmp_path, "mail.txt", mail).turns] == ["Ana", "Bo"]


def test_speakers_in_lenticular_brackets_are_labels(tmp_path: Path) -> None:
    """Chinese pages mark the speaker as 【主持人】 or 【马斯克】: each is a turn of that speaker (before, the whole
    talk was one turn of "Speaker 1"), while a bracketed heading alone on its line or a section number is no
    speaker."""
    page = (
        "特斯拉CEO埃隆·马斯克专访:我们如何造火箭\n【导读】\n本文整理自一次对谈,有删节。\n\n【主持人】您为什么要造火箭?\n"
        "【马斯克】因为人类需要成为多星球物种。\n【一】成本\n【主持人】成本能降多少?\n【马斯克】:我们希望降低一百倍。\n"
    )
    transcript = ingest_file(tmp_path, "page.txt", page)
    assert speakers_and_texts(transcript) == [
        ("主持人", "您为什么要造火箭?"),
        ("马斯克", "因为人类需要成为多星球物种。"),
        ("主持人", "成本能降多少?"),
        ("马斯克", "我们希望降低一百倍。"),
    ]
    assert transcript.format == "dialogue"
    once = ingest_file(tmp_path, "once.txt", page + "【小结】本段讨论了成本。\n")  # an editor's note, said once
    assert set(once.participants) == {"主持人", "马斯克"}


def test_a_chinese_reporters_byline_names_the_questions(tmp_path: Path) -> None:
    """Chinese press interviews label the questions 记者 and name the reporter in a byline ("本报记者张伟"): the
    questions are 张伟's, as an English byline names an interviewer's (before, they stayed 记者)."""
    page = (
        "特斯拉CEO埃隆·马斯克专访:我们如何造火箭\n本报记者张伟\n\n记者:您为什么要造火箭?\n马斯克:因为人类需要成为多星球物种。\n"
        "记者:成本能降多少?\n马斯克:我们希望降低一百倍。\n"
    )
    assert [t.speaker for t in ingest_file(tmp_path, "press.txt", page).turns] == ["张伟", "马斯克"] * 2


def test_a_credit_line_above_the_talk_is_no_turn(tmp_path: Path) -> None:
    """'主持人:王芳' above the conversation credits the host, who then speaks as 王芳: it is no turn of 主持人
    saying "王芳"."""
    page = (
        "对话李飞飞:AI的下一个十年\n主持人:王芳\n\n王芳:欢迎李飞飞教授。您怎么看空间智能?\n李飞飞:空间智能是AI的下一个前沿。\n"
        "王芳:中国学生该学什么?\n李飞飞:学好数学,保持好奇心。\n"
    )
    assert [t.speaker for t in ingest_file(tmp_path, "credit.txt", page).turns] == ["王芳", "李飞飞"] * 2


@pytest.mark.parametrize(
    ("page", "turns"),
    [
        (  # the credited host then speaks under the role itself (before: a turn of the host saying "Ana Ruiz")
            "Interview with Dr. Sarah Chen\n\nInterviewer: Ana Ruiz\n\nInterviewer: Thanks for joining us. How did the"
            " lab start?\nSarah Chen: With two students and a borrowed microscope.\nInterviewer: What was hardest?\n"
            "Sarah Chen: Funding, always funding.\n",
            [("Ana Ruiz", "Thanks for joining us. How did the lab start?"), ("Sarah Chen", "With two students and a "
             "borrowed microscope."), ("Ana Ruiz", "What was hardest?"), ("Sarah Chen", "Funding, always funding.")],
        ),
        (
            "对话李开复：人工智能的下一个十年\n\n主持人：王芳\n\n主持人：您好，先请您谈谈创办公司的初衷。\n"
            "李开复：我一直相信人工智能会改变每一个行业。\n主持人：最大的困难是什么？\n李开复：是人才。\n",
            [("王芳", "您好，先请您谈谈创办公司的初衷。"), ("李开复", "我一直相信人工智能会改变每一个行业。"),
             ("王芳", "最大的困难是什么？"), ("李开复", "是人才。")],
        ),
        (  # a credit in full above labels that give only the surname (before: a turn of 记者 saying "张小珺")
            "专访李开复：人工智能的下一个十年\n\n记者：张小珺\n\n张：您好，先请您谈谈创办公司的初衷。\n"
            "李：我一直相信人工智能会改变每一个行业。\n张：最大的困难是什么？\n李：是人才。\n",
            [("张小珺", "您好，先请您谈谈创办公司的初衷。"), ("李开复", "我一直相信人工智能会改变每一个行业。"),
             ("张小珺", "最大的困难是什么？"), ("李开复", "是人才。")],
        ),
        (  # Japanese roles (司会 was a name of its own; a one-off 田中 with it was no label)
            "スタートアップ対談\n\n司会：佐藤花子\n\n司会：起業のきっかけを教えてください。\n"
            "田中：地元の商店街を見て考えました。\n司会：最初の事業は？\n田中：農家をつなぐアプリです。\n",
            [("佐藤花子", "起業のきっかけを教えてください。"), ("田中", "地元の商店街を見て考えました。"),
             ("佐藤花子", "最初の事業は？"), ("田中", "農家をつなぐアプリです。")],
        ),
        (  # labels that give only the surname take the credit's and the headline's full names (they stayed 佐藤, 山田)
            "インタビュー：山田太郎氏に聞く\n\n聞き手：佐藤花子\n\n佐藤：起業のきっかけは？\n"
            "山田：地元の商店街を見て考えました。\n佐藤：最初の事業は？\n山田：農家をつなぐアプリです。\n",
            [("佐藤花子", "起業のきっかけは？"), ("山田太郎", "地元の商店街を見て考えました。"),
             ("佐藤花子", "最初の事業は？"), ("山田太郎", "農家をつなぐアプリです。")],
        ),
    ],
    ids=["english", "chinese-role", "chinese-surname", "japanese", "japanese-surnames"],
)  # fmt: skip
def test_a_credit_line_names_the_role_that_speaks(tmp_path: Path, page: str, turns: list[tuple[str, str]]) -> None:
    assert speakers_and_texts(ingest_file(tmp_path, "credit.txt", page)) == turns


def test_a_greeting_after_a_role_is_speech_not_a_credit(tmp_path: Path) -> None:
    page = "Host: Good Morning\nMaria: Morning! Glad to be here.\nHost: Tell us about the farm.\nMaria: It is small.\n"
    assert speakers_and_texts(ingest_file(tmp_path, "hello.txt", page))[0] == ("Host", "Good Morning")
    short = ingest_file(tmp_path, "one.txt", "司会：よろしくお願いします。\n田中：こちらこそ。\n")
    assert speakers_and_texts(short) == [("司会", "よろしくお願いします。"), ("田中", "こちらこそ。")]


def _otter_page(paragraphs: list[tuple[str, str]]) -> str:
    return "\n\n".join(f"**{name}**  {i}:00  \n{text}" for i, (name, text) in enumerate(paragraphs))


def test_a_page_that_holds_the_transcript_twice_is_read_once(tmp_path: Path) -> None:
    # A Ladybug Podcast page published its edited transcript and then the raw one below it: every quote came
    # up twice in search and the summary's chapters ran through the episode twice.
    talk = [
        ("Ali", f"Question number {n} is about how mobile apps get built and shipped to the stores, step {n}.")
        if n % 2
        else ("Timirah James", f"Answer number {n}: you start with Swift, then learn the design guidelines, part {n}.")
        for n in range(14)
    ]
    raw = [(name, text.replace("Swift", "swift").replace("stores", "store")) for name, text in talk]
    transcript = ingest_file(tmp_path, "44-mobile-dev.md", _otter_page(talk) + "\n\n" + _otter_page(raw))
    assert speakers_and_texts(transcript) == talk
    assert transcript.warnings == [
        "the file holds the transcript twice; the second copy (the last 14 of 28 parts) was left out"
    ]
    # A teaser quoting a few of the lines to come is not a second copy: everything stays.
    teaser = ingest_file(tmp_path, "teaser.md", _otter_page(talk[2:6:2] + talk))
    said = "\n".join(t.text for t in teaser.turns)
    assert said.count("guidelines, part 2.") == 2 and "step 13." in said and not teaser.warnings


def test_a_cold_open_of_clips_said_again_later_is_left_out(tmp_path: Path) -> None:
    """Lenny's Podcast opens with clips of the conversation to come: a clip was quoted with the other clips for
    its context, ahead of the same words in the conversation, and was a summary's first point. The clips go; a
    line said only in the opening stays, and so does everything of a file whose "opening" is most of it."""
    talk = [
        ("Lenny", "Today my guest is Shreya. She teaches the course on evals that half the labs have taken."),
        ("Shreya", "Thanks for having me, it is a pleasure to be on the show today."),
        ("Lenny", "What is the most common misconception people have about evals?"),
        ("Shreya", "The top one is that you can buy a tool and it will do the evals for you. It doesn't work."),
        ("Lenny", "Why do people get so upset about them?"),
        ("Shreya", "People have been burned by evals in the past, so they stopped trusting the numbers."),
        ("Lenny", "So what is the goal, then?"),
        ("Shreya", "The goal is not to do evals perfectly, it's to actionably improve your product."),
        *[
            (
                "Lenny" if n % 2 else "Shreya",
                f"More of the talk, part {n}, on error analysis and how teams read traces.",
            )
            for n in range(40)
        ],
    ]
    opening = [talk[3], talk[5], ("Shreya", "This one gets heated."), talk[7]]
    transcript = ingest_file(tmp_path, "evals.md", _otter_page(opening + talk))
    assert speakers_and_texts(transcript)[:2] == [("Shreya", "This one gets heated."), talk[0]]
    said = "\n".join(t.text for t in transcript.turns)
    assert said.count("actionably improve your product") == 1 and said.count("burned by evals") == 1
    assert transcript.warnings == ["the cold open's 3 clips, said again later in the conversation, were left out"]
    short = ingest_file(tmp_path, "short.md", _otter_page(opening + talk[:8]))  # the clips would be half of it
    assert "\n".join(t.text for t in short.turns).count("actionably improve your product") == 2
