"""Socket.IO entry point: `gunicorn -k gevent -w 1 --worker-connections 3000 realtime:app`.

gunicorn's gevent worker monkey-patches the standard library before it imports this module (run
any other way, we patch here, first), so Redis sockets and Socket.IO I/O are cooperative.

PostgreSQL is the exception, on purpose. psycopg's cooperative wait under gevent left transactions
"idle in transaction" for seconds under load in our measurements (see psycopg issue #739), holding
locks. Here psycopg waits with its C function instead: every query runs to completion without
yielding, so no transaction ever spans a greenlet switch. The realtime process does little database
work (one lookup per connection, a few per catch-up, one batched sweep), each a millisecond or two,
and app/realtime/server.py stops touching the database for a few seconds after it fails to answer.
"""
import os

os.environ.setdefault("PSYCOPG_WAIT_FUNC", "wait_c")

from gevent import monkey  # noqa: E402

if not monkey.is_module_patched("socket"):
    monkey.patch_all()

from flask import Flask  # noqa: E402
from werkzeug.middleware.proxy_fix import ProxyFix  # noqa: E402

from app import create_app  # noqa: E402


def create_realtime_app() -> Flask:
    from app.realtime.server import init_app

    application = create_app()
    init_app(application)
    # Socket.IO's middleware sits outside the app's own ProxyFix: fix the environ it sees too, so
    # the same-origin check and client addresses use what nginx forwarded.
    application.wsgi_app = ProxyFix(application.wsgi_app, x_for=application.config["TAXDESK"].proxy_hops,  # type: ignore[method-assign]
                                     x_proto=1, x_host=1)
    return application


app = create_realtime_app()
