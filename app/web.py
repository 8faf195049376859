"""Template helpers: Indian number formatting, URLs built once, content-hashed static URLs, the CSRF token."""
from __future__ import annotations

import functools
import hashlib
from pathlib import Path
from typing import Any

from flask import Flask, g, has_request_context, request, url_for
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
    digests: dict[str, str] = {}

    def static_url(filename: str) -> str:
        if filename not in digests:
            digests[filename] = hashlib.sha256((static_dir / filename).read_bytes()).hexdigest()[:12]
        return template_url_for("static", filename=filename, v=digests[filename])

    # A page builds twenty-odd URLs, the same ones on every page, and werkzeug's URL building cost
    # more CPU than the rest of the header. A URL depends only on these inputs, except for
    # blueprint-relative endpoints and the `_external`-style options, which are built every time.
    @functools.lru_cache(maxsize=4096)
    def built(script_root: str, endpoint: str, values: tuple[tuple[str, type, Any], ...]) -> str:
        return url_for(endpoint, **{k: v for k, _, v in values})

    def template_url_for(endpoint: str, **values: Any) -> str:
        if endpoint.startswith(".") or any(k.startswith("_") for k in values) or not has_request_context():
            return url_for(endpoint, **values)
        try:  # the type is part of the key: ref=1 and ref=True are equal but build different URLs
            return built(request.script_root, endpoint, tuple(sorted((k, type(v), v) for k, v in values.items())))
        except TypeError:  # an unhashable value (a list for a repeated query argument)
            return url_for(endpoint, **values)

    app.jinja_env.filters["inr"] = inr
    app.jinja_env.globals.update(url_for=template_url_for, static_url=static_url, csrf_token=generate_csrf)

    @app.context_processor
    def current_user() -> dict[str, object]:
        return {"current_user": g.get("user")}
