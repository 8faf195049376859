"""Finding a labelled value on a page: on the label's row, in the cell below it, or in the
column of a table's total row. Shared by the per-document parsers."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from app.documents.base import Line
from app.documents.normalise import (
    Amount,
    allowed_errors,
    clean_name,
    find_amounts,
    find_pans,
    find_tans,
    fold,
    fold_label,
    fuzzy_find,
    round_paise,
)

TEXT_LAYER_CONFIDENCE = 0.99
REPAIR_FACTOR = 0.9
MIN_CONFIDENCE = 0.5
"""Below this a field is left out rather than suggested."""

_BELOW_LINES = 3
_TABLE_ROWS = 16
_FILLERS = frozenset({"rupees", "only", "amount", "total"})
_WORDY = re.compile(r"[A-Za-z]{4,}")
# A table's total row: "Total", "Total (Rs.)", "(d) Total", "Grand total", then amounts only.
_TOTAL_ROW = re.compile(
    r"^(?:\(?[a-z]\)\s*|grand\s+)?tota[l1I|]\b\s*(?:\((?:rs|inr|₹)\.?\)|rs\.?|inr|₹)?\s*:?\s*(?:$|[^A-Za-z\s])",
    re.IGNORECASE,
)


# Words one edit apart that name different parties: a near miss on one is the other.
_CONTRASTS = (("employee", "employer"), ("deductor", "deductee"), ("pan", "tan"))


def _contradicts(label: str, matched: str) -> bool:
    """True if an approximate match names the other party or another section number."""
    if re.sub(r"\D", "", label) != re.sub(r"\D", "", matched):
        return True  # 17(1) and 17(2) are one edit apart but different rows
    for a, b in _CONTRASTS:
        for mine, other in ((a, b), (b, a)):
            if mine in label and mine not in matched and other in matched:
                return True
    return False


def labels(*phrases: str) -> tuple[str, ...]:
    """Label phrases folded once, in priority order."""
    return tuple(fold_label(p) for p in phrases)


@dataclass
class Found:
    """A value read from the page with its confidence and the row it came from."""

    value: int | str
    conf: float
    source: str
    paise: int | None = None


@dataclass
class Doc:
    """The rows of a document with their folded forms, and the fields read so far."""

    lines: list[Line]
    folded: list[tuple[str, list[int]]] = field(init=False)
    fields: dict[str, Found] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.folded = [fold(line.text) for line in self.lines]

    # -- label search -------------------------------------------------------------------------

    def hits(
        self, folded_labels: tuple[str, ...], lines: range | None = None, fuzzy: bool = True
    ) -> Iterator[tuple[int, int, int]]:
        """(line index, label start, label end) for each label, in label priority order; then,
        on OCR rows, approximate matches (a letter or two misread or split)."""
        span = lines if lines is not None else range(len(self.lines))
        for label in folded_labels:
            for i in span:
                squashed, index = self.folded[i]
                pos = squashed.find(label)
                if pos != -1:
                    yield i, index[pos], index[pos + len(label) - 1] + 1
        if not fuzzy:
            return
        for label in folded_labels:
            errors = allowed_errors(label)
            if not errors:
                continue
            for i in span:
                if not self.lines[i].ocr:
                    continue
                squashed, index = self.folded[i]
                if label in squashed:
                    continue
                found = fuzzy_find(squashed, label, errors)
                if found and not _contradicts(label, squashed[found[0] : found[1]]):
                    yield i, index[found[0]], index[found[1] - 1] + 1

    def has(self, folded_labels: tuple[str, ...], i: int) -> bool:
        """True if row `i` contains any of the labels."""
        return any(label in self.folded[i][0] for label in folded_labels)

    # -- confidence ---------------------------------------------------------------------------

    def confidence(self, i: int, start: int, end: int, repaired: bool) -> float:
        """Confidence of text[start:end] of row `i`: tesseract's word confidence for scans."""
        line = self.lines[i]
        base = line.conf_between(start, end) if line.ocr else TEXT_LAYER_CONFIDENCE
        base = min(base, TEXT_LAYER_CONFIDENCE)
        return round(base * (REPAIR_FACTOR if repaired else 1.0), 2)

    def set(self, name: str, found: Found | None) -> None:
        """Record a field unless it is already set or too uncertain to suggest."""
        if found is None or name in self.fields:
            return
        if found.conf < MIN_CONFIDENCE:
            self.warnings.append(f"{name.replace('_', ' ')} could not be read clearly and was left out")
            return
        self.fields[name] = found

    # -- amounts ------------------------------------------------------------------------------

    def _crosses_other_label(self, line: Line, label_end: int, amount: Amount) -> bool:
        """True if a cell holding other words lies between the label and the amount."""
        for start, end, _x0, _x1 in line.cells():
            if end <= label_end or start >= amount.start:
                continue
            segment = line.text[max(start, label_end) : min(end, amount.start)]
            words = [w.lower() for w in _WORDY.findall(segment)]
            if start > label_end and any(w not in _FILLERS for w in words):
                return True
        return False

    def amount_confidence(self, i: int, amount: Amount) -> float:
        """Confidence of an amount. Tesseract has no rupee sign and marks words next to one as
        doubtful; an amount whose digit grouping and paise are well formed is evidence of its
        own, so its doubt is halved."""
        conf = self.confidence(i, amount.start, amount.end, amount.repaired)
        raw = self.lines[i].text[amount.start : amount.end]
        if self.lines[i].ocr and re.fullmatch(r"\d{1,3}(?:,\d{2,3})+(?:\.\d\d)?|\d+\.\d\d", raw):
            conf = round(1 - (1 - conf) / 2, 2)
        return conf

    def amount_in_row(self, i: int, label_end: int) -> Found | None:
        """The first amount after `label_end` on row `i` that belongs to this label."""
        line = self.lines[i]
        for amount in find_amounts(line.text, label_end, line.ocr):
            if self._crosses_other_label(line, label_end, amount):
                return None
            return Found(amount.rupees, self.amount_confidence(i, amount), line.text.strip(), amount.paise)
        return None

    def amount(
        self, folded_labels: tuple[str, ...], lines: range | None = None, unless: tuple[str, ...] = ()
    ) -> Found | None:
        """The amount printed on the row of the first label found (rows holding any of
        `unless` are skipped)."""
        for i, _start, end in self.hits(folded_labels, lines):
            if unless and self.has(unless, i):
                continue
            found = self.amount_in_row(i, end)
            if found is not None:
                return found
        return None

    def amounts_summed(self, folded_labels: tuple[str, ...], unless: tuple[str, ...] = ()) -> Found | None:
        """Sum of the amounts on every row carrying one of the labels (one per row), as on a
        certificate listing several accounts without a total."""
        total, confs, sources, seen = 0, [], [], set()  # total in paise, rounded once
        for i, _start, end in self.hits(folded_labels, fuzzy=False):
            if i in seen or (unless and self.has(unless, i)):
                continue
            found = self.amount_in_row(i, end)
            if found is None:
                continue
            seen.add(i)
            total += found.paise if found.paise is not None else int(found.value) * 100
            confs.append(found.conf)
            sources.append(found.source)
        if not confs:
            return None
        return Found(round_paise(total), min(confs), " | ".join(sources), total)

    def column_total(self, header_words: tuple[str, ...], avoid: tuple[str, ...] = ()) -> Found | None:
        """The amount in a table's 'Total' row that stands under the column whose heading has
        one of `header_words` (and none of `avoid`)."""
        for t, line in enumerate(self.lines):
            if not _TOTAL_ROW.match(line.text.strip()):
                continue
            amounts = find_amounts(line.text, 0, line.ocr)
            if not amounts:
                continue
            centre = self._column_centre(t, header_words, avoid)
            if centre is None:
                continue
            best = min(amounts, key=lambda a: abs((line.x_of(a.start) + line.x_of(a.end - 1)) / 2 - centre))
            return Found(best.rupees, self.amount_confidence(t, best), line.text.strip(), best.paise)
        return None

    def _column_centre(self, t: int, header_words: tuple[str, ...], avoid: tuple[str, ...]) -> float | None:
        """Horizontal centre of the heading cell above total row `t`, if the table has one: a
        row of several cells and no amounts, within the rows since the previous total."""
        for i in range(t - 1, max(-1, t - _TABLE_ROWS), -1):
            line = self.lines[i]
            if _TOTAL_ROW.match(line.text.strip()):
                return None  # the previous table's total: this table has no such heading
            if len(line.cells()) < 2 or find_amounts(line.text, 0, line.ocr):
                continue
            for start, end, x0, x1 in line.cells():
                cell = fold(line.text[start:end])[0]
                if any(w in cell for w in header_words) and not any(a in cell for a in avoid):
                    return (x0 + x1) / 2
        return None

    # -- codes and names ----------------------------------------------------------------------

    def below(self, i: int, start: int, end: int) -> Iterator[tuple[int, int, int]]:
        """Cells under the cell holding text[start:end] of row `i`, nearest first."""
        line = self.lines[i]
        cell = line.cell_at(start) or (start, end, line.x_of(start), line.x_of(end - 1))
        x0, x1 = cell[2], cell[3]
        for j in range(i + 1, min(len(self.lines), i + 1 + _BELOW_LINES)):
            below = self.lines[j]
            if below.page != line.page:
                break
            best, overlap = None, 0.0
            for c in below.cells():
                ov = min(x1, c[3]) - max(x0, c[2])
                if ov > overlap:
                    best, overlap = c, ov
            if best is not None:
                yield j, best[0], best[1]

    def code(self, folded_labels: tuple[str, ...], kind: str, unless: tuple[str, ...] = ()) -> Found | None:
        """A PAN or TAN after its label on the same row, else in the cell under the label."""
        finder = find_pans if kind == "pan" else find_tans
        for i, start, end in self.hits(folded_labels):
            if unless and self.has(unless, i):
                continue
            line = self.lines[i]
            limit = self._cell_end_after(line, end)
            same_row = finder(line.text[:limit], end, line.ocr)
            if same_row:
                value, a, b, repaired = same_row[0]
                return Found(value, self._code_confidence(i, a, b, repaired), line.text.strip())
            for j, a0, b0 in self.below(i, start, end):
                below = self.lines[j]
                codes = finder(below.text[:b0], a0, below.ocr)
                if codes:
                    value, a, b, repaired = codes[0]
                    return Found(value, self._code_confidence(j, a, b, repaired), below.text.strip())
        return None

    def _code_confidence(self, i: int, start: int, end: int, repaired: bool) -> float:
        """Like `amount_confidence`: a PAN or TAN that fits its pattern (and, for a PAN, a valid
        holder type) without any repair is evidence of its own, so its doubt is halved."""
        conf = self.confidence(i, start, end, repaired)
        if self.lines[i].ocr and not repaired:
            conf = round(1 - (1 - conf) / 2, 2)
        return conf

    def _cell_end_after(self, line: Line, end: int) -> int:
        """End of the value cell for a label ending at `end`: the label's own cell, or the next
        cell if the label's cell ends with the label."""
        cells = line.cells()
        for k, (a, b, _x0, _x1) in enumerate(cells):
            if a <= end <= b:
                rest = line.text[end:b].strip(" :-–=.")
                if rest or k + 1 >= len(cells):
                    return b
                return cells[k + 1][1]
            if a > end:
                return b
        return len(line.text)

    def text_value(
        self, folded_labels: tuple[str, ...], accept: Callable[[str], bool], unless: tuple[str, ...] = ()
    ) -> Found | None:
        """Free text (a name) after its label on the same row, else the cell under the label."""
        for i, start, end in self.hits(folded_labels):
            if unless and self.has(unless, i):
                continue
            line = self.lines[i]
            limit = self._cell_end_after(line, end)
            value = clean_name(line.text[end:limit])
            if value and accept(value):
                return Found(value, self.confidence(i, end, limit, False), line.text.strip())
            for j, a, b in self.below(i, start, end):
                candidate = clean_name(self.lines[j].text[a:b])
                if candidate and accept(candidate):
                    return Found(candidate, self.confidence(j, a, b, False), self.lines[j].text.strip())
                break
        return None


LABEL_WORDS = frozenset(
    [
        "name",
        "address",
        "pan",
        "tan",
        "employer",
        "employee",
        "deductor",
        "deductee",
        "assessment",
        "year",
        "period",
        "section",
        "certificate",
        "form",
        "quarter",
        "receipt",
        "amount",
    ]
)


def looks_like_name(value: str) -> bool:
    """A name, not another label: no label words, not mostly digits."""
    words = re.findall(r"[A-Za-z]+", value.lower())
    if not words or sum(w in LABEL_WORDS for w in words) >= 1:
        return False
    digits = sum(c.isdigit() for c in value)
    return digits * 2 < len(value)
