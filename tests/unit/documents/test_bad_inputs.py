"""Inputs that must be refused with a reason a user can act on, never a crash."""

from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from PIL import Image

from app.documents.extract import ExtractionError, Limits, extract_file

from . import generate as g


def _reason(path: Path, **kwargs: object) -> str:
    with pytest.raises(ExtractionError) as err:
        extract_file(path, **kwargs)  # type: ignore[arg-type]
    return err.value.reason


@pytest.fixture(scope="module")
def form16(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bad") / "f16.pdf"
    g.make_form16_pdf(path, {}, layout=0)
    return path


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "empty.pdf").write_bytes(b"")
    assert "empty" in _reason(tmp_path / "empty.pdf")


def test_random_bytes_are_not_a_supported_type(tmp_path: Path) -> None:
    path = tmp_path / "random.pdf"
    path.write_bytes(random.Random(1).randbytes(5000))
    assert "not a PDF, PNG, JPEG or TIFF" in _reason(path)


def test_other_formats_are_refused_even_with_a_pdf_name(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    Image.new("L", (50, 50), 255).save(path, format="GIF")
    assert "not a PDF, PNG, JPEG or TIFF" in _reason(path)


def test_a_missing_file_and_a_folder_are_refused(tmp_path: Path) -> None:
    assert "not found" in _reason(tmp_path / "nope.pdf")
    assert "folder" in _reason(tmp_path)


def test_a_truncated_pdf_is_refused(tmp_path: Path, form16: Path) -> None:
    for keep in (0.3, 0.6, 0.95):
        path = g.make_truncated(tmp_path / f"cut{keep}.pdf", form16, keep)
        reason = _reason(path)
        assert "incomplete" in reason or "damaged" in reason


def test_pdf_magic_followed_by_garbage_is_damaged(tmp_path: Path) -> None:
    assert "damaged" in _reason(g.make_pdf_magic_garbage(tmp_path / "garbage.pdf"))


def test_pdf_magic_followed_by_a_zip_archive_is_refused(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("a.txt", "x" * 100)
    path = tmp_path / "zip.pdf"
    path.write_bytes(b"%PDF-1.7\n" + buf.getvalue())
    assert "ZIP" in _reason(path)


def test_a_valid_pdf_with_a_zip_appended_is_refused(tmp_path: Path, form16: Path) -> None:
    assert "ZIP" in _reason(g.make_pdf_zip_polyglot(tmp_path / "poly.pdf", form16))


def test_a_png_with_a_zip_appended_is_refused(tmp_path: Path) -> None:
    png = tmp_path / "page.png"
    Image.new("L", (100, 100), 255).save(png)
    assert "ZIP" in _reason(g.make_pdf_zip_polyglot(tmp_path / "poly.png", png))


def test_a_png_declaring_ten_billion_pixels_is_refused_before_decoding(tmp_path: Path) -> None:
    reason = _reason(g.make_png_bomb(tmp_path / "bomb.png"))
    assert "too large" in reason


def test_an_image_over_the_pixel_cap_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.png"
    Image.new("L", (3000, 2000), 255).save(path)
    reason = _reason(path, limits=Limits(max_pixels=5_000_000))
    assert "too large" in reason and "3000 × 2000" in reason


def test_a_tiff_with_a_huge_second_page_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "pages.tif"
    small, big = Image.new("L", (100, 100), 255), Image.new("L", (2000, 2000), 255)
    small.save(path, format="TIFF", save_all=True, append_images=[big])
    assert "too large" in _reason(path, limits=Limits(max_pixels=1_000_000))


def test_a_pdf_over_the_page_cap_is_refused(tmp_path: Path) -> None:
    path = g.make_many_pages_pdf(tmp_path / "long.pdf", 21)
    reason = _reason(path)
    assert "21 pages" in reason and "20" in reason
    assert extract_file(path, limits=Limits(max_pages=21))["pages"] == 21


def test_a_tiff_over_the_page_cap_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "pages.tif"
    frames = [Image.new("L", (60, 60), 255) for _ in range(4)]
    frames[0].save(path, format="TIFF", save_all=True, append_images=frames[1:])
    assert "more than 3 pages" in _reason(path, limits=Limits(max_pages=3))


def test_a_truncated_png_is_damaged(tmp_path: Path) -> None:
    good = tmp_path / "good.png"
    noise = Image.frombytes("L", (400, 400), random.Random(2).randbytes(160000))
    noise.save(good)
    path = g.make_truncated(tmp_path / "cut.png", good, 0.5)
    assert "damaged" in _reason(path)


def test_a_png_with_a_broken_header_is_damaged(tmp_path: Path) -> None:
    path = tmp_path / "broken.png"
    ihdr = struct.pack(">IIBBBBB", 10, 10, 8, 0, 0, 0, 0)
    bad_crc = struct.pack(">I", (zlib.crc32(b"IHDR" + ihdr) + 1) & 0xFFFFFFFF)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + ihdr + bad_crc)
    assert "damaged" in _reason(path)


def test_a_jpeg_that_is_only_a_header_is_damaged(tmp_path: Path) -> None:
    path = tmp_path / "head.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20)
    assert "damaged" in _reason(path)
