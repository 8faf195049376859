"""Filings: the dashboard and the return editor (routes in `routes`)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("filings", __name__, template_folder="templates")

from . import routes  # noqa: E402,F401  (routes register on bp)
