"""`colloquy eval speakers`: label-stripped copies and how inferred turns are scored against the real ones."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from bot.cli import app
from bot.ingest import parse_transcript
from bot.ingest.speaker_eval import question_baseline, score, strip_labels
from bot.ingest.speakers import AliasTable

TRUTH = [
    ("Ann Lee", "Welcome back. How did the harbour change?"),
    ("Bo Chen", "The boats got bigger. The sand moved. We measure it every winter."),
    ("Ann Lee", "Why every winter?"),
    ("Bo Chen", "Because the storms move it."),
]

LABELLED_SRT = """\
1
00:00:01,000 --> 00:00:03,000
Ann Lee: Welcome back. How did the harbour change?

2
00:00:04,000 --> 00:00:08,000
Bo Chen: The boats got bigger. The sand moved.

3
00:00:08,000 --> 00:00:10,000
We measure it every winter.

4
00:00:11,000 --> 00:00:12,000
Ann Lee: Why every winter?

5
00:00:13,000 --> 00:00:15,000
Bo Chen: Because the storms move it.
"""


def test_a_perfect_attribution_scores_one() -> None:
    result = score(TRUTH, TRUTH, set())
    assert (result.precision, result.recall, result.f1, result.words_right) == (1.0, 1.0, 1.0, 1.0)
    assert result.names_recovered == ["Ann Lee", "Bo Chen"] and result.names_wrong == []


def test_a_change_one_sentence_off_counts_and_two_do_not() -> None:
    one_off = [
        ("Host", "Welcome back. How did the harbour change? The boats got bigger."),
        ("Guest", "The sand moved. We measure it every winter."),
        ("Host", "Why every winter?"),
        ("Guest", "Because the storms move it."),
    ]
    assert score(TRUTH, one_off, {"Host", "Guest"}).recall == 1.0
    two_off = [
        ("Host", "Welcome back. How did the harbour change? The boats got bigger. The sand moved."),
        *one_off[1:],
    ]
    two_off[1] = ("Guest", "We measure it every winter.")
    assert score(TRUTH, two_off, {"Host", "Guest"}).recall == round(2 / 3, 3)


def test_words_are_counted_under_the_best_mapping_and_roles_are_no_names() -> None:
    swapped = [("Guest" if s == "Ann Lee" else "Host", t) for s, t in TRUTH]  # labels swapped: still all right
    result = score(TRUTH, swapped, {"Host", "Guest"})
    assert result.words_right == 1.0 and result.names_recovered == [] and result.names_wrong == []
    wrong_name = [("Bo Chen" if s == "Ann Lee" else "Host", t) for s, t in TRUTH]
    assert score(TRUTH, wrong_name, {"Host"}).names_wrong == ["Bo Chen"]


def test_the_baseline_changes_speaker_after_every_question() -> None:
    speakers = [s for s, _ in question_baseline(TRUTH)]  # the second question is the host's, but still a change
    assert speakers == ["Speaker 1"] * 2 + ["Speaker 2"] * 4 + ["Speaker 1"]


def test_stripped_copy_keeps_text_and_cue_times_but_no_names(tmp_path: Path) -> None:
    path = tmp_path / "harbour.srt"
    path.write_text(LABELLED_SRT, encoding="utf-8")
    stripped = strip_labels(path, AliasTable())
    assert [s for s, _ in stripped.truth] == ["Ann Lee", "Bo Chen", "Bo Chen", "Ann Lee", "Bo Chen"]
    text = stripped.data.decode()
    assert "Ann Lee" not in text and "Bo Chen" not in text and "00:00:11,000 --> 00:00:12,000" in text
    transcript = parse_transcript(stripped.data, stripped.name)
    assert all(t.speaker_inferred for t in transcript.turns)
    assert " ".join(t.text for t in transcript.turns) == " ".join(t for _, t in TRUTH)


def test_eval_speakers_command_prints_the_table_and_fitted_weights(tmp_path: Path) -> None:
    first, second = tmp_path / "a.srt", tmp_path / "b.srt"
    first.write_text(LABELLED_SRT, encoding="utf-8")
    second.write_text(LABELLED_SRT.replace("harbour", "river").replace("boats", "barges"), encoding="utf-8")
    env = {"COLLOQUY_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'x.db'}", "COLLOQUY_LOG_LEVEL": "WARNING"}
    result = CliRunner().invoke(app, ["eval", "speakers", str(first), "--train", str(second), "--fit"], env=env)
    assert result.exit_code == 0, result.output
    rows = [line for line in result.output.splitlines() if line.startswith("| a.srt")]
    assert [row.split(" | ")[3] for row in rows] == [
        "inferred",
        "inferred, file left out",
        "baseline: turn at every `?`",
    ]
    assert "SpeakerModel(change=" in result.output
