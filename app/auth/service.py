"""Accounts: registration, authentication with throttling, session login/logout, password reset."""
from __future__ import annotations

import functools
import re
from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, request, session
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..errors import ApiError
from ..extensions import db
from ..models import User
from ..services import sessions
from . import throttle

EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


@functools.cache
def _dummy_hash() -> str:
    # Verified against when the email is unknown, so a miss costs as much time as a wrong password.
    return hasher.hash("timing-equaliser")
RESET_MAX_AGE = 3600


def normalise_email(email: object) -> str:
    return str(email or "").strip().lower()


def validate_registration(email: str, password: str, name: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not EMAIL.match(email) or len(email) > 254:
        errors["email"] = "Enter a valid email address."
    if len(password) < 10:
        errors["password"] = "Use at least 10 characters."
    elif len(password) > 256:
        errors["password"] = "Use at most 256 characters."
    if not name.strip() or len(name) > 120:
        errors["name"] = "Enter your name (up to 120 characters)."
    return errors


def register(email: object, password: object, name: object) -> User | None:
    """Create the account; None when the email is taken. Callers answer both cases identically,
    so registration cannot be used to find out who has an account."""
    email_s, password_s, name_s = normalise_email(email), str(password or ""), str(name or "").strip()
    errors = validate_registration(email_s, password_s, name_s)
    if errors:
        raise ApiError(422, "invalid", "Please correct the highlighted fields.", errors)
    password_hash = hasher.hash(password_s)
    if db.session.scalar(select(User.id).where(User.email == email_s)) is not None:
        return None
    user = User(email=email_s, name=name_s, password_hash=password_hash)
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return None
    return user


def authenticate(email: object, password: object) -> User:
    """The user for these credentials, or ApiError 401/429; failures are throttled per account and IP."""
    email_s, password_s = normalise_email(email), str(password or "")
    cfg = current_app.config["TAXDESK"]
    account_key = throttle.key_for("acct", email_s)
    ip_key = throttle.key_for("ip", request.remote_addr or "-")
    wait = throttle.retry_after([account_key, ip_key])
    if wait:
        raise _too_many(wait)
    user = db.session.scalar(select(User).where(User.email == email_s))
    ok = False
    try:
        ok = hasher.verify(user.password_hash if user else _dummy_hash(), password_s) and user is not None
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok or user is None or not user.is_active:
        seconds = throttle.record_failure([
            (account_key, throttle.Policy(cfg.login_account_threshold, cfg.login_lock_seconds)),
            (ip_key, throttle.Policy(cfg.login_ip_threshold, cfg.login_lock_seconds)),
        ])
        if seconds:
            raise _too_many(seconds)
        raise ApiError(401, "invalid_credentials", "That email and password do not match an active account.")
    throttle.clear(account_key)
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password_s)
        db.session.commit()
    return user


def _too_many(seconds: int) -> ApiError:
    err = ApiError(429, "too_many_attempts", f"Too many failed sign-ins. Try again in {seconds} seconds.")
    err.retry_after = seconds  # type: ignore[attr-defined]
    return err


def login(user: User) -> None:
    """Start a signed-in session under a fresh id (no session fixation)."""
    current_app.session_interface.regenerate(session)  # type: ignore[attr-defined]
    csrf = session.get("csrf_token")
    session.clear()
    if csrf:
        session["csrf_token"] = csrf
    session["user_id"] = user.id
    session["since"] = datetime.now(UTC).isoformat(timespec="seconds")
    session.permanent = True


def logout() -> None:
    session.clear()


def current_session_key() -> str | None:
    sid = getattr(session, "sid", None)
    return sessions.session_hash(sid) if sid else None


def change_password(user: User, current: str, new: str) -> None:
    try:
        hasher.verify(user.password_hash, current)
    except (VerificationError, InvalidHashError):
        raise ApiError(422, "invalid", "Your current password is not correct.", {"current_password": "Not correct."}) from None
    errors = validate_registration(user.email, new, user.name)
    if "password" in errors:
        raise ApiError(422, "invalid", errors["password"], {"new_password": errors["password"]})
    user.password_hash = hasher.hash(new)
    user.password_changed_at = datetime.now(UTC)
    db.session.commit()
    sessions.revoke_all(user.id, keep=current_session_key())


def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="password-reset")


def reset_token(user: User) -> str:
    # The token carries the password-change time, so it stops working once used.
    return _reset_serializer().dumps({"u": user.id, "p": user.password_changed_at.isoformat()})


def reset_password(token: str, new: str) -> User:
    try:
        data = _reset_serializer().loads(token, max_age=RESET_MAX_AGE)
    except (BadSignature, SignatureExpired):
        raise ApiError(400, "invalid_token", "This reset link is invalid or has expired. Ask for a new one.") from None
    user = db.session.get(User, data.get("u"))
    if user is None or user.password_changed_at.isoformat() != data.get("p"):
        raise ApiError(400, "invalid_token", "This reset link is invalid or has expired. Ask for a new one.")
    errors = validate_registration(user.email, new, user.name)
    if "password" in errors:
        raise ApiError(422, "invalid", errors["password"], {"password": errors["password"]})
    user.password_hash = hasher.hash(new)
    user.password_changed_at = datetime.now(UTC)
    db.session.commit()
    sessions.revoke_all(user.id)
    return user
