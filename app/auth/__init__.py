"""Sign-up, sign-in, sign-out, password reset and the settings pages (profile, password, sessions)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from sqlalchemy import select

from ..errors import ApiError
from ..extensions import db
from ..models import User
from ..services import mailer, sessions
from . import service
from .guard import login_required

bp = Blueprint("auth", __name__, template_folder="templates")


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("filings.dashboard")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "GET":
        return render_template("auth/login.html", errors={}, email="")
    email = request.form.get("email", "")
    try:
        user = service.authenticate(email, request.form.get("password", ""))
    except ApiError as exc:
        response = render_template("auth/login.html", errors={"form": exc.message}, email=email), exc.status
        if exc.status == 429:
            return response[0], 429, {"Retry-After": str(exc.retry_after)}  # type: ignore[attr-defined]
        return response
    service.login(user)
    return redirect(_safe_next(request.args.get("next")))


@bp.route("/register", methods=["GET", "POST"])
def register():
    if request.method == "GET":
        return render_template("auth/register.html", errors={}, form={})
    form = request.form
    try:
        user = service.register(form.get("email"), form.get("password"), form.get("name"))
    except ApiError as exc:
        return render_template("auth/register.html", errors=exc.fields, form=form), exc.status
    if user is None:
        mailer.send_existing_account_notice(service.normalise_email(form.get("email")))
    flash("Your account is ready if this email was new. Sign in to continue.")
    return redirect(url_for("auth.login"))


@bp.post("/logout")
def logout():
    service.logout()
    return redirect(url_for("auth.login"))


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot_password():
    if request.method == "POST":
        email = service.normalise_email(request.form.get("email"))
        user = db.session.scalar(select(User).where(User.email == email, User.is_active.is_(True)))
        if user is not None:
            mailer.send_password_reset(user, url_for("auth.reset_password", token=service.reset_token(user), _external=True))
        flash("If that email has an account, a reset link is on its way. It works once, for an hour.")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html")


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    if request.method == "POST":
        try:
            service.reset_password(token, request.form.get("password", ""))
        except ApiError as exc:
            return render_template("auth/reset.html", token=token, error=exc.message), exc.status
        flash("Password changed. Sign in with the new one.")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", token=token, error=None)


@bp.get("/settings")
@login_required
def settings():
    return render_template(
        "auth/settings.html",
        active=sessions.active_sessions(g.user.id),
        current_key=service.current_session_key(),
        errors={},
    )


@bp.post("/settings/profile")
@login_required
def update_profile():
    name = request.form.get("name", "").strip()
    if not name or len(name) > 120:
        flash("Enter your name (up to 120 characters).", "error")
    else:
        g.user.name = name
        g.user.email_notifications = request.form.get("email_notifications") == "on"
        db.session.commit()
        flash("Profile saved.")
    return redirect(url_for("auth.settings"))


@bp.post("/settings/password")
@login_required
def change_password():
    try:
        service.change_password(g.user, request.form.get("current_password", ""), request.form.get("new_password", ""))
    except ApiError as exc:
        flash(exc.message, "error")
        return redirect(url_for("auth.settings"))
    flash("Password changed. Your other sessions were signed out.")
    return redirect(url_for("auth.settings"))


@bp.post("/settings/sessions/<key>/revoke")
@login_required
def revoke_session(key: str):
    if not sessions.revoke(g.user.id, key):
        abort(404)
    flash("That session was signed out.")
    return redirect(url_for("auth.settings"))
