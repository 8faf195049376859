"""Gunicorn settings for TaxDesk, read from environment variables.

Two roles share this file (supervisord sets GUNICORN_ROLE):

- ``web`` (default): ``gunicorn -c gunicorn.conf.py wsgi:app`` — sync workers behind nginx.
- ``realtime``: the Socket.IO instances pass ``-k gevent -w 1 --worker-connections 3000 --bind
  ... --control-socket ...`` on the command line (which wins over this file); here they only get
  what must differ from the web tier: no max_requests recycling (it would drop live sockets).

``preload_app`` stays off, so a HUP to the master (``scripts/ctl reload``) starts workers that
import the new code, then retires the old ones gracefully.
"""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent
ROLE = os.environ.get("GUNICORN_ROLE", "web")
VAR_DIR = Path(os.environ.get("VAR_DIR") or ROOT / "var").resolve()


def _int_env(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    return int(raw) if raw.strip() else default


preload_app = False
graceful_timeout = 30
timeout = 30
keepalive = 5
# nginx on this host sets X-Forwarded-For/Proto; trust it.
forwarded_allow_ips = "127.0.0.1,::1"
# The app writes its own JSON access lines (with request id); gunicorn logs only errors/lifecycle.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = f"taxdesk-{ROLE}"

if ROLE == "web":
    bind = [f"127.0.0.1:{_int_env('WEB_PORT', 8001)}"]
    workers = _int_env("WEB_WORKERS", 2 * (os.cpu_count() or 1) + 1)
    worker_class = "sync"
    # Recycling guards against slow leaks; at a few hundred requests/s a lower figure restarts a
    # worker every minute, and each restart costs a second of CPU importing the app.
    max_requests = 50000
    max_requests_jitter = 5000
    # Deep enough for bursts of 1,000+ clients queued in the kernel while workers are busy.
    backlog = 2048
    control_socket = str(VAR_DIR / "run" / "web.ctl")
else:
    max_requests = 0
    max_requests_jitter = 0
    graceful_timeout = 10


def post_fork(server, worker):
    """Give each forked web worker its own database connections (the lead's app.extensions).

    Skipped for the gevent realtime role: this hook runs before the worker monkey-patches, and
    importing the app there would load threading/socket unpatched.
    """
    if ROLE != "web":
        return
    from app import extensions

    after_fork = getattr(extensions, "after_fork", None)
    if after_fork is not None:
        after_fork()
