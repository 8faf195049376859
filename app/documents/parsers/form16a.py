"""Form 16A: the certificate under section 203 of TDS on payments other than salary
(interest under section 194A, professional fees under 194J, rent under 194I, and so on)."""

from __future__ import annotations

import re

from app.documents.parsers.common import Doc, Found, labels, looks_like_name
from app.documents.parsers.years import assessment_year

DEDUCTOR_NAME = labels(
    "name and address of the deductor",
    "name and address of deductor",
    "name of the deductor",
    "name of deductor",
    "deductor name",
    "deductor's name",
)
DEDUCTOR_TAN = labels("tan of the deductor", "tan of deductor", "deductor tan", "deductor's tan", "tan")
DEDUCTEE_PAN = labels(
    "pan of the deductee", "pan of deductee", "deductee pan", "deductee's pan", "pan of the payee", "pan of payee"
)
AMOUNT_PAID = labels(
    "total amount paid/credited",
    "amount paid/credited",
    "total amount paid",
    "amount paid or credited",
    "amount paid",
    "amount credited",
    "gross amount",
)
TDS = labels(
    "total tax deducted",
    "total tds",
    "amount of tax deducted",
    "tax deducted at source",
    "tds deducted",
    "tax deducted",
)
SECTION_LABELS = labels("nature of payment", "section code", "section under which", "under section", "section", "u/s")
_NOT_TDS = labels("deposited", "remitted", "summary", "details of")

# Sections of Chapter XVII-B whose payments Form 16A covers.
_SECTIONS = frozenset(
    [
        "193",
        "194",
        "194A",
        "194B",
        "194BB",
        "194C",
        "194D",
        "194DA",
        "194E",
        "194EE",
        "194F",
        "194G",
        "194H",
        "194I",
        "194IA",
        "194IB",
        "194IC",
        "194J",
        "194K",
        "194LA",
        "194LB",
        "194LBA",
        "194LBB",
        "194LBC",
        "194LC",
        "194LD",
        "194M",
        "194N",
        "194O",
        "194P",
        "194Q",
        "194R",
        "194S",
        "194T",
        "195",
        "196A",
        "196B",
        "196C",
        "196D",
    ]
)
_CODE = re.compile(r"(?<![\w/])(19[3-6][A-Z]{0,3})(?:\s*\(\s*[a-z]\s*\))?(?![\w])")
_OCR_CODE = re.compile(r"(?<![\w/])(19[3-6][A-Z0-9|]{0,3})(?:\s*\(\s*[a-z]\s*\))?(?![\w])")
# After the three digits a section code has only letters: a digit there is a misread letter.
_SUFFIX_LETTERS = str.maketrans({"1": "I", "|": "I", "0": "O", "8": "B", "5": "S", "2": "Z", "6": "G"})


def _codes(text: str, start: int = 0, ocr: bool = False) -> list[tuple[str, int, int]]:
    out = []
    for m in (_OCR_CODE if ocr else _CODE).finditer(text, start):
        raw = m.group(1)
        code = raw[:3] + raw[3:].translate(_SUFFIX_LETTERS)
        if code in _SECTIONS:
            out.append((code, m.start(1), m.end(1)))
    return out


def section(doc: Doc) -> Found | None:
    """The TDS section as a bare code ('194A'): after a section label or in the payment rows.
    Several different sections in one certificate leave the field out with a warning."""
    seen: dict[str, Found] = {}
    for i, line in enumerate(doc.lines):
        for code, a, b in _codes(line.text, 0, line.ocr):
            if code not in seen:
                repaired = line.text[a:b] != code
                seen[code] = Found(code, doc.confidence(i, a, b, repaired), line.text.strip())
    # OCR dropping a suffix letter ("194J" read as "194)") leaves a prefix of the real code.
    for code in list(seen):
        if any(other != code and other.startswith(code) for other in seen):
            del seen[code]
    if len(seen) == 1:
        return next(iter(seen.values()))
    if len(seen) > 1:
        for i, _start, end in doc.hits(SECTION_LABELS):
            codes = _codes(doc.lines[i].text, end, doc.lines[i].ocr)
            if codes:
                code, a, b = codes[0]
                others = sorted(set(seen) - {code})
                doc.warnings.append(
                    f"This certificate also mentions section(s) {', '.join(others)}; check the section."
                )
                return Found(code, doc.confidence(i, a, b, False), doc.lines[i].text.strip())
        doc.warnings.append(
            f"This certificate covers several sections ({', '.join(sorted(seen))}); enter each one yourself."
        )
    return None


def parse(doc: Doc) -> None:
    """Read Form 16A fields into `doc.fields`."""
    doc.set("deductor_name", doc.text_value(DEDUCTOR_NAME, looks_like_name))
    doc.set("deductor_tan", doc.code(DEDUCTOR_TAN, "tan"))
    doc.set("deductee_pan", doc.code(DEDUCTEE_PAN, "pan"))
    doc.set("assessment_year", assessment_year(doc))
    doc.set("section", section(doc))
    paid = doc.amount(AMOUNT_PAID, unless=labels("tax")) or doc.column_total(
        labels("paid", "credited"), avoid=labels("tax")
    )
    doc.set("amount_paid", paid)
    tds = doc.column_total(labels("deducted"), avoid=labels("deposited", "remitted")) or doc.amount(
        TDS, unless=_NOT_TDS
    )
    doc.set("tds", tds)
