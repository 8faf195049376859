"""Emit Socket.IO events from any process through the Redis message queue (write-only manager).

Events are a courtesy: the database row is written first and the browser renders from it on
reconnect, so an event lost while Redis is down costs nothing.
"""
from __future__ import annotations

import logging
from typing import Any

import socketio

from ..extensions import redis_store

log = logging.getLogger(__name__)
CHANNEL = "taxdesk-socketio"
_manager: socketio.RedisManager | None = None


def _get_manager() -> socketio.RedisManager:
    global _manager
    if _manager is None:
        _manager = socketio.RedisManager(
            redis_store.socketio_url, channel=CHANNEL, write_only=True,
            redis_options={"socket_connect_timeout": 0.5, "socket_timeout": 1},
        )
    return _manager


def user_room(user_id: int) -> str:
    return f"user:{user_id}"


def emit(event: str, data: dict[str, Any], room: str | None) -> bool:
    """Publish one event to a room (None: everyone). False when Redis is unavailable."""
    if redis_store().is_open:
        return False
    try:
        _get_manager().emit(event, data, room=room, namespace="/")
        return True
    except Exception as exc:  # never let a notification break the caller's work
        log.warning("socket emit failed: %s", exc)
        return False


def to_user(user_id: int, event: str, data: dict[str, Any]) -> bool:
    return emit(event, data, user_room(user_id))


def reset_after_fork() -> None:
    global _manager
    _manager = None
