"""Sessions and sign-in under attack: fixation, CSRF, cookie flags, logout, password-reset tokens,
brute force, account enumeration."""
from __future__ import annotations

import email
import re
import statistics
import time

import pytest
from sqlalchemy import func, select

from tests.conftest import PASSWORD, Api, wait_for


def _form_token(client, path: str) -> str:
    html = client.get(path).get_data(as_text=True)
    return html.split('name="csrf_token" value="')[1].split('"')[0]


def _cookie(client) -> str:
    return client.get_cookie("taxdesk_session").value


def _from(app, ip: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = ip
    return client


# --- fixation and logout -----------------------------------------------------------------------

@pytest.mark.parametrize("how", ["form", "api"])
def test_a_session_id_planted_before_sign_in_is_useless_after_it(client, make_user, how):
    make_user("asha@example.com")
    api = Api(client)
    planted = _cookie(client)
    if how == "form":
        token = _form_token(client, "/login")
        assert client.post("/login", data={"email": "asha@example.com", "password": PASSWORD,
                                           "csrf_token": token}).status_code == 302
    else:
        api.login("asha@example.com")
    assert _cookie(client) != planted
    client.set_cookie("taxdesk_session", planted)
    assert client.get("/api/v1/auth/me").status_code == 401


def test_signing_out_ends_the_session_on_the_server_not_just_in_the_browser(app, api, redis_server):
    import redis

    from app.extensions import db
    from app.models import UserSession
    from app.services.sessions import session_hash

    stolen = _cookie(api.client)
    key = session_hash(stolen)
    assert db.session.get(UserSession, key) is not None
    assert api.post("/api/v1/auth/logout").status_code == 200
    thief = app.test_client()
    thief.set_cookie("taxdesk_session", stolen)
    assert thief.get("/api/v1/auth/me").status_code == 401
    assert thief.get("/settings").status_code == 302
    db.session.expire_all()
    assert db.session.get(UserSession, key) is None
    assert not [k for k in redis.Redis.from_url(redis_server.url).keys("*") if key.encode() in k]


def test_signing_out_through_the_form_ends_the_session_too(app, api):
    stolen = _cookie(api.client)
    token = _form_token(api.client, "/settings")
    assert api.client.post("/logout", data={"csrf_token": token}).status_code == 302
    thief = app.test_client()
    thief.set_cookie("taxdesk_session", stolen)
    assert thief.get("/api/v1/auth/me").status_code == 401


# --- CSRF ------------------------------------------------------------------------------------------

def test_json_and_form_posts_without_a_valid_csrf_token_are_refused_and_change_nothing(app, api, other_api):
    from app.extensions import db
    from app.models import ServiceTicket

    attempts = [
        api.client.post("/api/v1/tickets", json={"subject": "x", "body": "y"}),
        api.client.post("/api/v1/tickets", json={"subject": "x", "body": "y"}, headers={"X-CSRFToken": "forged"}),
        api.client.post("/api/v1/tickets", json={"subject": "x", "body": "y"}, headers={"X-CSRFToken": other_api.token}),
        api.client.post("/tickets/new", data={"subject": "x", "body": "y"}),
        api.client.post("/tickets/new", data={"subject": "x", "body": "y", "csrf_token": other_api.token}),
        api.client.post("/settings/profile", data={"name": "Changed", "csrf_token": "forged"}),
        api.client.post("/logout", data={}),
    ]
    assert [r.status_code for r in attempts] == [400] * len(attempts)
    assert db.session.scalar(select(func.count()).select_from(ServiceTicket)) == 0
    assert api.get("/api/v1/auth/me").get_json()["user"]["name"] == "Asha"


def test_a_cross_site_form_cannot_sign_a_victim_in_to_the_attackers_account(client, make_user):
    make_user("attacker@example.com")
    r = client.post("/login", data={"email": "attacker@example.com", "password": PASSWORD})
    assert r.status_code == 400
    assert client.get("/api/v1/auth/me").status_code == 401


# --- cookies and headers ---------------------------------------------------------------------------

def test_the_session_cookie_is_http_only_and_same_site(client, make_user):
    make_user("asha@example.com")
    api = Api(client)
    r = api.post("/api/v1/auth/login", json={"email": "asha@example.com", "password": PASSWORD})
    cookie = next(v for v in r.headers.getlist("Set-Cookie") if v.startswith("taxdesk_session="))
    flags = {part.strip().split("=")[0].lower(): part.strip() for part in cookie.split(";")[1:]}
    assert "httponly" in flags
    assert flags["samesite"].lower() == "samesite=lax"
    assert flags["path"] == "Path=/"


def test_pages_forbid_inline_scripts_and_framing_and_send_hsts_only_over_https(app, api):
    for path in ("/login", "/register", "/password/forgot", "/documents", "/api/v1/auth/me", "/no-such-page"):
        r = api.get(path)
        csp = r.headers["Content-Security-Policy"]
        directives = dict((d.strip().split(" ", 1) + [""])[:2] for d in csp.split(";") if d.strip())
        assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp, (path, csp)
        assert directives["frame-ancestors"] == "'none'"
        assert directives["script-src"] == "'self'" and directives["object-src"] == "'none'"
        assert r.headers["X-Frame-Options"] == "DENY"
        assert r.headers["X-Content-Type-Options"] == "nosniff"
        assert "Strict-Transport-Security" not in r.headers
    secure = app.test_client().get("/login", base_url="https://taxdesk.example")
    hsts = secure.headers["Strict-Transport-Security"]
    assert int(re.search(r"max-age=(\d+)", hsts).group(1)) >= 31536000


# --- password reset ----------------------------------------------------------------------------------

def _reset_link(var_dir, since: float) -> str:
    def newest():
        mails = [p for p in (var_dir / "mail").glob("*password_reset*.eml") if p.stat().st_mtime >= since]
        return max(mails, key=lambda p: p.stat().st_mtime) if mails else None

    path = wait_for(newest, 60, message="the password reset mail")
    message = email.message_from_bytes(path.read_bytes())
    body = "".join(part.get_payload(decode=True).decode() for part in message.walk() if not part.is_multipart())
    return re.search(r"https?://[^\s\"<>]+/password/reset/([A-Za-z0-9._\-]+)", body).group(0)


def test_a_password_reset_link_works_once(app, client, make_user, worker, var_dir):
    make_user("asha@example.com")
    since = time.time() - 1
    token = _form_token(client, "/password/forgot")
    assert client.post("/password/forgot", data={"email": "asha@example.com", "csrf_token": token}).status_code == 302
    path = "/password/reset/" + _reset_link(var_dir, since).rsplit("/password/reset/", 1)[1]
    form = _form_token(client, path)
    r = client.post(path, data={"password": "a brand new passphrase", "csrf_token": form})
    assert r.status_code == 302
    again = client.post(path, data={"password": "the attackers passphrase", "csrf_token": form})
    assert again.status_code == 400
    Api(client).login("asha@example.com", "a brand new passphrase")


def test_a_password_reset_link_expires_after_an_hour(app, client, make_user, monkeypatch):
    import itsdangerous.timed

    from app.auth import service

    user = make_user("asha@example.com")
    real = time.time
    with app.test_request_context():
        monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: real() - service.RESET_MAX_AGE - 5)
        old = service.reset_token(user)
        monkeypatch.setattr(itsdangerous.timed.time, "time", real)
    form = _form_token(client, "/password/forgot")
    r = client.post(f"/password/reset/{old}", data={"password": "a brand new passphrase", "csrf_token": form})
    assert r.status_code == 400
    forged = client.post("/password/reset/" + old[:-4] + "AAAA", data={"password": "x" * 12, "csrf_token": form})
    assert forged.status_code == 400
    Api(client).login("asha@example.com")


