"""The five real web copies in ../shared/seeds ingest with the right people and none of the page around them."""

from __future__ import annotations

import json
import re
from functools import cache

import pytest

from bot import PROJECT_ROOT
from bot.ingest import Transcript, load_aliases, parse_transcript
from tests.conftest import shared_or_skip

ALIASES = load_aliases(PROJECT_ROOT / "config" / "speakers.toml")

EXPECTED = {
    "000": {"Masayoshi Son", "Sam Altman"},
    "001": {"Lex Fridman", "Sam Altman"},
    "002": {"Fatma Deniz", "Sam Altman"},
    "003": {"Ben Thompson", "Sam Altman"},
    "004": {"Alex", "Mustafa Suleyman"},
}

# Lines of page furniture, ads and related-article lists seen in the seeds: none may reach a turn.
PAGE_TEXT = [
    "微信扫码", "我要投稿", "关注公众号", "阅读约", "原文链接", "来源:官方媒体", "排版:Atlas", "--END--", "53AI",
    "惊艳!Phi-4", "一文搞懂DeepSeek", "独家访谈比尔盖茨", "隨系統", "日夜間", "責編", "廣告聲明", "相關文章",
    "軟媒旗下", "本文來自微信公眾號", "原視頻地址", "訪談原文", "Okta", "Capital One", "Industrial X", "agency.org",
    "Bayt", "双语字幕",
]  # fmt: skip
ONE_OFF_LABELS = (
    "编辑",
    "来源",
    "原文链接",
    "廣告聲明",
    "文章来源",
    "責編",
    "排版",
    "主编",
    "关键词",
    "Q1",
    "Q2",
    "Q3",
)
PINYIN = re.compile(r"[\u4e00-\u9fff]\([a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ]{1,7}\)")


@cache
def seed(number: str) -> Transcript:
    folder = shared_or_skip("seeds")
    path = next(folder.glob(f"{number}_*.txt"))
    return parse_transcript(path.read_bytes(), path.name, aliases=ALIASES)


@cache
def expected_counts() -> dict:
    return json.loads(shared_or_skip("eval", "speakers.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("number", sorted(EXPECTED))
def test_participants_are_the_right_people(number: str) -> None:
    transcript = seed(number)
    assert set(transcript.participants) == EXPECTED[number]


@pytest.mark.parametrize("number", sorted(EXPECTED))
def test_turn_counts_are_plausible(number: str) -> None:
    """Within 10% of a careful reader's count of merged turns per person."""
    counts = expected_counts()[number]["merged_turns"]
    expected = sorted(v for k, v in counts.items() if not k.startswith("_"))
    actual = sorted(seed(number).participants.values())
    for want, got in zip(expected, actual, strict=True):
        assert abs(got - want) <= max(2, want // 10), (expected, actual)


@pytest.mark.parametrize("number", sorted(EXPECTED))
def test_no_page_chrome_ads_or_related_articles_in_turns(number: str) -> None:
    for turn in seed(number).turns:
        for text in (turn.text, turn.translation or ""):
            for chrome in PAGE_TEXT:
                assert chrome not in text, (chrome, text[:200])
            assert not re.fullmatch(r"\s*\d{4}-\d{2}-\d{2}\s*", text)


@pytest.mark.parametrize("number", sorted(EXPECTED))
def test_one_off_labels_never_become_speakers(number: str) -> None:
    for name in seed(number).participants:
        assert name not in ONE_OFF_LABELS


def test_questions_q1_to_q3_are_attributed_to_the_moderator() -> None:
    transcript = seed("002")
    questions = [t for t in transcript.turns if "最大技術困難" in t.text or "如何為未來做準備" in t.text]
    assert questions and all(t.speaker == "Fatma Deniz" for t in questions)


def test_pinyin_annotations_are_removed_and_glosses_kept() -> None:
    text = "\n".join(t.text for n in ("002", "003") for t in seed(n).turns)
    assert not PINYIN.search(text), PINYIN.search(text)
    assert "認為" in text and "適應能力(adaptability)" in text and "韌性(resilience)" in text
    assert "算力(compute)" in "\n".join(t.text for t in seed("000").turns)


def test_editor_key_points_are_kept_apart_from_the_turns() -> None:
    for number, phrase in (("000", "五阶段路线图"), ("001", "谈 GPT-5"), ("003", "警醒")):
        transcript = seed(number)
        assert transcript.editor_summary and phrase in transcript.editor_summary
        first = transcript.turns[0].text
        assert phrase not in first


def test_narration_is_not_speech() -> None:
    """002 interleaves the editor's narration ('阿爾特曼認為…') with the dialogue."""
    text = "\n".join(t.text for t in seed("002").turns)
    assert "阿爾特曼認為" not in text and "話鋒一轉" not in text and "唱衰 AI 不同" not in text
    assert "我不認為自己會比 GPT-5 更聰明" in text  # a turn whose label lost its colon


def test_section_headings_become_sections() -> None:
    sections = {t.section for t in seed("001").turns}
    assert {"OpenAI 董事会之争", "Sora", "GPT-4"} <= sections
    assert all(t.text not in sections for t in seed("001").turns)


def test_bilingual_captions_keep_both_versions_aligned() -> None:
    transcript = seed("004")
    assert set(transcript.languages) == {"en", "zh-Hans"}
    for turn in transcript.turns:
        assert turn.translation is not None and turn.translation_lang == "zh-Hans"
        assert turn.text.count("\n") == turn.translation.count("\n")
    joined = "\n".join(t.text for t in transcript.turns)
    assert "goals rather than methods" in joined


def test_metadata_title_source_and_date() -> None:
    assert seed("002").date == "2025-02-08"
    assert seed("002").source_url == "https://www.youtube.com/watch?v=McuO7Osgzqo"
    assert seed("001").source_url.startswith("https://www.163.com/")
    assert "Mustafa Suleyman" in seed("004").title
    assert seed("003").languages == ["zh-Hant"] and seed("000").languages == ["zh-Hans"]
