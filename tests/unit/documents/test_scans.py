"""Scanned certificates: PNG, JPEG, TIFF and image-only PDF, tilted, grainy, turned."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from app.documents import ocr
from app.documents.extract import ExtractionError, Limits, extract_file

from . import generate as g
from .conftest import OCR_CORPUS, Sample


@OCR_CORPUS
def test_every_scan_is_typed_and_read_by_ocr(scan_corpus: list[Sample]) -> None:
    for sample in scan_corpus:
        assert sample.result is not None
        assert sample.result["method"] == "ocr", sample.name
        assert sample.result["document_type"] == sample.kind, sample.name


@OCR_CORPUS
def test_scans_never_report_a_field_they_did_not_read(scan_corpus: list[Sample]) -> None:
    """A field may be missing from a poor scan, but one that is present must be right unless
    a warning flags it."""
    for sample in scan_corpus:
        assert sample.result is not None
        wrong = {k: v for k, v in sample.result["fields"].items() if sample.expected.get(k) != v}
        if wrong:
            assert sample.result["warnings"], (sample.name, wrong)


@OCR_CORPUS
def test_ocr_confidence_comes_with_every_field(scan_corpus: list[Sample]) -> None:
    for sample in scan_corpus:
        result = sample.result
        assert result is not None
        assert set(result["confidence"]) == set(result["fields"]) == set(result["sources"])
        assert all(0.5 <= c <= 0.99 for c in result["confidence"].values()), sample.name


def test_a_two_page_tiff_is_read_page_by_page(tmp_path: Path) -> None:
    source = tmp_path / "f16a.pdf"
    expected = g.make_form16a_pdf(source, {}, layout=1)
    page = g.make_scan(source, tmp_path / "page.tif", dpi=200)
    blank = tmp_path / "two.tif"
    with Image.open(page) as first:
        first.load()
        first.save(blank, format="TIFF", save_all=True, append_images=[Image.new("L", first.size, 255)])
    calls: list[tuple[int, int]] = []
    result = extract_file(blank, on_page=lambda done, total: calls.append((done, total)))
    assert result["pages"] == 2 and calls == [(1, 2), (2, 2)]
    assert result["fields"] == expected


def test_a_blank_page_is_unknown_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "blank.png"
    Image.new("L", (1654, 2339), 255).save(path, dpi=(200, 200))
    result = extract_file(path)
    assert result["document_type"] == "unknown"
    assert result["fields"] == {}
    assert any("No text" in w for w in result["warnings"])


def test_a_page_that_takes_too_long_is_given_up(tmp_path: Path) -> None:
    source = tmp_path / "int.pdf"
    g.make_interest_certificate_pdf(source, {}, layout=0)
    path = g.make_scan(source, tmp_path / "int.png", dpi=200)
    with pytest.raises(ExtractionError) as err:
        extract_file(path, limits=Limits(page_timeout=0.05))
    assert "too long" in err.value.reason


def test_skew_is_measured_in_the_direction_that_undoes_it() -> None:
    image = g.render_pdf_text_page()
    for tilt in (-3.0, 2.0, 4.0):
        turned = image.rotate(tilt, expand=True, fillcolor=255)
        assert ocr.estimate_skew(turned) == pytest.approx(-tilt, abs=0.5)
    assert abs(ocr.estimate_skew(image)) <= 0.25


def test_grain_is_detected_on_noisy_scans_only() -> None:
    image = g.render_pdf_text_page()
    assert not ocr.is_noisy(image)
    assert ocr.is_noisy(g.degrade(image, noise=0.35))


def test_any_image_mode_becomes_8_bit_grey_on_white() -> None:
    deep = Image.new("I;16", (4, 4), 0)
    deep.putpixel((1, 1), 65535)
    assert ocr.to_grey(deep).getpixel((1, 1)) == 255
    clear = Image.new("RGBA", (4, 4), (0, 0, 0, 0))
    assert ocr.to_grey(clear).getpixel((0, 0)) == 255  # transparent paper is white, not black
    for mode in ("1", "L", "P", "RGB", "CMYK", "LA"):
        assert ocr.to_grey(Image.new(mode, (4, 4))).mode == "L"


def _count_tesseract_runs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    runs: list[str] = []
    real = ocr._tesseract

    def counted(args: list[str], deadline: float) -> str:
        runs.append(Path(args[0]).name)
        return real(args, deadline)

    monkeypatch.setattr(ocr, "_tesseract", counted)
    return runs


def test_a_clean_upright_page_costs_one_tesseract_run_on_the_file_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "int.pdf"
    expected = g.make_interest_certificate_pdf(source, {}, layout=0)
    page = g.make_scan(source, tmp_path / "clean.png", dpi=300)
    runs = _count_tesseract_runs(monkeypatch)
    assert extract_file(page)["fields"] == expected
    assert runs == ["clean.png"]


def test_a_clean_but_tilted_page_is_straightened_and_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "f16.pdf"
    expected = g.make_form16_pdf(source, {}, layout=2)
    page = g.make_scan(source, tmp_path / "tilted.png", dpi=300, skew=2.5)
    runs = _count_tesseract_runs(monkeypatch)
    assert extract_file(page)["fields"] == expected
    assert runs == ["tilted.png", "page.pgm"]


def test_a_truncated_clean_png_is_damaged_not_half_read(tmp_path: Path) -> None:
    source = tmp_path / "f16.pdf"
    g.make_form16_pdf(source, {}, layout=1)
    page = g.make_scan(source, tmp_path / "clean.png", dpi=300)
    cut = g.make_truncated(tmp_path / "cut.png", page, 0.7)
    with pytest.raises(ExtractionError) as err:
        extract_file(cut)
    assert "damaged" in err.value.reason
