"""JSON API v1 (documented by /api/v1/openapi.json)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from . import admin, auth, documents, filings, idempotency, invoices, jobs, notifications, openapi, tickets  # noqa: E402,F401,I001
from . import itr  # noqa: E402,F401
