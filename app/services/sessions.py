"""Server-side sessions in Redis with the database as the durable copy and fallback.

Redis serves every read. Sessions of signed-in users are also written to `user_sessions`, so
while Redis is unreachable they are read and written there and nobody is signed out. Keys in
both stores are a SHA-256 of the cookie value, so a dump of either store holds no usable id.
"""
from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from flask import Flask, request
from flask_session.redis import RedisSessionInterface
from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert

from ..extensions import db, redis_store
from ..models import UserSession
from . import stale_keys
from .redis_health import RedisUnavailable

PREFIX = "session:"
REVOKED_CHANNEL = "taxdesk:sessions-revoked"


def session_hash(sid: str) -> str:
    return hashlib.sha256(sid.encode()).hexdigest()


class HybridSessionInterface(RedisSessionInterface):
    def __init__(self, app: Flask) -> None:
        super().__init__(app, client=redis_store().client, key_prefix=PREFIX, permanent=True, sid_length=32)

    def _get_store_id(self, sid: str) -> str:
        return PREFIX + session_hash(sid)

    def _retrieve_session_data(self, store_id: str) -> dict | None:
        stale_keys.delete_noted_here()
        try:
            raw = redis_store().call(lambda r: r.get(store_id))
        except RedisUnavailable:
            raw = None
        if raw:
            return self.serializer.decode(raw)
        row = db.session.get(UserSession, store_id.removeprefix(PREFIX))
        if row is None or row.expires_at <= datetime.now(UTC):
            return None
        try:
            ttl = int((row.expires_at - datetime.now(UTC)).total_seconds())
            redis_store().call(lambda r: r.set(store_id, row.data, ex=max(ttl, 1)))
        except RedisUnavailable:
            pass
        return self.serializer.decode(row.data)

    def _delete_session(self, store_id: str) -> None:
        key = store_id.removeprefix(PREFIX)
        db.session.execute(delete(UserSession).where(UserSession.id == key))
        db.session.commit()
        _drop_redis_keys([key])  # also closes this session's sockets at once

    def _upsert_session(self, session_lifetime: timedelta, session, store_id: str) -> None:
        data = self.serializer.encode(session)
        ttl = int(session_lifetime.total_seconds())
        key = store_id.removeprefix(PREFIX)
        redis_ok = True
        try:
            redis_store().call(lambda r: r.set(store_id, data, ex=ttl))
        except RedisUnavailable:
            redis_ok = False
        if session.get("user_id") is None and redis_ok:
            return
        now = datetime.now(UTC)
        values = {
            "id": key,
            "user_id": session.get("user_id"),
            "data": data,
            "ip": request.remote_addr,
            "user_agent": (request.user_agent.string or "")[:300],
            "last_seen_at": now,
            "expires_at": now + session_lifetime,
        }
        stmt = insert(UserSession).values(**values)
        stmt = stmt.on_conflict_do_update(
            index_elements=[UserSession.id],
            set_={k: stmt.excluded[k] for k in ("user_id", "data", "last_seen_at", "expires_at")},
        )
        db.session.execute(stmt)
        db.session.commit()
        if not redis_ok:  # Redis's copy is older than the database's now
            stale_keys.note([store_id])


def active_sessions(user_id: int) -> list[UserSession]:
    return list(
        db.session.scalars(
            select(UserSession)
            .where(UserSession.user_id == user_id, UserSession.expires_at > datetime.now(UTC))
            .order_by(UserSession.last_seen_at.desc())
        )
    )


def revoke(user_id: int, key: str) -> bool:
    """End one of the user's sessions everywhere; False when it is not theirs."""
    deleted = db.session.execute(
        delete(UserSession).where(UserSession.id == key, UserSession.user_id == user_id)
    ).rowcount
    db.session.commit()
    if not deleted:
        return False
    _drop_redis_keys([key])
    return True


def revoke_all(user_id: int, keep: str | None = None) -> None:
    """End every session of a user (password change, account disabled), except `keep`."""
    stmt = delete(UserSession).where(UserSession.user_id == user_id)
    if keep:
        stmt = stmt.where(UserSession.id != keep)
    keys = list(db.session.scalars(stmt.returning(UserSession.id)))
    db.session.commit()
    _drop_redis_keys(keys)


def _drop_redis_keys(keys: list[str]) -> None:
    if not keys:
        return
    try:
        redis_store().call(lambda r: r.delete(*[PREFIX + k for k in keys]))
        redis_store().call(lambda r: r.publish(REVOKED_CHANNEL, ",".join(keys)))
    except RedisUnavailable:
        stale_keys.note(PREFIX + k for k in keys)
