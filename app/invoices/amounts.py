"""Invoice arithmetic in whole rupees: line amounts, GST at 18%, Indian digit grouping, amount in words.

Pure: no Flask, no database.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

GST_PERCENT = 18

_ONES = (
    "", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten", "Eleven", "Twelve",
    "Thirteen", "Fourteen", "Fifteen", "Sixteen", "Seventeen", "Eighteen", "Nineteen",
)
_TENS = ("", "", "Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety")
CRORE, LAKH, THOUSAND = 10_000_000, 100_000, 1_000


@dataclass(frozen=True)
class Totals:
    subtotal: int
    gst: int
    total: int


def gst(subtotal: int) -> int:
    """18% of the taxable value, rounded half up to a whole rupee (section 170 of the CGST Act
    allows rounding tax to the nearest rupee)."""
    if subtotal < 0:
        raise ValueError("subtotal must not be negative")
    return (subtotal * GST_PERCENT + 50) // 100


def totals(line_amounts: Iterable[int]) -> Totals:
    subtotal = sum(line_amounts)
    tax = gst(subtotal)
    return Totals(subtotal=subtotal, gst=tax, total=subtotal + tax)


def _below_hundred(n: int) -> str:
    if n < 20:
        return _ONES[n]
    return _TENS[n // 10] + (f"-{_ONES[n % 10]}" if n % 10 else "")


def _below_thousand(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    parts = [f"{_ONES[hundreds]} Hundred"] if hundreds else []
    if rest:
        parts.append(_below_hundred(rest))
    return " ".join(parts)


def _indian_words(n: int) -> str:
    crores, rest = divmod(n, CRORE)
    lakhs, rest = divmod(rest, LAKH)
    thousands, rest = divmod(rest, THOUSAND)
    parts = []
    if crores:
        # Above 99 crore the count of crores is itself read in lakh and thousand: "One Lakh Crore".
        parts.append(f"{_indian_words(crores)} Crore")
    if lakhs:
        parts.append(f"{_below_hundred(lakhs)} Lakh")
    if thousands:
        parts.append(f"{_below_hundred(thousands)} Thousand")
    if rest:
        parts.append(_below_thousand(rest))
    return " ".join(parts)


def in_words(rupees: int) -> str:
    """'Rupees One Lakh Twenty-Three Thousand Four Hundred Fifty-Six only' (Indian numbering)."""
    if rupees < 0:
        raise ValueError("an invoice amount is never negative")
    return f"Rupees {_indian_words(rupees) or 'Zero'} only"


def grouped(rupees: int) -> str:
    """12,34,567: lakh and crore grouping, without a currency sign (the PDF fonts have no ₹)."""
    digits = str(abs(rupees))
    head, tail = digits[:-3], digits[-3:]
    groups = []
    while len(head) > 2:
        groups.insert(0, head[-2:])
        head = head[:-2]
    if head:
        groups.insert(0, head)
    return ("-" if rupees < 0 else "") + ",".join([*groups, tail])
