"""Bytes → text for the encodings transcripts arrive in: UTF-8 (with or without BOM), UTF-16, GB18030/GBK, Big5.

Anything else is refused with a clear message rather than guessed: single-byte code pages such as Latin-1 or
Windows-1252 accept every byte sequence, and Shift-JIS, EUC-JP or EUC-KR bytes also decode as GB18030, so a
guess could silently store mojibake. The one exception is a file that names its own encoding in an XML
declaration (`<?xml version="1.0" encoding="ISO-8859-1"?>`, as Transcriber files do): that is unambiguous.
"""

from __future__ import annotations

import codecs
import re

import rjieba

from bot.ingest.errors import IngestError

_CJK = re.compile(r"[\u3400-\u9fff]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9_.:-]+)["']""")
_MIN_FLUENCY = 0.3  # real Chinese scores 0.6-0.8, other encodings read as Chinese below 0.1
UNDECODABLE = (
    "cannot decode the file: it is not UTF-8, UTF-16, GB18030/GBK or Big5 text "
    "(other encodings such as Latin-1 or Shift-JIS are not guessed; save it as UTF-8)"
)


def _chinese_fluency(text: str) -> float:
    """Share of Chinese characters that fall inside multi-character dictionary words.

    Real Chinese mostly segments into dictionary words; bytes of another encoding read as Chinese give
    characters the segmenter (without its guessing HMM) leaves alone. Chooses GB18030 or Big5, and
    refuses both when neither reads as Chinese.
    """
    from bot.text.script import to_simplified

    chars = words = 0
    for run in re.findall(r"[\u3400-\u9fff]+", to_simplified(text[:20000])):
        chars += len(run)
        words += sum(len(w) for w in rjieba.cut(run, hmm=False) if len(w) > 1)
    return words / chars if chars else 0.0


def _looks_binary(text: str) -> bool:
    controls = sum(1 for ch in text[:10000] if ord(ch) < 32 and ch not in "\t\n\r\f")
    return "\x00" in text or controls > max(3, len(text[:10000]) // 100)


_PLAUSIBLE = re.compile(r"[\t\n\r\x20-\x7e\u00a0-\u024f\u2000-\u206f\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]")


def _plausible_share(text: str) -> float:
    """Share of characters from the scripts transcripts use (Latin, CJK, their punctuation); random bytes score low."""
    sample = text[:4000]
    return len(_PLAUSIBLE.findall(sample)) / len(sample) if sample else 0.0


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a byte-order mark: the byte order whose decoding reads as text."""
    if len(data) % 2 or b"\x00" not in data[:4000]:
        return None
    best = None
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if not _looks_binary(text) and _plausible_share(text) >= 0.9:
            best = max(best or (0.0, ""), (_plausible_share(text), text))
    return best[1] if best else None


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
    text = _utf16_without_bom(data)
    if text is not None:
        return _checked(text)
    declared = _XML_ENCODING.match(data[:200])
    if declared:
        try:
            return _checked(data.decode(declared.group(1).decode("ascii")))
        except (LookupError, UnicodeDecodeError):
            raise IngestError(
                f"the file declares encoding {declared.group(1).decode()!r} but is not valid in it"
            ) from None
    try:
        return _checked(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    if b"\x00" in data[:4000]:
        raise IngestError("this is a binary file, not a text transcript")
    candidates = []
    for codec in ("gb18030", "big5"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if not _looks_binary(text) and _CJK.search(text) and len(_KANA.findall(text)) * 10 < len(_CJK.findall(text)):
            candidates.append((_chinese_fluency(text), codec, text))
    if not candidates or max(candidates)[0] < _MIN_FLUENCY:
        raise IngestError(UNDECODABLE)
    return _checked(max(candidates)[2])


def _checked(text: str) -> str:
    if _looks_binary(text):
        raise IngestError("this is a binary file, not a text transcript")
    if not text.strip():
        raise IngestError("the file is empty")
    return text.replace("\r\n", "\n").replace("\r", "\n")
