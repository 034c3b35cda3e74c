"""Quote search end to end on real SQLite files: the behaviour a user of `/quote` or `colloquy search` sees."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import func, select

from bot.library import models
from bot.library.service import Library
from bot.search.embedder import Embedder, HashingEmbedder
from bot.search.indexer import embed_pending, pending_count, vector_key
from bot.search.service import SearchService

pytestmark = pytest.mark.model

ZH_TRAD = (
    "陳偉：我們在台北開了第一家書店。\n"
    "林芳：為什麼選擇書店？\n"
    "陳偉：因為我父親一輩子都在收集舊書，他希望書能被更多人讀到。\n"
)
ZH_SIMP = "王磊：我每天早上五点起床去海边游泳。\n赵敏：冬天也去吗？\n王磊：冬天也去，冷水让我头脑清醒。\n"


async def build(library: Library, embedder: Embedder, files: list[Path], guild_id: int = 0) -> SearchService:
    for path in files:
        outcome = await library.ingest(path.read_bytes(), path.name, guild_id=guild_id)
        assert not outcome.failed, outcome.message
    await embed_pending(library.sessions, embedder)
    return SearchService(library.sessions, embedder)


async def test_english_question_finds_a_chinese_quote(
    library: Library, real_embedder: Embedder, samples: list[Path]
) -> None:
    search = await build(library, real_embedder, samples)
    result = await search.search("What is the biggest cost of working remotely?", await search.scope_for(), 3)
    assert not result.declined
    assert any("偶然的对话" in hit.text for hit in result.hits)
    hit = next(h for h in result.hits if "偶然的对话" in h.text)
    assert hit.speaker == "周敏" and hit.start == 55.4


async def test_simplified_question_finds_traditional_text_and_back(
    library: Library, real_embedder: Embedder, tmp_path: Path
) -> None:
    (tmp_path / "trad.txt").write_text(ZH_TRAD, encoding="utf-8")
    (tmp_path / "simp.txt").write_text(ZH_SIMP, encoding="utf-8")
    search = await build(library, real_embedder, [tmp_path / "trad.txt", tmp_path / "simp.txt"])
    scope = await search.scope_for()
    simplified_question = await search.search("陈伟为什么开书店", scope, 1)
    assert simplified_question.hits[0].speaker == "陳偉" and "書店" in simplified_question.hits[0].text
    traditional_question = await search.search("王磊冬天為什麼還去海邊游泳", scope, 2)
    assert traditional_question.hits[0].speaker == "王磊"
    assert any("冷水" in hit.text for hit in traditional_question.hits)


async def test_chinese_lexical_side_scores_chinese_words(
    library: Library, real_embedder: Embedder, tmp_path: Path
) -> None:
    (tmp_path / "trad.txt").write_text(ZH_TRAD, encoding="utf-8")
    search = await build(library, real_embedder, [tmp_path / "trad.txt"])
    result = await search.search("台北 书店", await search.scope_for(), 3, method="lexical")
    # both Simplified words are found in the Traditional passage (a score's sign says nothing: a short passage's
    # penalty can outweigh its words)
    assert result.hits and "台北" in result.hits[0].text and result.diagnostics["coverage"] == 1.0


async def test_speaker_filter_never_returns_another_speaker(
    library: Library, real_embedder: Embedder, samples: list[Path]
) -> None:
    search = await build(library, real_embedder, samples)
    for query in ("remote work", "money", "tides and boats", "远程工作"):
        scope = await search.scope_for(speaker="Maya Chen")
        result = await search.search(query, scope, 10)
        assert result.hits and {h.speaker for h in result.hits} == {"Maya Chen"}
    nobody = await search.scope_for(speaker="Nobody At All")
    assert (await search.search("money", nobody, 5)).hits == []


async def test_guild_never_sees_another_guilds_passages(
    library: Library, real_embedder: Embedder, samples: list[Path], tmp_path: Path
) -> None:
    (tmp_path / "secret.txt").write_text(
        "Iris Vale: The password for the vault is marmalade.\nJon Pike: Marmalade, noted.\n", encoding="utf-8"
    )
    await build(library, real_embedder, samples)
    search = await build(library, real_embedder, [tmp_path / "secret.txt"], guild_id=111)
    mine = await search.search("vault password marmalade", await search.scope_for(guild_ids=frozenset({0, 111})), 3)
    assert mine.hits and mine.hits[0].speaker == "Iris Vale"
    theirs = await search.search("vault password marmalade", await search.scope_for(guild_ids=frozenset({0, 222})), 10)
    assert all(h.speaker not in ("Iris Vale", "Jon Pike") for h in theirs.hits)


async def test_question_the_library_does_not_answer_is_declined(
    library: Library, real_embedder: Embedder, samples: list[Path]
) -> None:
    search = await build(library, real_embedder, samples)
    scope = await search.scope_for()
    # Declined for want of any word the library holds. A question sharing common words with it ("…the rules of
    # cricket and test match tactics?") is not: on the dev sets no threshold declines such questions without
    # declining more than 3% of answerable ones (README, "Search").
    for query in ("Who won the 1998 football world cup?", "What do they say about volcanoes in Iceland?"):
        result = await search.search(query, scope, 5)
        assert result.declined and result.hits == [], (query, result.diagnostics)
    answered = await search.search("why can't loaded boats leave the harbour at low water", scope, 5)
    assert not answered.declined and "sand bar" in answered.hits[0].text


async def test_named_speaker_is_preferred(library: Library, real_embedder: Embedder, samples: list[Path]) -> None:
    search = await build(library, real_embedder, samples)
    result = await search.search("What does Owen Hart say about storm surges?", await search.scope_for(), 3)
    assert result.hits[0].speaker == "Owen Hart" and "surge" in result.hits[0].text.lower()


async def test_a_chinese_question_about_english_speech_is_not_drawn_to_chinese_speech_on_another_subject(
    library: Library, real_embedder: Embedder, samples: list[Path]
) -> None:
    search = await build(library, real_embedder, samples)
    scope = await search.scope_for()
    garden = await search.search("屋顶花园种什么菜最好?", scope, 3)  # which vegetables do best on a rooftop?
    assert "Herbs and beans" in garden.hits[0].text
    storms = await search.search("渔民怎么判断风暴要来了?", scope, 2)  # how do fishermen tell a storm is coming?
    assert [hit.speaker for hit in storms.hits] == ["Owen Hart", "Owen Hart"]  # not 周敏 on remote work


PARTNERS = (
    "Dana Reyes: Welcome back to the show. Today my guest is Tom Alvarez.\n"
    "Tom Alvarez: Huge fan. Thanks for having me.\n"
    "Dana Reyes: How did the bakery start?\n"
    "Tom Alvarez: We ship bread to forty cafés every morning, and the ovens run from three o'clock.\n"
    "Dana Reyes: And Lena Park, how did you meet her?\n"
    "Tom Alvarez: Lena Park ran the numbers from day one. I met Lena at a flour market in Lisbon.\n"
    "Lena Park: Tom bakes, I count. That is the whole company.\n"
)


async def test_a_search_among_one_speakers_words_keeps_the_other_person_it_asks_about(
    library: Library, real_embedder: Embedder, tmp_path: Path
) -> None:
    (tmp_path / "partners.txt").write_text(PARTNERS, encoding="utf-8")
    search = await build(library, real_embedder, [tmp_path / "partners.txt"])
    scope = await search.scope_for(speaker="Tom Alvarez")
    result = await search.search("What did Tom Alvarez say about Lena Park?", scope, 3)
    assert {h.speaker for h in result.hits} == {"Tom Alvarez"}
    assert "met Lena" in result.hits[0].text


class OtherModel(HashingEmbedder):
    model_id = "hashing-ngrams-v2"


async def test_model_change_re_embeds_everything(library: Library, samples: list[Path]) -> None:
    first, second = HashingEmbedder(), OtherModel(dim=128)
    await build(library, first, samples)
    assert await pending_count(library.sessions, vector_key(first)) == 0
    assert await pending_count(library.sessions, vector_key(second)) > 0
    report = await embed_pending(library.sessions, second)
    async with library.sessions() as session:
        models_left = set(await session.scalars(select(models.Embedding.model).distinct()))
        total = await session.scalar(select(func.count()).select_from(models.Passage))
    assert report.removed_stale == total and report.embedded == total
    assert models_left == {vector_key(second)}
    search = SearchService(library.sessions, second)
    index = await search.index()
    assert index.vectors.shape == (total, 128) and bool(index.has_vector.all())


async def test_interrupted_indexing_resumes(library: Library, samples: list[Path]) -> None:
    embedder = HashingEmbedder()
    for path in samples:
        await library.ingest(path.read_bytes(), path.name)
    calls = 0

    class Flaky(HashingEmbedder):
        def encode_passages(self, texts, batch_size=32):  # type: ignore[no-untyped-def]
            nonlocal calls
            calls += 1
            if calls == 2:
                raise KeyboardInterrupt  # the operator pressed Ctrl-C during the second batch
            return super().encode_passages(texts, batch_size)

    with pytest.raises(KeyboardInterrupt):
        await embed_pending(library.sessions, Flaky(), batch_size=2)
    left = await pending_count(library.sessions, vector_key(embedder))
    assert left > 0
    await embed_pending(library.sessions, embedder, batch_size=2)
    assert await pending_count(library.sessions, vector_key(embedder)) == 0
    search = SearchService(library.sessions, embedder)
    assert np.isfinite((await search.index()).vectors).all()


async def test_an_explanation_that_checks_the_listener_follows_is_quoted_not_the_yeah_after_it(
    library: Library, real_embedder: Embedder, tmp_path: Path
) -> None:
    """ "Does that make sense?" asks nothing: the expert's point around it is the quote. Read as a question, the
    turn handed its score to the reply ("Yeah.") and its own passage was never shown."""
    (tmp_path / "judges.txt").write_text(
        "Lenny: How do you know the judge works?\n"
        "Hamel: You measure how often the judge agrees with a human. Does that make sense? Ninety percent "
        "agreement looks good on paper, but it can be misleading when the errors are rare.\n"
        "Lenny: Yeah.\n"
        "Hamel: Then you look at the disagreements one by one.\n",
        encoding="utf-8",
    )
    search = await build(library, real_embedder, [tmp_path / "judges.txt"])
    result = await search.search("why can a high agreement rate be misleading", await search.scope_for(), 3)
    assert result.hits and result.hits[0].speaker == "Hamel" and "misleading" in result.hits[0].text


# One speaker's answer over three caption cues a minute apart, and a Rev-style turn of stamped paragraphs.
CUES = {
    5.0: "We started the bakery in a garage with one oven and a borrowed mixer. For a whole year we sold only at "
    "the Saturday market, and every loaf went into the back of my brother's van before dawn.",
    70.0: "The hardest part was the landlord. He raised the rent twice in the first winter, before we had any "
    "regulars, and I spent most nights doing the accounts at the kitchen table.",
    130.0: "Our first employee was a retired chemistry teacher who answered a notice in the laundromat. She fixed "
    "our sourdough starter in a week and taught the rest of us to keep notes on everything.",
    190.0: "Then the city closed our street for nine months to replace the water mains. Nobody could reach the door, "
    "so we delivered on bicycles and learned which neighbours liked which bread.",
    250.0: "What saved us was a wedding order for four hundred cinnamon rolls. That single order paid the rent for "
    "three months, and the bride's family still orders from us every Christmas.",
    310.0: "These days we run two shops and a stall at the airport. I still bake the first tray myself every "
    "morning, because that is the only hour of the day when the building is quiet.",
}
PARAGRAPHS = {
    4.0: "My grandmother taught me to bake bread when I was nine, in a village kitchen with a wood stove. She never "
    "weighed anything and she never wrote a recipe down, which drove my mother mad.",
    135.0: "Years later, a bank loan of twelve thousand dollars bought the first real oven we ever owned. The loan "
    "officer had been a customer at the market, and he said he trusted the rye.",
}


def _srt_time(seconds: float) -> str:
    return f"00:{int(seconds) // 60:02d}:{int(seconds) % 60:02d},000"


async def test_a_quote_in_a_long_turn_shows_when_its_own_words_were_said(
    library: Library, real_embedder: Embedder, tmp_path: Path
) -> None:
    """A turn merged from cues or stamped paragraphs runs for minutes: each quote shows when its first words were
    said, its own cue's or paragraph's start, not the turn's (a quote said at 00:04:10 had read 00:00:05)."""
    cues = [
        f"{n}\n{_srt_time(t)} --> {_srt_time(t + 20)}\nDana Lee: {text}\n"
        for n, (t, text) in enumerate(CUES.items(), 1)
    ]
    cues.append("7\n00:06:00,000 --> 00:06:05,000\nSam Ortiz: Four hundred rolls, in a garage?\n")
    (tmp_path / "bakery.srt").write_text("\n".join(cues), encoding="utf-8")
    stamped = ["Sam Ortiz (00:00:01):\nHow did the shop begin?", f"Dana Lee (00:00:04):\n{PARAGRAPHS[4.0]}"]
    (tmp_path / "shop.md").write_text("\n\n".join([*stamped, f"(00:02:15):\n{PARAGRAPHS[135.0]}"]), encoding="utf-8")
    search = await build(library, real_embedder, [tmp_path / "bakery.srt", tmp_path / "shop.md"])
    scope = await search.scope_for()
    said = {**CUES, **PARAGRAPHS}
    shown = []
    for question, words in (
        ("What order paid the rent for three months?", "cinnamon rolls"),
        ("Who raised the rent in the first winter?", "landlord"),
        ("Where did the bakery start?", "garage with one oven"),
        ("How much was the bank loan for the oven?", "twelve thousand"),
        ("Who taught Dana to bake?", "grandmother"),
    ):
        hit = next(h for h in (await search.search(question, scope, 3)).hits if words in h.text)
        first_said = next(t for t, text in said.items() if text.startswith(hit.text[:40]) or hit.text[:40] in text)
        assert hit.speaker == "Dana Lee" and hit.start == first_said, (question, hit.text[:40], hit.start)
        shown.append(hit.start)
    assert set(shown) - {5.0, 4.0}  # a quote past its turn's first cue was found, with its own time
    async with library.sessions() as session:  # and every passage stored has the time its first words were said
        stored = (await session.execute(select(models.Passage.start, models.Passage.text))).all()
    for start, text in stored:
        assert start == next((t for t, words in said.items() if words.startswith(text[:40])), start), text
    assert {t for t, _ in stored} >= {5.0, 70.0, 130.0, 190.0, 250.0, 310.0, 4.0, 135.0}
