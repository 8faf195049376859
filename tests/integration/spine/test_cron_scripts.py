"""Cron scripts: cleanup and report, dry run and real, with one summary line and exit codes."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from tests.conftest import ROOT


def _script(app_env, name: str, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "scripts" / name), *args], env={**os.environ, **app_env, **(env or {})},
                          capture_output=True, text=True, timeout=60)


def _seed_garbage(make_user, var_dir):
    from app.extensions import db
    from app.models import Job, Notification, UserSession

    user = make_user("asha@example.com")
    long_ago = datetime.now(UTC) - timedelta(days=400)
    db.session.add(UserSession(id="e" * 64, user_id=user.id, data=b"x", expires_at=long_ago))
    db.session.add(UserSession(id="f" * 64, user_id=user.id, data=b"x", expires_at=datetime.now(UTC) + timedelta(days=1)))
    db.session.add(Job(id="00000000-0000-0000-0000-000000000001", user_id=user.id, kind="compute", queue="tax",
                       status="finished", updated_at=long_ago, created_at=long_ago))
    db.session.add(Notification(user_id=user.id, kind="x", title="old", read_at=long_ago, created_at=long_ago))
    db.session.add(Notification(user_id=user.id, kind="x", title="unread and old", created_at=long_ago))
    db.session.commit()
    orphan = var_dir / "uploads" / "ab" / "cd" / ("ab" + "0" * 62)
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(b"orphan")
    old = time.time() - 7200
    os.utime(orphan, (old, old))
    return orphan


def _counts():
    from app.extensions import db
    from app.models import Job, Notification, UserSession

    db.session.rollback()
    return [db.session.scalar(select(func.count()).select_from(m)) for m in (UserSession, Job, Notification)]


def test_cleanup_dry_run_reports_and_deletes_nothing(app_env, make_user, var_dir):
    orphan = _seed_garbage(make_user, var_dir)
    result = _script(app_env, "cleanup", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "cleanup: would delete 1 sessions, 1 jobs, 1 notifications, 1 uploads"
    assert _counts() == [2, 1, 2] and orphan.exists()


def test_cleanup_deletes_expired_and_old_rows_and_orphaned_files(app_env, make_user, var_dir):
    orphan = _seed_garbage(make_user, var_dir)
    result = _script(app_env, "cleanup")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "cleanup: deleted 1 sessions, 1 jobs, 1 notifications, 1 uploads"
    assert _counts() == [1, 0, 1] and not orphan.exists()


def test_cleanup_exits_1_when_the_database_is_unreachable(app_env):
    result = _script(app_env, "cleanup", env={"DATABASE_URL": "postgresql+psycopg://x@127.0.0.1:1/none"})
    assert result.returncode == 1 and "cannot reach the database" in result.stderr


def test_report_prints_counts_cache_ratio_sizes_and_redis_memory(app_env, make_user):
    make_user("asha@example.com")
    result = _script(app_env, "report")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[-1].startswith("report: 1 new users")
    assert any(line.startswith("table_bytes:") and '"users"' in line for line in lines)
    assert any(line.startswith("buffer_cache_hit_pct:") for line in lines)
