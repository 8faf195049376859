"""Reading values out of noisy text: amounts, years, PAN, TAN, and labels that OCR garbled.

OCR repair is applied only where the position's character class makes the intended character
unambiguous: a letter inside a run of digits in an amount, a digit where a PAN must have a
letter, and so on. Anything still invalid after that is not read at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# ---------------------------------------------------------------------------------------------
# Label matching


_FOLD = str.maketrans({"0": "o", "1": "l", "i": "l", "|": "l", "!": "l"})


def fold(text: str) -> tuple[str, list[int]]:
    """Lower-case alphanumerics of `text` with OCR look-alikes merged (0/o, 1/l/i/|), and for
    each kept character its index in `text`, so a match can be mapped back."""
    chars: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        if ch.isalnum() or ch in "|!":
            chars.append(ch.lower().translate(_FOLD))
            index.append(i)
    return "".join(chars), index


def fold_label(label: str) -> str:
    """The folded form of a label phrase, as `fold` would produce it from a page."""
    return fold(label)[0]


# ---------------------------------------------------------------------------------------------
# Amounts


@dataclass(frozen=True)
class Amount:
    """An amount found in a line: whole rupees, its character range, and whether OCR repair
    was needed to read it."""

    rupees: int
    start: int
    end: int
    repaired: bool
    paise: int = 0
    """The exact amount in paise, for sums that are rounded once at the end."""


_DIGIT_LOOKALIKES = str.maketrans(
    {"O": "0", "o": "0", "D": "0", "Q": "0", "I": "1", "l": "1", "|": "1", "S": "5", "B": "8"}
)
_NUM_CHARS = "0-9OoDQIl|SB"
_AMOUNT = re.compile(
    r"(?<![\w.,/(+\-])"
    r"(?P<cur>₹|rs\.?|inr|r5\.?|[%=€¥F?])?\s?"
    rf"(?P<num>[{_NUM_CHARS}][{_NUM_CHARS},]*(?:[.,][0-9Oo]{{1,2}})?)"
    r"(?:/-)?"
    r"(?!\.\d)(?![\w(%+\-/])",
    re.IGNORECASE,
)
_GROUPING = re.compile(r"\d+|\d{1,3}(?:,\d{3})+|\d{1,2}(?:,\d{2})*,\d{3}")
_REFERENCE_WORDS = frozenset(
    [
        "section",
        "sec",
        "u/s",
        "us",
        "rule",
        "form",
        "no",
        "no.",
        "number",
        "sl",
        "sl.",
        "a/c",
        "ac",
        "account",
        "id",
        "ref",
        "receipt",
        "chapter",
        "para",
        "schedule",
        "page",
        "quarter",
        "q",
        "dated",
        "date",
        "clause",
        "item",
        "sr",
        "sr.",
        "annexure",
    ]
)
_MAX_UNGROUPED_DIGITS = 8  # a longer bare digit run is an account or reference number


def _valid_integer(digits: str) -> bool:
    return _GROUPING.fullmatch(digits) is not None


def _to_paise(integer: str, fraction: str) -> int:
    try:
        value = Decimal(integer.replace(",", "") + "." + (fraction or "0"))
    except InvalidOperation:
        return -1
    return int(value * 100)


def round_paise(paise: int) -> int:
    """Whole rupees from paise, half a rupee rounding up."""
    return int((Decimal(paise) / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _parse_number(raw: str, ocr: bool) -> tuple[int, bool] | None:
    """Paise from an amount token, and whether repair was needed; None if not an amount."""
    repaired = False
    text = raw
    if ocr:
        fixed = text.translate(_DIGIT_LOOKALIKES)
        if fixed != text:
            real = sum(c.isdigit() for c in text)
            if real < 2 or (len(fixed) - real - fixed.count(",") - fixed.count(".")) * 3 > real:
                return None
            text, repaired = fixed, True
    if not re.fullmatch(r"[\d,]+(?:[.,]\d{1,2})?", text):
        return None
    integer, fraction = text, ""
    match = re.fullmatch(r"([\d,]+)[.,](\d{1,2})", text)
    if match:
        integer, fraction = match.group(1), match.group(2)
        if text[match.start(2) - 1] == "," and not ocr:
            return None
        if text[match.start(2) - 1] == ",":
            repaired = True
    if not _valid_integer(integer):
        # A rupee sign read as a leading digit ("₹14,50,000" -> "214,50,000").
        if ocr and len(integer) > 1 and integer[0] in "27" and _valid_integer(integer[1:]) and "," in integer:
            integer, repaired = integer[1:], True
        else:
            return None
    if "," not in integer and len(integer) > _MAX_UNGROUPED_DIGITS:
        return None
    paise = _to_paise(integer, fraction)
    return (paise, repaired) if paise >= 0 else None


def _word_before(text: str, pos: int) -> str:
    words = text[:pos].split()
    return words[-1].lower().rstrip(":") if words else ""


def find_amounts(text: str, start: int = 0, ocr: bool = False) -> list[Amount]:
    """Amounts in `text[start:]`, left to right. Indian (12,34,567) and western grouping,
    ₹/Rs./INR prefixes and '/-' suffixes are accepted; paise are rounded half up to the rupee.
    Numbers that are references (section 10, Form No. 12BA, 17(1), dates, percentages, account
    numbers) are skipped."""
    out: list[Amount] = []
    for match in _AMOUNT.finditer(text, start):
        cur = match.group("cur")
        if cur and cur in "%=€¥F?" and not ocr:
            continue
        if not cur and _word_before(text, match.start()) in _REFERENCE_WORDS:
            continue
        parsed = _parse_number(match.group("num"), ocr)
        if parsed is None:
            continue
        paise, repaired = parsed
        glued = bool(cur and cur in "%=€¥F?")
        out.append(Amount(round_paise(paise), match.start("num"), match.end("num"), repaired or glued, paise))
    return out


def parse_amount(text: str) -> int | None:
    """Whole rupees from a single amount string such as '₹ 12,34,567.50' (None if not one)."""
    found = find_amounts(text)
    return found[0].rupees if len(found) == 1 else None


# ---------------------------------------------------------------------------------------------
# Years


_MONTHS = {
    m: i for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)
}
_YEAR_RANGE = re.compile(r"(?<![\w/-])([2Z][0-9OoIlS|]{3})\s*[-–—/]\s*([0-9OoIlS|]{4}|[0-9OoIlS|]{2})(?![\w/-])")
_DATE = re.compile(
    r"(?<!\d)(\d{1,2})(?:st|nd|rd|th)?[-/. ]\s*(\d{1,2}|[A-Za-z]{3,9})[-/., ]\s*(\d{4})(?!\d)",
    re.IGNORECASE,
)


def format_year(start: int) -> str:
    """2024 -> '2024-25'."""
    return f"{start}-{(start + 1) % 100:02d}"


def _digits(text: str) -> str:
    return text.translate(_DIGIT_LOOKALIKES).replace("Z", "2")


def find_year_ranges(text: str, start: int = 0) -> list[tuple[int, int, int]]:
    """Years written as a range ('2025-26', '2025-2026', '2025 - 26'), as (first year, start,
    end); the second year must follow the first."""
    out = []
    for match in _YEAR_RANGE.finditer(text, start):
        first, second = _digits(match.group(1)), _digits(match.group(2))
        if not (first.isdigit() and second.isdigit()):
            continue
        year = int(first)
        if not 2000 <= year <= 2099:
            continue
        nxt = int(second)
        if (len(second) == 2 and nxt == (year + 1) % 100) or (len(second) == 4 and nxt == year + 1):
            out.append((year, match.start(), match.end()))
    return out


def find_dates(text: str, start: int = 0) -> list[tuple[date, int, int]]:
    """Dates as 01-04-2024, 01/04/2024, 1.4.2024, 01-Apr-2024 or 1st April 2024."""
    out = []
    for match in _DATE.finditer(text, start):
        day, month_text, year = int(match.group(1)), match.group(2), int(match.group(3))
        month = int(month_text) if month_text.isdigit() else _MONTHS.get(month_text[:3].lower(), 0)
        try:
            out.append((date(year, month, day), match.start(), match.end()))
        except ValueError:
            continue
    return out


def financial_year_of(day: date) -> int:
    """First calendar year of the Indian financial year (April to March) containing `day`."""
    return day.year if day.month >= 4 else day.year - 1


def period_financial_year(text: str, start: int = 0) -> int | None:
    """The financial year of a period such as '01-04-2024 to 31-03-2025': both ends must fall
    in the same financial year."""
    dates = find_dates(text, start)
    if len(dates) < 2:
        return None
    first, last = financial_year_of(dates[0][0]), financial_year_of(dates[1][0])
    return first if first == last and dates[0][0] <= dates[1][0] else None


# ---------------------------------------------------------------------------------------------
# PAN and TAN


PAN_HOLDER_TYPES = frozenset("PCHFATBLJG")
"""Fourth character of a PAN: the holder's status (P individual, C company, H HUF, F firm,
A association of persons, T trust, B body of individuals, L local authority, J artificial
juridical person, G government)."""

_LETTER_FOR_DIGIT = {"0": "O", "1": "I", "2": "Z", "5": "S", "6": "G", "8": "B", "|": "I", "l": "I"}
_DIGIT_FOR_LETTER = {
    "O": "0", "o": "0", "D": "0", "Q": "0", "U": "0",
    "I": "1", "l": "1", "|": "1", "i": "1", "!": "1",
    "Z": "2", "z": "2", "S": "5", "s": "5", "G": "6", "b": "6", "B": "8", "g": "9", "q": "9",
}  # fmt: skip
PAN_SHAPE = "LLLLLDDDDL"
TAN_SHAPE = "LLLLDDDDDL"


def repair_code(token: str, shape: str, ocr: bool = True) -> tuple[str, bool] | None:
    """`token` fitted to `shape` (L letter, D digit), repairing look-alikes position by
    position; None if a position cannot be fitted. Returns the code and whether it was
    repaired."""
    if len(token) != len(shape):
        return None
    out = []
    repaired = False
    for ch, kind in zip(token, shape, strict=True):
        if kind == "L":
            if "A" <= ch <= "Z":
                out.append(ch)
            elif ocr and ch in _LETTER_FOR_DIGIT:
                out.append(_LETTER_FOR_DIGIT[ch])
                repaired = True
            elif ocr and ch.isalpha() and ch.isascii():
                out.append(ch.upper())
                repaired = True
            else:
                return None
        else:
            if ch.isdigit() and ch.isascii():
                out.append(ch)
            elif ocr and ch in _DIGIT_FOR_LETTER:
                out.append(_DIGIT_FOR_LETTER[ch])
                repaired = True
            else:
                return None
    return "".join(out), repaired


def _code_candidates(text: str, start: int, length: int) -> Iterator[tuple[str, int, int]]:
    """Tokens of `length` characters in text[start:], also across one stray space."""
    tokens = []
    for m in re.finditer(r"[A-Za-z0-9|!]+", text[start:]):
        # A table rule or speck read as '|' at either end is not part of the code.
        tok, a = m.group(), m.start() + start
        stripped = tok.strip("|!")
        if stripped:
            a += tok.index(stripped)
            tokens.append((stripped, a, a + len(stripped)))
    for i, (tok, a, b) in enumerate(tokens):
        if len(tok) == length:
            yield tok, a, b
        elif i + 1 < len(tokens):
            nxt, na, nb = tokens[i + 1]
            if na - b == 1 and len(tok) + len(nxt) == length and len(tok) >= 3 and len(nxt) >= 3:
                yield tok + nxt, a, nb


def find_pans(text: str, start: int = 0, ocr: bool = False) -> list[tuple[str, int, int, bool]]:
    """Valid PANs in text[start:] as (pan, start, end, repaired)."""
    out = []
    for tok, a, b in _code_candidates(text, start, 10):
        fitted = repair_code(tok, PAN_SHAPE, ocr)
        if fitted and fitted[0][3] in PAN_HOLDER_TYPES:
            out.append((fitted[0], a, b, fitted[1]))
    return out


def find_tans(text: str, start: int = 0, ocr: bool = False) -> list[tuple[str, int, int, bool]]:
    """Valid TANs in text[start:] as (tan, start, end, repaired)."""
    out = []
    for tok, a, b in _code_candidates(text, start, 10):
        fitted = repair_code(tok, TAN_SHAPE, ocr)
        if fitted:
            out.append((fitted[0], a, b, fitted[1]))
    return out


def is_pan(value: str) -> bool:
    """True for a well-formed PAN with a known holder type."""
    return re.fullmatch(r"[A-Z]{5}[0-9]{4}[A-Z]", value) is not None and value[3] in PAN_HOLDER_TYPES


# ---------------------------------------------------------------------------------------------
# Names


def clean_name(text: str) -> str | None:
    """A printed name with separators and stray punctuation trimmed; None if it has no words."""
    value = re.sub(r"\s+", " ", text).strip(" :;-–—,.|_\"'")
    if len(re.findall(r"[A-Za-z]", value)) < 3:
        return None
    return value


# ---------------------------------------------------------------------------------------------
# Approximate label matching for OCR text


def allowed_errors(label: str) -> int:
    """Edits tolerated when matching a folded label in OCR text: none for short labels."""
    n = len(label)
    return 0 if n < 7 else 1 if n < 16 else 2 if n < 30 else 3


def _trigrams(text: str) -> set[str]:
    return {text[i : i + 3] for i in range(len(text) - 2)}


def fuzzy_find(squashed: str, label: str, max_errors: int) -> tuple[int, int] | None:
    """Best approximate occurrence of `label` in `squashed` within `max_errors` edits
    (Sellers' algorithm), as (start, end) in `squashed`; None if there is none. A trigram
    filter rejects most rows before the quadratic step."""
    m = len(label)
    if max_errors <= 0 or m == 0 or len(squashed) < m - max_errors:
        return None
    shared = len(_trigrams(label) & _trigrams(squashed))
    if shared < (m - 2) - 3 * max_errors:
        return None
    prev = [0] * (len(squashed) + 1)  # row for the empty label prefix: a match may start anywhere
    starts = list(range(len(squashed) + 1))
    for i in range(1, m + 1):
        cur = [i] + [0] * len(squashed)
        cur_starts = [0] * (len(squashed) + 1)
        ch = label[i - 1]
        for j in range(1, len(squashed) + 1):
            sub = prev[j - 1] + (ch != squashed[j - 1])
            dele = prev[j] + 1
            ins = cur[j - 1] + 1
            best = min(sub, dele, ins)
            cur[j] = best
            if best == sub:
                cur_starts[j] = starts[j - 1]
            elif best == dele:
                cur_starts[j] = starts[j]
            else:
                cur_starts[j] = cur_starts[j - 1]
        cur_starts[0] = 0
        prev, starts = cur, cur_starts
    end = min(range(len(squashed) + 1), key=lambda j: (prev[j], j))
    if prev[end] > max_errors or end == 0:
        return None
    return starts[end], end
