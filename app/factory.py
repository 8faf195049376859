"""Builds the Flask application: configuration, extensions, blueprints, error handlers."""
from __future__ import annotations

import logging
import secrets
import sys
import time
from datetime import timedelta

from flask import Flask, abort, g, request, session
from werkzeug.middleware.proxy_fix import ProxyFix

from . import config as config_module
from .extensions import csrf, db, limiter, redis_store
from .ids import BigRowId, RowId
from .services import logs

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self' ws: wss:; font-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def build(config: config_module.Config | None = None) -> Flask:
    if config is None:
        try:
            config = config_module.load()
        except config_module.ConfigError as exc:
            sys.exit(f"taxdesk: configuration error: {exc}")
    logs.setup()
    app = Flask(__name__)
    app.url_map.converters.update(int=RowId, bigint=BigRowId)
    app.config.update(
        SECRET_KEY=config.secret_key,
        TAXDESK=config,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=config.session_lifetime_hours),
        SESSION_COOKIE_NAME="taxdesk_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=config.secure_cookies,
        SESSION_REFRESH_EACH_REQUEST=False,
        MAX_CONTENT_LENGTH=(config.max_upload_mb + 1) * 1024 * 1024,
        WTF_CSRF_TIME_LIMIT=None,
        WTF_CSRF_HEADERS=["X-CSRFToken", "X-CSRF-Token"],
        RATELIMIT_STORAGE_URI=config.limiter_storage_uri,
        RATELIMIT_STORAGE_OPTIONS={"socket_connect_timeout": config.redis_timeout, "socket_timeout": 1,
                                   **({"db": config.redis_db, "use_replicas": False} if config.redis_sentinel_hosts else {})},
        RATELIMIT_IN_MEMORY_FALLBACK_ENABLED=True,
        RATELIMIT_HEADERS_ENABLED=True,
        RATELIMIT_KEY_PREFIX="limits",
        TEMPLATES_AUTO_RELOAD=False,
    )
    # X-Forwarded-For has one entry per proxy: the host's nginx (PROXY_HOPS=1), plus a balancer (2).
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=config.proxy_hops, x_proto=1, x_host=1)  # type: ignore[method-assign]
    app.jinja_env.auto_reload = False

    db.configure(config)
    redis_store.configure(config)
    from .services.pool_monitor import instrument

    instrument(db.engine)

    from .services.sessions import HybridSessionInterface

    app.session_interface = HybridSessionInterface(app)
    csrf.init_app(app)
    # Ahead of the CSRF check, which crashes (500) on a multipart field without a name.
    app.before_request_funcs.setdefault(None, []).insert(0, _refuse_nameless_form_fields)
    _register_request_hooks(app)
    limiter.init_app(app)  # after the request hooks: API calls are limited per signed-in user (g.user)

    _register_blueprints(app)
    from . import errors, web

    errors.init_app(app)
    web.init_app(app)
    from .admin import rq as rq_admin

    rq_admin.init_app(app)  # after the request hooks: its guard needs g.user
    return app


def _refuse_nameless_form_fields() -> None:
    if request.mimetype == "multipart/form-data" and None in request.form:
        abort(400)


def _register_blueprints(app: Flask) -> None:
    from .admin import bp as admin_bp
    from .api import bp as api_bp
    from .auth import bp as auth_bp
    from .documents.views import bp as documents_bp
    from .filings import bp as filings_bp
    from .invoices.views import bp as invoices_bp
    from .notifications import bp as notifications_bp
    from .ops import bp as ops_bp
    from .tickets import bp as tickets_bp

    limiter.limit(app.config["TAXDESK"].api_rate_limit)(api_bp)
    for bp in (ops_bp, auth_bp, filings_bp, documents_bp, notifications_bp, tickets_bp, invoices_bp, admin_bp,
               api_bp):
        app.register_blueprint(bp)

    # Only the API is limited here (sign-in has its own throttle). Exempting the other blueprints
    # still costs the limiter's full lookup on every page; a request filter ends it at once.
    @limiter.request_filter
    def only_the_api_is_limited() -> bool:
        return request.blueprint != api_bp.name


def _register_request_hooks(app: Flask) -> None:
    from .auth import current
    from .services import metrics

    @app.before_request
    def start_request() -> None:
        g.start = time.perf_counter()
        g.request_id = request.headers.get("X-Request-Id") or secrets.token_hex(8)
        g.user = None
        if request.blueprint == "ops" or request.path.startswith("/static/"):
            return
        user_id = session.get("user_id")
        if user_id is not None:
            user = current.load(db.session, user_id)
            if user is None or not user.is_active:
                session.clear()
            else:
                g.user = user

    @app.after_request
    def finish_request(response):
        response.headers["X-Request-Id"] = g.get("request_id", "")
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        if request.is_secure:
            response.headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
        if g.get("user") is not None and "Cache-Control" not in response.headers:
            # Revalidated every time, answered 304 when unchanged: saves the transfer, never serves stale data.
            response.headers["Cache-Control"] = "private, no-cache"
            if request.method == "GET" and response.status_code == 200 and not response.is_streamed:
                response.add_etag()
                response.make_conditional(request)
        if "start" in g:
            metrics.observe_request(request.url_rule.rule if request.url_rule else "<unmatched>",
                                    request.method, response.status_code, time.perf_counter() - g.start)
        return response

    @app.teardown_appcontext
    def close_session(exc: BaseException | None) -> None:
        db.session.remove()

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
