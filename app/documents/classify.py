"""Which kind of document a page set is: Form 16, Form 16A, interest certificate, rent receipt.

A payslip, bank statement or anything else is `unknown`, even when it shows a PAN or TDS: only
a document's own title (or, failing that, its certifying wording) decides.
"""

from __future__ import annotations

import re

from app.documents.base import Line
from app.documents.normalise import fold, fold_label

# "FORM NO. 16A" folds to "formnol6a" (1 -> l); OCR may also drop the "No."
_FORM16A = re.compile(r"form(?:no|number)?[.]?l6a")
_FORM16 = re.compile(r"form(?:no|number)?[.]?l6(?!a|\d)")
_TITLE_MAX_WORDS = 14
_TOP_LINES = 8
# What may follow "Form No. 16" on a title line ("... will be issued in June" is a sentence).
_TITLE_WORDS = tuple(
    fold_label(w) for w in ("certificate", "part", "tds", "annexure", "see rule", "salary", "deducted")
)


def _markers(*phrases: str) -> tuple[str, ...]:
    return tuple(fold_label(p) for p in phrases)


_PAYSLIP = _markers("payslip", "pay slip", "salary slip", "pay statement", "salary statement", "net pay", "take home")
_INTEREST = _markers(
    "interest certificate",
    "certificate of interest",
    "interest paid certificate",
    "interest earned certificate",
    "interest on deposits certificate",
    "tds certificate on interest",
    "certificate of tds on interest",
)
_RENT = _markers("rent receipt", "receipt of rent", "house rent receipt", "received towards rent", "towards house rent")


def _title_index(lines: list[Line], folded: list[str], pattern: re.Pattern[str]) -> int | None:
    for i, (line, text) in enumerate(zip(lines, folded, strict=True)):
        match = pattern.search(text)
        if not match:
            continue
        short = len(line.text.split()) <= _TITLE_MAX_WORDS
        rest = text[match.end() :]
        titled = not rest or any(word in rest for word in _TITLE_WORDS)
        if short and match.start() <= 2 and titled:
            return i
    return None


def classify(lines: list[Line]) -> str:
    """Document type from its rows: 'form16', 'form16a', 'interest_certificate',
    'rent_receipt' or 'unknown'. Form 16 is the certificate of section 203 for TDS on salary
    (section 192); Form 16A the same for other payments (sections 193 to 196)."""
    folded = [fold(line.text)[0] for line in lines]
    whole = "".join(folded)
    t16a = _title_index(lines, folded, _FORM16A)
    t16 = _title_index(lines, folded, _FORM16)
    payslip = any(m in whole for m in _PAYSLIP)
    titles = [(i, kind) for i, kind in ((t16a, "form16a"), (t16, "form16")) if i is not None]
    if titles:
        index, kind = min(titles)
        if not payslip or index < _TOP_LINES:
            return kind
    if payslip:
        return "unknown"
    if any(m in whole for m in _INTEREST):
        return "interest_certificate"
    if "certlfy" in whole and "lnterest" in whole and ("bank" in whole or "deposlt" in whole) and "salar" not in whole:
        return "interest_certificate"
    if any(m in whole for m in _RENT) or ("rent" in whole and "landlord" in whole):
        return "rent_receipt"
    if "sectlon2o3" in whole:
        if "otherthansalary" in whole:
            return "form16a"
        if "salar" in whole and "employer" in whole:
            return "form16"
    return "unknown"
