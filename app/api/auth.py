from __future__ import annotations

from flask import g, jsonify
from flask_wtf.csrf import generate_csrf

from ..auth import service
from ..auth.guard import login_required
from ..extensions import limiter
from ..services import mailer
from . import bp
from .helpers import json_body, only_keys


def _user_json(user):
    return {"id": user.id, "email": user.email, "name": user.name, "role": user.role}


@bp.get("/auth/csrf")
@limiter.exempt
def csrf_token():
    return jsonify(csrf_token=generate_csrf())


@bp.post("/auth/register")
def register():
    data = json_body()
    only_keys(data, {"email", "password", "name"})
    user = service.register(data.get("email"), data.get("password"), data.get("name"))
    if user is None:
        mailer.send_existing_account_notice(service.normalise_email(data.get("email")))
    # Identical answer whether or not the email already had an account.
    return jsonify(status="registered", message="If this email was new, the account is ready: sign in."), 201


@bp.post("/auth/login")
def login():
    data = json_body()
    only_keys(data, {"email", "password"})
    user = service.authenticate(data.get("email"), data.get("password"))
    service.login(user)
    return jsonify(user=_user_json(user), csrf_token=generate_csrf())


@bp.post("/auth/logout")
def logout():
    service.logout()
    return jsonify(status="signed_out")


@bp.get("/auth/me")
@login_required
def me():
    return jsonify(user=_user_json(g.user))
