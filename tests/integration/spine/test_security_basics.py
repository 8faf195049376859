"""CSRF, session fixation, revocation, headers: the spine's promises about sessions."""
from __future__ import annotations

from sqlalchemy import func, select

from tests.conftest import PASSWORD, Api


def _form_token(client, path: str) -> str:
    html = client.get(path).get_data(as_text=True)
    return html.split('name="csrf_token" value="')[1].split('"')[0]


def test_a_json_post_without_the_csrf_header_is_rejected_and_changes_nothing(client, app):
    from app.extensions import db
    from app.models import User

    r = client.post("/api/v1/auth/register", json={"email": "x@example.com", "password": PASSWORD, "name": "X"})
    assert r.status_code == 400
    assert r.get_json()["error"]["code"] == "csrf_failed"
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_a_form_post_with_a_wrong_csrf_token_is_rejected_and_changes_nothing(client, make_user):
    user = make_user("asha@example.com")
    api = Api(client)
    api.login("asha@example.com")
    r = client.post("/settings/profile", data={"name": "Changed", "csrf_token": "forged"})
    assert r.status_code == 400
    from app.extensions import db
    from app.models import User

    db.session.expire_all()
    assert db.session.get(User, user.id).name == "Asha"


def test_signing_in_issues_a_new_session_id_so_a_planted_one_is_useless(client, make_user):
    make_user("asha@example.com")
    token = _form_token(client, "/login")
    planted = client.get_cookie("taxdesk_session").value
    r = client.post("/login", data={"email": "asha@example.com", "password": PASSWORD, "csrf_token": token})
    assert r.status_code == 302
    after = client.get_cookie("taxdesk_session").value
    assert after != planted
    client.set_cookie("taxdesk_session", planted)
    assert client.get("/api/v1/auth/me").status_code == 401


def test_a_revoked_session_is_signed_out_on_its_next_request(app, make_user):
    make_user("asha@example.com")
    laptop, phone = Api(app.test_client()), Api(app.test_client())
    laptop.login("asha@example.com")
    phone.login("asha@example.com")
    page = laptop.client.get("/settings").get_data(as_text=True)
    keys = [chunk.split('"')[0] for chunk in page.split('data-session="')[1:]]
    assert len(keys) == 2
    phone_key = next(k for k in keys if f"/settings/sessions/{k}/revoke" in page)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    r = laptop.client.post(f"/settings/sessions/{phone_key}/revoke", data={"csrf_token": token})
    assert r.status_code == 302
    assert phone.get("/api/v1/auth/me").status_code == 401
    assert laptop.get("/api/v1/auth/me").status_code == 200


def test_another_user_cannot_revoke_my_session(app, make_user):
    make_user("asha@example.com")
    make_user("ravi@example.com")
    asha, ravi = Api(app.test_client()), Api(app.test_client())
    asha.login("asha@example.com")
    ravi.login("ravi@example.com")
    asha_page = asha.client.get("/settings").get_data(as_text=True)
    asha_key = asha_page.split('data-session="')[1].split('"')[0]
    token = _form_token(ravi.client, "/settings")
    assert ravi.client.post(f"/settings/sessions/{asha_key}/revoke", data={"csrf_token": token}).status_code == 404
    assert asha.get("/api/v1/auth/me").status_code == 200


def test_changing_the_password_signs_out_other_sessions_only(app, make_user):
    make_user("asha@example.com")
    laptop, phone = Api(app.test_client()), Api(app.test_client())
    laptop.login("asha@example.com")
    phone.login("asha@example.com")
    token = _form_token(laptop.client, "/settings")
    r = laptop.client.post("/settings/password", data={"current_password": PASSWORD, "new_password": "another long password", "csrf_token": token})
    assert r.status_code == 302
    assert laptop.get("/api/v1/auth/me").status_code == 200
    assert phone.get("/api/v1/auth/me").status_code == 401


def test_pages_carry_security_headers_and_a_csp_without_inline_scripts(client):
    r = client.get("/login")
    csp = r.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert r.headers["X-Frame-Options"] == "DENY"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Referrer-Policy"] == "same-origin"
    assert "<script>" not in r.get_data(as_text=True)
    cookie = r.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_hsts_is_sent_only_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/login").headers
    secure = client.get("/login", headers={"X-Forwarded-Proto": "https"})
    assert "max-age" in secure.headers["Strict-Transport-Security"]


def test_error_pages_show_the_request_id(client):
    r = client.get("/no/such/page", headers={"X-Request-Id": "req-abc123"})
    assert r.status_code == 404
    assert b"req-abc123" in r.data and r.headers["X-Request-Id"] == "req-abc123"


def test_api_errors_are_json_with_code_message_and_fields(client):
    r = client.get("/api/v1/nothing-here")
    assert r.status_code == 404
    assert set(r.get_json()["error"]) >= {"code", "message", "fields"}
