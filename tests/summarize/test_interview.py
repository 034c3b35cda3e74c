"""Interview summaries on small transcripts the tests write: one point per idea, in order, the guest's words."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import PROJECT_ROOT
from bot.library import models
from bot.library.service import Library, NotFoundError
from bot.search.embedder import Embedder, HashingEmbedder
from bot.summarize import Summarizer, service
from bot.summarize.models import SummaryCache
from bot.text.keywords import is_content_word, top_keywords
from bot.text.tokens import tokenize
from tests.conftest import BILINGUAL_CAPTIONS
from tests.ingest.test_turns_from_text import INTERVIEW_EN

from .conftest import REPEATED_IDEA, embed, harbour, ingest

DECISION_WORDS = ("written down", "wrote down", "decision")


def mentions_decisions(text: str) -> bool:
    return any(word in text.lower() for word in DECISION_WORDS)


@pytest.mark.model
async def test_an_idea_said_three_times_in_other_words_is_one_point(
    library: Library, sessions: async_sessionmaker[AsyncSession], real_embedder: Embedder
) -> None:
    interview = await ingest(library, "remote.txt", REPEATED_IDEA)
    await embed(sessions, real_embedder)
    summary = await Summarizer(sessions).interview(interview, points=4)
    assert len(summary.points) == 4
    assert sum(mentions_decisions(p.text) for p in summary.points) == 1, [p.text for p in summary.points]


async def test_points_are_the_guests_sentences_in_transcript_order(
    library: Library, sessions: async_sessionmaker[AsyncSession]
) -> None:
    interview = await ingest(library, "remote.txt", REPEATED_IDEA)
    await embed(sessions, HashingEmbedder())
    summary = await Summarizer(sessions).interview(interview, points=3)
    detail = await library.interview(interview)
    turns = {t.idx: t for t in detail.turns}
    assert summary.scope == "interview" and summary.mode == "extractive" and not summary.nothing_found
    assert [p.turn_idx for p in summary.points] == sorted(p.turn_idx for p in summary.points)
    for point in summary.points:
        assert point.speaker == "Ann Lee" == turns[point.turn_idx].speaker  # the host only asks
        assert point.text in turns[point.turn_idx].text  # a real sentence of that turn
        assert point.interview_id == interview and point.passage_id > 0 and "?" not in point.text


async def test_an_unlabelled_interview_is_summarized_in_its_guests_words(
    library: Library, sessions: async_sessionmaker[AsyncSession]
) -> None:
    """Speakers inferred from the text (no labels in the file) are used like any others: the host only asks."""
    interview = await ingest(library, "harbour-voices.txt", INTERVIEW_EN)
    await embed(sessions, HashingEmbedder())
    detail = await library.interview(interview)
    assert all(t.speaker_inferred for t in detail.turns)
    summary = await Summarizer(sessions).interview(interview, points=3)
    assert summary.points and all(p.speaker == "Owen Hart" for p in summary.points), [
        (p.speaker, p.text) for p in summary.points
    ]


async def test_max_chars_bounds_the_summary(library: Library, sessions: async_sessionmaker[AsyncSession]) -> None:
    interview = await ingest(library, "remote.txt", REPEATED_IDEA)
    summarizer = Summarizer(sessions)  # no vectors stored at all: TF-IDF centrality
    short = await summarizer.interview(interview, points=5, max_chars=180)
    assert 1 <= len(short.points) < 5 and sum(len(p.text) for p in short.points) <= 180
    assert len((await summarizer.interview(interview, points=5)).points) == 5


async def test_the_editors_summary_is_shown_as_theirs_and_never_used(
    library: Library, sessions: async_sessionmaker[AsyncSession]
) -> None:
    page = (
        "Quiet harbours: a conversation\nTL;DR\n- Zanzibar lighthouses are the real story of the century.\n"
        "- Quinn predicts that tides will be privatised.\n\n" + harbour("Mara Quinn")
    )
    interview = await ingest(library, "page.txt", page)
    summary = await Summarizer(sessions).interview(interview, points=5)
    assert summary.editor_summary and "Zanzibar" in summary.editor_summary
    ours = " ".join([p.text for p in summary.points] + summary.keywords).lower()
    assert summary.points and "zanzibar" not in ours and "privatised" not in ours and "lighthouse" not in ours


async def test_bilingual_transcript_in_either_language(
    library: Library, sessions: async_sessionmaker[AsyncSession]
) -> None:
    captions = BILINGUAL_CAPTIONS
    interview = await ingest(library, "gardens.txt", captions)
    summarizer = Summarizer(sessions)
    english = await summarizer.interview(interview, points=2)
    chinese = await summarizer.interview(interview, points=2, language="zh-Hans")
    assert [p.lang for p in english.points] == ["en", "en"] and english.points[0].translation
    assert all(p.text.isascii() and not p.translation.isascii() for p in english.points)  # type: ignore[union-attr]
    assert [p.lang for p in chinese.points] == ["zh-Hans", "zh-Hans"]
    assert [p.text for p in chinese.points] == [p.translation for p in english.points]
    traditional = await summarizer.interview(interview, points=2, language="zh-Hant")
    assert "花園" in " ".join(p.text for p in traditional.points)  # converted to the script asked for
    french = await summarizer.interview(interview, points=2, language="fr")
    assert french.notice and "no fr version" in french.notice and french.points[0].lang == "en"


async def test_max_chars_counts_the_language_shown(
    library: Library, sessions: async_sessionmaker[AsyncSession]
) -> None:
    """Sixty characters of Chinese asked for are sixty characters of Chinese, not of the English they translate."""
    interview = await ingest(library, "gardens.txt", BILINGUAL_CAPTIONS)
    chinese = await Summarizer(sessions).interview(interview, points=2, language="zh-Hans", max_chars=60)
    assert len(chinese.points) == 2, [p.text for p in chinese.points]  # each English version alone is over 60
    assert sum(len(p.text) for p in chinese.points) <= 60 and all(p.lang == "zh-Hans" for p in chinese.points)


async def test_cached_until_the_interview_is_reingested(
    library: Library, sessions: async_sessionmaker[AsyncSession]
) -> None:
    interview = await ingest(library, "harbour.txt", harbour("Mara Quinn"))
    summarizer = Summarizer(sessions)
    first = await summarizer.interview(interview, points=2)
    assert await summarizer.interview(interview, points=2) == first
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(SummaryCache)) == 1
    changed = await ingest(library, "harbour.txt", harbour("Mara Quinn", "Storm surges are the exception."))
    async with sessions() as session:  # the replaced interview took its cached summary with it
        assert await session.scalar(select(func.count()).select_from(SummaryCache)) == 0
    again = await summarizer.interview(changed, points=3)
    assert any("Storm surges" in p.text for p in again.points)


async def test_a_guilds_upload_is_private_to_that_guild(
    library: Library, sessions: async_sessionmaker[AsyncSession]
) -> None:
    private = await ingest(library, "harbour.txt", harbour("Mara Quinn"), guild_id=42)
    summarizer = Summarizer(sessions)
    with pytest.raises(NotFoundError):
        await summarizer.interview(private)
    summary = await summarizer.interview(private, guild_ids=frozenset({0, 42}))
    assert summary.points and all(p.speaker == "Mara Quinn" for p in summary.points)


async def test_unknown_interview(sessions: async_sessionmaker[AsyncSession]) -> None:
    with pytest.raises(NotFoundError):
        await Summarizer(sessions).interview(999)


async def test_keywords_are_terms_a_reader_recognises(
    library: Library, sessions: async_sessionmaker[AsyncSession]
) -> None:
    interview = await ingest(library, "remote.txt", REPEATED_IDEA)
    keywords = (await Summarizer(sessions).interview(interview)).keywords
    assert 3 <= len(keywords) <= 8
    assert {"decision", "remote team"} & set(keywords), keywords
    assert not {"the", "and", "nobody", "again"} & set(keywords)


async def test_keywords_name_no_speaker_no_lone_participle_and_no_word_twice(
    library: Library, sessions: async_sessionmaker[AsyncSession]
) -> None:
    """A digest's week themes are these keywords: they read "daniel okafor", "changed" and "tides" after "tide"."""
    speakers = {
        "ai-tutors-whisper.json": "Grace Daniel Okafor",
        "harbour-tides.vtt": "Priya Nair Owen Hart",
        "founder-interview.txt": "Maya Chen Tom Reyes",
    }
    for sample, names in speakers.items():
        outcome = await library.ingest((PROJECT_ROOT / "data" / "samples" / sample).read_bytes(), sample)
        assert outcome.interview_id is not None, outcome.message
        summary = await Summarizer(sessions).interview(outcome.interview_id)
        words = [word.casefold() for keyword in summary.keywords for word in keyword.split()]  # shown as written
        assert len(summary.keywords) >= 4, summary.keywords
        assert not set(names.lower().split()) & set(words), summary.keywords
        assert "changed" not in words and "failed" not in words, summary.keywords
        singular = [w.removesuffix("s") for w in summary.keywords if " " not in w]
        assert len(singular) == len(set(singular)), summary.keywords


