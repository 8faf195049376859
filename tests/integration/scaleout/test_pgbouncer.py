"""The app behind PgBouncer in transaction pooling mode (DB_PGBOUNCER=true)."""
from __future__ import annotations

import dataclasses

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from app.extensions import Database


def _database(app, url: str, **changes) -> Database:
    config = dataclasses.replace(app.config["TAXDESK"], database_url=url, database_read_url=None, **changes)
    database = Database()
    database.configure(config)
    return database


def test_a_user_request_through_pgbouncer_runs_with_the_statement_timeout(app, pgbouncer_url):
    database = _database(app, pgbouncer_url, db_pgbouncer=True, db_statement_timeout_ms=1500)
    try:
        for _ in range(20):  # many transactions, each on whichever server connection is free
            with database.transaction() as s:
                assert s.execute(text("SHOW statement_timeout")).scalar() == "1500ms"
                assert s.execute(text("SELECT count(*) FROM users")).scalar() >= 0
    finally:
        database.session.remove()
        database.engine.dispose()


def test_a_runaway_query_through_pgbouncer_is_cancelled_by_the_timeout(app, pgbouncer_url):
    database = _database(app, pgbouncer_url, db_pgbouncer=True, db_statement_timeout_ms=200)
    try:
        with pytest.raises(OperationalError) as raised, database.transaction() as s:
            s.execute(text("SELECT pg_sleep(2)"))
        assert isinstance(raised.value.orig, psycopg.errors.QueryCanceled)
        with database.transaction() as s:  # the pooled connection is fine afterwards
            assert s.execute(text("SELECT 1")).scalar() == 1
    finally:
        database.session.remove()
        database.engine.dispose()


def test_pgbouncer_refuses_the_startup_options_the_direct_mode_sends(app, pgbouncer_url):
    database = _database(app, pgbouncer_url, db_pgbouncer=False)
    try:
        with pytest.raises(OperationalError, match="unsupported startup parameter"), database.engine.connect():
            pass
    finally:
        database.engine.dispose()


def test_the_engine_behind_pgbouncer_never_prepares_statements_on_the_server(app, pgbouncer_url):
    database = _database(app, pgbouncer_url, db_pgbouncer=True)
    try:
        for _ in range(10):  # psycopg prepares after 5 runs by default: the next transaction's server may not know it
            with database.transaction() as s:
                s.execute(text("SELECT id FROM users WHERE email = :e"), {"e": "nobody@example.com"}).all()
                assert s.connection().connection.dbapi_connection.prepare_threshold is None
    finally:
        database.session.remove()
        database.engine.dispose()
