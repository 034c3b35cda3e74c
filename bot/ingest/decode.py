"""Bytes → text for the encodings transcripts arrive in: UTF-8 (with or without BOM), UTF-16, GB18030/GBK, Big5."""

from __future__ import annotations

import codecs
import re

import rjieba

from bot.ingest.errors import IngestError

_CJK = re.compile(r"[\u3400-\u9fff]")


def _chinese_fluency(text: str) -> float:
    """Share of Chinese characters that fall inside multi-character dictionary words.

    Real Chinese segments mostly into words; the same bytes decoded with the wrong Chinese codec give
    rare characters that the segmenter leaves alone. Used to choose between GB18030 and Big5.
    """
    from bot.search.lexical import to_simplified

    chars = words = 0
    for run in re.findall(r"[\u3400-\u9fff]+", to_simplified(text[:20000])):
        chars += len(run)
        words += sum(len(w) for w in rjieba.cut(run) if len(w) > 1)
    return words / chars if chars else 0.0


def _looks_binary(text: str) -> bool:
    controls = sum(1 for ch in text[:10000] if ord(ch) < 32 and ch not in "\t\n\r\f")
    return "\x00" in text or controls > max(3, len(text[:10000]) // 100)


def decode_bytes(data: bytes) -> str:
    """Decode a transcript file; IngestError (one line) for empty, binary or undecodable input."""
    if not data.strip():
        raise IngestError("the file is empty")
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return _checked(data.decode(codec))
            except UnicodeDecodeError:
                raise IngestError(
                    f"the file starts with a {codec.upper()} byte-order mark but is not valid {codec.upper()}"
                ) from None
    sample = data[:4000]
    if len(sample) >= 4 and sample.count(0) >= len(sample) // 3:  # UTF-16 without a byte-order mark
        even_zeros = sample[0::2].count(0)
        codec = "utf-16-be" if even_zeros > sample[1::2].count(0) else "utf-16-le"
        try:
            return _checked(data.decode(codec))
        except UnicodeDecodeError:
            raise IngestError("this is a binary file, not a text transcript") from None
    try:
        return _checked(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    candidates = []
    for codec in ("gb18030", "big5"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if not _looks_binary(text) and _CJK.search(text):
            candidates.append((_chinese_fluency(text), codec, text))
    if not candidates:
        if b"\x00" in data[:4000]:
            raise IngestError("this is a binary file, not a text transcript")
        raise IngestError("cannot decode the file: it is not UTF-8, UTF-16, GB18030/GBK or Big5 text")
    return _checked(max(candidates)[2])


def _checked(text: str) -> str:
    if _looks_binary(text):
        raise IngestError("this is a binary file, not a text transcript")
    if not text.strip():
        raise IngestError("the file is empty")
    return text.replace("\r\n", "\n").replace("\r", "\n")
