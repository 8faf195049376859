"""Read-only pages on the replica (DATABASE_READ_URL), with read-your-writes for the user who wrote."""
from __future__ import annotations

import dataclasses

import pytest
from flask import g
from sqlalchemy import text

from app.extensions import WROTE_PREFIX, Database, db, redis_store
from app.models import User
from tests.conftest import wait_for

IN_RECOVERY = text("SELECT pg_is_in_recovery()")


@pytest.fixture
def routed(app, clean_state, replica, database_url):
    """The app's `db` with the replica configured (staleness bound 1 s), restored afterwards."""
    config = app.config["TAXDESK"]
    db.configure(dataclasses.replace(config, database_read_url=replica.url("taxdesk"), db_read_max_lag_seconds=1.0))
    db._replica_ok_until = db._replica_down_until = 0.0
    yield db
    db.session.remove()
    db.read_engine.dispose()
    db.configure(config)


def _on_replica(database: Database, user_id: int | None) -> bool:
    with database.reader(user_id) as s:
        return s.execute(IN_RECOVERY).scalar()


def test_a_user_who_has_not_written_reads_from_the_replica(app, routed, make_user):
    user = make_user("reader@example.com")
    with app.test_request_context():
        assert _on_replica(routed, user.id)


def test_a_user_reads_their_own_write_from_the_primary_until_the_bound_passes(app, routed, make_user, redis_server):
    user = make_user("writer@example.com")
    with app.test_request_context():
        g.user = user
        with routed.transaction() as s:
            s.get(User, user.id).name = "Asha Writer"
        assert not _on_replica(routed, user.id)  # same request
    with app.test_request_context():  # the next request, on any host: the Redis marker
        assert not _on_replica(routed, user.id)
        with routed.reader(user.id) as s:
            assert s.get(User, user.id).name == "Asha Writer"
    assert redis_store().client.ttl(WROTE_PREFIX + str(user.id)) <= 1
    with app.test_request_context():
        wait_for(lambda: _on_replica(routed, user.id), timeout=5, message="reads back on the replica")
        with routed.reader(user.id) as s:  # and the replica has the write by then
            assert s.get(User, user.id).name == "Asha Writer"


def test_another_users_write_does_not_send_me_to_the_primary(app, routed, make_user):
    me = make_user("me@example.com")
    other = make_user("other@example.com")
    with app.test_request_context():
        g.user = other
        with routed.transaction() as s:
            s.get(User, other.id).name = "Other Writer"
    with app.test_request_context():
        assert _on_replica(routed, me.id)
        assert not _on_replica(routed, other.id)


def test_a_user_reads_from_the_primary_while_the_replica_is_down(app, routed, make_user, replica):
    user = make_user("down@example.com")
    replica.stop()
    try:
        with app.test_request_context():
            routed._replica_ok_until = 0.0
            assert not _on_replica(routed, user.id)
    finally:
        replica.server.start()
        routed._replica_down_until = 0.0
        routed.read_engine.dispose()


def test_a_lagging_replica_is_skipped(app, routed, make_user, replica, pg_server):
    user = make_user("lag@example.com")
    replica.server.psql("SELECT pg_wal_replay_pause()")
    try:
        pg_server.psql("UPDATE users SET name = name || '.' ", database="taxdesk")
        with app.test_request_context():
            routed._replica_ok_until = 0.0

            def skipped() -> bool:
                routed._replica_ok_until = routed._replica_down_until = 0.0
                return not _on_replica(routed, user.id)

            wait_for(skipped, timeout=10, interval=0.2, message="replica skipped once it lags more than 1 s")
    finally:
        replica.server.psql("SELECT pg_wal_replay_resume()")
        routed._replica_down_until = 0.0


def test_a_returns_history_is_read_from_the_replica_except_right_after_its_owner_wrote(api, routed):
    from sqlalchemy import event

    filing_id = api.post("/api/v1/filings", json={"assessment_year": "2026-27"}).get_json()["id"]
    on_replica: list[str] = []
    event.listen(routed.read_engine, "before_cursor_execute",
                 lambda conn, cursor, statement, *rest: on_replica.append(statement))

    def history_read_on_replica() -> bool:
        on_replica.clear()
        assert api.get(f"/api/v1/filings/{filing_id}/history").status_code == 200
        return any("audit_logs" in statement for statement in on_replica)

    wait_for(history_read_on_replica, timeout=10, interval=0.2, message="the history read from the replica")
    assert api.patch(f"/api/v1/filings/{filing_id}", json={"regime": "old"}).status_code == 200
    assert not history_read_on_replica()  # the owner's next read sees their write, from the primary
    page = api.client.get(f"/filings/{filing_id}/history")
    assert page.status_code == 200 and not any("audit_logs" in statement for statement in on_replica)
