"""Process-wide clients, created unbound and bound to the app in `create_app` (no connection at import)."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask_limiter import Limiter
from flask_wtf import CSRFProtect
from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session, scoped_session, sessionmaker

from .config import Config
from .services.redis_health import RedisBreaker


class Database:
    """The SQLAlchemy engine and a scoped session (thread- or greenlet-local)."""

    def __init__(self) -> None:
        self.engine: Engine | None = None
        self.read_engine: Engine | None = None
        self.session: scoped_session[Session] = scoped_session(sessionmaker(expire_on_commit=False))

    def configure(self, config: Config) -> None:
        self.engine = self._make_engine(config.database_url, config)
        self.read_engine = (
            self._make_engine(config.database_read_url, config) if config.database_read_url else None
        )
        self.session.configure(bind=self.engine)

    @staticmethod
    def _make_engine(url: str, config: Config) -> Engine:
        # No pool_pre_ping: a dead pooled connection fails once, SQLAlchemy invalidates the pool and
        # the next request reconnects; pre-ping would add a round trip to every checkout.
        return create_engine(
            url,
            pool_size=config.db_pool_size,
            max_overflow=config.db_max_overflow,
            pool_timeout=config.db_pool_timeout,
            pool_recycle=1800,
            connect_args={
                "connect_timeout": config.db_connect_timeout,
                "options": f"-c statement_timeout={config.db_statement_timeout_ms}",
                "application_name": "taxdesk",
            },
        )

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

    def dispose_after_fork(self) -> None:
        for engine in (self.engine, self.read_engine):
            if engine is not None:
                engine.dispose(close=False)


class RedisHolder:
    """Lazily bound breaker-wrapped Redis client (see services.redis_health)."""

    breaker: RedisBreaker | None = None

    def configure(self, config: Config) -> None:
        self.breaker = RedisBreaker(config.redis_url, config.redis_timeout, config.redis_breaker_seconds)

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
