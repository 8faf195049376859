"""Interest certificates from banks: interest on deposits for the year (taxed under "Income
from other sources", section 56) and the TDS under section 194A on it."""

from __future__ import annotations

import re

from app.documents.normalise import clean_name
from app.documents.parsers.common import Doc, Found, labels
from app.documents.parsers.years import financial_year

BANK_NAME = labels("name of the bank", "name of bank", "bank name")
PAN = labels(
    "pan of the customer",
    "customer pan",
    "pan of the depositor",
    "depositor pan",
    "pan of the account holder",
    "pan no",
    "pan number",
    "pan",
)
INTEREST_TOTAL = labels(
    "total interest paid/credited",
    "total interest paid",
    "total interest credited",
    "total interest earned",
    "total interest amount",
    "total interest",
    "interest total",
)
INTEREST_ROW = labels(
    "interest paid/credited",
    "interest paid",
    "interest credited",
    "interest amount",
    "interest earned",
    "gross interest",
    "amount of interest",
)
INTEREST_PROSE = labels("interest of", "interest amounting to", "interest totalling", "interest aggregating")
TDS_TOTAL = labels("total tds", "total tax deducted", "total tax deducted at source", "tds total")
TDS_ROW = labels("tds deducted", "tds amount", "tax deducted at source", "tax deducted", "tds")
TDS_PROSE = labels("tax of", "tds of", "tax amounting to")
_TOTAL = labels("total")
_TOP_LINES = 8
_NOT_BANK = re.compile(r"certif|interest|account|branch|statement|customer|ifsc|address|dear|period|date", re.I)
_BANK = re.compile(r"\bbank\b", re.I)


def bank_name(doc: Doc) -> Found | None:
    """The bank's name: after a 'Bank name' label, else the letterhead cell naming a bank."""
    found = doc.text_value(BANK_NAME, lambda v: not _NOT_BANK.search(v))
    if found:
        return found
    top = [i for i, line in enumerate(doc.lines) if line.page == 0][:_TOP_LINES]
    for i in top:
        line = doc.lines[i]
        for start, end, _x0, _x1 in line.cells():
            cell = line.text[start:end]
            if _BANK.search(cell) and not _NOT_BANK.search(cell) and len(cell.split()) <= 8:
                name = clean_name(cell)
                if name:
                    return Found(name, doc.confidence(i, start, end, False), line.text.strip())
    return None


def parse(doc: Doc) -> None:
    """Read interest certificate fields into `doc.fields`; interest is the certificate's total
    over all accounts."""
    doc.set("bank_name", bank_name(doc))
    doc.set("pan", doc.code(PAN, "pan"))
    doc.set("financial_year", financial_year(doc))
    interest = (
        doc.amount(INTEREST_TOTAL)
        or doc.column_total(labels("interest"), avoid=labels("tds", "tax", "rate"))
        or doc.amounts_summed(INTEREST_ROW, unless=_TOTAL)
        or doc.amount(INTEREST_PROSE)
    )
    doc.set("interest_amount", interest)
    tds = (
        doc.amount(TDS_TOTAL)
        or doc.column_total(labels("tds", "tax deducted"), avoid=labels("rate"))
        or doc.amounts_summed(TDS_ROW, unless=_TOTAL + labels("certificate"))
        or doc.amount(TDS_PROSE)
    )
    doc.set("tds", tds)
