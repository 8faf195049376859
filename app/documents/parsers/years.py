"""Assessment and financial years as printed on certificates."""

from __future__ import annotations

import re

from app.documents.normalise import find_year_ranges, format_year, period_financial_year
from app.documents.parsers.common import Doc, Found, labels

_AY = labels("assessment year")
_FY = labels("financial year", "previous year")
_PERIOD = labels("period with the employer", "period of", "period", "for the year", "year")
_AY_ABBREV = re.compile(r"(?<![A-Za-z])A\.?\s?Y\.?(?![A-Za-z])")
_FY_ABBREV = re.compile(r"(?<![A-Za-z])F\.?\s?Y\.?(?![A-Za-z])")
DERIVED_FACTOR = 0.95


def _range_after(doc: Doc, folded_labels: tuple[str, ...], abbrev: re.Pattern[str]) -> tuple[int, Found] | None:
    """First year range written after one of the labels (or its abbreviation), on the same
    row or in the cell below."""
    hits = list(doc.hits(folded_labels))
    for i, line in enumerate(doc.lines):
        hits.extend((i, m.start(), m.end()) for m in abbrev.finditer(line.text))
    for i, start, end in hits:
        line = doc.lines[i]
        found = find_year_ranges(line.text, end)
        if found:
            year, a, b = found[0]
            return year, Found(format_year(year), doc.confidence(i, a, b, False), line.text.strip())
        for j, a0, b0 in doc.below(i, start, end):
            below = doc.lines[j]
            found = find_year_ranges(below.text[:b0], a0)
            if found:
                year, a, b = found[0]
                return year, Found(format_year(year), doc.confidence(j, a, b, False), below.text.strip())
    return None


def _period(doc: Doc) -> tuple[int, Found] | None:
    """Financial year of a 'from ... to ...' period: near a period label first (the dates may
    sit in the rows under it), else on any single row."""
    n = len(doc.lines)
    for i, _start, _end in doc.hits(_PERIOD):
        rows = [j for j in range(i, min(n, i + 3)) if doc.lines[j].page == doc.lines[i].page]
        for k in range(1, len(rows) + 1):
            year = period_financial_year("   ".join(doc.lines[j].text for j in rows[:k]))
            if year is not None:
                return year, _period_found(doc, rows[k - 1], year)
    for i, line in enumerate(doc.lines):
        year = period_financial_year(line.text)
        if year is not None:
            return year, _period_found(doc, i, year)
    return None


def _period_found(doc: Doc, i: int, year: int) -> Found:
    line = doc.lines[i]
    return Found(format_year(year), doc.confidence(i, 0, len(line.text), False), line.text.strip())


def assessment_year(doc: Doc) -> Found | None:
    """The assessment year; derived from the financial year (the year after it) when only
    the period is printed."""
    found = _range_after(doc, _AY, _AY_ABBREV)
    if found:
        return found[1]
    fy = _range_after(doc, _FY, _FY_ABBREV) or _period(doc)
    if fy:
        year, base = fy
        return Found(format_year(year + 1), round(base.conf * DERIVED_FACTOR, 2), base.source)
    return None


def financial_year(doc: Doc) -> Found | None:
    """The financial year; derived from the assessment year (the year before it) when only
    that is printed."""
    found = _range_after(doc, _FY, _FY_ABBREV) or _period(doc)
    if found:
        return found[1]
    ay = _range_after(doc, _AY, _AY_ABBREV)
    if ay:
        year, base = ay
        return Found(format_year(year - 1), round(base.conf * DERIVED_FACTOR, 2), base.source)
    return None
