"""Extract suggested return fields from one uploaded document; also the command line:

    python -m app.documents.extract FILE [FILE ...] [--password PW]

prints one JSON object per file (JSON Lines, in argument order) and exits 1 if any file could
not be read. See shared/contracts/document-extraction.md.
"""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
from PIL import Image

from app.documents import ocr
from app.documents.base import ExtractionError, Limits, Line
from app.documents.classify import classify
from app.documents.fields import extract_fields
from app.documents.pdf import MIN_TEXT_CHARS, PDFIUM_LOCK, open_pdf, printable_chars, render_page, text_lines
from app.documents.sniff import HEAD_BYTES, is_zip_polyglot, sniff_type

__all__ = ["ExtractionError", "Limits", "extract_file", "main"]

ProgressCallback = Callable[[int, int], None]
_DAMAGED_PDF = "This PDF is damaged and cannot be read; upload it again or use another copy."


def _read(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ExtractionError("The file was not found.") from None
    except IsADirectoryError:
        raise ExtractionError("This is a folder, not a file.") from None
    except OSError:
        raise ExtractionError("The file could not be opened.") from None
    if not data:
        raise ExtractionError("This file is empty; upload the certificate again.")
    return data


def _timeout_warning(page_no: int, limits: Limits) -> str:
    return f"Page {page_no} took longer than {limits.page_timeout:g} seconds to read and was skipped."


def _pdf_page(pdf: pdfium.PdfDocument, index: int, limits: Limits) -> tuple[list[Line], Image.Image | None, int, bool]:
    """A page's text-layer rows, or its rendering when it has too little text."""
    with PDFIUM_LOCK:
        try:
            page = pdf[index]
        except pdfium.PdfiumError:
            raise ExtractionError(_DAMAGED_PDF) from None
        try:
            page_lines = text_lines(page, index)
            if printable_chars(page_lines) >= MIN_TEXT_CHARS:
                return page_lines, None, 0, False
            image, dpi, lowered = render_page(page, limits)
            return [], image, dpi, lowered
        except pdfium.PdfiumError:
            raise ExtractionError(_DAMAGED_PDF) from None
        finally:
            page.close()


def _pdf_lines(
    data: bytes, password: str | None, limits: Limits, on_page: ProgressCallback | None
) -> tuple[int, str, list[Line], list[str]]:
    with PDFIUM_LOCK:
        pdf = open_pdf(data, password, limits)
        total = len(pdf)
    lines: list[Line] = []
    warnings: list[str] = []
    used_ocr = False
    timeouts = 0
    try:
        for index in range(total):
            page_lines, image, dpi, lowered = _pdf_page(pdf, index, limits)
            if image is not None:
                used_ocr = True
                if lowered:
                    warnings.append(f"Page {index + 1} is unusually large and was read at {dpi} dpi.")
                try:
                    page_lines = ocr.ocr_page(ocr.PageImage(image=image), index, limits).lines
                except ocr.PageTimeout:
                    timeouts += 1
                    warnings.append(_timeout_warning(index + 1, limits))
            lines.extend(page_lines)
            if on_page:
                on_page(index + 1, total)
    finally:
        with PDFIUM_LOCK:
            pdf.close()
    if timeouts and timeouts == total:
        raise ExtractionError("Reading this document took too long; upload a clearer scan or a text PDF.")
    return total, "ocr" if used_ocr else "text-layer", lines, warnings


def _image_lines(
    data: bytes, kind: str, path: Path, limits: Limits, on_page: ProgressCallback | None
) -> tuple[int, list[Line], list[str]]:
    if is_zip_polyglot(data):
        raise ExtractionError("This file is both an image and a ZIP archive; upload a plain image.")
    total, pages = ocr.image_pages(data, kind, limits, path)
    lines: list[Line] = []
    warnings: list[str] = []
    timeouts = 0
    for index, page in enumerate(pages):
        try:
            lines.extend(ocr.ocr_page(page, index, limits).lines)
        except ocr.PageTimeout:
            timeouts += 1
            warnings.append(_timeout_warning(index + 1, limits))
        if on_page:
            on_page(index + 1, total)
    if timeouts and timeouts == total:
        raise ExtractionError("Reading this document took too long; upload a clearer scan or a text PDF.")
    return total, lines, warnings


def extract_file(
    path: str | Path,
    password: str | None = None,
    limits: Limits = Limits(),  # noqa: B008 - frozen, so a shared default is safe
    on_page: ProgressCallback | None = None,
) -> dict[str, Any]:
    """Read one document and suggest its fields.

    Returns the contract's object without "file": document_type, pages, method, fields,
    confidence, sources (the row each field was read from) and warnings. Raises
    ExtractionError with a user-facing reason for an unsupported, damaged, oversized or
    password-protected file. `on_page(done, total)` is called after each page.
    """
    path = Path(path)
    data = _read(path)
    kind = sniff_type(data[:HEAD_BYTES])
    if kind is None:
        raise ExtractionError(
            "This file is not a PDF, PNG, JPEG or TIFF; upload the certificate in one of those formats."
        )
    if kind == "pdf":
        pages, method, lines, warnings = _pdf_lines(data, password, limits, on_page)
    else:
        pages, lines, warnings = _image_lines(data, kind, path, limits, on_page)
        method = "ocr"
    if not lines:
        warnings.append("No text could be read from this document; check that the scan is clear and upright.")
    document_type = classify(lines)
    fields, confidence, sources, field_warnings = extract_fields(document_type, lines)
    return {
        "document_type": document_type,
        "pages": pages,
        "method": method,
        "fields": fields,
        "confidence": confidence,
        "sources": sources,
        "warnings": warnings + field_warnings,
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m app.documents.extract",
        description="Suggest income-tax return fields from Form 16, Form 16A and interest certificates (JSON Lines).",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="PDF, PNG, JPEG or TIFF")
    parser.add_argument("--password", help="password of protected PDFs")
    args = parser.parse_args(argv)
    status = 0
    for name in args.files:
        result: dict[str, Any] = {"file": name}
        try:
            result.update(extract_file(name, args.password))
        except ExtractionError as exc:
            result["error"] = exc.reason
            status = 1
        except Exception:  # one bad file must not stop the others
            traceback.print_exc(file=sys.stderr)
            result["error"] = "This file could not be read because of an internal error."
            status = 1
        sys.stdout.write(json.dumps(result) + "\n")
        sys.stdout.flush()
    return status


if __name__ == "__main__":
    sys.exit(main())
