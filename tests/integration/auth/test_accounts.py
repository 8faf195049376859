"""Accounts over the JSON API and pages: register, sign in, sign out, reset, throttling."""
from __future__ import annotations

import email
import email.policy

from tests.conftest import PASSWORD, Api, wait_for


def test_a_new_user_registers_and_signs_in(client):
    api = Api(client)
    r = api.post("/api/v1/auth/register", json={"email": "New@Example.com", "password": PASSWORD, "name": "New"})
    assert r.status_code == 201
    r = api.post("/api/v1/auth/login", json={"email": "new@example.com", "password": PASSWORD})
    assert r.status_code == 200
    assert api.get("/api/v1/auth/me").get_json()["user"]["email"] == "new@example.com"


def test_registering_a_taken_email_answers_exactly_like_a_new_one(client, make_user):
    make_user("taken@example.com")
    api = Api(client)
    taken = api.post("/api/v1/auth/register", json={"email": "taken@example.com", "password": PASSWORD, "name": "X"})
    fresh = api.post("/api/v1/auth/register", json={"email": "fresh@example.com", "password": PASSWORD, "name": "X"})
    assert (taken.status_code, taken.get_json()) == (fresh.status_code, fresh.get_json())


def test_registration_rejects_bad_fields_with_messages(client):
    r = Api(client).post("/api/v1/auth/register", json={"email": "nope", "password": "short", "name": ""})
    assert r.status_code == 422
    assert set(r.get_json()["error"]["fields"]) == {"email", "password", "name"}


def test_wrong_password_is_401_and_unknown_email_looks_the_same(client, make_user):
    make_user("asha@example.com")
    api = Api(client)
    wrong = api.post("/api/v1/auth/login", json={"email": "asha@example.com", "password": "not the password"})
    unknown = api.post("/api/v1/auth/login", json={"email": "nobody@example.com", "password": "not the password"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.get_json()["error"]["message"] == unknown.get_json()["error"]["message"]


def test_five_failures_lock_the_account_with_429_and_retry_after(client, make_user):
    make_user("asha@example.com")
    api = Api(client)
    codes = [api.post("/api/v1/auth/login", json={"email": "asha@example.com", "password": "bad"}).status_code
             for _ in range(5)]
    assert codes == [401, 401, 401, 401, 429]
    locked = api.post("/api/v1/auth/login", json={"email": "asha@example.com", "password": PASSWORD})
    assert locked.status_code == 429
    assert 1 <= int(locked.headers["Retry-After"]) <= 60


def test_logout_ends_the_server_session(api):
    assert api.get("/api/v1/auth/me").status_code == 200
    assert api.post("/api/v1/auth/logout").status_code == 200
    assert api.get("/api/v1/auth/me").status_code == 401


def test_password_reset_mail_link_works_once(client, make_user, worker, var_dir):
    make_user("asha@example.com")
    page = client.get("/password/forgot")
    token = page.get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
    client.post("/password/forgot", data={"email": "asha@example.com", "csrf_token": token})
    mail = wait_for(lambda: list((var_dir / "mail").glob("*password_reset.eml")), 30, message="reset email")
    text = email.message_from_bytes(mail[0].read_bytes(), policy=email.policy.default).get_content()
    link = next(line for line in text.splitlines() if "/password/reset/" in line)
    path = link[link.index("/password/reset/"):]
    form = client.get(path).get_data(as_text=True)
    token = form.split('name="csrf_token" value="')[1].split('"')[0]
    first = client.post(path, data={"password": "a brand new password", "csrf_token": token})
    assert first.status_code == 302
    again = client.post(path, data={"password": "yet another password", "csrf_token": token})
    assert again.status_code == 400
