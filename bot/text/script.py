"""One script for comparisons: Traditional Chinese folded to Simplified (OpenCC), full-width to ASCII, case-folded."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import opencc


@cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional Chinese → Simplified (other text unchanged), so both scripts match each other."""
    return _t2s().convert(text)


def normalize(text: str) -> str:
    """The form every lexical comparison uses: Simplified, NFKC (full-width → ASCII), case-folded."""
    return unicodedata.normalize("NFKC", to_simplified(text)).casefold()


def comparison_key(text: str) -> str:
    """What makes two texts the same words: normalized, whitespace removed (script, case and spacing aside)."""
    return "".join(normalize(text).split())


# Surnames read otherwise in a name than in a word (曾经 céng, 曾志远 Zēng), and the two-character ones.
_SURNAME_READINGS = {
    "曾": "zeng", "单": "shan", "解": "xie", "乐": "yue", "翟": "zhai", "仇": "qiu", "区": "ou", "覃": "qin",
    "查": "zha", "盖": "ge", "缪": "miao", "朴": "piao", "种": "chong", "秘": "bi", "员": "yun", "尉": "yu",
}  # fmt: skip
_TWO_CHARACTER_SURNAMES = ("欧阳", "司马", "诸葛", "上官", "东方", "慕容", "令狐", "皇甫", "夏侯", "司徒", "公孙")
_HAN_NAME = re.compile(r"[\u4e00-\u9fff]{2,4}")


@cache
def pinyin_names(name: str) -> tuple[str, ...]:
    """How an English text writes a Chinese speaker's name, surname first and last: '姚舜宇' → ('Yao Shunyu',
    'Shunyu Yao'), '曾志远' → ('Zeng Zhiyuan', 'Zhiyuan Zeng'); () for any other name. So "What does Yao Shunyu
    think…" finds the speaker a Chinese transcript labels 姚舜宇."""
    simplified = to_simplified(name.strip())
    if not _HAN_NAME.fullmatch(simplified):
        return ()
    from pypinyin import Style, lazy_pinyin

    cut = 2 if simplified.startswith(_TWO_CHARACTER_SURNAMES) and len(simplified) > 2 else 1
    syllables = lazy_pinyin(simplified, style=Style.NORMAL)
    surname = "".join(_SURNAME_READINGS.get(ch, s) for ch, s in zip(simplified[:cut], syllables, strict=False))
    given = "".join(syllables[cut:])
    return (f"{surname.title()} {given.title()}", f"{given.title()} {surname.title()}")
