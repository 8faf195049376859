"""Form 16: the employer's certificate under section 203 of TDS on salary (section 192).

Part A carries the employer's TAN, the employee's PAN, the assessment year and the quarterly
TDS summary; Part B (Annexure) the salary computation: gross salary under section 17(1), (2)
and (3), exemptions under section 10 (house rent allowance, 10(13A)), deductions under section
16 (standard deduction 16(ia), tax on employment 16(iii)) and the income chargeable under the
head "Salaries".
"""

from __future__ import annotations

from app.documents.normalise import round_paise
from app.documents.parsers.common import Doc, Found, labels, looks_like_name
from app.documents.parsers.years import assessment_year

EMPLOYEE_PAN = labels(
    "pan of the employee",
    "pan of employee",
    "employee pan",
    "employee's pan",
    "pan (employee)",
    "pan of the employee/specified senior citizen",
)
EMPLOYER_TAN = labels(
    "tan of the deductor",
    "tan of deductor",
    "tan of the employer",
    "tan of employer",
    "employer tan",
    "employer's tan",
    "deductor tan",
    "deductor's tan",
)
EMPLOYER_NAME = labels(
    "name and address of the employer",
    "name and address of employer",
    "name of the employer",
    "name of employer",
    "employer name",
    "employer's name",
)
GROSS = labels("total gross salary", "gross total salary", "gross salary", "salary (gross)", "gross salary paid")
GROSS_PARTS = (
    labels(
        "salary as per provisions contained in section 17(1)",
        "salary under section 17(1)",
        "salary u/s 17(1)",
        "section 17(1)",
    ),
    labels(
        "value of perquisites under section 17(2)",
        "perquisites under section 17(2)",
        "perquisites u/s 17(2)",
        "section 17(2)",
    ),
    labels("profits in lieu of salary under section 17(3)", "profits in lieu of salary", "section 17(3)"),
)
HRA = labels(
    "house rent allowance under section 10(13a)",
    "house rent allowance",
    "hra exempt",
    "hra exemption",
    "exempt hra",
    "hra u/s 10(13a)",
    "section 10(13a)",
    "10(13a)",
)
S10_TOTAL = labels(
    "total amount of exemption claimed under section 10",
    "total amount of exemptions claimed under section 10",
    "total exemption under section 10",
    "total exemptions under section 10",
    "total exemptions",
)
STANDARD = labels("standard deduction")
ENTERTAINMENT = labels("entertainment allowance")
PROFESSIONAL = labels("tax on employment", "professional tax", "profession tax", "16(iii)")
S16_TOTAL = labels(
    "total amount of deductions under section 16",
    "total deductions under section 16",
    "total deduction under section 16",
)
OTHER_EMPLOYER = labels(
    "reported total amount of salary received from other employer",
    "salary received from other employer",
    "salary from previous employer",
)
TAXABLE = labels(
    'income chargeable under the head "salaries"',
    "income chargeable under the head salaries",
    "income chargeable under head salaries",
    "income chargeable under the head salary",
    "income under the head salaries",
    "net taxable salary",
    "taxable salary",
    "salary income chargeable to tax",
)
TDS = labels(
    "total tax deducted",
    "total tds",
    "tax deducted at source",
    "amount of tax deducted",
    "tds deducted",
    "total amount of tax deducted",
    "tax deducted",
)
_NOT_TDS = labels("deposited", "remitted", "summary", "details of")
_GROSS_CONTEXT_END = labels("allowances to the extent exempt", "less: allowances", "exempt under section 10")
_TOTAL = labels("total")
_CONTEXT_LINES = 8
CORROBORATED = 0.95
_TOLERANCE = 1


