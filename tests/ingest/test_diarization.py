"""Sentences a speech-to-text diarizer cut at the wrong word go back whole to one speaker; labels a person typed
are left as they are."""

from __future__ import annotations

import json
from pathlib import Path

from tests.ingest.conftest import ingest_file, speakers_and_texts
from tests.ingest.test_corpus import corpus


def test_otter_s_late_and_early_labels_no_longer_cut_sentences() -> None:
    turns = speakers_and_texts(corpus("01"))
    asking = next(i for i, (_, text) in enumerate(turns) if "How are you doing" in text)
    # Otter put "today?" under the guest and "Just like let me" under her, not under the host who asked and the
    # co-host who went on
    assert turns[asking][0] == "Emma" and turns[asking][1].endswith("How are you doing today?")
    assert turns[asking + 1] == ("Taylor", "Thank you green. Glad to be on.")
    assert turns[asking + 2][0] == "Sidney"
    assert turns[asking + 2][1].startswith("Just like let me just like geek the fuck out for a minute")
    texts = [text for _, text in turns]
    assert any(t.endswith("That makes so much sense now.") for t in texts)
    assert not any(t.startswith(("today?", "sense now.")) for t in texts)


def test_whisper_segments_that_flip_speaker_mid_sentence() -> None:
    turns = speakers_and_texts(corpus("05"))
    texts = [text for _, text in turns]
    # the segment boundary fell inside "…who had been / gifted this Commodore…"
    whole = "to a friend's house who had been gifted this Commodore VIK-20, the IC-20 by his parents."
    assert any(whole in t for t in texts)
    assert any("on the mic on the Waiting to Be Signs side. But we've got artist CCDDBB" in t for t in texts)
    assert not any(t.startswith(("gifted this", "side.")) for t in texts)


def _segments(*parts: tuple[str, str]) -> str:
    start = 0.0
    segments = []
    for speaker, text in parts:
        segments.append({"start": start, "end": start + 4, "speaker": speaker, "text": f" {text}"})
        start += 4
    return json.dumps({"segments": segments})


def test_the_smaller_piece_joins_the_larger_and_no_turn_is_emptied(tmp_path: Path) -> None:
    data = _segments(
        ("SPEAKER_00", "Thanks for coming on the show. So tell me how you first got into"),
        ("SPEAKER_01", "woodworking? Well, it was my grandfather. He had a shop in the garage and I"),
        ("SPEAKER_00", "spent every summer there with him, sanding what he gave me."),
        ("SPEAKER_01", "That sounds lovely. And I"),
        ("SPEAKER_00", "agree."),  # the larger piece, but all this turn says: it stays
        ("SPEAKER_01", "And I"),  # the smaller piece, but all this turn says: it stays
        ("SPEAKER_00", "think he would be proud of you. Next question."),
    )
    assert speakers_and_texts(ingest_file(tmp_path, "w.json", data)) == [
        ("Speaker 0", "Thanks for coming on the show. So tell me how you first got into woodworking?"),
        ("Speaker 1", "Well, it was my grandfather."),
        ("Speaker 0", "He had a shop in the garage and I spent every summer there with him, sanding what he gave me."),
        ("Speaker 1", "That sounds lovely. And I"),
        ("Speaker 0", "agree."),
        ("Speaker 1", "And I"),
        ("Speaker 0", "think he would be proud of you. Next question."),
    ]


def test_a_reply_of_one_word_stays_with_who_said_it(tmp_path: Path) -> None:
    """ "yeah." after a turn that stops unfinished is the other speaker's reply, not the end of that sentence; a
    word that ends a sentence as often as it answers ("right.") joins it."""
    data = _segments(
        ("SPEAKER_00", "We moved the office twice last year. So I was thinking that we could"),
        ("SPEAKER_01", "yeah. That would help the whole team a lot, I think."),
        ("SPEAKER_00", "Good. And the budget question is the one that sounds"),
        ("SPEAKER_01", "right. We can afford it this year."),
    )
    assert [text for _, text in speakers_and_texts(ingest_file(tmp_path, "w.json", data))] == [
        "We moved the office twice last year. So I was thinking that we could",
        "yeah. That would help the whole team a lot, I think.",
        "Good. And the budget question is the one that sounds right.",
        "We can afford it this year.",
    ]


