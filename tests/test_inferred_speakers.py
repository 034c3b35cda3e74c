"""An unlabelled transcript in the library: its inferred speakers are shown, searched, summarized and renamed
like any others (real SQLite file, the `colloquy` command line in-process, the fast test embedder)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app

runner = CliRunner()

# Whisper's text output of a radio interview: one segment a line, and nobody says their name.
RADIO = """\
Welcome to the show. Tonight we talk about bees in the city.
How many hives are there on the roofs of this city today?
About four hundred.
Ten years ago there were perhaps thirty, so the growth has been enormous.
Is that good news for the bees?
Not always.
Honey bees compete with the wild bees for the same flowers, and the city has fewer flowers than people think.
What should a building owner plant instead of putting up a hive?
Plant lavender, thyme and clover, and leave a corner of the roof unmown.
A roof full of flowers feeds wild bees, and wild bees do most of the pollination in our parks.
Do the wild bees need anything else?
Bare soil and dead stems, because most wild bees nest in the ground or inside hollow plants.
Thank you for coming in tonight.
"""


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {
        "COLLOQUY_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}",
        "COLLOQUY_EMBEDDING_MODEL": "hashing",
        "COLLOQUY_LOG_LEVEL": "WARNING",
    }


def colloquy(env: dict[str, str], *args: str) -> str:
    result = runner.invoke(app, list(args), env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def interview(env: dict[str, str], tmp_path: Path) -> int:
    path = tmp_path / "city-bees.txt"
    path.write_text(RADIO, encoding="utf-8")
    colloquy(env, "ingest", str(path))
    return json.loads(colloquy(env, "interviews", "--json"))[0]["id"]


def test_show_json_marks_every_inferred_turn(env: dict[str, str], interview: int) -> None:
    shown = json.loads(colloquy(env, "show", str(interview), "--json"))
    assert {t["speaker"] for t in shown["turns"]} == {"Host", "Guest"}
    assert all(t["speaker_inferred"] is True for t in shown["turns"])
    assert any("inferred from the text" in w for w in shown["warnings"])
    asked = [t["text"] for t in shown["turns"] if t["speaker"] == "Host"]
    assert any("How many hives" in text for text in asked) and not any("About four hundred" in t for t in asked)


def test_search_by_inferred_speaker(env: dict[str, str], interview: int) -> None:
    hits = json.loads(colloquy(env, "search", "what to plant on a roof", "--speaker", "Guest", "--json"))["hits"]
    assert hits and all(h["speaker"] == "Guest" for h in hits)
    assert any("lavender" in h["text"] for h in hits)
    asked = json.loads(colloquy(env, "search", "hives on the roofs", "--speaker", "Host", "--json"))["hits"]
    assert asked and all(h["speaker"] == "Host" for h in asked)


def test_summary_prefers_the_guests_words(env: dict[str, str], interview: int) -> None:
    summary = json.loads(colloquy(env, "summary", str(interview), "--points", "3", "--extractive", "--json"))
    assert [p["speaker"] for p in summary["points"]] == ["Guest"] * 3


def test_rename_an_inferred_speaker(env: dict[str, str], interview: int) -> None:
    colloquy(env, "speakers", "rename", "Guest", "Ada Okoye", "--interview", str(interview))
    shown = json.loads(colloquy(env, "show", str(interview), "--json"))
    assert {t["speaker"] for t in shown["turns"]} == {"Host", "Ada Okoye"}
    assert all(t["speaker_inferred"] for t in shown["turns"])  # the turns are still inferred, only named now


def test_digest_lists_and_quotes_the_inferred_speakers(env: dict[str, str], interview: int) -> None:
    digest = json.loads(colloquy(env, "digest", "preview", "--since", "2020-01-01", "--json"))["digest"]
    assert digest["interviews"][0]["participants"] == ["Host", "Guest"]
    assert digest["quote"]["speaker"] == "Guest"
