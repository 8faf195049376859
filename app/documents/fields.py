"""Fields of each document type, read from its rows (see the contract for the list)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.documents.base import Line
from app.documents.parsers import form16, form16a, interest
from app.documents.parsers.common import Doc

FIELDS: dict[str, tuple[str, ...]] = {
    "form16": (
        "employee_pan", "employer_tan", "employer_name", "assessment_year", "gross_salary", "hra_exempt",
        "standard_deduction", "professional_tax", "taxable_salary", "tds",
    ),
    "form16a": ("deductor_name", "deductor_tan", "deductee_pan", "assessment_year", "section", "amount_paid", "tds"),
    "interest_certificate": ("bank_name", "pan", "financial_year", "interest_amount", "tds"),
    "rent_receipt": (),
    "unknown": (),
}  # fmt: skip
"""Fields each document type yields, in the order they are reported."""

_PARSERS: dict[str, Callable[[Doc], None]] = {
    "form16": form16.parse,
    "form16a": form16a.parse,
    "interest_certificate": interest.parse,
}


def extract_fields(
    document_type: str, lines: list[Line]
) -> tuple[dict[str, Any], dict[str, float], dict[str, str], list[str]]:
    """(fields, confidence, sources, warnings) for a classified document."""
    parser = _PARSERS.get(document_type)
    if parser is None:
        return {}, {}, {}, []
    doc = Doc(lines)
    parser(doc)
    order = FIELDS[document_type]
    names = [n for n in order if n in doc.fields]
    fields = {n: doc.fields[n].value for n in names}
    confidence = {n: doc.fields[n].conf for n in names}
    sources = {n: doc.fields[n].source for n in names}
    return fields, confidence, sources, doc.warnings