def test_no_keyword_says_how_or_apologizes() -> None:
    """'learning, models, …, building, extremely' (a Dwarkesh episode), '…, roots, sorry' (a Conduit one) and
    '…, determination, times, teach' (another): a word made with -ly from another, an apology and the plural of a
    word too common to be a theme name none; nouns that merely end in -ly do."""
    weights = {"extremely": 9.0, "sorry": 8.0, "recently": 6.0, "family": 5.0, "supply": 4.0}
    assert top_keywords({**weights, "models": 3.0, "monthly": 2.0}) == ["family", "supply", "models"]
    assert not is_content_word("times") and is_content_word("news")  # 'news' is no plural of 'new'


# Chinese speech with English terms in it, as Chinese researchers talk: the terms repeat ('paper paper') and
# stand apart in the Chinese around them.
MIXED_ZH = "\n".join(
    f"{speaker}：{line}"
    for speaker, line in [
        ("主持人", "你读博士的时候，最重要的经历是什么？"),
        ("嘉宾", "我们写了很多paper paper，然后focus在world model上，这个方向当时没人做。"),
        ("主持人", "为什么选world model？"),
        ("嘉宾", "因为paper里面的实验说明，world model可以预测状态，然后focus focus在机器人上面很自然。"),
        ("主持人", "后来呢？"),
        ("嘉宾", "后来我们又投了一篇paper，然后focus在数据上，world model的效果更好了。"),
    ]
)