def _gross_from_context(doc: Doc) -> Found | None:
    """'1. Gross Salary' heading with no amount, then its '(d) Total' row (TRACES layout)."""
    for i, _start, _end in doc.hits(GROSS):
        for j in range(i + 1, min(len(doc.lines), i + 1 + _CONTEXT_LINES)):
            squashed = doc.folded[j][0]
            if doc.has(_GROSS_CONTEXT_END, j):
                break
            if squashed.startswith(_TOTAL[0]) or squashed[1:].startswith(_TOTAL[0]):
                label_end = doc.folded[j][1][squashed.index(_TOTAL[0]) + len(_TOTAL[0]) - 1] + 1
                found = doc.amount_in_row(j, label_end)
                if found is not None:
                    return found
    return None


def _gross_from_parts(doc: Doc) -> Found | None:
    """Sum of salary under section 17(1), perquisites 17(2) and profits in lieu 17(3), when
    no total is printed; 17(1) must be present."""
    parts = [doc.amount(p) for p in GROSS_PARTS]
    if parts[0] is None:
        return None
    present = [p for p in parts if p is not None]
    paise = sum(p.paise if p.paise is not None else int(p.value) * 100 for p in present)
    return Found(round_paise(paise), min(p.conf for p in present), parts[0].source, paise)


def parse(doc: Doc) -> None:
    """Read Form 16 fields into `doc.fields`, then check that the salary figures add up."""
    doc.set("employee_pan", doc.code(EMPLOYEE_PAN, "pan"))
    doc.set("employer_tan", doc.code(EMPLOYER_TAN, "tan"))
    doc.set("employer_name", doc.text_value(EMPLOYER_NAME, looks_like_name))
    doc.set("assessment_year", assessment_year(doc))
    doc.set("gross_salary", doc.amount(GROSS) or _gross_from_context(doc) or _gross_from_parts(doc))
    doc.set("hra_exempt", doc.amount(HRA))
    doc.set("standard_deduction", doc.amount(STANDARD, unless=S16_TOTAL))
    doc.set("professional_tax", doc.amount(PROFESSIONAL, unless=S16_TOTAL))
    doc.set("taxable_salary", doc.amount(TAXABLE))
    tds = doc.column_total(labels("deducted"), avoid=labels("deposited", "remitted")) or doc.amount(
        TDS, unless=_NOT_TDS
    )
    doc.set("tds", tds)
    cross_check(doc)


def _value(doc: Doc, name: str) -> int | None:
    found = doc.fields.get(name)
    return int(found.value) if found is not None else None


def cross_check(doc: Doc) -> None:
    """Section 16 and 17 arithmetic: gross salary + salary from other employers − section 10
    exemptions − section 16 deductions must equal income chargeable under "Salaries" (±1
    rupee for paise rounding). A mismatch keeps the fields and adds a warning."""
    gross, taxable = _value(doc, "gross_salary"), _value(doc, "taxable_salary")
    if gross is None or taxable is None:
        return
    s10 = doc.amount(S10_TOTAL)
    exemptions = int(s10.value) if s10 is not None else (_value(doc, "hra_exempt") or 0)
    s16 = doc.amount(S16_TOTAL)
    if s16 is not None:
        deductions = int(s16.value)
    else:
        entertainment = doc.amount(ENTERTAINMENT)
        deductions = (
            (_value(doc, "standard_deduction") or 0)
            + (_value(doc, "professional_tax") or 0)
            + (int(entertainment.value) if entertainment is not None else 0)
        )
    other = doc.amount(OTHER_EMPLOYER)
    expected = gross + (int(other.value) if other is not None else 0) - exemptions - deductions
    if abs(expected - taxable) <= _TOLERANCE:
        # The figures corroborate each other: each is as certain as the sum that checks out.
        for name in ("gross_salary", "hra_exempt", "standard_deduction", "professional_tax", "taxable_salary"):
            found = doc.fields.get(name)
            if found is not None:
                found.conf = max(found.conf, CORROBORATED)
    else:
        doc.warnings.append(
            f"Form 16 figures do not add up: gross salary {gross:,} less exemptions {exemptions:,} "
            f"and deductions {deductions:,} gives {expected:,}, but the form shows {taxable:,} as "
            "income chargeable under Salaries. Check these amounts against the form."
        )
