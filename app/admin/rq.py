"""The RQ dashboard at /admin/rq/, for admins only (everyone else, signed in or not, gets 404).

`init_app` must run after the factory registers its request hooks (they load `g.user`).

Delete and empty buttons work only with RQ_DASHBOARD_DESTRUCTIVE=true. The dashboard's own pages
run an inline script and compile underscore templates, so its responses carry their own CSP that
allows exactly that script (by hash) and eval, instead of the site's stricter one.
"""
from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable
from functools import wraps
from typing import Any

import rq_dashboard
import rq_dashboard.web
from flask import Flask, Response, abort, current_app, g, jsonify, request
from flask_wtf.csrf import generate_csrf
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ResponseError
from redis.exceptions import TimeoutError as RedisTimeout
from rq.exceptions import InvalidJobOperation, NoSuchJobError

from ..errors import ApiError

PREFIX = "/admin/rq"
BLUEPRINT = "rq_dashboard"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*text/template)[^>]*>(.*?)</script>", re.S)


def init_app(app: Flask) -> None:
    config = app.config["TAXDESK"]
    app.config.from_object(rq_dashboard.default_settings)
    app.config["RQ_DASHBOARD_REDIS_URL"] = config.rq_dashboard_redis_url
    app.config["RQ_DASHBOARD_REDIS_PASSWORD"] = config.redis_password
    app.config["RQ_DASHBOARD_DISABLE_DELETE"] = not config.rq_dashboard_destructive
    app.register_blueprint(rq_dashboard.blueprint, url_prefix=PREFIX)
    rq_dashboard.web.setup_rq_connection(app)
    for endpoint, view in list(app.view_functions.items()):
        if endpoint.startswith(f"{BLUEPRINT}.") and endpoint != f"{BLUEPRINT}.static":
            app.view_functions[endpoint] = _answering_errors(view)
    # On the app, keyed by path, not on the blueprint: the blueprint's hooks never run when URL
    # matching fails or redirects (/admin/rq/0/ -> /admin/rq/), which would tell anyone the
    # dashboard is there. Called after the factory's own hooks, so `g.user` is already loaded.
    app.before_request(_admins_only)
    app.after_request_funcs.setdefault(BLUEPRINT, []).append(_dashboard_headers)


def _answering_errors(view: Callable[..., Any]) -> Callable[..., Any]:
    """The dashboard lets RQ's and Redis's exceptions escape as 500s; answer them instead."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        try:
            return view(*args, **kwargs)
        except NoSuchJobError:
            return jsonify(status="ERROR", message="No such job."), 404
        except InvalidJobOperation:
            return jsonify(status="ERROR", message="Only a failed job can be requeued."), 409
        except ResponseError as exc:
            if "no such key" not in str(exc).lower():
                raise
            return jsonify(status="OK"), 200  # compacting an empty queue: there was nothing to do
        except (RedisConnectionError, RedisTimeout):
            raise ApiError(503, "redis_unavailable", "Redis is not answering; the dashboard is back when it is.") from None

    return wrapped


def _admins_only() -> None:
    if request.path != PREFIX and not request.path.startswith(PREFIX + "/"):
        return
    user = g.get("user")
    if user is None or not user.is_admin:
        abort(404)
    if request.endpoint == f"{BLUEPRINT}.requeue_all" and request.method != "POST":
        abort(405)  # a link must not be able to requeue a whole registry


def _dashboard_headers(response: Response) -> Response:
    if response.mimetype != "text/html" or response.direct_passthrough:
        return response
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
        for body in INLINE_SCRIPT.findall(response.get_data(as_text=True))
    )
    response.headers["Content-Security-Policy"] = (
        f"default-src 'self'; script-src 'self' 'unsafe-eval' {hashes}; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
        "frame-ancestors 'none'"
    )
    # The dashboard's script sends this cookie back as X-CSRFToken on its POSTs.
    response.set_cookie("_csrf_token", generate_csrf(), path=PREFIX, samesite="Strict", httponly=False,
                        secure=current_app.config["TAXDESK"].secure_cookies)
    return response
