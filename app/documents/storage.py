"""Content-addressed file store for uploads, outside the web root: `<root>/ab/cd/<sha256>`.

The key is the sha256 of the bytes the user uploaded, so the same upload always lands on the same
key (duplicate detection). The file under a key is what the extractor reads: the upload itself,
or for a password-protected PDF its decrypted copy (PDFium writes a fresh file ID on every save,
so the decrypted bytes cannot serve as a stable key). No web framework here.
"""
from __future__ import annotations

import hashlib
import os
import re
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .sniff import HEAD_BYTES

CHUNK = 1024 * 1024
_HEX64 = re.compile(r"[0-9a-f]{64}")
_UNSAFE = re.compile(r"[^A-Za-z0-9._() -]+")
EXTENSIONS = {"pdf": (".pdf",), "png": (".png",), "jpeg": (".jpg", ".jpeg"), "tiff": (".tif", ".tiff")}
MAX_NAME = 120


class TooLarge(Exception):
    """The upload went past the byte limit (reading stopped there)."""


@dataclass(frozen=True)
class Received:
    path: Path
    sha256: str
    size: int
    head: bytes


class Store:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.tmp = self.root / "tmp"

    def path_for(self, sha256: str) -> Path:
        if not _HEX64.fullmatch(sha256):
            raise ValueError("not a sha256 hex digest")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def temp_path(self) -> Path:
        self.tmp.mkdir(parents=True, exist_ok=True, mode=0o700)
        return self.tmp / secrets.token_hex(16)

    def receive(self, stream: BinaryIO, max_bytes: int) -> Received:
        """Copy a stream to a temporary file while hashing it; TooLarge past `max_bytes`."""
        path = self.temp_path()
        digest, size, head = hashlib.sha256(), 0, b""
        try:
            with open(path, "xb") as out:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if size > max_bytes:
                        raise TooLarge
                    if len(head) < HEAD_BYTES:
                        head += chunk[: HEAD_BYTES - len(head)]
                    digest.update(chunk)
                    out.write(chunk)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return Received(path, digest.hexdigest(), size, head)

    def keep(self, temp: Path, sha256: str) -> Path:
        """Move a temporary file under its key; if the key already holds a file, keep that one."""
        final = self.path_for(sha256)
        if final.exists():
            temp.unlink(missing_ok=True)
            return final
        final.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(temp, 0o600)
        os.replace(temp, final)
        return final

    def remove(self, sha256: str) -> None:
        self.path_for(sha256).unlink(missing_ok=True)

    @staticmethod
    def discard(*temps: Path | None) -> None:
        for temp in temps:
            if temp is not None:
                temp.unlink(missing_ok=True)


def sanitise_name(name: str | None) -> str:
    """A file name safe to show and to put in Content-Disposition: no path, no control or
    shell-special characters, ASCII, at most MAX_NAME characters with the extension kept."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode("ascii")
    base = _UNSAFE.sub("_", base).strip(" ._")
    base = re.sub(r"_{2,}", "_", base)
    if not base:
        return "document"
    stem, dot, ext = base.rpartition(".")
    if dot and stem and len(ext) <= 10:
        return stem[: MAX_NAME - len(ext) - 1].rstrip(" ._") + "." + ext
    return base[:MAX_NAME]


def download_name(original: str, kind: str) -> str:
    """The stored name with the extension of the file's real type (decided by its bytes)."""
    name = sanitise_name(original)
    allowed = EXTENSIONS.get(kind, ())
    if not allowed or name.lower().endswith(allowed):
        return name
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return f"{stem}{allowed[0]}"
