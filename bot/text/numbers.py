"""Questions that ask for a quantity, and passages that state one.

People ask how many, how much, how long, which year ("how big is the guest's video channel audience", "奥特曼觉得
公司可以拿几个点的佣金?"), and the answer holds a number ("she has 11,000 subscribers", "我們會收取2%的聯盟費用").
Ranking reads the pair as one piece of evidence (`bot.search.ranking`, "numeric"); on the dev sets it lifted
numeric questions' recall@1 from 0.625 to 0.812 (README, Search, stop 36).
"""

from __future__ import annotations

import re

# English asking forms and their Chinese counterparts; 几乎/幾乎 ("almost") is no question of number
_ASKS_QUANTITY = re.compile(
    r"\bhow (?:many|much|long|big|old|often|far|fast|large|smart)\b"
    r"|\bwhat (?:year|percentage|percent|price|share|number|age|size)\b|\buntil what\b|\bwhich year\b"
    r"|多少|几(?!乎)|幾(?!乎)|多久|多大|多长|多長|哪一年|百分之|多高|多快",
    re.IGNORECASE,
)
# English number words (a word search runs only where one of them occurs), Chinese numerals with their unit
_NUMBER_WORDS = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen",
                 "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty", "thirty", "forty",
                 "fifty", "sixty", "seventy", "eighty", "ninety", "hundred", "thousand", "million", "billion",
                 "trillion", "dozen", "percent")  # fmt: skip
_NUMBER_WORD = re.compile(rf"\b(?:{'|'.join(_NUMBER_WORDS)})\b")
_CHINESE_NUMBER = re.compile(
    r"[一二两兩三四五六七八九十百千万萬亿億]+[多几幾余餘]?(?:倍|年|个月|個月|天|小时|小時|分钟|分鐘|万|萬|亿|億|岁|歲|页|頁|人|%|成)"
    r"|百分之|[几幾半](?:年|个月|個月|倍)"  # 十多年, 三十几岁; 几年, 半年: as _SPAN counts "a few years", "half a year"
)
# a span of time counted with an article or a vague count: "it took me like a year", "a couple of weeks ago", "for
# several decades", "half an hour" (not "one day", "a second": story and idiom far more often than a length of time)
_SPAN = re.compile(r"\b(?:an?|a couple of|a few|several)\s+(?:year|month|week|decade|hour)s?\b", re.IGNORECASE)
_DIGIT = re.compile(r"\d")


def asks_quantity(question: str) -> bool:
    """True when the question asks how many, how much, how long, which year and the like."""
    return _ASKS_QUANTITY.search(question) is not None


def states_number(text: str) -> bool:
    """True when the text states a number: a digit not inside a name ("GPT-4", "Web3"), an English number word, or
    a Chinese numeral with its unit. Read for every passage when an index loads, so plain searches come first."""
    for match in _DIGIT.finditer(text):
        before = text[match.start() - 1] if match.start() else " "
        if not (before == "-" or before.isdigit() or (before.isascii() and before.isalpha())):
            return True
    lower = text.lower()
    if any(word in lower for word in _NUMBER_WORDS) and _NUMBER_WORD.search(lower):
        return True
    if _SPAN.search(text):
        return True
    return not text.isascii() and _CHINESE_NUMBER.search(text) is not None
