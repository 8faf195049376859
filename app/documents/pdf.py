"""PDF input through PDFium: opening (with passwords), the text layer as lines, rasterising."""

from __future__ import annotations

import math
import threading

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

from app.documents.base import ExtractionError, Limits, Line, Word, group_lines
from app.documents.sniff import is_zip_polyglot

PDFIUM_LOCK = threading.Lock()
"""PDFium is not thread-safe: hold this around every call into it (OCR runs outside it)."""

_EOF_WINDOW = 1024
MIN_TEXT_CHARS = 20
"""A page with fewer printable characters in its text layer is treated as scanned."""

NEEDS_UNLOCKING = (
    "This PDF is password-protected: enter its password (banks often use your PAN or date of "
    "birth) and upload it again."
)
UNLOCK_FAILED = (
    "The password given for this PDF is wrong: enter the correct password (banks often use "
    "your PAN in capitals or your date of birth as DDMMYYYY)."
)


def check_pdf_end(data: bytes) -> None:
    """Reject truncated PDFs and PDFs with data glued to their end: PDFium repairs both
    silently, which would read a cut-off certificate as if it were whole."""
    eof = data.rfind(b"%%EOF")
    if eof == -1:
        raise ExtractionError("This PDF is incomplete (it may have been cut off while downloading); upload it again.")
    tail = data[eof + 5 :].strip(b"\x00\r\n\t\f ")
    if len(tail) > _EOF_WINDOW:
        raise ExtractionError("This PDF has unexpected data after its end; upload the original PDF.")


def open_pdf(data: bytes, password: str | None, limits: Limits) -> pdfium.PdfDocument:
    """Open a PDF held in memory, mapping PDFium failures to reasons a user can act on."""
    if is_zip_polyglot(data):
        raise ExtractionError("This file is both a PDF and a ZIP archive; upload a plain PDF.")
    try:
        pdf = pdfium.PdfDocument(data, password=password or None)
    except pdfium.PdfiumError as exc:
        if exc.err_code == pdfium_c.FPDF_ERR_PASSWORD:
            raise ExtractionError(UNLOCK_FAILED if password else NEEDS_UNLOCKING) from None
        raise ExtractionError("This PDF is damaged and cannot be read; upload it again or use another copy.") from None
    try:
        check_pdf_end(data)
    except ExtractionError:
        pdf.close()
        raise
    pages = len(pdf)
    if pages == 0:
        pdf.close()
        raise ExtractionError("This PDF has no pages.")
    if pages > limits.max_pages:
        pdf.close()
        raise ExtractionError(
            f"This PDF has {pages} pages; at most {limits.max_pages} can be read. Upload only the pages of the certificate."
        )
    return pdf


def text_lines(page: pdfium.PdfPage, page_no: int) -> list[Line]:
    """The page's text layer as rows of words, in reading order."""
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        if count <= 0:
            return []
        text = textpage.get_text_range(0, count)
        width = page.get_width() or 1.0
        height = page.get_height() or 1.0
        words: list[tuple[Word, float, float]] = []
        cur: list[str] = []
        box = [0.0, 0.0, 0.0, 0.0]  # left, bottom, right, top

        def flush() -> None:
            if cur:
                yc = (height - (box[1] + box[3]) / 2) / width
                words.append((Word("".join(cur), box[0] / width, box[2] / width), yc, (box[3] - box[1]) / width))
                cur.clear()

        for i in range(min(count, len(text))):
            ch = text[i]
            if ch.isspace() or ch == "\x00":
                flush()
                continue
            left, bottom, right, top = textpage.get_charbox(i)
            if right <= left and top <= bottom:
                flush()
                continue
            if cur:
                ref_h = max(top - bottom, box[3] - box[1], 1.0)
                gap = left - box[2]
                overlaps = bottom < box[3] + 0.2 * ref_h and top > box[1] - 0.2 * ref_h
                if not overlaps or gap > 0.6 * ref_h or gap < -2 * ref_h:
                    flush()
            if not cur:
                box[:] = [left, bottom, right, top]
            else:
                box[:] = [min(box[0], left), min(box[1], bottom), max(box[2], right), max(box[3], top)]
            cur.append(ch)
        flush()
    finally:
        textpage.close()
    return group_lines(page_no, words)


def printable_chars(lines: list[Line]) -> int:
    """Count of non-space characters over `lines`."""
    return sum(len(line.text.replace(" ", "")) for line in lines)


def render_page(page: pdfium.PdfPage, limits: Limits) -> tuple[Image.Image, int, bool]:
    """Rasterise a page to 8-bit greyscale at `limits.dpi`, lowered if the page is so large
    that it would pass `limits.max_pixels`. Returns the image, the dpi used, and whether it
    was lowered."""
    width_pt, height_pt = page.get_width(), page.get_height()
    dpi = float(limits.dpi)
    area = width_pt * height_pt / (72 * 72)
    lowered = area * dpi * dpi > limits.max_pixels
    if lowered:
        dpi = math.floor(math.sqrt(limits.max_pixels / area))
    bitmap = page.render(scale=dpi / 72, grayscale=True)
    try:
        image = bitmap.to_pil().copy()
    finally:
        bitmap.close()
    return image, int(dpi), lowered
