"""Shared types of the extraction core: limits, the error users see, and the line model."""

from __future__ import annotations

from dataclasses import dataclass, field


class ExtractionError(Exception):
    """An input that cannot be used; str() is a sentence fit to show the user."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Limits:
    """Resource caps for one file; the defaults suit a 2-core worker."""

    max_pages: int = 20
    max_pixels: int = 40_000_000
    page_timeout: float = 60.0
    dpi: int = 300


@dataclass(frozen=True)
class Word:
    """A word with its horizontal extent as a fraction of page width and a 0..1 confidence."""

    text: str
    x0: float
    x1: float
    conf: float = 1.0


@dataclass
class Line:
    """One visual row of a page. `text` joins words with one space and cells (words separated
    by a wide gap) with three; `spans[i]` is the character range of `words[i]` in `text`."""

    page: int
    y: float
    words: list[Word]
    text: str = ""
    spans: list[tuple[int, int]] = field(default_factory=list)
    cell_breaks: frozenset[int] = frozenset()
    ocr: bool = False

    @classmethod
    def build(cls, page: int, y: float, words: list[Word], gap: float, ocr: bool = False) -> Line:
        """Join `words` (sorted left to right); a gap wider than `gap` starts a new cell."""
        parts: list[str] = []
        spans: list[tuple[int, int]] = []
        breaks: set[int] = set()
        pos = 0
        for i, word in enumerate(words):
            if i:
                wide = word.x0 - words[i - 1].x1 > gap
                sep = "   " if wide else " "
                if wide:
                    breaks.add(i)
                parts.append(sep)
                pos += len(sep)
            parts.append(word.text)
            spans.append((pos, pos + len(word.text)))
            pos += len(word.text)
        return cls(page, y, words, "".join(parts), spans, frozenset(breaks), ocr)

    def conf_between(self, start: int, end: int) -> float:
        """Lowest confidence of the words overlapping text[start:end] (1.0 if none)."""
        confs = [w.conf for w, (a, b) in zip(self.words, self.spans, strict=True) if a < end and b > start]
        return min(confs) if confs else 1.0

    def cells(self) -> list[tuple[int, int, float, float]]:
        """Cells as (start, end, x0, x1): character range in `text` and horizontal extent."""
        out: list[tuple[int, int, float, float]] = []
        first = 0
        for i in range(1, len(self.words) + 1):
            if i == len(self.words) or i in self.cell_breaks:
                out.append((self.spans[first][0], self.spans[i - 1][1], self.words[first].x0, self.words[i - 1].x1))
                first = i
        return out

    def cell_at(self, pos: int) -> tuple[int, int, float, float] | None:
        """The cell containing character offset `pos`."""
        for cell in self.cells():
            if cell[0] <= pos < cell[1]:
                return cell
        return None

    def x_of(self, pos: int) -> float:
        """Approximate horizontal position (fraction of width) of character offset `pos`."""
        for word, (a, b) in zip(self.words, self.spans, strict=True):
            if a <= pos < b:
                frac = (pos - a) / max(1, b - a)
                return word.x0 + frac * (word.x1 - word.x0)
            if pos < a:
                return word.x0
        return self.words[-1].x1 if self.words else 0.0


def group_lines(page: int, words: list[tuple[Word, float, float]], slope: float = 0.0, ocr: bool = False) -> list[Line]:
    """Group positioned words into rows. Each item is (word, y_centre, height) in page-width
    fractions; `slope` (dy per dx) removes page skew before rows are formed, so a label and a
    value printed far apart on a tilted scan still share a row."""
    if not words:
        return []
    items = sorted(((yc - slope * (w.x0 + w.x1) / 2, h, w) for w, yc, h in words), key=lambda t: t[0])
    heights = sorted(h for _, h, _ in items)
    median_h = heights[len(heights) // 2] or 0.01
    rows: list[list[tuple[float, float, Word]]] = []
    for item in items:
        if rows:
            row = rows[-1]
            centre = sum(i[0] for i in row) / len(row)
            if abs(item[0] - centre) < 0.5 * median_h:
                row.append(item)
                continue
        rows.append([item])
    lines = []
    for row in rows:
        ws = sorted((i[2] for i in row), key=lambda w: w.x0)
        y = sum(i[0] for i in row) / len(row)
        lines.append(Line.build(page, y, ws, gap=1.2 * median_h, ocr=ocr))
    return lines
