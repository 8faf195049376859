"""Build page rows from plain text, to test parsers without drawing a PDF."""

from __future__ import annotations

import re

from app.documents.base import Line, Word

CHAR_WIDTH = 0.01  # of the page width


def rows(text: str, ocr: bool = False, conf: float = 1.0) -> list[Line]:
    """One Line per text line; runs of three or more spaces separate cells, and each
    character is CHAR_WIDTH wide, so columns line up as they do in the text."""
    out = []
    for n, raw in enumerate(text.strip("\n").splitlines()):
        words = [Word(m.group(), m.start() * CHAR_WIDTH, m.end() * CHAR_WIDTH, conf) for m in re.finditer(r"\S+", raw)]
        if words:
            out.append(Line.build(0, n * 0.02, words, gap=2 * CHAR_WIDTH, ocr=ocr))
    return out
