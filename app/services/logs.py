"""Structured JSON log lines carrying the request id, user id and job id."""
from __future__ import annotations

import json
import logging
import re
import sys
import time

PAN = re.compile(r"\b([A-Z]{3})[A-Z]{2}\d{4}([A-Z])\b")
LONG_DIGITS = re.compile(r"\b\d{5,14}(\d{4})\b")
_CONTEXT: dict[str, object] = {}
_RESERVED = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


def mask_pii(text: str) -> str:
    """PAN keeps its first three and last letter; long numbers (accounts, Aadhaar) their last four."""
    return LONG_DIGITS.sub(r"XXXX\1", PAN.sub(r"\1XXXXXX\2", text))


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        entry.update(_context())
        for key, value in vars(record).items():
            if key not in _RESERVED and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return mask_pii(json.dumps(entry, default=str))


def _context() -> dict[str, object]:
    ctx = dict(_CONTEXT)
    try:
        from flask import g, has_request_context

        if has_request_context():
            ctx["request_id"] = getattr(g, "request_id", None)
            user = getattr(g, "user", None)
            if user is not None:
                ctx["user_id"] = user.id
    except ImportError:  # pragma: no cover - flask is always installed with the app
        pass
    return ctx


def bind(**values: object) -> None:
    """Add fields to every later line of this process (a job id in a work horse)."""
    _CONTEXT.update(values)


def setup(level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
