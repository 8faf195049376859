"""The Socket.IO server (Flask-SocketIO on gevent): who may connect, which rooms they are in, and
what a reconnecting client missed.

A connection is accepted only with a signed-in session (the pages' cookie, read through the app's
session interface); the server joins it to `user:<id>` and admins to `admin`. Clients cannot join
rooms. Events from web processes and workers arrive through the Redis message queue (emit.py).

Sessions end while sockets stay open: a revocation is published on `taxdesk:sessions-revoked`
and disconnects the session's sockets at once; sign-outs and expiries are caught by a sweep that
checks every connected session against `user_sessions` every REALTIME_SWEEP_SECONDS (15).
"""
from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import redis
from flask import Flask, request, session
from flask_socketio import SocketIO, disconnect, join_room
from socketio import RedisManager
from sqlalchemy import select
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session

from ..config import Config
from ..extensions import db
from ..models import User, UserSession
from ..notifications import service as notifications
from ..services.redis_health import connect
from ..services.sessions import REVOKED_CHANNEL, session_hash
from . import emit

log = logging.getLogger(__name__)
ADMIN_ROOM = "admin"
# psycopg blocks this process while it waits (see realtime.py), so after the database fails to
# answer it is left alone for a moment instead of every connection paying a connect timeout.
DB_PAUSE_SECONDS = 3.0
socketio = SocketIO()
_db_down_until = 0.0


class DatabaseUnavailable(Exception):
    pass


@contextmanager
def database() -> Iterator[Session]:
    """One short unit of database work; its transaction ends when the block does."""
    global _db_down_until
    if time.monotonic() < _db_down_until:
        raise DatabaseUnavailable
    try:
        yield db.session
    except (OperationalError, InterfaceError, PoolTimeout) as exc:
        _db_down_until = time.monotonic() + DB_PAUSE_SECONDS
        log.warning("database unavailable: %s", type(exc).__name__)
        raise DatabaseUnavailable from exc
    finally:
        db.session.remove()


@dataclass
class Connection:
    key: str            # sha256 of the session id, as in user_sessions.id
    user_id: int


class Connections:
    """This instance's signed-in sockets (sid → Connection); rooms themselves live in Redis' pub/sub."""

    def __init__(self) -> None:
        self.by_sid: dict[str, Connection] = {}

    def add(self, sid: str, conn: Connection) -> None:
        self.by_sid[sid] = conn

    def remove(self, sid: str) -> None:
        self.by_sid.pop(sid, None)

    def get(self, sid: str) -> Connection | None:
        return self.by_sid.get(sid)

    def sids_with_keys(self, keys: set[str]) -> list[str]:
        return [sid for sid, conn in list(self.by_sid.items()) if conn.key in keys]


connections = Connections()


def init_app(app: Flask) -> SocketIO:
    cfg = app.config["TAXDESK"]
    socketio.init_app(
        app,
        async_mode="gevent",
        # Built here rather than from `message_queue=`: Flask-SocketIO hands any URL that is not
        # redis:// (such as redis+sentinel://) to kombu.
        client_manager=RedisManager(cfg.socketio_url, channel=emit.CHANNEL),
        manage_session=False,
        ping_interval=25,
        ping_timeout=20,
        max_http_buffer_size=64 * 1024,
        logger=False,
        engineio_logger=False,
    )
    socketio.start_background_task(_watch_revocations, cfg)
    socketio.start_background_task(_sweep, app, max(cfg.realtime_sweep_seconds, 0.5))
    return socketio


def _identify() -> tuple[int, bool, Connection] | None:
    sid = getattr(session, "sid", None)
    user_id = session.get("user_id")
    if not sid or user_id is None:
        return None
    key = session_hash(sid)
    try:
        with database() as s:
            row = s.execute(
                select(User.role, UserSession.expires_at)
                .join(UserSession, UserSession.user_id == User.id)
                .where(UserSession.id == key, User.id == user_id, User.is_active.is_(True))
            ).first()
    except DatabaseUnavailable:
        raise ConnectionRefusedError("unavailable") from None
    if row is None or row.expires_at <= datetime.now(UTC):
        return None
    return user_id, row.role == "admin", Connection(key, user_id)


