"""Invoice arithmetic: GST at 18% rounded half up, amounts in words in lakh and crore."""
from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest

from app.invoices.amounts import grouped, gst, in_words, totals


@pytest.mark.parametrize(("subtotal", "expected"), [
    (0, 0), (1, 0), (2, 0), (3, 1),      # 0.18, 0.36 round down; 0.54 rounds up
    (25, 5),                             # 4.50: exactly half goes up
    (75, 14),                            # 13.50 -> 14
    (125, 23),                           # 22.50 -> 23
    (36, 6),                             # 6.48 -> 6
    (104_624, 18_832),                   # 18,832.32
    (10_000, 1_800),
])
def test_gst_is_eighteen_percent_rounded_half_up_to_a_rupee(subtotal, expected):
    assert gst(subtotal) == expected


def test_totals_add_gst_to_the_sum_of_the_lines():
    result = totals([100_000, 4_624])
    assert (result.subtotal, result.gst, result.total) == (104_624, 18_832, 123_456)


def test_a_negative_subtotal_is_refused():
    with pytest.raises(ValueError):
        gst(-1)
    with pytest.raises(ValueError):
        in_words(-5)


@pytest.mark.parametrize(("rupees", "words"), [
    (0, "Rupees Zero only"),
    (7, "Rupees Seven only"),
    (15, "Rupees Fifteen only"),
    (40, "Rupees Forty only"),
    (99, "Rupees Ninety-Nine only"),
    (100, "Rupees One Hundred only"),
    (1_001, "Rupees One Thousand One only"),
    (20_000, "Rupees Twenty Thousand only"),
    (99_999, "Rupees Ninety-Nine Thousand Nine Hundred Ninety-Nine only"),
    (1_00_000, "Rupees One Lakh only"),
    (1_23_456, "Rupees One Lakh Twenty-Three Thousand Four Hundred Fifty-Six only"),
    (10_05_010, "Rupees Ten Lakh Five Thousand Ten only"),
    (99_99_999, "Rupees Ninety-Nine Lakh Ninety-Nine Thousand Nine Hundred Ninety-Nine only"),
    (1_00_00_000, "Rupees One Crore only"),
    (1_00_00_001, "Rupees One Crore One only"),
    (12_34_56_789, "Rupees Twelve Crore Thirty-Four Lakh Fifty-Six Thousand Seven Hundred Eighty-Nine only"),
    (1_00_00_00_000, "Rupees One Hundred Crore only"),
    (1_00_000_00_00_000, "Rupees One Lakh Crore only"),
])
def test_amounts_in_words_use_indian_numbering(rupees, words):
    assert in_words(rupees) == words


@pytest.mark.parametrize(("rupees", "text"), [
    (0, "0"), (999, "999"), (1_000, "1,000"), (1_23_456, "1,23,456"), (12_34_56_789, "12,34,56,789"),
])
def test_amounts_are_grouped_in_lakh_and_crore(rupees, text):
    assert grouped(rupees) == text


def test_the_pdf_is_a_pdf_and_the_same_invoice_gives_the_same_bytes():
    from app.invoices.pdf import InvoicePaper, Line, render

    paper = InvoicePaper(
        number="TD/25-26/000001", issued_on=date(2025, 7, 1), paid_on=None, seller_name="Priya & Co <CA>",
        seller_email="priya@example.com", buyer_name="Asha", buyer_email="asha@example.com", assessment_year="2026-27",
        lines=[Line("Assisted ITR-1 filing", 1, 104_624, 104_624)], subtotal=104_624, gst=18_832, total=123_456,
    )
    first = render(paper)
    assert first.startswith(b"%PDF") and first == render(paper)


def test_the_pdf_module_loads_without_flask():
    code = "import sys, app.invoices.pdf, app.invoices.amounts; sys.exit('flask' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
