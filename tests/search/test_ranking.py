"""How search turns scored passages into quotes (pure functions over a small hand-made index)."""

from __future__ import annotations

from collections import namedtuple

import numpy as np

from bot.search.index import build_index, dense_scores
from bot.search.ranking import Calibration, best_quotes, rank

Row = namedtuple("Row", "id interview_id guild_id speaker lang bilingual turn_idx position date lexical text vector")


def unit(*values: float) -> bytes:
    vector = np.array(values, dtype=np.float32)
    return (vector / np.linalg.norm(vector)).tobytes()


def index_of(turns: list[tuple[str, list[tuple[str, bytes]]]]):  # type: ignore[no-untyped-def]
    """An index over one interview: (speaker, [(text, vector), ...]) per turn."""
    rows, pid = [], 1
    for turn_idx, (speaker, passages) in enumerate(turns):
        for position, (text, vector) in enumerate(passages):
            rows.append(Row(pid, 1, 0, speaker, "en", False, turn_idx, position, None, "", text, vector))
            pid += 1
    return build_index(list(reversed(rows)), 3)  # any order in: transcript order out


def test_a_thought_over_two_passages_is_one_quote_and_other_turns_never_join() -> None:
    index = index_of(
        [
            ("Host", [("What about the harbour?", unit(0.5, 1, 0))]),
            ("Guest", [("The tide comes in twice a day.", unit(1, 0.1, 0)), ("So we wait for it.", unit(0.3, 0, 1))]),
            ("Host", [("And the boats?", unit(0, 1, 0))]),
        ]
    )
    assert index.ids.tolist() == [1, 2, 3, 4] and index.turn_of.tolist() == [0, 1, 1, 2]
    rows = np.arange(4)
    quotes = best_quotes(index, rows, np.array([0.1, 2.0, 1.8, 1.9], dtype=np.float32), 3, margin=0.4)
    assert [span for span, _, _ in quotes] == [[1, 2], [3], [0]]  # row 3 scores close to row 2 but is the host's
    apart = best_quotes(index, rows, np.array([0.1, 2.0, 1.0, 1.9], dtype=np.float32), 3, margin=0.4)
    assert [span for span, _, _ in apart] == [[1], [3], [2]]  # not close enough: separate quotes


def test_window_and_turn_scores_are_the_cosine_with_the_summed_vectors() -> None:
    index = index_of([("A", [("one", unit(1, 0, 0)), ("two", unit(0, 1, 0))]), ("B", [("three", unit(0, 0, 1))])])
    scores = dense_scores(index, np.array([1, 0, 0], dtype=np.float32))
    assert np.allclose(scores.passage, [1, 0, 0])
    assert np.allclose(scores.window, [1 / np.sqrt(2), 1 / np.sqrt(2), 0])  # (1,1,0)/√2 for both of A's passages
    assert np.allclose(scores.turn, [1 / np.sqrt(2), 1 / np.sqrt(2), 0])


def test_an_interviewers_matching_question_hands_its_score_to_the_answer() -> None:
    question = unit(1, 0, 0)
    index = index_of(
        [("Host", [("What is the biggest cost?", question)]), ("Guest", [("Chance conversations.", unit(0, 1, 0))])]
        + [("Guest" if i % 2 else "Host", [(f"filler {i}.", unit(0, 1, 0.1 * i))]) for i in range(60)]
    )
    assert index.question_row.tolist()[:2] == [-1, 0]  # the guest's first passage answers row 0
    rows, scores, _, declined = rank(
        index, "What is the biggest cost?", np.array([1, 0, 0], dtype=np.float32), _scope(), "dense", Calibration()
    )
    best = rows[np.argsort(-scores)[:2]].tolist()
    assert not declined and best == [1, 0]  # the answer first, then the question itself


def _scope():  # type: ignore[no-untyped-def]
    from bot.search.index import Scope

    return Scope(frozenset({0}))
