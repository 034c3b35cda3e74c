"""Interviews copied from web pages: the conversation stays, the page around it goes."""

from __future__ import annotations

from pathlib import Path

from tests.ingest.conftest import ingest_file

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


def test_english_page_keeps_the_conversation_and_drops_the_page(tmp_path: Path) -> None:
    transcript = ingest_file(tmp_path, "page.txt", ENGLISH_PAGE)
    assert transcript.title == "The Long Game: A conversation with Priya Raman on climate finance"
    assert transcript.date == "2024-03-14"
    assert transcript.participants == {"Daniel Ortiz": 3, "Priya Raman": 3}
    text = "\n".join(t.text for t in transcript.turns)
    assert [chrome for chrome in ENGLISH_CHROME if chrome in text] == []
    assert transcript.turns[-1].text == "Interest rates. When rates rise, projects stall.\nThat's the honest answer."


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
