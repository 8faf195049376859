"""Signed-in sessions for demo users, printed as JSON: `python bench/sessions.py COUNT [FIRST]`.

Each session is started by the app's own `auth.service.login` through its real session interface
(Redis + the user_sessions table), exactly as POST /api/v1/auth/login does after the password
check. Only the argon2 verification is skipped: at about 0.1-0.5 s of CPU per sign-in it would
make a 2,000-user ramp on two cores a password-hashing benchmark. Sign-in itself is still measured:
the locust users sign in through the API (bench/locustfile.py) for a share of the sessions.

Output: [{"user_id", "email", "cookie": "taxdesk_session=...", "csrf"}]. Needs DATABASE_URL,
REDIS_URL and SECRET_KEY of the cluster.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def main() -> None:
    count = int(sys.argv[1])
    first = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    from flask import jsonify
    from flask_wtf.csrf import generate_csrf
    from sqlalchemy import select

    from app import create_app
    from app.auth import service
    from app.extensions import csrf, db
    from app.models import User

    app = create_app()

    @csrf.exempt
    def start_session(user_id: int):
        service.login(db.session.get(User, user_id))
        return jsonify(csrf=generate_csrf())

    app.add_url_rule("/__bench/session/<int:user_id>", view_func=start_session, methods=["POST"])
    emails = [f"demo{i}@taxdesk.test" for i in range(first, first + count)]
    with app.app_context():
        ids = dict(db.session.execute(select(User.email, User.id).where(User.email.in_(emails))).tuples().all())
        db.session.remove()
    missing = [e for e in emails if e not in ids]
    if missing:
        sys.exit(f"no such demo users (run scripts/seed_demo --users {first + count - 1}): {missing[:3]}")
    cookie_name = app.config["SESSION_COOKIE_NAME"]
    out = []
    for email in emails:
        client = app.test_client()
        response = client.post(f"/__bench/session/{ids[email]}", environ_base={"REMOTE_ADDR": "127.0.0.1"})
        if response.status_code != 200:
            sys.exit(f"could not start a session for {email}: {response.status_code} {response.text[:300]}")
        cookie = client.get_cookie(cookie_name)
        out.append({"user_id": ids[email], "email": email, "cookie": f"{cookie_name}={cookie.value}",
                    "csrf": response.get_json()["csrf"]})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
