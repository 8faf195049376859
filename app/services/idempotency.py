"""`Idempotency-Key` on POSTs: a repeated request gets the first response instead of running again.

Keys are per user. The first request claims the key with a placeholder row (status 0) before the
view runs, so a concurrent duplicate is told to retry (409) instead of running in parallel; the
response's status and JSON body then replace the placeholder. Server errors (5xx) and 429s are not
remembered, so a retry after them really runs again. A placeholder left by a process that died
mid-request is taken over after STALE_SECONDS.
"""
from __future__ import annotations

import logging
import re
from datetime import UTC, datetime, timedelta

from flask import Blueprint, Response, g, jsonify, request
from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert

from ..errors import ApiError
from ..extensions import db
from ..models import IdempotencyKey

log = logging.getLogger(__name__)
HEADER = "Idempotency-Key"
IN_PROGRESS = 0
STALE_SECONDS = 60
KEY_PATTERN = re.compile(r"^[\x21-\x7e]{1,100}$")


def install(bp: Blueprint, exempt_prefixes: tuple[str, ...]) -> None:
    """Apply to every POST of `bp` except paths under `exempt_prefixes`."""

    @bp.before_request
    def replay_or_claim():
        if request.method != "POST" or request.path.startswith(exempt_prefixes):
            return None
        key = request.headers.get(HEADER)
        if key is None or g.get("user") is None:
            return None  # anonymous: the view answers 401 itself
        if not KEY_PATTERN.match(key):
            raise ApiError(400, "invalid_idempotency_key", "Idempotency-Key must be 1 to 100 printable characters.")
        replay = _claim(g.user.id, key)
        if replay is None:
            g.idempotency_key = key
        return replay

    @bp.after_request
    def remember(response: Response) -> Response:
        key = g.pop("idempotency_key", None)
        if key is not None:
            _remember(g.user.id, key, response)
        return response


def _claim(user_id: int, key: str) -> Response | None:
    """None when this request now owns the key; otherwise the response to send."""
    now = datetime.now(UTC)
    claimed = db.session.execute(
        insert(IdempotencyKey)
        .values(user_id=user_id, key=key, path=request.path, status_code=IN_PROGRESS, body={})
        .on_conflict_do_nothing().returning(IdempotencyKey.key)
    ).first()
    if claimed is None:
        row = db.session.scalar(
            select(IdempotencyKey).where(IdempotencyKey.user_id == user_id, IdempotencyKey.key == key)
            .with_for_update()
        )
        if row is None:  # deleted between the two statements (a failed first attempt): claim again
            db.session.rollback()
            return _claim(user_id, key)
        if row.path != request.path:
            db.session.rollback()
            raise ApiError(422, "idempotency_key_reused", "This Idempotency-Key was already used for another request.")
        if row.status_code != IN_PROGRESS:
            db.session.rollback()
            response = jsonify(row.body)
            response.status_code = row.status_code
            response.headers["Idempotent-Replayed"] = "true"
            return response
        if row.created_at > now - timedelta(seconds=STALE_SECONDS):
            db.session.rollback()
            response = jsonify(error={"code": "request_in_progress", "message": "The first request with this "
                                      "Idempotency-Key is still running; retry shortly.", "fields": {}})
            response.status_code = 409
            response.headers["Retry-After"] = "1"
            return response
        row.created_at = now
    db.session.commit()
    return None


def _remember(user_id: int, key: str, response: Response) -> None:
    where = (IdempotencyKey.user_id == user_id, IdempotencyKey.key == key)
    try:
        db.session.rollback()
        body = response.get_json(silent=True) if response.is_json else None
        if response.status_code >= 500 or response.status_code == 429 or not isinstance(body, dict | list):
            db.session.execute(delete(IdempotencyKey).where(*where))
        else:
            db.session.execute(update(IdempotencyKey).where(*where).values(status_code=response.status_code, body=body))
        db.session.commit()
    except Exception:  # the response stands; the placeholder goes stale and is taken over
        db.session.rollback()
        log.exception("could not store the idempotent response")
