"""Hostile uploads (corpus.py) through POST /api/v1/documents and a real worker: each is a clean
4xx or a failed document with a reason, the worker survives, and nothing is written outside the
upload store or under a name the uploader chose."""
from __future__ import annotations

import io
import os
from pathlib import Path

from tests.security.corpus import HOSTILE_NAMES, corpus

# Written by the app on its own behalf (mail jobs write .eml files named by the app).
APP_WRITES = ("uploads", "mail")


def var_files(var_dir: Path) -> dict[str, tuple[int, int]]:
    found = {}
    for root, _dirs, files in os.walk(var_dir):
        for name in files:
            path = Path(root) / name
            stat = path.stat()
            found[str(path.relative_to(var_dir))] = (stat.st_size, stat.st_mtime_ns)
    return found


def test_no_hostile_upload_crashes_the_service_or_escapes_the_store(api, worker, wait_job, var_dir, tmp_path, app):
    from app.extensions import db
    from app.models import Document

    samples = corpus(tmp_path / "corpus")
    outside_before = set(os.listdir(var_dir.parent)), set(os.listdir("/tmp"))
    before = var_files(var_dir)
    problems, outcomes = [], {}
    for sample in samples:
        r = api.client.post("/api/v1/documents", headers={"X-CSRFToken": api.token},
                            data={"file": (io.BytesIO(sample.data), sample.filename)}, content_type="multipart/form-data")
        if 400 <= r.status_code < 500:
            error = (r.get_json() or {}).get("error", {})
            if not error.get("message"):
                problems.append(f"{sample.label}: {r.status_code} without an error message")
            outcomes[sample.label] = f"{r.status_code} {error.get('code')}"
            continue
        if r.status_code not in (200, 202):
            problems.append(f"{sample.label}: answered {r.status_code}")
            continue
        body = r.get_json()
        wait_job(body["job_id"], timeout=120)
        db.session.rollback()
        document = db.session.get(Document, body["document_id"], populate_existing=True)
        outcomes[sample.label] = (f"document {document.status}: {document.error or ''} "
                                  f"(type {document.document_type}, fields {sorted(document.fields or {})})")
        inert_and_unread = sample.inert and document.status == "extracted" and not document.fields
        if not inert_and_unread and (document.status != "failed" or not (document.error or "").strip()):
            problems.append(f"{sample.label}: document ended {document.status!r} (error {document.error!r})")
        if not worker.alive():
            problems.append(f"{sample.label}: the worker died\n{worker.output()[-2000:]}")
            break
    assert worker.alive(), worker.output()[-2000:]
    assert api.get("/health").status_code == 200
    print("\n".join(f"{label}: {outcome}" for label, outcome in outcomes.items()))
    assert not problems, "\n".join(problems)

    after = var_files(var_dir)
    changed = sorted(p for p in set(after) | set(before) if after.get(p) != before.get(p)
                     and Path(p).parts[0] not in APP_WRITES)
    assert not changed, f"files changed outside the upload store: {changed}"
    stems = {Path(n.replace("\\", "/")).name.lower() for n in HOSTILE_NAMES} | {s.filename.lower() for s in samples}
    named = [p for p in after if Path(p).name.lower() in stems]
    assert not named, f"files named by the uploader: {named}"
    # Other processes may write beside VAR_DIR and in /tmp meanwhile: only names from the corpus count.
    new_outside = (set(os.listdir(var_dir.parent)) - outside_before[0]) | (set(os.listdir("/tmp")) - outside_before[1])
    assert not [n for n in new_outside if n.lower() in stems], new_outside
    assert not Path("/tmp/taxdesk-traversal.pdf").exists() and not Path("/etc/cron.d/taxdesk-owned").exists()
    assert len(samples) == len(outcomes)
