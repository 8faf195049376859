"""Input validation: every bad field is an InputError naming it by its dotted path."""
from __future__ import annotations

from typing import Any

import pytest

from app.tax import SUPPORTED_YEARS, InputError, compute, validate

BASE: dict[str, Any] = {"financial_year": "2025-26"}


@pytest.mark.parametrize(("case", "field", "words"), [
    ({}, "financial_year", "required"),
    ({"financial_year": "2023-24"}, "financial_year", "2024-25, 2025-26"),
    ({"financial_year": 2025}, "financial_year", "must be one of"),
    ({**BASE, "salary": {"gross": -1}}, "salary.gross", "negative"),
    ({**BASE, "salary": {"gross": "1000"}}, "salary.gross", "not a string"),
    ({**BASE, "salary": {"gross": True}}, "salary.gross", "not true/false"),
    ({**BASE, "salary": {"gross": None}}, "salary.gross", "not null"),
    ({**BASE, "salary": {"gross": float("nan")}}, "salary.gross", "finite"),
    ({**BASE, "salary": {"gross": float("inf")}}, "salary.gross", "finite"),
    ({**BASE, "salary": {"bonus": 1}}, "salary.bonus", "unknown field"),
    ({**BASE, "salary": {"metro": "yes"}}, "salary.metro", "true or false"),
    ({**BASE, "salary": []}, "salary", "must be an object"),
    ({**BASE, "bonus": 1}, "bonus", "unknown field"),
    ({**BASE, "deductions": {"80G": 1}}, "deductions.80G", "unknown field"),
    ({**BASE, "deductions": {"80C": -5}}, "deductions.80C", "negative"),
    ({**BASE, "other_sources": {"rent": 1}}, "other_sources.rent", "unknown field"),
    ({**BASE, "capital_gains": {"ltcg_112": 1}}, "capital_gains.ltcg_112", "unknown field"),
    ({**BASE, "taxes_paid": {"tcs": 1}}, "taxes_paid.tcs", "unknown field"),
    ({**BASE, "family_pension": False}, "family_pension", "not true/false"),
    ({**BASE, "house_property": {}}, "house_property", "must be a list"),
    ({**BASE, "house_property": [{"kind": "vacant"}]}, "house_property[0].kind", "one of"),
    ({**BASE, "house_property": [{"interest_on_loan": 1}]}, "house_property[0].kind",
     "required"),
    ({**BASE, "house_property": [{"kind": "let_out"}, {"kind": "let_out", "area": 1}]},
     "house_property[1].area", "unknown field"),
    ({**BASE, "house_property": [{"kind": "let_out", "annual_rent": -1}]},
     "house_property[0].annual_rent", "negative"),
    ({**BASE, "house_property": [{"kind": "self_occupied", "annual_rent": 1}]},
     "house_property[0].annual_rent", "self_occupied"),
    ({**BASE, "house_property": ["let_out"]}, "house_property[0]", "must be an object"),
    ({**BASE, "age": -1}, "age", "between 0 and 150"),
    ({**BASE, "age": True}, "age", "whole number"),
    ({**BASE, "age": 35.5}, "age", "whole number"),
    ({**BASE, "residential_status": "rnor"}, "residential_status", "resident or non_resident"),
    ({**BASE, "foreign_assets": 1}, "foreign_assets", "true or false"),
])
def test_bad_input_raises_input_error_naming_the_field(case: dict[str, Any], field: str,
                                                       words: str) -> None:
    with pytest.raises(InputError) as caught:
        compute(case)
    assert caught.value.field == field
    assert words in caught.value.message
    text = str(caught.value)
    assert text.startswith(field + ": ")
    assert "\n" not in text


def test_a_case_must_be_an_object() -> None:
    with pytest.raises(InputError) as caught:
        validate([BASE])
    assert caught.value.field == ""
    assert str(caught.value) == "must be an object, not a list"


def test_validate_fills_every_default() -> None:
    normal = validate({"financial_year": "2024-25", "house_property": [{"kind": "let_out"}]})
    assert normal == {
        "financial_year": "2024-25", "age": None, "residential_status": "resident",
        "salary": {"gross": 0, "basic_da": 0, "hra_received": 0, "rent_paid": 0,
                   "professional_tax": 0, "metro": False},
        "family_pension": 0,
        "house_property": [{"kind": "let_out", "annual_rent": 0, "municipal_taxes": 0,
                            "interest_on_loan": 0}],
        "other_sources": {"savings_interest": 0, "deposit_interest": 0, "dividends": 0,
                          "other": 0},
        "capital_gains": {"stcg_111a": 0, "ltcg_112a": 0, "stcg_other": 0},
        "deductions": {"80C": 0, "80CCC": 0, "80CCD_1": 0, "80CCD_1B": 0, "80CCD_2": 0,
                       "80D": 0, "80E": 0, "80TTA": 0, "80TTB": 0},
        "taxes_paid": {"tds_salary": 0, "tds_other": 0, "advance_tax": 0,
                       "self_assessment_tax": 0},
        "foreign_assets": False,
    }


def test_validate_does_not_change_the_callers_case() -> None:
    case = {"financial_year": "2025-26", "salary": {"gross": 100.5}}
    validate(case)
    assert case == {"financial_year": "2025-26", "salary": {"gross": 100.5}}


def test_validate_accepts_a_whole_float_age_and_self_occupied_with_zero_rent() -> None:
    normal = validate({"financial_year": "2025-26", "age": 61.0, "house_property": [
        {"kind": "self_occupied", "annual_rent": 0, "municipal_taxes": 0}]})
    assert normal["age"] == 61


def test_supported_years() -> None:
    assert SUPPORTED_YEARS == ("2024-25", "2025-26")


def test_importing_the_engine_pulls_in_no_web_database_or_redis_code() -> None:
    import subprocess
    import sys
    from pathlib import Path

    probe = ("import sys, app.tax; bad = [m for m in sys.modules if m.split('.')[0] in "
             "('flask', 'sqlalchemy', 'redis', 'rq', 'psycopg', 'werkzeug', 'jinja2')]; "
             "print(bad)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parents[3], check=True).stdout
    assert out.strip() == "[]"
