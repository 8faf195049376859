"""Documents blueprint: upload, review and apply (the extraction core lives beside it)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("documents", __name__, template_folder="templates")