def test_signing_in_with_a_new_password_ends_sessions_opened_before_the_reset(app, make_user):
    from app.auth import service

    user = make_user("asha@example.com")
    laptop = Api(app.test_client())
    laptop.login("asha@example.com")
    with app.test_request_context():
        token = service.reset_token(user)
    client = app.test_client()
    form = _form_token(client, "/password/forgot")
    assert client.post(f"/password/reset/{token}", data={"password": "a brand new passphrase",
                                                         "csrf_token": form}).status_code == 302
    assert laptop.get("/api/v1/auth/me").status_code == 401


# --- brute force -----------------------------------------------------------------------------------

def _login(app, ip: str, email_: str, password: str):
    api = Api(_from(app, ip))
    return api.post("/api/v1/auth/login", json={"email": email_, "password": password})


def test_guessing_one_accounts_password_is_locked_out_with_growing_delays(app, make_user, redis_server):
    import redis

    from app.auth import throttle

    make_user("asha@example.com")
    cfg = app.config["TAXDESK"]
    codes = [_login(app, f"10.1.0.{i}", "asha@example.com", "wrong password!").status_code
             for i in range(cfg.login_account_threshold)]
    assert codes == [401] * (cfg.login_account_threshold - 1) + [429]
    locked = _login(app, "10.1.1.1", "asha@example.com", PASSWORD)  # even the right password, from anywhere
    assert locked.status_code == 429
    first = int(locked.headers.get("Retry-After") or locked.get_json()["error"]["message"].split()[-2])
    assert 0 < first <= cfg.login_lock_seconds
    # The lock runs out (simulated): the next failure locks for twice as long.
    redis.Redis.from_url(redis_server.url).delete(throttle.key_for("acct", "asha@example.com") + ":lock")
    again = _login(app, "10.1.2.1", "asha@example.com", "wrong again!!")
    assert again.status_code == 429
    assert cfg.login_lock_seconds < int(again.get_json()["error"]["message"].split()[-2]) <= 2 * cfg.login_lock_seconds


