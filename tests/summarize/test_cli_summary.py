"""`colloquy summary` in-process against a real SQLite file (the fast test embedder)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_cli import colloquy

from .conftest import REPEATED_IDEA, harbour


@pytest.fixture
def library(env: dict[str, str], tmp_path: Path) -> dict[str, int]:
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "remote.txt").write_text(REPEATED_IDEA, encoding="utf-8")
    (folder / "harbour.txt").write_text(harbour("Mara Quinn"), encoding="utf-8")
    assert colloquy(env, "ingest", str(folder)).exit_code == 0
    listed = json.loads(colloquy(env, "interviews", "--json").output)
    return {Path(i["source"]).name: i["id"] for i in listed}


def test_interview_summary_json(env: dict[str, str], library: dict[str, int]) -> None:
    result = colloquy(env, "summary", str(library["remote.txt"]), "--points", "3", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["scope"] == "interview" and data["mode"] == "extractive" and len(data["points"]) == 3
    assert {p["speaker"] for p in data["points"]} == {"Ann Lee"} and data["keywords"]
    assert data["interview_id"] == library["remote.txt"] and data["editor_summary"] is None


def test_topic_and_speaker_summaries(env: dict[str, str], library: dict[str, int]) -> None:
    text = colloquy(env, "summary", "--topic", "tide").output
    assert "Mara Quinn: " in text and "Ann Lee" not in text
    data = json.loads(colloquy(env, "summary", "--speaker", "Ann Lee", "--topic", "salary", "--json").output)
    assert data["scope"] == "speaker_topic" and data["speaker"] == "Ann Lee"
    assert data["points"] and all(p["speaker"] == "Ann Lee" for p in data["points"])
    nothing = colloquy(env, "summary", "--topic", "volcanoes")
    assert nothing.exit_code == 0 and "Nothing found." in nothing.output


def test_usage_errors(env: dict[str, str], library: dict[str, int]) -> None:
    assert colloquy(env, "summary").exit_code == 2
    assert colloquy(env, "summary", "1", "--topic", "tide").exit_code == 2
    assert colloquy(env, "summary", "--speaker", "Ann Lee").exit_code == 2
    missing = colloquy(env, "summary", "999")
    assert missing.exit_code == 1 and "no interview with id 999" in missing.output


def test_commands_have_help(env: dict[str, str]) -> None:
    for command in (["summary"], ["eval", "summaries"], ["bench", "summary"]):
        result = colloquy(env, *command, "--help")
        assert result.exit_code == 0 and "Usage" in result.output, command
