"""Integer rounding of rupee amounts (sections 288A and 288B) and Indian digit grouping."""
from __future__ import annotations


def round_half_up(numerator: int, denominator: int) -> int:
    """`numerator / denominator` rounded to the nearest integer, halves up (both non-negative)."""
    return (2 * numerator + denominator) // (2 * denominator)


def round_to_ten(amount: int) -> int:
    """Sections 288A (total income) and 288B (tax): nearest multiple of ₹10, ₹5 and above up.

    Paise are already gone (amounts are whole rupees), as both sections first ignore them.
    """
    return (amount + 5) // 10 * 10


def inr(amount: int) -> str:
    """₹ amount grouped the Indian way: 1234567 -> '₹12,34,567'."""
    if amount < 0:
        return "-" + inr(-amount)
    if amount < 1000:
        return f"₹{amount}"
    head, tail = divmod(amount, 1000)
    if head < 100:
        return f"₹{head},{tail:03d}"
    groups = [f"{tail:03d}"]
    while head >= 100:
        head, pair = divmod(head, 100)
        groups.append(f"{pair:02d}")
    groups.append(str(head))
    return "₹" + ",".join(reversed(groups))
