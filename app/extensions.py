"""Process-wide clients, created unbound and bound to the app in `create_app` (no connection at import)."""
from __future__ import annotations

import logging
import math
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

from flask_limiter import Limiter
from flask_wtf import CSRFProtect
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import ORMExecuteState, Session, scoped_session, sessionmaker

from .config import Config
from .services.redis_health import RedisBreaker, RedisUnavailable

log = logging.getLogger(__name__)
WROTE_PREFIX = "taxdesk:wrote:"
# Seconds of replay lag; 0 when the replica has replayed everything it received (an idle primary
# leaves pg_last_xact_replay_timestamp() old without any lag), NULL on a primary.
REPLICA_LAG_SQL = text(
    "SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
    " ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) END"
)


class Database:
    """The SQLAlchemy engine and a scoped session (thread- or greenlet-local), plus the optional
    read replica behind `reader()`."""

    def __init__(self) -> None:
        self.engine: Engine | None = None
        self.read_engine: Engine | None = None
        self._factory = sessionmaker(expire_on_commit=False)
        self._read_factory = sessionmaker(expire_on_commit=False)
        self.session: scoped_session[Session] = scoped_session(self._factory)
        self.max_lag = 5.0
        self._replica_ok_until = 0.0
        self._replica_down_until = 0.0
        event.listen(self._factory, "after_flush", _note_write)
        event.listen(self._factory, "do_orm_execute", _note_bulk_write)
        event.listen(self._factory, "after_commit", _after_commit)
        event.listen(self._factory, "after_rollback", _forget_write)

    def configure(self, config: Config) -> None:
        self.engine = self._make_engine(config.database_url, config)
        self.read_engine = (
            self._make_engine(config.database_read_url, config) if config.database_read_url else None
        )
        self.max_lag = config.db_read_max_lag_seconds
        self.session.configure(bind=self.engine)
        self._read_factory.configure(bind=self.read_engine)

    @staticmethod
    def _make_engine(url: str, config: Config) -> Engine:
        connect_args: dict[str, Any] = {"connect_timeout": config.db_connect_timeout, "application_name": "taxdesk"}
        timeout_ms = config.db_statement_timeout_ms
        if config.db_pgbouncer:
            # PgBouncer in transaction mode refuses the `options` startup parameter and gives each
            # transaction whichever server connection is free: nothing may live in the session, so
            # no server-side prepared statements and a statement timeout set per transaction.
            connect_args["prepare_threshold"] = None
        else:
            connect_args["options"] = f"-c statement_timeout={timeout_ms}"
        # No pool_pre_ping: a dead pooled connection fails once, SQLAlchemy invalidates the pool and
        # the next request reconnects; pre-ping would add a round trip to every checkout.
        engine = create_engine(
            url,
            pool_size=config.db_pool_size,
            max_overflow=config.db_max_overflow,
            pool_timeout=config.db_pool_timeout,
            pool_recycle=1800,
            connect_args=connect_args,
        )
        if config.db_pgbouncer and timeout_ms:
            statement = f"SET LOCAL statement_timeout = {int(timeout_ms)}"

            @event.listens_for(engine, "begin")
            def _timeout_per_transaction(conn: Any) -> None:
                conn.exec_driver_sql(statement)

        return engine

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A unit of work: commit on success, roll back on any error."""
        s = self.session()
        try:
            yield s
            s.commit()
        except BaseException:
            s.rollback()
            raise

    @contextmanager
    def reader(self, user_id: int | None = None) -> Iterator[Session]:
        """A session for read-only pages.

        It reads from DATABASE_READ_URL when that replica lags at most DB_READ_MAX_LAG_SECONDS and
        `user_id` has not written in the last DB_READ_MAX_LAG_SECONDS (read-your-writes: every commit
        of a request with a signed-in user leaves a Redis marker with that TTL). Otherwise, or with
        no replica, Redis down or the replica down, it is the primary's usual session.
        """
        if not self.use_replica(user_id):
            yield self.session()
            return
        s = self._read_factory()
        try:
            yield s
        finally:
            s.close()

    def use_replica(self, user_id: int | None) -> bool:
        if self.read_engine is None or not self._replica_fresh():
            return False
        if user_id is None:
            return True
        if _request_wrote():
            return False
        try:
            return not redis_store().call(lambda r: r.exists(WROTE_PREFIX + str(user_id)))
        except RedisUnavailable:
            return False

    def _replica_fresh(self) -> bool:
        """Replica lag within the bound, measured at most once a second per process."""
        now = time.monotonic()
        if now < self._replica_ok_until:
            return True
        if now < self._replica_down_until:
            return False
        try:
            assert self.read_engine is not None
            with self.read_engine.connect() as conn:
                lag = conn.execute(REPLICA_LAG_SQL).scalar()
        except Exception as exc:  # noqa: BLE001 - replica unreachable: read the primary for a while
            log.warning("read replica unavailable, reading the primary: %s", type(exc).__name__)
            self._replica_down_until = now + 10
            return False
        if float(lag or 0) > self.max_lag:
            log.warning("read replica %.1fs behind, reading the primary", float(lag))
            self._replica_down_until = now + 1
            return False
        self._replica_ok_until = now + 1
        return True

    def mark_wrote(self, user_id: int) -> None:
        """Send `user_id`'s reads to the primary for the staleness bound (see `reader`)."""
        ttl = max(1, math.ceil(self.max_lag))
        with suppress(RedisUnavailable):  # use_replica reads the primary while Redis is down
            redis_store().call(lambda r: r.set(WROTE_PREFIX + str(user_id), 1, ex=ttl))

    def dispose_after_fork(self) -> None:
        for engine in (self.engine, self.read_engine):
            if engine is not None:
                engine.dispose(close=False)


def _note_write(session: Session, flush_context: object) -> None:
    session.info["wrote"] = True


def _note_bulk_write(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info["wrote"] = True


def _forget_write(session: Session) -> None:
    session.info.pop("wrote", None)


def _after_commit(session: Session) -> None:
    if not session.info.pop("wrote", False) or db.read_engine is None:
        return
    from flask import g, has_request_context

    if has_request_context():
        g.db_wrote = True
        user = g.get("user")
        if user is not None:
            db.mark_wrote(user.id)


def _request_wrote() -> bool:
    from flask import g, has_request_context

    return has_request_context() and bool(g.get("db_wrote"))


class RedisHolder:
    """Lazily bound breaker-wrapped Redis client (see services.redis_health)."""

    breaker: RedisBreaker | None = None
    # The Socket.IO message queue's URL (redis+sentinel://... under Sentinel), for app/realtime.
    socketio_url: str = ""

    def configure(self, config: Config) -> None:
        self.socketio_url = config.socketio_url
        self.breaker = RedisBreaker(
            config.redis_url, config.redis_timeout, config.redis_breaker_seconds,
            config.redis_sentinel_hosts, config.redis_sentinel_master,
        )

    def __call__(self) -> RedisBreaker:
        assert self.breaker is not None, "redis used before create_app"
        return self.breaker


db = Database()
redis_store = RedisHolder()
csrf = CSRFProtect()
limiter = Limiter(key_func=lambda: _rate_limit_key(), strategy="moving-window")


def _rate_limit_key() -> str:
    from flask import g, request

    user = getattr(g, "user", None)
    return f"user:{user.id}" if user is not None else f"ip:{request.remote_addr}"


def after_fork() -> None:
    """Called in every forked child (gunicorn worker, RQ work horse): never share sockets."""
    db.dispose_after_fork()
    if redis_store.breaker is not None:
        redis_store.breaker.reset_after_fork()
