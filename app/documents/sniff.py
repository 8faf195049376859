"""File type by magic bytes, for the upload validator and the extractor alike.

The extension and the browser's content type are never trusted: only the first bytes decide.
"""

from __future__ import annotations

import struct

HEAD_BYTES = 16
"""How many leading bytes `sniff_type` needs."""

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
)

_ZIP_EOCD = b"PK\x05\x06"
_ZIP_EOCD_SIZE = 22
_ZIP_MAX_COMMENT = 0xFFFF


def sniff_type(head: bytes) -> str | None:
    """'pdf', 'png', 'jpeg' or 'tiff' from the first bytes of a file, else None."""
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    return None


def is_zip_polyglot(data: bytes) -> bool:
    """True when `data` is also a valid ZIP archive (a ZIP end record that a ZIP reader would
    find at the end of the file), as in a PDF or image with an archive glued to its tail."""
    window = data[-(_ZIP_EOCD_SIZE + _ZIP_MAX_COMMENT) :]
    pos = window.rfind(_ZIP_EOCD)
    while pos != -1:
        record = window[pos : pos + _ZIP_EOCD_SIZE]
        if len(record) == _ZIP_EOCD_SIZE:
            (comment_len,) = struct.unpack("<H", record[20:22])
            if pos + _ZIP_EOCD_SIZE + comment_len == len(window):
                return True
        pos = window.rfind(_ZIP_EOCD, 0, pos)
    return False
