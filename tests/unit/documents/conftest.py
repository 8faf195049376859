"""Fixtures for the document extraction tests: generated corpora, OCR'd once per session."""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from app.documents.extract import extract_file

from . import generate as g

ROOT = Path(__file__).resolve().parents[3]

OCR_WORKERS = 2  # one tesseract per core, as the worker runs it
# The OCR'd corpus takes ~45 CPU seconds; its setup is charged to whichever test asks first, so
# those tests get room beyond the suite's timeout for a busy machine.
OCR_CORPUS = pytest.mark.timeout(1200)


@dataclass
class Sample:
    """A generated document, what it should yield, and (once run) what was extracted."""

    name: str
    kind: str
    path: Path
    expected: dict[str, Any]
    result: dict[str, Any] | None = None


# Alternative values: paise that round up and down, other people and years.
ALT_FORM16 = {
    "employee_pan": "QWEPR5678Z",
    "employee_name": "MEERA IYER",
    "employer_name": "BLUE RIVER LOGISTICS LIMITED",
    "employer_tan": "CHEB54321D",
    "assessment_year": "2024-25",
    "gross_salary": "987654.50",
    "hra_exempt": "45210.40",
    "standard_deduction": 50000,
    "professional_tax": 2400,
    "tds": "32109.60",
}
ALT_FORM16A = {
    "deductor_name": "SUNRISE REALTORS PVT LTD",
    "deductor_tan": "BLRS11223F",
    "deductee_pan": "FGHPL9876A",
    "assessment_year": "2024-25",
    "section": "194I",
    "amount_paid": "1234567.50",
    "tds": "123456.75",
}
ALT_INTEREST = {
    "bank_name": "PUNJAB NATIONAL BANK",
    "pan": "KLMPT2468H",
    "financial_year": "2023-24",
    "accounts": [
        ("55501234567", "Recurring Deposit", "8123.45", "812.35"),
        ("55509876543", "Fixed Deposit", "91000.55", "9100.06"),
    ],
}

MAKERS = {
    "form16": (g.make_form16_pdf, g.FORM16_LAYOUTS, ALT_FORM16),
    "form16a": (g.make_form16a_pdf, g.FORM16A_LAYOUTS, ALT_FORM16A),
    "interest_certificate": (g.make_interest_certificate_pdf, g.INTEREST_LAYOUTS, ALT_INTEREST),
}


def _usable(kind: str, layout: int, fields: dict[str, Any]) -> bool:
    # Layouts that print amounts without paise cannot show amounts that have them.
    no_paise = {("form16", 1), ("form16a", 1)}
    has_paise = any(isinstance(v, str) and "." in v for v in fields.values() if not isinstance(v, list))
    return not ((kind, layout) in no_paise and has_paise)


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("documents")


@pytest.fixture(scope="session")
def text_corpus(corpus_dir: Path) -> list[Sample]:
    """Every layout of every certificate, with default and alternative values, as text PDFs,
    extracted."""
    samples = []
    for kind, (make, layouts, alt) in MAKERS.items():
        for layout in range(layouts):
            for variant, fields in (("default", {}), ("alt", alt)):
                if not _usable(kind, layout, fields):
                    continue
                name = f"{kind}-l{layout}-{variant}"
                path = corpus_dir / f"{name}.pdf"
                expected = make(path, dict(fields), layout=layout)
                samples.append(Sample(name, kind, path, expected))
    for layout in range(g.PAYSLIP_LAYOUTS):
        path = corpus_dir / f"payslip-l{layout}.pdf"
        samples.append(Sample(f"payslip-l{layout}", "unknown", path, g.make_payslip_pdf(path, layout)))
    for layout in range(g.RENT_LAYOUTS):
        path = corpus_dir / f"rent-l{layout}.pdf"
        samples.append(Sample(f"rent-l{layout}", "rent_receipt", path, g.make_rent_receipt_pdf(path, layout)))
    for sample in samples:
        sample.result = extract_file(sample.path)
    return samples


# One scan per certificate layout, cycling through the ways a scan goes wrong.
SCAN_VARIANTS: list[tuple[str, dict[str, Any]]] = [
    (".png", {"dpi": 300}),
    (".jpg", {"dpi": 200, "skew": 2.5, "jpeg_quality": 45}),
    (".tif", {"dpi": 200, "noise": 0.35, "blur": 0.7, "skew": -1.5}),
    (".pdf", {"dpi": 200, "rotate": 180, "noise": 0.1}),
    (".png", {"dpi": 250, "rotate": 90, "blur": 0.6}),
    (".jpg", {"dpi": 200, "skew": -3.0, "noise": 0.15, "jpeg_quality": 60}),
]


@pytest.fixture(scope="session")
def scan_corpus(corpus_dir: Path) -> list[Sample]:
    """Two scanned versions (default and alternative values) of each certificate layout,
    each degraded differently, OCR'd once, two at a time."""
    if shutil.which("tesseract") is None:
        pytest.fail("tesseract is not installed (Debian: tesseract-ocr tesseract-ocr-eng)")
    samples = []
    i = 0
    for kind, (make, layouts, alt) in MAKERS.items():
        for layout in range(layouts):
            for variant, fields in (("default", {}), ("alt", alt)):
                if not _usable(kind, layout, fields):
                    fields = {}
                suffix, options = SCAN_VARIANTS[i % len(SCAN_VARIANTS)]
                i += 1
                source = corpus_dir / f"scan-src-{kind}-l{layout}-{variant}.pdf"
                expected = make(source, dict(fields), layout=layout)
                detail = "-".join(f"{k}{v}" for k, v in options.items())
                name = f"{kind}-l{layout}-{variant}-{detail}{suffix}"
                path = g.make_scan(source, corpus_dir / f"scan-{kind}-l{layout}-{variant}{suffix}", seed=i, **options)
                samples.append(Sample(name, kind, path, expected))

    def run(sample: Sample) -> None:
        sample.result = extract_file(sample.path)

    with ThreadPoolExecutor(OCR_WORKERS) as pool:
        list(pool.map(run, samples))
    return samples
