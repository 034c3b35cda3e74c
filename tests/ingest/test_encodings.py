"""Every encoding transcripts arrive in decodes to the same turns; the ones that cannot be told apart are refused."""

from __future__ import annotations

import codecs
import random
from pathlib import Path

import pytest

from bot.ingest import IngestError
from tests.ingest.conftest import ingest_file

SIMPLIFIED = (
    "主持人：欢迎来到节目，今天我们聊聊人工智能。\n嘉宾：谢谢，很高兴来到这里。\n主持人：你怎么看算力的发展？\n"
)
TRADITIONAL = (
    "主持人：歡迎來到節目，今天我們聊聊人工智慧。\n嘉賓：謝謝，很高興來到這裡。\n主持人：你怎麼看算力的發展？\n"
)
LATIN = "Ann Lee: Héllo, café time.\nBob Ray: Naïve question: why?\n"


def texts_of(tmp_path: Path, data: bytes) -> list[str]:
    return [t.text for t in ingest_file(tmp_path, "enc.txt", data).turns]


def expected(text: str) -> list[str]:
    return [line.split("：" if "：" in line else ": ", 1)[1] for line in text.strip().split("\n")]


@pytest.mark.parametrize(
    ("text", "data"),
    [
        (SIMPLIFIED, codecs.BOM_UTF16_LE + SIMPLIFIED.encode("utf-16-le")),
        (SIMPLIFIED, codecs.BOM_UTF16_BE + SIMPLIFIED.encode("utf-16-be")),
        (SIMPLIFIED, SIMPLIFIED.encode("utf-16-be")),  # no byte-order mark
        (LATIN, LATIN.encode("utf-16-le")),
        (LATIN, codecs.BOM_UTF8 + LATIN.encode("utf-8")),
        (SIMPLIFIED, SIMPLIFIED.encode("gbk")),
        (TRADITIONAL, TRADITIONAL.encode("gb18030")),
        (TRADITIONAL, TRADITIONAL.encode("big5")),
        (SIMPLIFIED, SIMPLIFIED.replace("\n", "\r\n").encode("gb18030")),
    ],
)
def test_supported_encodings_decode_to_the_same_turns(tmp_path: Path, text: str, data: bytes) -> None:
    assert texts_of(tmp_path, data) == expected(text)


JAPANESE = "司会：今日はよろしくお願いします。\n田中：こちらこそ、よろしくお願いします。\n"
KOREAN = "사회자: 안녕하세요. 오늘 인공지능에 대해 이야기합니다.\n김민수: 반갑습니다.\n"


@pytest.mark.parametrize(
    "data",
    [
        LATIN.encode("latin-1"),
        "Ann Lee: “Smart quotes” — and café.\nBob Ray: Sure…\n".encode("cp1252"),
        JAPANESE.encode("shift_jis"),
        JAPANESE.encode("euc-jp"),
        KOREAN.encode("euc-kr"),
    ],
)
def test_legacy_encodings_that_would_be_guessed_are_refused_clearly(tmp_path: Path, data: bytes) -> None:
    """Latin-1 and Shift-JIS fail rather than being decoded: their bytes also read as GB18030 (mojibake)."""
    with pytest.raises(IngestError, match="cannot decode.*save it as UTF-8") as error:
        texts_of(tmp_path, data)
    assert "\n" not in str(error.value)


def test_japanese_in_utf_8_is_read(tmp_path: Path) -> None:
    transcript = ingest_file(tmp_path, "ja.txt", JAPANESE)
    assert (transcript.participants, transcript.languages) == ({"司会": 1, "田中": 1}, ["ja"])


@pytest.mark.parametrize("seed", range(10))
def test_random_bytes_are_never_taken_for_text(tmp_path: Path, seed: int) -> None:
    with pytest.raises(IngestError, match="binary|cannot decode"):
        texts_of(tmp_path, random.Random(seed).randbytes(2000))
