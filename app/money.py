"""Whole-rupee amounts as JSON and people give them: 145000, 145000.0, "1,45,000", "₹ 2,400".

Pure: the document core and the web app share it, so an amount a form accepts is the amount an
applied document or an ITR export reads the same way.
"""
from __future__ import annotations

# ₹1 lakh crore: beyond any individual's return, and the sum of every input stays inside the ITR
# schema's 14-digit amount fields.
MAX_RUPEES = 10**12


def parse_rupees(value: object) -> int | None:
    """The whole number of rupees `value` gives, or None when it gives none (fractions, words,
    signs in text, True/False). Range is the caller's to check."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str):
        text = value.replace(",", "").replace("₹", "").replace(" ", "")
        return int(text) if text.isascii() and text.isdigit() else None
    return None
