"""How search turns scored passages into quotes (pure functions over a small hand-made index)."""

from __future__ import annotations

from collections import namedtuple
from dataclasses import replace

import numpy as np

from bot.search.index import Scope, build_index, dense_scores
from bot.search.lexical import BM25Index, CorpusStats, term_scores
from bot.search.ranking import Ranked, best_quotes, feature_names, features, load_model, rank
from bot.text.passages import passage_features
from bot.text.tokens import tokenize, tokens_to_text

Row = namedtuple(
    "Row",
    "id interview_id guild_id speaker lang bilingual turn_idx position date lexical text question_share text_weight "
    "has_number asks vector",
)


def unit(*values: float) -> bytes:
    vector = np.array(values, dtype=np.float32)
    return (vector / np.linalg.norm(vector)).tobytes()


def index_of(turns: list[tuple[str, list[tuple[str, bytes]]]], interview: int = 1, guild: int = 0):  # type: ignore[no-untyped-def]
    """An index over one interview: (speaker, [(text, vector), ...]) per turn."""
    return build_index(list(reversed(rows_of(turns, interview, guild))), 3)  # any order in: transcript order out


def rows_of(turns: list[tuple[str, list[tuple[str, bytes]]]], interview: int = 1, guild: int = 0) -> list[Row]:
    rows, pid = [], interview * 1000
    for turn_idx, (speaker, passages) in enumerate(turns):
        for position, (text, vector) in enumerate(passages):
            asks = text.endswith("?") and position == len(passages) - 1
            lexical = tokens_to_text(tokenize(text))
            rows.append(
                Row(
                    pid,
                    interview,
                    guild,
                    speaker,
                    "en",
                    False,
                    turn_idx,
                    position,
                    None,
                    lexical,
                    text,
                    *passage_features(text).values(),
                    asks,
                    vector,
                )  # fmt: skip
            )
            pid += 1
    return rows


def ranked(scores: list[float]) -> Ranked:
    return Ranked(np.arange(len(scores)), np.array(scores, dtype=np.float32), False, {})


def test_a_thought_over_two_passages_is_one_quote_and_other_turns_never_join() -> None:
    index = index_of(
        [
            ("Host", [("What about the harbour?", unit(0.5, 1, 0))]),
            ("Guest", [("The tide comes in twice a day.", unit(1, 0.1, 0)), ("So we wait for it.", unit(0.3, 0, 1))]),
            ("Host", [("And what about the boats?", unit(0, 1, 0))]),
        ]
    )
    assert index.ids.tolist() == [1000, 1001, 1002, 1003] and index.turn_of.tolist() == [0, 1, 1, 2]
    quotes = best_quotes(index, ranked([0.1, 2.0, 1.8, 1.9]), 3, margin=0.4)
    assert [span for span, _, _ in quotes] == [[1, 2], [3], [0]]  # row 3 scores close to row 2 but is the host's
    apart = [0.1, 2.0, 1.0, 1.9]  # row 2 is not close enough to row 1 to join it...
    assert [span for span, _, _ in best_quotes(index, ranked(apart), 2, margin=0.4)] == [[1], [3]]
    # ...but once it earns a place of its own, it continues row 1's quote rather than standing apart
    assert [span for span, _, _ in best_quotes(index, ranked(apart), 3, margin=0.4)] == [[1, 2], [3], [0]]


def test_a_scrap_of_crosstalk_is_no_quote_of_its_own() -> None:
    index = index_of(
        [
            ("Guest", [("The tide comes in twice a day.", unit(1, 0, 0)), ("Yeah.", unit(1, 0.2, 0))]),
            ("Host", [("people.", unit(0, 1, 0))]),  # a caption cue between two voices
            ("Guest", [("So we wait for it.", unit(0, 0, 1))]),
        ]
    )
    quotes = best_quotes(index, ranked([1.0, 0.2, 2.0, 0.5]), 3, margin=0.1)
    assert [span for span, _, _ in quotes] == [[0], [3]]  # 'people.' and 'Yeah.' answer nothing on their own
    quotes = best_quotes(index, ranked([2.0, 1.95, 0.1, 0.5]), 3, margin=0.1)
    assert [span for span, _, _ in quotes] == [[0, 1], [3]]  # inside a longer quote a back-channel may stay


def test_passages_that_continue_a_quote_extend_it_up_to_four_passages() -> None:
    story = [(f"Part {i} of the story.", unit(i % 2, 0, 1 - i % 2)) for i in range(6)]  # not near-duplicates
    index = index_of([("Guest", story), ("Host", [("Thanks for telling it.", unit(0, 1, 0))])])
    scores = [1.0, 2.0, 1.5, 1.4, 1.3, 1.2, 0.1]  # each passage of the turn in turn, then the host
    quotes = best_quotes(index, ranked(scores), 3, margin=0.1)
    assert [span for span, _, _ in quotes] == [[1, 2, 3, 4], [5], [0]]  # four at most: the fifth stands alone
    assert [best for _, best, _ in quotes] == [1, 5, 0]
    assert all(len(index.text_hash[span]) == len(set(index.text_hash[span])) for span, _, _ in quotes)


