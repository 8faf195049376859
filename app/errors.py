"""Error responses: JSON `{"error": {...}}` for the API, pages otherwise; 503 when the database is down."""
from __future__ import annotations

import logging

from flask import Flask, g, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from .extensions import db

log = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 5


class ApiError(Exception):
    """An expected failure with a status, a stable code and per-field messages."""

    def __init__(self, status: int, code: str, message: str, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.fields = status, code, message, fields or {}


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def error_response(status: int, code: str, message: str, fields: dict[str, str] | None = None):
    if wants_json():
        body = {"error": {"code": code, "message": message, "fields": fields or {}, "request_id": g.get("request_id")}}
        return jsonify(body), status
    return render_template("error.html", status=status, message=message, request_id=g.get("request_id")), status


def init_app(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def api_error(exc: ApiError):
        response = app.make_response(error_response(exc.status, exc.code, exc.message, exc.fields))
        if exc.status == 429:
            response.headers["Retry-After"] = str(getattr(exc, "retry_after", 60))
        return response

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        return error_response(400, "csrf_failed", "Your form expired or the security token is missing. Reload the page and try again.")

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        code = (exc.name or "error").lower().replace(" ", "_")
        response = error_response(exc.code or 500, code, exc.description or exc.name)
        if exc.code == 429:
            resp = app.make_response(response)
            resp.headers.setdefault("Retry-After", "60")
            return resp
        return response

    @app.errorhandler(OperationalError)
    @app.errorhandler(PoolTimeout)
    @app.errorhandler(InterfaceError)
    def database_down(exc: Exception):
        db.session.remove()
        log.error("database unavailable: %s", type(exc).__name__, extra={"error": str(exc).splitlines()[0][:200]})
        resp = app.make_response(error_response(
            503, "database_unavailable", "TaxDesk is briefly unavailable. Nothing you saved is lost; please retry in a few seconds."
        ))
        resp.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return resp

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        log.exception("unhandled error")
        return error_response(500, "internal_error", "Something went wrong on our side. Quote the request id if you contact support.")