def test_speech_broken_off_lower_case_text_and_capitals_stay_as_labelled(tmp_path: Path) -> None:
    typed = "Ana: We tried it in March and the results were —\nBen: sorry, can I stop you there? What results?\n"
    assert speakers_and_texts(ingest_file(tmp_path, "a.txt", typed * 2))[:2] == [
        ("Ana", "We tried it in March and the results were —"),
        ("Ben", "sorry, can I stop you there? What results?"),
    ]
    capital = "Ana: We tried it in March. The results were\nBen: Good, I hope. Were they?\n"
    assert speakers_and_texts(ingest_file(tmp_path, "b.txt", capital * 2))[1] == ("Ben", "Good, I hope. Were they?")
    # captions that never capitalize: a lower-case start says nothing about where a sentence began
    lower = _segments(
        ("SPEAKER_00", "so. that was the plan and we went with it"),
        ("SPEAKER_01", "right. i remember it well. we all did"),
        ("SPEAKER_00", "yes. it was a long year."),
    )
    assert [t for _, t in speakers_and_texts(ingest_file(tmp_path, "c.json", lower))] == [
        "so. that was the plan and we went with it",
        "right. i remember it well. we all did",
        "yes. it was a long year.",
    ]


# An interview as speech-to-text cuts it: segments of up to eight words, wherever the words fall, and a new one
# where the speaker changes (the pause between two voices).
_INTERVIEW = [
    "Welcome to the show. Today my guest is a baker from Lyon.",
    "Thanks for having me, it is a pleasure to be here.",
    "How did you start baking bread for a living?",
    "My grandmother ran a bakery near the river, and every summer I worked there from five in the morning.",
    "What was the hardest thing to learn in those years?",
    "Patience with the dough, because a good loaf takes two days and you cannot hurry the starter at all.",
    "Do you still use her recipes at your own shop?",
    "Yes, the rye loaf is hers, and we sell about three hundred of them every weekend to the same families.",
    "What would you tell someone who wants to open a bakery?",
    "Learn the numbers first, since flour prices doubled last year and most small shops close within three years.",
]


def _cut(voices: list[str], every: int = 8) -> str:
    """The interview as segments of up to `every` words, labelled by turns from `voices` (one label a segment)."""
    pieces = [" ".join(words[i : i + every]) for turn in _INTERVIEW for words in [turn.split()]
              for i in range(0, len(words), every)]  # fmt: skip
    return _segments(*((voices[i % len(voices)], piece) for i, piece in enumerate(pieces)))


def test_numbered_voices_that_change_inside_sentences_give_way_to_the_text(tmp_path: Path) -> None:
    """Diarization that hands one sentence to "Speaker 0" and "Speaker 1" by turns says nothing of who speaks:
    the turns come from the text, as for a file without labels, and the warning says why."""
    transcript = ingest_file(tmp_path, "baker.json", _cut(["SPEAKER_00", "SPEAKER_01"]))
    assert "the speaker labels change inside a sentence at 14 of 23 changes" in transcript.warnings[0]
    assert all(t.speaker_inferred for t in transcript.turns)
    assert speakers_and_texts(transcript) == [("Guest" if i % 2 else "Host", said) for i, said in enumerate(_INTERVIEW)]


def test_labels_that_change_where_sentences_end_or_that_name_people_stay(tmp_path: Path) -> None:
    twice = _INTERVIEW + [f"Again: {s}" for s in _INTERVIEW]  # new words: the same file twice over is read once
    at_sentences = _segments(*((f"SPEAKER_0{i % 2}", sentence) for i, sentence in enumerate(twice)))
    transcript = ingest_file(tmp_path, "sentences.json", at_sentences)
    assert {t.speaker for t in transcript.turns} == {"Speaker 0", "Speaker 1"} and not transcript.warnings
    named = ingest_file(tmp_path, "named.json", _cut(["Ana Ruiz", "Ben Ott"]))  # a person chose these labels
    assert {t.speaker for t in named.turns} == {"Ana Ruiz", "Ben Ott"}
    assert not any(t.speaker_inferred for t in named.turns)
