"""Field accuracy per document type over the generated corpora; `pytest -s` prints the table."""

from __future__ import annotations

from collections import defaultdict

from .conftest import OCR_CORPUS, Sample

TEXT_THRESHOLD = 1.0
SCAN_THRESHOLD = 0.9


def _accuracy(samples: list[Sample]) -> dict[str, tuple[int, int, int]]:
    """Per type: (fields right, fields expected, documents typed right)."""
    table: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for sample in samples:
        assert sample.result is not None
        row = table[sample.kind]
        row[1] += len(sample.expected)
        row[0] += sum(sample.result["fields"].get(k) == v for k, v in sample.expected.items())
        row[2] += sample.result["document_type"] == sample.kind
    return {k: (v[0], v[1], v[2]) for k, v in table.items()}


def _print(title: str, samples: list[Sample], table: dict[str, tuple[int, int, int]]) -> float:
    docs = defaultdict(int)
    for sample in samples:
        docs[sample.kind] += 1
    print(f"\n{title}")
    print(f"  {'document type':<22}{'docs':>5}{'typed':>7}{'fields':>9}{'accuracy':>10}")
    right = total = 0
    for kind, (ok, n, typed) in sorted(table.items()):
        right, total = right + ok, total + n
        pct = f"{ok / n:.1%}" if n else "-"
        print(f"  {kind:<22}{docs[kind]:>5}{typed:>7}{f'{ok}/{n}':>9}{pct:>10}")
    overall = right / total if total else 1.0
    print(f"  {'all':<22}{len(samples):>5}{'':>7}{f'{right}/{total}':>9}{overall:>10.1%}")
    return overall


def test_text_pdfs_are_read_perfectly(text_corpus: list[Sample]) -> None:
    table = _accuracy(text_corpus)
    overall = _print("Text-layer PDFs", text_corpus, table)
    assert overall >= TEXT_THRESHOLD
    assert all(typed == sum(s.kind == k for s in text_corpus) for k, (_ok, _n, typed) in table.items())


@OCR_CORPUS
def test_scans_are_read_at_least_ninety_percent(scan_corpus: list[Sample]) -> None:
    table = _accuracy(scan_corpus)
    overall = _print("Scans (OCR)", scan_corpus, table)
    for sample in scan_corpus:
        assert sample.result is not None
        missed = {
            k: (v, sample.result["fields"].get(k))
            for k, v in sample.expected.items()
            if sample.result["fields"].get(k) != v
        }
        if missed:
            print(f"  {sample.name}: {missed}")
    assert overall >= SCAN_THRESHOLD
    for kind, (ok, n, _typed) in table.items():
        assert ok / n >= SCAN_THRESHOLD, kind
