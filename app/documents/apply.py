"""Accepted document fields → changes to a return's input sections (pure: no web, no database).

Rules, chosen to be simple and predictable:
- Form 16 sets `salary.gross` (gross salary u/s 17) and `salary.professional_tax` (s.16(iii)),
  replacing what was there, and ADDS its TDS to `taxes_paid.tds_salary`.
- Form 16A and interest certificates ADD their amount to `other_sources` (interest on deposits,
  or savings interest when the certificate's line says so; s.194 dividends; other sections to
  `other`) and their TDS to `taxes_paid.tds_other`.
- Applying the same document again first takes back everything it added the previous time, so a
  document never counts twice; what it set stays set until overwritten.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..money import MAX_RUPEES, parse_rupees

SET, ADD = "set", "add"
SECTIONS = ("salary", "other_sources", "taxes_paid")

LABELS = {
    "gross_salary": "Gross salary (section 17)",
    "professional_tax": "Professional tax (section 16(iii))",
    "tds": "Tax deducted at source",
    "amount_paid": "Amount paid or credited",
    "interest_amount": "Interest",
    "hra_exempt": "HRA exemption (section 10(13A))",
    "standard_deduction": "Standard deduction (section 16(ia))",
    "taxable_salary": "Income chargeable under Salaries",
    "employee_pan": "Employee PAN",
    "employer_tan": "Employer TAN",
    "employer_name": "Employer",
    "assessment_year": "Assessment year",
    "financial_year": "Financial year",
    "deductor_name": "Deductor",
    "deductor_tan": "Deductor TAN",
    "deductee_pan": "Deductee PAN",
    "section": "Section",
    "bank_name": "Bank",
    "pan": "PAN",
}

TYPE_NAMES = {
    "form16": "Form 16",
    "form16a": "Form 16A",
    "interest_certificate": "Interest certificate",
    "rent_receipt": "Rent receipt",
    "unknown": "Unrecognised document",
}

PLACES = {
    "salary.gross": "Salary: gross salary",
    "salary.professional_tax": "Salary: professional tax",
    "taxes_paid.tds_salary": "Taxes paid: TDS on salary (added)",
    "taxes_paid.tds_other": "Taxes paid: other TDS (added)",
    "other_sources.deposit_interest": "Other sources: interest on deposits (added)",
    "other_sources.savings_interest": "Other sources: savings account interest (added)",
    "other_sources.dividends": "Other sources: dividends (added)",
    "other_sources.other": "Other sources: other income (added)",
}

# Form 16A section → the other-sources field its income belongs to.
_SECTION_INCOME = {"194": "dividends", "194A": "deposit_interest"}


@dataclass(frozen=True)
class Target:
    section: str
    key: str
    mode: str

    @property
    def path(self) -> str:
        return f"{self.section}.{self.key}"


@dataclass(frozen=True)
class Plan:
    sections: dict[str, dict[str, Any]]   # the new content of each section that changes
    contribution: dict[str, int]          # what this application added, by "section.key"
    changes: list[tuple[str, Any, Any]]   # (path, before, after) for the audit log


def targets(document_type: str | None, fields: dict[str, Any], sources: dict[str, str]) -> dict[str, Target]:
    """Which extracted fields can be applied to a return, and where each one goes."""
    if document_type == "form16":
        return {
            "gross_salary": Target("salary", "gross", SET),
            "professional_tax": Target("salary", "professional_tax", SET),
            "tds": Target("taxes_paid", "tds_salary", ADD),
        }
    if document_type == "form16a":
        income = _SECTION_INCOME.get(str(fields.get("section") or "").upper(), "other")
        return {"amount_paid": Target("other_sources", income, ADD), "tds": Target("taxes_paid", "tds_other", ADD)}
    if document_type == "interest_certificate":
        wording = str(sources.get("interest_amount") or "").lower()
        income = "savings_interest" if "saving" in wording else "deposit_interest"
        return {"interest_amount": Target("other_sources", income, ADD), "tds": Target("taxes_paid", "tds_other", ADD)}
    return {}


def parse_amount(value: Any) -> int | None:
    """Whole rupees, 0 or more, from a JSON number or a typed string; None if invalid."""
    amount = parse_rupees(value)
    return amount if amount is not None and 0 <= amount <= MAX_RUPEES else None


def validate(accepted: dict[str, Any], allowed: dict[str, Target]) -> tuple[dict[str, int], dict[str, str]]:
    """(clean amounts, errors by field name)."""
    clean: dict[str, int] = {}
    errors: dict[str, str] = {}
    for name, value in accepted.items():
        if name not in allowed:
            errors[name] = "This field cannot be applied to a return."
            continue
        amount = parse_amount(value)
        if amount is None:
            errors[name] = "Enter an amount in whole rupees, 0 or more."
        else:
            clean[name] = amount
    return clean, errors


def plan(
    current: dict[str, dict[str, Any]],
    accepted: dict[str, int],
    allowed: dict[str, Target],
    previous: dict[str, int] | None,
) -> Plan:
    """New section contents after applying `accepted` (validated amounts) to `current`
    ({"salary": {...}, "other_sources": {...}, "taxes_paid": {...}}), taking back `previous`
    (this document's contribution from an earlier application)."""
    new = {name: dict(current.get(name) or {}) for name in SECTIONS}
    for path, amount in (previous or {}).items():
        section, key = path.split(".", 1)
        if section in new:
            new[section][key] = max(0, int(new[section].get(key) or 0) - int(amount))
    contribution: dict[str, int] = {}
    for name, amount in accepted.items():
        target = allowed[name]
        box = new[target.section]
        if target.mode == SET:
            box[target.key] = amount
        else:
            box[target.key] = int(box.get(target.key) or 0) + amount
            contribution[target.path] = contribution.get(target.path, 0) + amount
    changes: list[tuple[str, Any, Any]] = []
    changed: dict[str, dict[str, Any]] = {}
    for name in SECTIONS:
        before = current.get(name) or {}
        for key in sorted(set(before) | set(new[name])):
            if before.get(key) != new[name].get(key):
                changes.append((f"{name}.{key}", before.get(key), new[name].get(key)))
                changed[name] = new[name]
    return Plan(changed, contribution, changes)
