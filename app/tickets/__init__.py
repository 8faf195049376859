"""Tickets."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("tickets", __name__, template_folder="templates")
