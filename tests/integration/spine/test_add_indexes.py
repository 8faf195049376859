"""scripts/add_indexes: dry run changes nothing, a real run creates every index, a second run is a no-op."""
from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import ROOT


def _run(pg_server, *args: str) -> str:
    env = {**os.environ, "DATABASE_URL": pg_server.url("indexes")}
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "add_indexes"), *args], env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_add_indexes_is_idempotent_and_honours_dry_run(pg_server):
    pg_server.psql("CREATE DATABASE indexes")
    env = {**os.environ, "DATABASE_URL": pg_server.url("indexes")}
    subprocess.run([sys.executable, str(ROOT / "scripts" / "migrate")], env=env, check=True, capture_output=True)
    count = "SELECT count(*) FROM pg_indexes WHERE indexname LIKE 'ix_%'"
    before = int(pg_server.psql(count, "indexes"))
    assert "would create 13" in _run(pg_server, "--dry-run")
    assert int(pg_server.psql(count, "indexes")) == before
    assert "created 13, already present 0" in _run(pg_server)
    assert "created 0, already present 13" in _run(pg_server)
    invalid = pg_server.psql("SELECT count(*) FROM pg_index WHERE NOT indisvalid", "indexes")
    assert int(invalid) == 0
