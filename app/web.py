"""Template helpers: Indian number formatting, content-hashed static URLs, the CSRF token."""
from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Flask, g, url_for
from flask_wtf.csrf import generate_csrf

from .invoices.amounts import grouped


def inr(amount: int | float | None, symbol: bool = True) -> str:
    """12,34,567 grouping (lakh, crore) used on Indian tax forms."""
    if amount is None:
        return "—"
    value = round(amount)
    return f"{'-' if value < 0 else ''}{'₹' if symbol else ''}{grouped(abs(value))}"


def init_app(app: Flask) -> None:
    static_dir = Path(app.static_folder or "")
    hashes: dict[str, str] = {}

    def static_url(filename: str) -> str:
        if filename not in hashes:
            hashes[filename] = hashlib.sha256((static_dir / filename).read_bytes()).hexdigest()[:12]
        return url_for("static", filename=filename, v=hashes[filename])

    app.jinja_env.filters["inr"] = inr
    app.jinja_env.globals.update(static_url=static_url, csrf_token=generate_csrf)

    @app.context_processor
    def current_user() -> dict[str, object]:
        return {"current_user": g.get("user")}
