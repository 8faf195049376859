"""The shared load scenario: a taxpayer signs in, opens the dashboard, edits the return, computes it,
polls the job and reads notifications, with 1-3 s between actions.

Users are demo1..N@taxdesk.test / demo-password-123 (scripts/seed_demo). When LOCUST_SESSIONS names
a JSON file of signed-in sessions (bench/sessions.py: cookie, csrf, filing_id), each simulated user
takes the next one, and only a share (LOCUST_SIGN_IN_SHARE, default 0.02) signs in through
POST /api/v1/auth/login itself: argon2 costs ~0.1 s of CPU per sign-in, so 2,000 users all signing
in within seconds would measure password hashing, not the application. Without the file every
user signs in through the API.

    locust -f bench/locustfile.py --headless -u 1000 -r 50 -t 90s --host http://127.0.0.1:8080
"""
from __future__ import annotations

import itertools
import json
import os
import random

from locust import FastHttpUser, between, task

PASSWORD = "demo-password-123"  # noqa: S105 - scripts/seed_demo's documented credential
SESSIONS = json.load(open(os.environ["LOCUST_SESSIONS"])) if os.environ.get("LOCUST_SESSIONS") else []  # noqa: SIM115
SIGN_IN_SHARE = float(os.environ.get("LOCUST_SIGN_IN_SHARE", "0.02"))
POLL_LIMIT = 15
_numbers = itertools.count()


class Taxpayer(FastHttpUser):
    wait_time = between(1, 3)

    def on_start(self) -> None:
        n = next(_numbers)
        self.headers: dict[str, str] = {}
        self.filing_id: int | None = None
        self.pending_job: str | None = None
        self.polls = 0
        known = SESSIONS[n % len(SESSIONS)] if SESSIONS else None
        if known is not None and random.random() >= SIGN_IN_SHARE:  # noqa: S311 - load mix, not security
            self.headers = {"Cookie": known["cookie"], "X-CSRFToken": known["csrf"]}
            self.filing_id = known.get("filing_id")
        else:
            email = known["email"] if known else f"demo{n + 1}@taxdesk.test"
            token = self.client.get("/api/v1/auth/csrf", name="GET /api/v1/auth/csrf").json()["csrf_token"]
            with self.client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD},
                                  headers={"X-CSRFToken": token}, name="POST /api/v1/auth/login",
                                  catch_response=True) as response:
                if response.status_code != 200:
                    response.failure(f"sign-in {response.status_code}")
                    return
                self.headers = {"X-CSRFToken": response.json()["csrf_token"]}
        if self.filing_id is None:
            response = self.client.get("/api/v1/filings", headers=self.headers, name="GET /api/v1/filings")
            if response.status_code == 200:
                body = response.json()
                items = body.get("filings", []) if isinstance(body, dict) else body
                mine = [f for f in items if f.get("assessment_year") == "2026-27"] or items
                self.filing_id = mine[0]["id"] if mine else None

    @task
    def act(self) -> None:
        if self.pending_job is not None:
            self.poll()
            return
        action = random.choices((self.dashboard, self.notifications, self.edit, self.compute),  # noqa: S311
                                weights=(4, 2, 1, 1))[0]
        action()

    def dashboard(self) -> None:
        with self.client.get("/", headers=self.headers, name="GET /", catch_response=True) as response:
            if response.status_code != 200 or b"Your returns" not in (response.content or b""):
                response.failure(f"dashboard {response.status_code}")

    def notifications(self) -> None:
        self.client.get("/api/v1/notifications", headers=self.headers, name="GET /api/v1/notifications")

    def edit(self) -> None:
        if self.filing_id is None:
            return
        gross = random.randrange(6, 40) * 100_000  # noqa: S311
        salary = {"gross": gross, "basic_da": gross * 2 // 5, "hra_received": gross // 6, "rent_paid": 264_000,
                  "metro": False, "professional_tax": 2400}
        self.client.patch(f"/api/v1/filings/{self.filing_id}", json={"input": {"salary": salary}},
                          headers=self.headers, name="PATCH /api/v1/filings/<id>")

    def compute(self) -> None:
        if self.filing_id is None:
            return
        response = self.client.post(f"/api/v1/filings/{self.filing_id}/compute", json={}, headers=self.headers,
                                    name="POST /api/v1/filings/<id>/compute")
        if response.status_code == 202:
            self.pending_job, self.polls = response.json()["job_id"], 0

    def poll(self) -> None:
        response = self.client.get(f"/api/v1/jobs/{self.pending_job}", headers=self.headers,
                                   name="GET /api/v1/jobs/<id>")
        self.polls += 1
        done = response.status_code == 200 and response.json().get("status") in ("finished", "failed")
        if done or self.polls >= POLL_LIMIT or response.status_code != 200:
            self.pending_job = None