def test_a_pair_that_continues_a_quote_extends_it_though_its_best_passage_is_not_next_to_it() -> None:
    story = [(f"Part {i} of the story.", unit(i % 2, 0, 1 - i % 2)) for i in range(4)]
    index = index_of([("Guest", story), ("Host", [("Thanks for telling it.", unit(0, 1, 0))])])
    # rows 0-1 make a quote; row 3 is next best and takes row 2, which sits right after that quote, with it
    quotes = best_quotes(index, ranked([2.0, 1.95, 1.75, 1.8, 0.1]), 2, margin=0.1)
    assert [span for span, _, _ in quotes] == [[0, 1, 2, 3], [4]]  # the setup and its answer read as one quote
    story = [(f"Part {i} of the story.", unit(i % 2, 0, 1 - i % 2)) for i in range(5)]
    index = index_of([("Guest", story), ("Host", [("Thanks for telling it.", unit(0, 1, 0))])])
    quotes = best_quotes(index, ranked([2.0, 1.95, 1.9, 1.75, 1.8, 0.1]), 2, margin=0.1)
    assert [span for span, _, _ in quotes] == [[0, 1, 2], [3, 4]]  # five passages would be too long: apart


def test_the_same_words_in_two_copies_are_shown_once_and_the_servers_own_copy_wins() -> None:
    turns = [
        ("Guest", [("The tide comes in twice a day.", unit(1, 0, 0))]),
        ("Host", [("And what of the boats?", unit(0, 1, 0))]),
    ]
    index = build_index(rows_of(turns, interview=1, guild=0) + rows_of(turns, interview=2, guild=77), 3)
    assert index.guild_ids.tolist() == [0, 0, 77, 77]
    quotes = best_quotes(index, ranked([2.0, 0.5, 2.0, 0.5]), 4, margin=0.0)
    assert [index.text_hash[span[0]] for span, _, _ in quotes] == [index.text_hash[0], index.text_hash[1]]  # once
    assert all(index.guild_ids[span[0]] == 77 for span, _, _ in quotes)  # from the server's own copy


def test_window_and_turn_scores_are_the_cosine_with_the_summed_vectors() -> None:
    index = index_of([("A", [("one", unit(1, 0, 0)), ("two", unit(0, 1, 0))]), ("B", [("three", unit(0, 0, 1))])])
    scores = dense_scores(index, np.array([1, 0, 0], dtype=np.float32))
    assert np.allclose(scores.passage, [[1, 0, 0]])
    assert np.allclose(scores.window, [[1 / np.sqrt(2), 1 / np.sqrt(2), 0]])  # (1,1,0)/√2 for both of A's passages
    assert np.allclose(scores.turn, [[1 / np.sqrt(2), 1 / np.sqrt(2), 0]])


def test_each_model_of_a_combined_vector_is_scored_on_its_own() -> None:
    half = np.float32(1 / np.sqrt(2))
    vector = (np.array([1, 0, 0, 1, 0], dtype=np.float32) * half).tobytes()  # model A (2 dims), model B (3 dims)
    rows = [Row(1, 1, 0, "A", "en", False, 0, 0, None, "", "one", *passage_features("one").values(), False, vector)]
    index = build_index(rows, (2, 3))
    question = np.array([1, 0, 0, 0, 1], dtype=np.float32) * half  # agrees with A, not with B
    scores = dense_scores(index, question)
    assert np.allclose(scores.passage[:, 0], [1.0, 0.0])


def test_evidence_columns_follow_their_names() -> None:
    index = index_of([("Host", [("Why the harbour?", unit(1, 0, 0))]), ("Guest", [("Tides decide.", unit(0, 1, 0))])])
    matrix, diagnostics = features(index, "harbour", np.array([1, 0, 0], dtype=np.float32), np.arange(2), None)
    column = dict(zip(feature_names(1), matrix.T, strict=True))
    assert matrix.shape == (2, len(feature_names(1)))
    assert column["lexical"].tolist() == [1.0, 0.0] and column["asks"].tolist() == [1.0, 0.0]
    assert column["asker"].tolist() == [1.0, 0.0]  # the host's one turn asks; the guest's does not
    assert column["dense0_passage"][0] > column["dense0_passage"][1] and diagnostics["coverage"] == 1.0


def test_a_question_asking_how_many_prefers_the_passage_that_states_a_number() -> None:
    index = index_of(
        [("Guest", [("We grew the team a lot that year.", unit(1, 0, 0))]), ("Host", [("Nice.", unit(0, 1, 0))])]
        + [("Guest", [("We grew the team to forty engineers.", unit(1, 0, 0))])]
        + [("Guest" if i % 2 else "Host", [(f"filler {i}.", unit(0, 1, 0.1 * i))]) for i in range(60)]
    )
    question, scope, model = np.array([1, 0, 0], dtype=np.float32), Scope(frozenset({0})), load_model()
    for asked, numbered in (
        ("How many people did the team grow to?", [0.0, 0.0, 1.0]),
        ("Did the team grow?", [0.0] * 3),
    ):
        matrix, _ = features(index, asked, question, np.arange(len(index)), None)
        assert matrix[:3, feature_names(1).index("numeric")].tolist() == numbered
    how_many = rank(index, "How many people did the team grow to?", question, scope, "hybrid", model)
    assert how_many.rows[np.argmax(how_many.scores)] == 2  # "forty engineers", not "a lot"


