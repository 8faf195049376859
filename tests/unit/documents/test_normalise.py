"""Reading amounts, years and tax identifiers out of printed and OCR'd text."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.documents.normalise import (
    find_amounts,
    find_dates,
    find_pans,
    find_tans,
    find_year_ranges,
    fold,
    fuzzy_find,
    is_pan,
    parse_amount,
    period_financial_year,
    repair_code,
)

from .generate import fmt_amount, rupees


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("14,50,000.00", 1450000),
        ("1,450,000", 1450000),
        ("1450000.00", 1450000),
        ("₹ 12,34,567.00", 1234567),
        ("Rs. 5,000/-", 5000),
        ("Rs.75,000", 75000),
        ("INR 2,500.49", 2500),
        ("INR 2,500.50", 2501),
        ("0.00", 0),
        ("99.5", 100),
    ],
)
def test_amounts_in_indian_and_western_styles_round_to_the_rupee(text: str, value: int) -> None:
    assert parse_amount(text) == value


@pytest.mark.parametrize(
    "text",
    [
        "under section 10",
        "section 17(1)",
        "Form No. 12BA",
        "[(3+1(e)-5]",
        "31-03-2025",
        "10%",
        "A/c 123456789012",
        "14,5,000",
        "1,2345",
    ],
)
def test_references_dates_and_badly_grouped_numbers_are_not_amounts(text: str) -> None:
    assert find_amounts(text) == []


def test_the_first_amount_after_a_section_reference_is_the_value() -> None:
    found = find_amounts("House rent allowance under section 10(13A)   1,20,000.00")
    assert [a.rupees for a in found] == [120000]


def test_ocr_letters_inside_an_amount_are_repaired_only_on_scans() -> None:
    assert [a.rupees for a in find_amounts("l4,5O,000.00", ocr=True)] == [1450000]
    assert find_amounts("l4,5O,000.00", ocr=True)[0].repaired
    assert find_amounts("l4,5O,000.00", ocr=False) == []


def test_a_rupee_sign_read_as_a_digit_is_dropped_when_grouping_proves_it() -> None:
    assert [a.rupees for a in find_amounts("214,50,000.00", ocr=True)] == [1450000]
    assert find_amounts("214,50,000.00", ocr=False) == []


@given(
    st.decimals(min_value=0, max_value=Decimal("99999999.99"), places=2, allow_nan=False, allow_infinity=False),
    st.sampled_from(["plain", "indian", "western"]),
    st.sampled_from(["", "Rs. ", "₹ ", "INR ", "Rs."]),
)
def test_any_printed_amount_reads_back_as_its_rounded_value(value: Decimal, style: str, prefix: str) -> None:
    text = "Amount: " + fmt_amount(value, style, prefix)
    assert [a.rupees for a in find_amounts(text)] == [rupees(value)]


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("Assessment Year 2025-26", 2025),
        ("A.Y. 2025-2026", 2025),
        ("FY 2024 - 25", 2024),
        ("for 2023-24 only", 2023),
    ],
)
def test_year_ranges_in_every_spelling(text: str, year: int) -> None:
    assert find_year_ranges(text)[0][0] == year


def test_a_range_whose_years_do_not_follow_is_not_a_year() -> None:
    assert find_year_ranges("2025-27") == []
    assert find_year_ranges("2025-2027") == []
    assert find_year_ranges("15-06-2024") == []


def test_dates_in_the_formats_certificates_use() -> None:
    assert [d for d, _a, _b in find_dates("01-04-2024 to 31/03/2025")] == [date(2024, 4, 1), date(2025, 3, 31)]
    assert [d for d, _a, _b in find_dates("From 01-Apr-2024 To 31-Mar-2025")] == [date(2024, 4, 1), date(2025, 3, 31)]
    assert [d for d, _a, _b in find_dates("1st April 2024")] == [date(2024, 4, 1)]


@pytest.mark.parametrize(
    ("text", "fy"),
    [
        ("01-04-2024 to 31-03-2025", 2024),
        ("01/07/2024 - 30/09/2024", 2024),
        ("15-01-2025 to 31-03-2025", 2024),
        ("01-01-2024 to 31-12-2024", None),
        ("31-03-2025 to 01-04-2024", None),
    ],
)
def test_a_period_gives_its_financial_year_only_when_it_lies_within_one(text: str, fy: int | None) -> None:
    assert period_financial_year(text) == fy


def test_pans_need_a_known_holder_type_in_the_fourth_place() -> None:
    assert is_pan("ABCPE1234F")
    assert not is_pan("ABCXE1234F")
    assert find_pans("PAN: ABCXE1234F") == []
    assert [p for p, *_ in find_pans("PAN: ABCPE1234F")] == ["ABCPE1234F"]


def test_pan_and_tan_repair_uses_the_character_class_of_each_position() -> None:
    assert repair_code("ABCPE1Z34F", "LLLLLDDDDL") == ("ABCPE1234F", True)
    assert repair_code("A8CPEl234F", "LLLLLDDDDL") == ("ABCPE1234F", True)
    assert repair_code("MUMAl2345B", "LLLLDDDDDL") == ("MUMA12345B", True)
    assert repair_code("ABCPE1234F", "LLLLLDDDDL", ocr=False) == ("ABCPE1234F", False)
    assert repair_code("ABCPE1X34F", "LLLLLDDDDL") is None
    assert [p for p, *_ in find_pans("PAN |CDEPS6789K", ocr=True)] == ["CDEPS6789K"]
    assert [t for t, *_ in find_tans("TAN MUMA 12345B", ocr=True)] == ["MUMA12345B"]
    assert [t for t, *_ in find_tans("TAN MU MA12345B", ocr=True)] == []


def test_labels_match_through_ocr_look_alikes_and_small_misreads() -> None:
    assert fold("Sectl0n 17(1)")[0] == fold("Section 17(1)")[0]
    squashed = fold("Empl joyer name: ACME")[0]
    assert fuzzy_find(squashed, fold("employer name")[0], 1) is not None
    assert fuzzy_find(fold("Total tax deducted")[0], fold("employer name")[0], 1) is None