def test_one_address_guessing_many_accounts_is_locked_out(app, make_user):
    make_user("asha@example.com")
    cfg = app.config["TAXDESK"]
    codes = [_login(app, "10.2.0.1", f"user{i}@example.com", "wrong password!").status_code
             for i in range(cfg.login_ip_threshold)]
    assert codes[-1] == 429 and set(codes[:-1]) == {401}
    assert _login(app, "10.2.0.1", "asha@example.com", PASSWORD).status_code == 429
    assert _login(app, "10.2.0.2", "asha@example.com", PASSWORD).status_code == 200


# --- enumeration -----------------------------------------------------------------------------------

def _strip(body: dict) -> dict:
    body.get("error", {}).pop("request_id", None)
    return body


def test_login_register_and_reset_answer_alike_whether_or_not_the_account_exists(app, make_user):
    make_user("asha@example.com")
    wrong = _login(app, "10.3.0.1", "asha@example.com", "wrong password!")
    unknown = _login(app, "10.3.0.2", "nobody@example.com", "wrong password!")
    assert (wrong.status_code, _strip(wrong.get_json())) == (unknown.status_code, _strip(unknown.get_json()))

    def register(email_):
        api = Api(_from(app, "10.3.1.1"))
        return api.post("/api/v1/auth/register", json={"email": email_, "password": PASSWORD, "name": "X"})

    taken, fresh = register("asha@example.com"), register("new@example.com")
    assert (taken.status_code, taken.get_json()) == (fresh.status_code, fresh.get_json())

    def forgot(email_):
        client = _from(app, "10.3.2.1")
        token = _form_token(client, "/password/forgot")
        r = client.post("/password/forgot", data={"email": email_, "csrf_token": token}, follow_redirects=True)
        return r.status_code, re.sub(r'(value|content)="[^"]*"', "", r.get_data(as_text=True))

    assert forgot("asha@example.com") == forgot("nobody@example.com")

    def form_register(email_):
        client = _from(app, "10.3.3.1")
        token = _form_token(client, "/register")
        r = client.post("/register", data={"email": email_, "password": PASSWORD, "name": "X", "csrf_token": token},
                        follow_redirects=True)
        return r.status_code, re.sub(r'(value|content)="[^"]*"', "", r.get_data(as_text=True))

    assert form_register("asha@example.com") == form_register("another@example.com")


def test_login_takes_as_long_for_an_unknown_account_as_for_a_wrong_password(app, make_user):
    make_user("asha@example.com")

    def timed(i: int, email_: str) -> float:
        api = Api(_from(app, f"10.4.{i}.1"))
        start = time.perf_counter()
        r = api.post("/api/v1/auth/login", json={"email": email_, "password": "wrong password!"})
        assert r.status_code == 401
        return time.perf_counter() - start

    known, unknown = [], []
    for i in range(4):  # interleaved, so load on the machine hits both alike; under the account threshold
        known.append(timed(i, "asha@example.com"))
        unknown.append(timed(i + 100, f"nobody{i}@example.com"))
    a, b = statistics.median(known), statistics.median(unknown)
    assert abs(a - b) < 0.5 * max(a, b), (known, unknown)
