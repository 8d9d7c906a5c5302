"""Normalising an instruction: lower case, one kind of dash, numbers as digits.

"Make bars three to six louder" -> "make bars 3 to 6 louder"; "the fifth bar"
-> "the 5th bar"; "bars 5–8" -> "bars 5-8"; "a hundred and twenty bpm" ->
"120 bpm". Everything after this works on the normalised words.
"""
from __future__ import annotations

import re

UNITS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen "
         "fourteen fifteen sixteen seventeen eighteen nineteen").split()
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
        "eighty": 80, "ninety": 90}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
            "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
            "thirteenth": 13, "fourteenth": 14, "fifteenth": 15, "sixteenth": 16,
            "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20,
            "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60}
CARDINALS = {w: i for i, w in enumerate(UNITS)} | TENS | {"a couple of": 2, "a pair of": 2,
                                                          "a dozen": 12, "dozen": 12}
_SUFFIX = {1: "st", 2: "nd", 3: "rd"}


def ordinal(n: int) -> str:
    """1 -> "1st", 12 -> "12th", 22 -> "22nd"."""
    suffix = "th" if 10 <= n % 100 <= 20 else _SUFFIX.get(n % 10, "th")
    return f"{n}{suffix}"


def _cardinal_pattern() -> re.Pattern[str]:
    unit = "|".join(sorted(UNITS[1:], key=len, reverse=True))
    tens = "|".join(TENS)
    ords = "|".join(sorted(ORDINALS, key=len, reverse=True))
    return re.compile(
        rf"\b(?:(?:a|one|{unit}) hundred(?: and)? )?(?:(?:{tens})(?:[- ](?:{unit}|{ords}))?|{unit}|{ords})\b"
        rf"|\b(?:a|one) hundred\b")


_NUMBER = _cardinal_pattern()
_SPLIT_ORD = {w for w in ORDINALS}


def _value(words: str) -> tuple[int, bool]:
    """("twenty one", "hundred and fifth", ...) -> (value, is_ordinal)."""
    total, is_ord = 0, False
    for word in re.split(r"[- ]", words):
        if word in ("and", ""):
            continue
        if word == "hundred":
            total = max(total, 1) * 100
        elif word == "a":
            total += 1
        elif word in TENS:
            total += TENS[word]
        elif word in _SPLIT_ORD:
            total += ORDINALS[word]
            is_ord = True
        else:
            total += UNITS.index(word)
    return total, is_ord


def numbers_to_digits(text: str) -> str:
    """Number and ordinal words -> digits ("three" -> "3", "fifth" -> "5th")."""
    for phrase, value in (("a couple of", 2), ("a pair of", 2), ("a dozen", 12)):
        text = re.sub(rf"\b{phrase}\b", str(value), text)

    def replace(match: re.Match[str]) -> str:
        value, is_ord = _value(match.group(0))
        return ordinal(value) if is_ord else str(value)

    return _NUMBER.sub(replace, text)


_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_KEEP = re.compile(r"[^a-z0-9#♯♭/+\-.%', ]")


def normalise(text: str) -> str:
    """Lower case, ASCII dashes, numbers as digits, punctuation that carries no meaning dropped.

    Commas, semicolons and full stops that end a clause become " , " so the
    clause splitter sees them; "5-8" and "3/4" stay one word.
    """
    text = _DASHES.sub("-", text.lower()).replace("’", "'").replace("♯", "#")
    text = re.sub(r"(\d)\s*-\s*(\d)", r"\1-\2", text)
    text = re.sub(r"[,;:!?]|\.(?!\d)", " , ", text)
    text = text.replace("(", " ").replace(")", " ").replace('"', " ")
    text = _KEEP.sub(" ", text)
    text = re.sub(r"(?<![a-z])'|'(?![a-z])", " ", text)
    text = re.sub(r"\b(?!let's\b)([a-z]+)'s\b", r"\1", text)
    text = numbers_to_digits(re.sub(r"\s+", " ", text).strip())
    text = re.sub(r"\b(\d+) ?- ?(\d+)\b", r"\1-\2", text)
    return re.sub(r"\s+", " ", text).strip()


def int_of(word: str) -> int | None:
    """"12" -> 12, "3rd" -> 3, anything else -> None."""
    match = re.fullmatch(r"(\d+)(?:st|nd|rd|th)?", word)
    return int(match.group(1)) if match else None