def test_a_matching_question_speaks_for_its_reply_unless_its_asker_is_named() -> None:
    index = index_of(
        [("Host", [("What is the biggest cost?", unit(1, 0, 0))]), ("Guest", [("Chance talks.", unit(0, 1, 0))])]
        + [("Guest" if i % 2 else "Host", [(f"filler {i}.", unit(0, 1, 0.1 * i))]) for i in range(60)]
    )
    question, model = np.array([1, 0, 0], dtype=np.float32), replace(load_model(), handover_cost=0.5)
    result = rank(index, "biggest cost", question, Scope(frozenset({0})), "hybrid", model)
    order = result.rows[np.argsort(-result.scores)].tolist()
    assert not result.declined and order[0] == 1  # the guest's reply, though only the question matches
    assert not np.isfinite(result.scores[0])  # the question is no quote of its own: the reply's context shows it
    host = np.isin(index.speakers, index.speaker_codes({"Host"})).astype(np.float32)
    named = rank(index, "biggest cost", question, Scope(frozenset({0})), "hybrid", model, host)
    assert named.rows[np.argmax(named.scores)] == 0  # "what did the host ask…" finds the question itself


def test_a_reply_inherits_at_most_the_cap_above_its_own_score() -> None:
    index = index_of(
        [("Host", [("What is the biggest cost?", unit(1, 0, 0))]), ("Guest", [("Chance talks.", unit(0, 1, 0))])]
        + [("Guest", [("The lost chance talks hurt us most.", unit(0.8, 0.6, 0))])]
        + [("Guest" if i % 2 else "Host", [(f"filler {i}.", unit(0, 1, 0.1 * i))]) for i in range(60)]
    )
    question, model = np.array([1, 0, 0], dtype=np.float32), replace(load_model(), handover_cost=0.5)
    lifted = rank(index, "biggest cost", question, Scope(frozenset({0})), "hybrid", replace(model, handover_cap=99))
    capped = rank(index, "biggest cost", question, Scope(frozenset({0})), "hybrid", replace(model, handover_cap=0.5))
    assert lifted.rows[np.argmax(lifted.scores)] == 1  # the reply rides on its question's score
    assert capped.rows[np.argmax(capped.scores)] == 2  # a passage that answers by itself comes first
    assert capped.scores[1] <= lifted.scores[1]


def test_a_reply_by_the_named_speaker_keeps_its_name_on_what_it_inherits() -> None:
    index = index_of(
        [("Host", [("What is the biggest cost?", unit(1, 0, 0))]), ("Guest", [("Chance talks.", unit(0, 1, 0))])]
        + [("Guest", [("The lost chance talks hurt us most.", unit(0.8, 0.6, 0))])]
        + [("Guest" if i % 2 else "Host", [(f"filler {i}.", unit(0, 1, 0.1 * i))]) for i in range(60)]
    )
    question = np.array([1, 0, 0], dtype=np.float32)
    model = replace(load_model(), handover_cost=0.5, handover_cap=99)
    guest = np.isin(index.speakers, index.speaker_codes({"Guest"})).astype(np.float32)
    plain = rank(index, "biggest cost", question, Scope(frozenset({0})), "hybrid", model)
    named = rank(index, "biggest cost", question, Scope(frozenset({0})), "hybrid", model, guest)
    assert plain.rows[np.argmax(plain.scores)] == 1  # the reply rides on its question's score...
    assert named.rows[np.argmax(named.scores)] == 1  # ...also when the search names the guest who gave it
    assert named.scores[1] - plain.scores[1] == np.float32(model.weights["named"])


def test_postgres_lexical_matches_score_as_the_in_process_bm25_does() -> None:
    """PostgreSQL ranks its lexical matches from their stored text (`term_scores`, string searches): the same BM25
    as the in-process index over the same tokens, repeated and adjacent words included."""
    texts = ["风险 风险 风险 投资", "open source open source model", "the model is open", "风险", "nothing here"]
    docs = [tokens_to_text(tokenize(text)) for text in texts]
    words, (source,) = tokenize("open 风险 model"), tokenize("source")
    corpus = CorpusStats(n_docs=50, avg_length=4.0, doc_freq={"风险": 3, "open": 7, "model": 9, source: 2})
    index = BM25Index([doc.split() for doc in docs], corpus=corpus)
    translated = {source: 0.5, "风险": 0.8}
    plain, weighted = term_scores(docs, (words, translated), corpus)
    np.testing.assert_allclose(plain, index.scores(words), rtol=1e-5)
    np.testing.assert_allclose(weighted, index.weighted_scores(translated), rtol=1e-5)
    assert plain[0] > plain[3] > 0 and plain[4] == 0  # three 风险 outscore one
