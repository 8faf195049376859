"""Whole-rupee amounts parsed one way for forms, the JSON API, applied documents and the ITR export."""
from __future__ import annotations

import pytest

from app.money import MAX_RUPEES, parse_rupees


@pytest.mark.parametrize(("value", "rupees"), [
    (145000, 145000), (145000.0, 145000), ("1,45,000", 145000), ("₹ 2,400", 2400), (" 12 ", 12), ("0", 0),
    (-5, -5), (MAX_RUPEES + 1, MAX_RUPEES + 1),
])
def test_whole_rupees_from_numbers_and_typed_text(value, rupees):
    assert parse_rupees(value) == rupees


@pytest.mark.parametrize("value", [
    True, False, None, 12.5, "12.50", "-5", "1e5", "twelve", "", "₹", "١٢٣", "²", [1], {"a": 1},
])
def test_anything_but_a_whole_number_of_rupees_is_none(value):
    assert parse_rupees(value) is None


def test_forms_documents_and_the_api_share_the_parsing_and_the_bounds():
    from app.documents.apply import parse_amount as document_amount
    from app.filings.forms import parse_amount as form_amount
    from app.filings.validation import clean_foreign_asset

    assert document_amount(MAX_RUPEES) == MAX_RUPEES and document_amount(MAX_RUPEES + 1) is None
    assert document_amount("₹ 1,45,000") == 145000 and document_amount(-1) is None
    assert form_amount("₹ 1,45,000") == 145000 and form_amount("") == 0 and form_amount("12.5") is None
    asset = {"country_code": "US", "asset_type": "depository_account", "institution": "Bank", "peak_value": "₹ 1,45,000",
             "closing_value": MAX_RUPEES + 1, "income": -1}
    clean, errors = clean_foreign_asset(asset)
    assert clean["peak_value"] == 145000
    assert errors == {"closing_value": "Enter an amount up to ₹1 lakh crore.", "income": "Enter an amount of 0 or more."}