async def test_keywords_pair_only_english_words_said_together(
    library: Library, sessions: async_sessionmaker[AsyncSession]
) -> None:
    interview = await ingest(library, "phd.txt", MIXED_ZH)
    keywords = (await Summarizer(sessions).interview(interview)).keywords
    assert "world model" in keywords, keywords
    assert not {"paper paper", "focus focus", "paper focus", "model paper"} & set(keywords), keywords


async def test_summary_json_round_trips(library: Library, sessions: async_sessionmaker[AsyncSession]) -> None:
    interview = await ingest(library, "harbour.txt", harbour("Mara Quinn"))
    summary = await Summarizer(sessions).interview(interview, points=2)
    data = summary.to_json()
    assert set(data) >= {"scope", "title", "points", "keywords", "editor_summary", "mode", "notice", "nothing_found"}
    assert set(data["points"][0]) >= {"text", "translation", "speaker", "interview_id", "interview_title", "date",
                                      "turn_idx", "position", "passage_id", "start", "section"}  # fmt: skip
    assert type(summary).from_json(data) == summary
    async with sessions() as session:
        assert await session.get(models.Interview, interview) is not None


async def test_keyword_rarity_in_a_large_library_is_estimated_from_a_sample_of_its_interviews(
    library: Library, sessions: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keywords weigh how many of the library's interviews use a word. Counting it read every passage's words on
    the first interview summary (9 s at 1M passages, and again after each upload); a large library's counts come
    from every k-th interview, scaled, plus the summarized interview's own words, and its keywords stay the same."""
    for i in range(6):
        await ingest(library, f"harbour{i}.txt", harbour(f"Guest {i}"))
    remote = await ingest(library, "remote.txt", REPEATED_IDEA)
    exact = Summarizer(sessions, use_cache=False)
    frequency, documents = await exact._interview_frequency(service.GLOBAL_ONLY, remote)
    expected = (await exact.interview(remote)).keywords
    monkeypatch.setattr(service, "DF_INTERVIEWS", 3)  # seven interviews: every third one is read
    sampled = Summarizer(sessions, use_cache=False)
    estimate, estimated = await sampled._interview_frequency(service.GLOBAL_ONLY, remote)
    tide, salary = tokenize("tide salary")  # as the search tokens store them
    assert documents == 7 and frequency[tide] == 6 and frequency[salary] == 1
    assert estimated == 7 and 5 <= estimate[tide] <= 7 and estimate[salary] == 1  # its own word, counted exactly
    assert len(sampled._document_frequency[service.GLOBAL_ONLY][1] or ()) == 2  # two interviews' words were read
    assert (await sampled.interview(remote)).keywords == expected


# A Traditional Chinese interview that says AGI in capitals: its keywords were shown folded ('agi', '开源'). Each
# answer holds a '……', which folds to six characters: such text must still give its spelling.
TRADITIONAL = """\
主持人：你怎麼看開源模型？
林志明：開源模型讓更多團隊能做研究……開源社群的速度很快，AGI 的研究也因此加速。
主持人：AGI 什麼時候會來？
林志明：我認為……AGI 會在十年內出現，開源模型和科學研究都會推動它。
主持人：科學家該怎麼準備？
林志明：科學家應該學會使用 AI 工具，把時間花在提出正確的問題，讓科學研究更快。
"""
# Interviews in scripts without a dictionary here: every sentence named nothing, and each summary was "Nothing found."
RUSSIAN = """\
Ведущий: Анна, как появилась идея компании?
Анна Иванова: Я работала в банке и видела, как малый бизнес тратит недели на кредиты. Мы решили сделать сервис.
Ведущий: Что было самым трудным?
Анна Иванова: Найти первых клиентов. Первые полгода сервис нашли всего двенадцать клиентов из Казани.
Ведущий: Какие планы на будущее?
Анна Иванова: В следующем году мы хотим выйти на рынок Казахстана и нанять сорок инженеров для сервиса.
"""
KOREAN = """\
진행자: 오늘 모신 분은 김민수 대표입니다. 안녕하세요.
김민수: 안녕하세요. 초대해 주셔서 감사합니다.
진행자: 회사를 처음 시작하게 된 계기가 무엇인가요?
김민수: 대학 시절 동아리에서 만든 번역 앱이 생각보다 반응이 좋았어요. 그래서 친구 두 명과 함께 번역 회사를 창업했습니다.
진행자: 가장 힘들었던 순간은 언제였나요?
김민수: 투자가 끊겼던 2020년이었죠. 직원 월급을 주기 위해 제 차를 팔았고, 번역 앱은 그해 겨울에 흑자가 됐습니다.
"""


async def test_keywords_are_shown_as_the_transcript_writes_them(
    library: Library, sessions: async_sessionmaker[AsyncSession]
) -> None:
    summary = await Summarizer(sessions).interview(await ingest(library, "zh-hant.txt", TRADITIONAL))
    assert {"AGI", "開源"} <= set(summary.keywords), summary.keywords
    assert not {"agi", "开源", "科学"} & set(summary.keywords), summary.keywords
    shown = [k for chapter in summary.chapters for k in chapter.keywords]
    assert shown and not {"agi", "开源"} & set(shown), shown


@pytest.mark.parametrize(
    ("name", "text", "guest"),
    [("ru.txt", RUSSIAN, "Анна Иванова"), ("ko.txt", KOREAN, "김민수")],
    ids=["russian", "korean"],
)
async def test_an_interview_in_a_script_without_a_dictionary_is_summarized(
    library: Library, sessions: async_sessionmaker[AsyncSession], name: str, text: str, guest: str
) -> None:
    summary = await Summarizer(sessions).interview(await ingest(library, name, text))
    assert not summary.nothing_found and summary.points, summary
    assert {p.speaker for p in summary.points} == {guest}
    assert summary.keywords and not {"это", "안녕하세요", "감사합니다"} & set(summary.keywords), summary.keywords
