"""What `colloquy` refuses and how: hostile files and bad arguments get one line on stderr, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot import PROJECT_ROOT
from bot.cli import app
from tests import test_cli

runner = CliRunner()
env = test_cli.env  # the fixture: a SQLite file, the hashing embedder

LIBRARY = (
    "Ann Lee: Rivers carve valleys over millions of years.\n"
    "Bo Chen: And glaciers?\n"
    "Ann Lee: Glaciers carve them faster.\n"
)


def colloquy(env: dict[str, str], *args: str):  # type: ignore[no-untyped-def]  # click's Result
    return runner.invoke(app, list(args), env=env)


def one_line_error(result, needle: str, code: int = 1) -> None:  # type: ignore[no-untyped-def]  # click's Result
    """The command failed with `code` and said why in one line, without a traceback."""
    assert result.exit_code == code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output and needle in result.output, result.output


def bytes_read_by_this_process() -> int:
    """Bytes this process has read through read(2) and friends (Linux /proc/self/io)."""
    for line in Path("/proc/self/io").read_text().splitlines():
        if line.startswith("rchar:"):
            return int(line.split()[1])
    raise AssertionError("no rchar in /proc/self/io")


def test_a_fifo_is_refused_at_once_instead_of_hanging(env: dict[str, str], tmp_path: Path) -> None:
    fifo = tmp_path / "talk.txt"
    os.mkfifo(fifo)
    try:  # a second process: the old code blocks in open() forever, and only a timeout can tell
        done = subprocess.run(
            [sys.executable, "-m", "bot", "ingest", str(fifo), "--no-embed"],
            env={**os.environ, **env},
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("colloquy ingest hung on a FIFO")
    assert done.returncode == 1
    assert "not a regular file: this is a named pipe (FIFO)" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.skipif(not Path("/proc/self/io").exists(), reason="needs Linux /proc/self/io to count bytes read")
def test_an_oversized_file_is_refused_without_reading_it(env: dict[str, str], tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as file:  # 256 MB that cost nothing to make: a sparse file
        file.truncate(256 << 20)
    before = bytes_read_by_this_process()
    result = colloquy({**env, "COLLOQUY_MAX_FILE_BYTES": "1000000"}, "ingest", str(huge), "--no-embed")
    read = bytes_read_by_this_process() - before
    one_line_error(result, "file is 268,435,456 bytes, over the 1,000,000-byte limit")
    assert read < 32 << 20, f"read {read:,} bytes of a file refused for its size"


def test_devices_are_refused_by_type(env: dict[str, str]) -> None:
    result = colloquy(env, "ingest", "/dev/zero", "--no-embed")
    one_line_error(result, "not a regular file: this is a character device")


def ingested(env: dict[str, str], tmp_path: Path, name: str = "a.txt", text: str = LIBRARY) -> int:
    """Ingest one file (with the fast test embedder) and return its interview id."""
    (tmp_path / name).write_text(text, encoding="utf-8")
    result = colloquy(env, "ingest", str(tmp_path / name))
    assert result.exit_code == 0, result.output
    return max(i["id"] for i in json.loads(colloquy(env, "interviews", "--json").output))


def strict_json(text: str) -> object:
    """JSON as other tools read it: Infinity and NaN are not JSON."""
    return json.loads(text, parse_constant=lambda name: pytest.fail(f"non-standard JSON number {name}"))


def test_impossible_times_never_reach_show_or_search(env: dict[str, str], tmp_path: Path) -> None:
    segments = [
        '{"start": Infinity, "end": 1e400, "text": "Rivers carve valleys over millions of years.", "speaker": "Ann"}',
        '{"start": -5, "end": 4.0, "text": "And glaciers carve them faster, I suppose?", "speaker": "Bo"}',
        '{"start": 1' + "0" * 400 + ', "end": 9.0, "text": "Much faster, yes.", "speaker": "Ann"}',
    ]
    interview = ingested(env, tmp_path, "odd.json", '{"segments": [' + ", ".join(segments) + "]}")
    shown = colloquy(env, "show", str(interview), "--json")
    assert shown.exit_code == 0, shown.output
    turns = strict_json(shown.output)["turns"]  # type: ignore[index]  # a dict
    assert [(t["start"], t["end"]) for t in turns] == [(None, None), (None, 4.0), (None, 9.0)]
    assert any("time(s) dropped" in w for w in strict_json(shown.output)["warnings"])  # type: ignore[index]
    text = colloquy(env, "show", str(interview))
    assert text.exit_code == 0 and "[-" not in text.output
    found = colloquy(env, "search", "glaciers carve valleys", "--json")
    assert found.exit_code == 0 and strict_json(found.stdout)["hits"]  # type: ignore[index]


def test_deeply_nested_json_is_one_line_without_a_traceback(env: dict[str, str], tmp_path: Path) -> None:
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    result = colloquy(env, "ingest", str(tmp_path / "deep.json"), "--no-embed")
    one_line_error(result, "deep.json: JSON nested too deeply to be a transcript")


@pytest.mark.parametrize("name", ["%", "\\", "'", "   ", "_", "%%"])
def test_a_speaker_name_without_letters_matches_no_one_and_says_so(
    env: dict[str, str], tmp_path: Path, name: str
) -> None:
    ingested(env, tmp_path)
    result = colloquy(env, "search", "glaciers", "--speaker", name)
    one_line_error(result, f"no speaker in the library matches {name!r}")
    assert "Ann Lee" not in result.output


@pytest.mark.parametrize("path", ["", " "])
def test_an_empty_path_is_refused_not_read_as_the_current_folder(
    env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    """`colloquy ingest "$FILE"` with FILE unset had ingested every file below the current folder (a checkout's
    source code, 195 'interviews'); the transcript beside the empty argument is not ingested either."""
    (tmp_path / "notes.txt").write_text(LIBRARY, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = colloquy(env, "ingest", "notes.txt", path, "--no-embed")
    one_line_error(result, "an empty path was given", code=2)
    assert "Ann Lee" not in colloquy(env, "interviews").output


@pytest.mark.parametrize("query", ["", "   ", "\t\n"])
def test_an_empty_question_is_refused(env: dict[str, str], tmp_path: Path, query: str) -> None:
    ingested(env, tmp_path)
    result = colloquy(env, "search", query)
    one_line_error(result, "the question is empty", code=2)
    assert "Ann Lee" not in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["show", "9223372036854775808"],
        ["show", "2147483648"],
        ["remove", "9223372036854775808"],
        ["summary", "9223372036854775808"],
        ["speakers", "rename", "Bo Chen", "Bo", "--interview", "9223372036854775808"],
        ["search", "glaciers", "--interview", "99999999999999999999"],
    ],
)
def test_huge_ids_are_not_found_in_one_line(env: dict[str, str], tmp_path: Path, args: list[str]) -> None:
    ingested(env, tmp_path)
    huge = next(a for a in args if a.isdigit())
    one_line_error(colloquy(env, *args), f"error: no interview with id {huge}")


def test_renaming_to_a_blank_or_huge_name_is_refused(env: dict[str, str], tmp_path: Path) -> None:
    ingested(env, tmp_path)
    one_line_error(colloquy(env, "speakers", "rename", "Bo Chen", "   "), "error: the new name is empty")
    huge = colloquy(env, "speakers", "rename", "Bo Chen", "B" * 10_000)
    one_line_error(huge, "error: the new name is 10,000 characters; names are at most 256")
    names = {s["name"] for s in json.loads(colloquy(env, "speakers", "list", "--json").output)}
    assert names == {"Ann Lee", "Bo Chen"}


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b'glaciers\n{"query": "rivers", "speaker": }\n', "q.txt line 2: not valid JSON (Expecting value at column"),
        (b'glaciers\n\n{"speaker": "Ann Lee"}\n', "q.txt line 3: a JSON line needs a 'query' string"),
        (b'{"query": "  "}\n', "q.txt line 1: the query is empty"),
        (b'{"query": "rivers", "interview": 1e99}\n', "q.txt line 1: 'interview' must be an interview id"),
        (b'{"query": "rivers", "speaker": 7}\n', "q.txt line 1: 'speaker' must be a name"),
        (b"glaciers\nrivi\xe8res\n", "q.txt line 2: not UTF-8 text"),
    ],
)
def test_a_bad_batch_file_names_the_bad_line(env: dict[str, str], tmp_path: Path, content: bytes, needle: str) -> None:
    ingested(env, tmp_path)
    (tmp_path / "q.txt").write_bytes(content)
    one_line_error(colloquy(env, "search", "--batch", str(tmp_path / "q.txt")), needle, code=2)


def test_a_missing_batch_file_is_one_line(env: dict[str, str], tmp_path: Path) -> None:
    result = colloquy(env, "search", "--batch", str(tmp_path / "nowhere.txt"))
    one_line_error(result, "nowhere.txt (No such file or directory)", code=2)
