"""The `colloquy` command line, run in-process against a real SQLite file (embedding with the fast test model)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from tests.conftest import UNLABELLED_RADIO

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {
        "COLLOQUY_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}",
        "COLLOQUY_EMBEDDING_MODEL": "hashing",
        "COLLOQUY_LOG_LEVEL": "WARNING",
    }


def colloquy(env: dict[str, str], *args: str) -> object:
    return runner.invoke(app, list(args), env=env, catch_exceptions=False)


def write_library(folder: Path) -> None:
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Ann Lee: Rivers carve valleys over millions of years.\n"
        "Bo Chen: And glaciers?\n"
        "Ann Lee: Glaciers carve them faster.\n",
        encoding="utf-8",
    )
    (folder / "b.srt").write_text(
        "1\n"
        "00:00:01,000 --> 00:00:02,000\n"
        "林晓：远程工作的代价是什么？\n"
        "\n"
        "2\n"
        "00:00:02,000 --> 00:00:04,000\n"
        "周敏：偶然的对话没有了。\n",
        encoding="utf-8",
    )
    (folder / "empty.txt").write_bytes(b"")


def test_every_command_has_help(env: dict[str, str]) -> None:
    for command in (
        [], ["ingest"], ["interviews"], ["show"], ["search"], ["reindex"], ["remove"], ["demo"],
        ["speakers", "list"], ["speakers", "rename"], ["db", "upgrade"], ["eval", "search"],
    ):  # fmt: skip
        result = colloquy(env, *command, "--help")
        assert result.exit_code == 0 and "Usage" in result.output, command


def test_ingest_reports_each_file_and_fails_only_if_a_file_failed(env: dict[str, str], tmp_path: Path) -> None:
    write_library(tmp_path / "lib")
    result = colloquy(env, "ingest", str(tmp_path / "lib"))
    assert result.exit_code == 1
    assert "empty.txt: the file is empty" in result.output
    assert result.output.strip().splitlines()[-1] == "2 ingested (0 replaced), 0 skipped as unchanged, 1 failed"
    again = colloquy(env, "ingest", str(tmp_path / "lib" / "a.txt"), str(tmp_path / "lib" / "b.srt"))
    assert again.exit_code == 0
    assert again.output.strip().splitlines()[-1] == "0 ingested (0 replaced), 2 skipped as unchanged, 0 failed"


def test_ingest_walks_a_folder_named_through_dot_dot_but_skips_hidden_files(
    env: dict[str, str], tmp_path: Path
) -> None:
    write_library(tmp_path / "lib")
    (tmp_path / "lib" / ".notes.txt").write_text("Ann Lee: A hidden file is not a transcript.\n", encoding="utf-8")
    result = colloquy(env, "ingest", str(tmp_path / "lib" / ".." / "lib"))
    assert result.output.strip().splitlines()[-1] == "2 ingested (0 replaced), 0 skipped as unchanged, 1 failed"


def test_interviews_and_show_json(env: dict[str, str], tmp_path: Path) -> None:
    write_library(tmp_path / "lib")
    colloquy(env, "ingest", str(tmp_path / "lib"))
    listed = json.loads(colloquy(env, "interviews", "--json").output)
    assert {tuple(p["name"] for p in i["participants"]) for i in listed} == {("Ann Lee", "Bo Chen"), ("林晓", "周敏")}
    srt = next(i for i in listed if i["format"] == "srt")
    assert srt["languages"] == ["zh-Hans"] and srt["library"] == "global" and len(srt["content_hash"]) == 64
    shown = json.loads(colloquy(env, "show", str(srt["id"]), "--json").output)
    assert [(t["speaker"], t["text"], t["start"]) for t in shown["turns"]] == [
        ("林晓", "远程工作的代价是什么？", 1.0),
        ("周敏", "偶然的对话没有了。", 2.0),
    ]
    text = colloquy(env, "show", str(srt["id"])).output
    assert "[00:00:02] 周敏: 偶然的对话没有了。" in text


def test_unknown_interview_is_a_clear_error(env: dict[str, str]) -> None:
    result = runner.invoke(app, ["show", "999"], env=env)
    assert result.exit_code == 1 and "no interview with id 999" in result.output


def test_bad_setting_names_the_setting(env: dict[str, str]) -> None:
    result = runner.invoke(app, ["interviews"], env={**env, "COLLOQUY_SEARCH_K": "lots"})
    assert result.exit_code == 2 and "COLLOQUY_SEARCH_K" in result.output


def test_search_and_batch(env: dict[str, str], tmp_path: Path) -> None:
    write_library(tmp_path / "lib")
    colloquy(env, "ingest", str(tmp_path / "lib"))
    result = json.loads(colloquy(env, "search", "glaciers carve valleys", "--json").output)
    assert result["hits"] and result["hits"][0]["speaker"] == "Ann Lee"
    assert len(json.loads(colloquy(env, "search", "glaciers", "-k", "1", "--json").output)["hits"]) == 1
    batch = tmp_path / "q.jsonl"
    batch.write_text('{"id": "x1", "query": "glaciers", "speaker": "Bo Chen"}\n远程工作\n', encoding="utf-8")
    lines = [json.loads(line) for line in colloquy(env, "search", "--batch", str(batch)).output.strip().splitlines()]
    assert lines[0]["id"] == "x1" and all(h["speaker"] == "Bo Chen" for h in lines[0]["hits"])
    assert lines[1]["query"] == "远程工作"
    shown = colloquy(env, "search", "偶然的对话").output  # titles made from who speaks name them once
    assert "1. 周敏 [00:00:02] (interview 2)" in shown and ". Ann Lee — carve, glaciers (interview 1)" in shown


def test_rename_speaker(env: dict[str, str], tmp_path: Path) -> None:
    write_library(tmp_path / "lib")
    colloquy(env, "ingest", str(tmp_path / "lib"))
    assert (
        "renamed 'Bo Chen' to 'Bo Chen-Lee' on 1 turns"
        in colloquy(env, "speakers", "rename", "Bo Chen", "Bo Chen-Lee").output
    )
    names = {s["name"] for s in json.loads(colloquy(env, "speakers", "list", "--json").output)}
    assert "Bo Chen-Lee" in names and "Bo Chen" not in names


# An unlabelled transcript: its inferred speakers are shown, searched, summarized, renamed and digested.


@pytest.fixture
def interview(env: dict[str, str], tmp_path: Path) -> int:
    path = tmp_path / "city-bees.txt"
    path.write_text(UNLABELLED_RADIO, encoding="utf-8")
    colloquy(env, "ingest", str(path))
    return json.loads(colloquy(env, "interviews", "--json").output)[0]["id"]


def test_show_json_marks_every_inferred_turn(env: dict[str, str], interview: int) -> None:
    shown = json.loads(colloquy(env, "show", str(interview), "--json").output)
    assert {t["speaker"] for t in shown["turns"]} == {"Host", "Guest"}
    assert all(t["speaker_inferred"] is True for t in shown["turns"]) and shown["speakers_inferred"]
    assert any("inferred from the text" in w for w in shown["warnings"])
    listed = colloquy(env, "interviews").output
    assert "Host (" in listed and "(speakers inferred from the text)" in listed
    asked = [t["text"] for t in shown["turns"] if t["speaker"] == "Host"]
    assert any("How many beehives" in text for text in asked) and not any("About four hundred" in t for t in asked)


def test_search_by_inferred_speaker(env: dict[str, str], interview: int) -> None:
    hits = json.loads(colloquy(env, "search", "what to plant on a roof", "--speaker", "Guest", "--json").output)["hits"]
    assert hits and all(h["speaker"] == "Guest" for h in hits)
    assert any("lavender" in h["text"] for h in hits)
    asked = json.loads(colloquy(env, "search", "beehives on the roofs", "--speaker", "Host", "--json").output)["hits"]
    assert asked and all(h["speaker"] == "Host" and h["speaker_inferred"] for h in asked)
    printed = colloquy(env, "search", "what to plant on a roof", "--speaker", "Guest").output
    assert printed.startswith("1. Guest (speaker inferred)")  # a reader is told the attribution is a guess
    assert "named no speakers" in colloquy(env, "show", str(interview)).output


def test_summary_prefers_the_guests_words(env: dict[str, str], interview: int) -> None:
    summary = json.loads(colloquy(env, "summary", str(interview), "--points", "3", "--extractive", "--json").output)
    assert [(p["speaker"], p["speaker_inferred"]) for p in summary["points"]] == [("Guest", True)] * 3
    printed = colloquy(env, "summary", str(interview), "--points", "3", "--extractive").output
    assert printed.count("Guest: ") == 3 and printed.count("named no speakers") == 1  # said once, under the title
    topic = colloquy(env, "summary", "--topic", "wild bees", "--speaker", "Guest", "--extractive").output
    assert "Guest (speaker inferred): " in topic


def test_rename_an_inferred_speaker(env: dict[str, str], interview: int) -> None:
    colloquy(env, "speakers", "rename", "Guest", "Ada Okoye", "--interview", str(interview))
    shown = json.loads(colloquy(env, "show", str(interview), "--json").output)
    assert {t["speaker"] for t in shown["turns"]} == {"Host", "Ada Okoye"}
    assert all(t["speaker_inferred"] for t in shown["turns"])  # the turns are still inferred, only named now


def test_digest_lists_and_quotes_the_inferred_speakers(env: dict[str, str], interview: int) -> None:
    digest = json.loads(colloquy(env, "digest", "preview", "--since", "2020-01-01", "--json").output)["digest"]
    assert digest["interviews"][0]["participants"] == ["Host", "Guest"]
    assert digest["quote"]["speaker"] == "Guest" and digest["quote"]["speaker_inferred"]


@pytest.mark.model
def test_ingest_shows_no_progress_bar_of_the_model_library(tmp_path: Path) -> None:
    """The real model loads during `colloquy ingest`; transformers' own "Loading weights" bar must not cut into
    the CLI's output (it did, in the middle of the embedding bar)."""
    import os
    import subprocess
    import sys

    from bot import PROJECT_ROOT

    write_library(tmp_path / "lib")
    env = {**os.environ, "COLLOQUY_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"}
    env.pop("COLLOQUY_EMBEDDING_MODEL", None)  # the default, real model
    done = subprocess.run(
        [sys.executable, "-m", "bot", "ingest", str(tmp_path / "lib" / "a.txt")],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "1 ingested" in done.stdout
    assert "Loading weights" not in done.stderr and "it/s" not in done.stderr, done.stderr


def test_a_folder_given_through_dot_dot_is_walked(
    env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_library(tmp_path / "lib")
    (tmp_path / "lib" / ".hidden.txt").write_text("Ann Lee: Never read.\n", encoding="utf-8")
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    result = colloquy(env, "ingest", "../lib", "--no-embed")
    assert result.exit_code == 1  # empty.txt fails; the other two are ingested, the hidden file is skipped
    assert "2 ingested" in result.output and ".hidden" not in result.output


def test_a_missing_speaker_alias_table_is_said_not_silently_ignored(env: dict[str, str], tmp_path: Path) -> None:
    # a relative speakers_file is read from where the command runs; from another folder it is not there
    result = colloquy(env | {"COLLOQUY_SPEAKERS_FILE": str(tmp_path / "nowhere.toml")}, "interviews")
    assert result.exit_code == 0
    assert "no speaker alias table at" in result.output and "nowhere.toml" in result.output
    assert "no speaker alias table" not in colloquy(env, "interviews").output  # run from the project: found
