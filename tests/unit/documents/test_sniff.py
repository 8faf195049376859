"""The upload validator's type check: magic bytes decide, nothing else."""

from __future__ import annotations

import io
import zipfile

from hypothesis import given
from hypothesis import strategies as st

from app.documents.sniff import is_zip_polyglot, sniff_type


def test_each_supported_type_is_recognised_by_its_magic_bytes() -> None:
    assert sniff_type(b"%PDF-1.7\n%\xe2\xe3") == "pdf"
    assert sniff_type(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR") == "png"
    assert sniff_type(b"\xff\xd8\xff\xe0\x00\x10JFIF") == "jpeg"
    assert sniff_type(b"II*\x00\x08\x00\x00\x00") == "tiff"
    assert sniff_type(b"MM\x00*\x00\x00\x00\x08") == "tiff"


def test_other_files_are_rejected_whatever_they_claim_to_be() -> None:
    for head in (b"", b"PK\x03\x04", b"GIF89a", b"<html>", b"BM6\x00", b" %PDF-1.7", b"RIFF\x00\x00WEBP", b"\x89PNG"):
        assert sniff_type(head) is None


@given(st.binary(max_size=32))
def test_random_bytes_are_only_accepted_with_a_known_magic(head: bytes) -> None:
    kind = sniff_type(head)
    prefixes = {"pdf": b"%PDF-", "png": b"\x89PNG\r\n\x1a\n", "jpeg": b"\xff\xd8\xff"}
    if kind == "tiff":
        assert head[:4] in (b"II*\x00", b"MM\x00*")
    elif kind is not None:
        assert head.startswith(prefixes[kind])


def _zip_bytes(comment: bytes = b"") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("a.txt", "x")
        zf.comment = comment
    return buf.getvalue()


def test_a_file_with_a_zip_archive_on_its_tail_is_a_polyglot() -> None:
    assert is_zip_polyglot(b"%PDF-1.7\n...%%EOF\n" + _zip_bytes())
    assert is_zip_polyglot(b"%PDF-1.7\n" + _zip_bytes(comment=b"hidden"))


def test_a_zip_signature_inside_ordinary_data_is_not_a_polyglot() -> None:
    assert not is_zip_polyglot(b"%PDF-1.7\nstream PK\x05\x06 data endstream\n%%EOF\n")
    assert not is_zip_polyglot(b"")
