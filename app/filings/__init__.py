"""Filings: the dashboard and the return editor."""
from __future__ import annotations

from flask import Blueprint, g, redirect, render_template, url_for

from ..auth.guard import login_required

bp = Blueprint("filings", __name__, template_folder="templates")


@bp.get("/")
def dashboard():
    if g.get("user") is None:
        return redirect(url_for("auth.login"))
    return render_template("filings/dashboard.html")


@bp.get("/filings")
@login_required
def index():
    return redirect(url_for("filings.dashboard"))
