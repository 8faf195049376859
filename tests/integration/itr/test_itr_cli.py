"""A preparer exports a stored return from the command line, against the real database."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from app.itr import validate_itr1
from tests.unit.itr.filings import by_id

ROOT = Path(__file__).resolve().parents[3]
CASE = by_id("salaried with HRA, 80C and 80D in the old regime, tax still to pay")


def itr_cli(app_env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app.itr", *args], cwd=ROOT, env={**os.environ, **app_env},
                          capture_output=True, text=True, timeout=120, check=False)


def test_a_preparer_exports_a_ready_return_as_valid_json(api, ready_filing, app_env, tmp_path):
    filing_id = ready_filing(api, CASE)
    done = itr_cli(app_env, "export", str(filing_id))
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert validate_itr1(doc) == []
    path = tmp_path / "itr1.json"
    path.write_text(done.stdout, encoding="utf-8")
    checked = itr_cli(app_env, "validate", str(path))
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_exporting_a_return_that_needs_itr2_lists_the_reason_and_exits_1(api, ready_filing, compute_now, app_env):
    filing_id = ready_filing(api, CASE)
    api.patch(f"/api/v1/filings/{filing_id}", json={"input": {"residential_status": "non_resident"}})
    compute_now(filing_id)
    api.post(f"/api/v1/filings/{filing_id}/ready")
    done = itr_cli(app_env, "export", str(filing_id))
    assert done.returncode == 1
    assert "resident" in (done.stdout + done.stderr).lower()
    assert done.stdout.strip() == "" or not done.stdout.lstrip().startswith("{")


def test_exporting_a_return_that_does_not_exist_exits_1(app_env, client):
    done = itr_cli(app_env, "export", "999999")
    assert done.returncode == 1
    assert "No return with id 999999" in done.stdout + done.stderr