@socketio.on("connect")
def on_connect(auth: object = None) -> None:
    who = _identify()
    if who is None:
        raise ConnectionRefusedError("unauthorized")
    user_id, is_admin, conn = who
    join_room(emit.user_room(user_id))
    if is_admin:
        join_room(ADMIN_ROOM)
    connections.add(request.sid, conn)  # type: ignore[attr-defined]


@socketio.on("disconnect")
def on_disconnect(reason: object = None) -> None:
    connections.remove(request.sid)  # type: ignore[attr-defined]


@socketio.on("catch_up")
def on_catch_up(data: Any = None) -> dict[str, Any]:
    """`catch_up {"since": iso}` → {"now", "notifications", "jobs", "unread"} from the database."""
    conn = connections.get(request.sid)  # type: ignore[attr-defined]
    if conn is None or session.get("user_id") != conn.user_id:
        disconnect()
        return {"error": "unauthorized"}
    try:
        with database() as s:
            user = s.get(User, conn.user_id)
            return notifications.catch_up(s, user, _parse_since(data)) if user is not None else {"error": "unauthorized"}
    except DatabaseUnavailable:
        return {"error": "unavailable"}


def _parse_since(data: Any) -> datetime | None:
    raw = data.get("since") if isinstance(data, dict) else None
    if not isinstance(raw, str) or len(raw) > 40:
        return None
    try:
        since = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return None
    return since if since.tzinfo else since.replace(tzinfo=UTC)


def _end(sids: list[str], why: str) -> None:
    for sid in sids:
        log.info("disconnecting socket: %s", why)
        connections.remove(sid)
        socketio.server.disconnect(sid, namespace="/")


def _watch_revocations(cfg: Config) -> None:
    """Disconnect sockets of revoked sessions as soon as the revocation is published."""
    client = connect(cfg.redis_url, cfg.redis_sentinel_hosts, cfg.redis_sentinel_master,
                     socket_connect_timeout=1, health_check_interval=30)
    backoff = 0.5
    while True:
        try:
            pubsub = client.pubsub(ignore_subscribe_messages=True)
            pubsub.subscribe(REVOKED_CHANNEL)
            backoff = 0.5
            for message in pubsub.listen():
                keys = {k for k in message["data"].decode().split(",") if k}
                _end(connections.sids_with_keys(keys), "session revoked")
        except (redis.ConnectionError, redis.TimeoutError, OSError) as exc:
            if backoff >= 4:
                log.warning("revocation listener waiting for redis: %s", exc)
        except Exception:
            log.exception("revocation listener failed; restarting it")
        socketio.sleep(backoff)  # the sweep covers revocations published meanwhile
        backoff = min(backoff * 2, 8)


def _sweep(app: Flask, every: float) -> None:
    """Disconnect sockets whose session expired, signed out, or was revoked while Redis was down."""
    while True:
        socketio.sleep(every)
        started = time.monotonic()
        try:
            with app.app_context(), database() as s:
                ended = _ended_sessions(s)
        except DatabaseUnavailable:
            continue  # keep the sockets; try again next round
        except Exception:
            log.exception("session sweep failed")
            continue
        _end(connections.sids_with_keys(ended), "session ended")
        log.debug("session sweep took %.3fs", time.monotonic() - started)


def _ended_sessions(s: Session) -> set[str]:
    """Keys of connected sessions that no longer exist or have expired."""
    now = datetime.now(UTC)
    keys = list({conn.key for conn in list(connections.by_sid.values())})
    live: dict[str, datetime] = {}
    for start in range(0, len(keys), 1000):
        rows = s.execute(
            select(UserSession.id, UserSession.expires_at).where(UserSession.id.in_(keys[start:start + 1000]))
        )
        live.update({key: expires_at for key, expires_at in rows})
    return {key for key in keys if key not in live or live[key] <= now}
