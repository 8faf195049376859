"""The outbox relay: `python -m jobs.relay`. Several may run at once (FOR UPDATE SKIP LOCKED).

Every half second it enqueues committed outbox rows still pending and deletes Redis keys that went
stale while Redis was down (app.services.stale_keys); every few seconds it requeues jobs whose
worker died (its liveness key expired) so they finish on another worker.
"""
from __future__ import annotations

import logging
import signal
import time

from sqlalchemy.exc import OperationalError

log = logging.getLogger("jobs.relay")


def main() -> None:
    from app import create_app
    from app.extensions import db, redis_store
    from app.services import jobs, stale_keys
    from app.services.redis_health import RedisUnavailable

    from .orphans import requeue_orphans

    app = create_app()
    app.app_context().push()
    running = True

    def stop(*_: object) -> None:
        nonlocal running
        running = False

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    last_orphan_check = 0.0
    while running:
        moved = 0
        try:
            moved = jobs.enqueue_pending(db.session)
            stale_keys.delete_noted()
            if time.monotonic() - last_orphan_check > 5 and not redis_store().is_open:
                last_orphan_check = time.monotonic()
                requeue_orphans(db.session)
        except (OperationalError, RedisUnavailable) as exc:
            db.session.rollback()
            log.warning("relay waiting: %s", type(exc).__name__)
            time.sleep(1)
        except Exception:
            db.session.rollback()
            log.exception("relay pass failed")
            time.sleep(1)
        finally:
            db.session.remove()
        if moved:
            log.info("enqueued %d pending job(s)", moved)
        else:
            time.sleep(0.5)


if __name__ == "__main__":
    main()
