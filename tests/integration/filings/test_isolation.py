"""Nobody but the owner (or a preparer they share with) learns that a return exists: 404 everywhere."""
from __future__ import annotations

import pytest

from .conftest import ACCOUNT

API_ROUTES = [
    ("GET", "/api/v1/filings/{filing}"),
    ("PATCH", "/api/v1/filings/{filing}"),
    ("DELETE", "/api/v1/filings/{filing}"),
    ("POST", "/api/v1/filings/{filing}/compute"),
    ("POST", "/api/v1/filings/{filing}/ready"),
    ("GET", "/api/v1/filings/{filing}/history"),
    ("GET", "/api/v1/filings/{filing}/family-members"),
    ("POST", "/api/v1/filings/{filing}/family-members"),
    ("DELETE", "/api/v1/filings/{filing}/family-members/{member}"),
    ("GET", "/api/v1/filings/{filing}/foreign-assets"),
    ("POST", "/api/v1/filings/{filing}/foreign-assets"),
    ("DELETE", "/api/v1/filings/{filing}/foreign-assets/{asset}"),
    ("GET", "/api/v1/filings/{filing}/grants"),
    ("POST", "/api/v1/filings/{filing}/grants"),
    ("DELETE", "/api/v1/filings/{filing}/grants/{grant}"),
    ("GET", "/api/v1/filings/{filing}/bank-accounts"),
    ("POST", "/api/v1/filings/{filing}/bank-accounts"),
    ("POST", "/api/v1/bank-accounts/{account}/refund"),
    ("DELETE", "/api/v1/bank-accounts/{account}"),
    ("GET", "/api/v1/jobs/{job}"),
]
SECTIONS = ["personal", "salary", "house-property", "other-sources", "capital-gains", "deductions", "taxes-paid",
            "family", "bank-accounts", "foreign-assets", "computation", "history", "sharing"]
PAGE_GETS = ["/filings/{filing}", "/filings/{filing}/computation?partial=1", "/filings/{filing}/computation/sheet",
             *[f"/filings/{{filing}}/{s}" for s in SECTIONS]]
PAGE_POSTS = [
    *[f"/filings/{{filing}}/{s}" for s in SECTIONS[:7]],
    "/filings/{filing}/family/add", "/filings/{filing}/family/{member}/remove",
    "/filings/{filing}/foreign-assets/add", "/filings/{filing}/foreign-assets/{asset}/remove",
    "/filings/{filing}/bank-accounts/add", "/filings/{filing}/bank-accounts/{account}/refund",
    "/filings/{filing}/bank-accounts/{account}/remove", "/filings/{filing}/computation", "/filings/{filing}/regime",
    "/filings/{filing}/ready", "/filings/{filing}/sharing/add", "/filings/{filing}/sharing/{grant}/revoke",
]
BODY = {"assessment_year": "2026-27", "input": {"taxes_paid": {"tds_salary": 1}}, "name": "X", "relation": "child",
        "country_code": "US", "asset_type": "trust", "institution": "X", "peak_value": 1, "closing_value": 1,
        "email": "ravi@example.com", **ACCOUNT}


@pytest.fixture
def mine(api, api_for, filled_filing, sql, worker, wait_job):
    """A return of Asha's with one of everything, shared with a preparer, computed; and Ravi, a stranger to it."""
    filing_id = filled_filing(api)
    api_for("ca@example.com", role="preparer")
    ids = {
        "filing": filing_id,
        "member": api.post(f"/api/v1/filings/{filing_id}/family-members",
                           json={"name": "Kabir", "relation": "child"}).get_json()["id"],
        "asset": api.post(f"/api/v1/filings/{filing_id}/foreign-assets",
                          json={"country_code": "US", "asset_type": "trust", "institution": "T",
                                "peak_value": 1, "closing_value": 1}).get_json()["id"],
        "grant": api.post(f"/api/v1/filings/{filing_id}/grants", json={"email": "ca@example.com"}).get_json()["id"],
        "account": api.post("/api/v1/bank-accounts", json=ACCOUNT).get_json()["id"],
        "job": api.post(f"/api/v1/filings/{filing_id}/compute").get_json()["job_id"],
    }
    wait_job(ids["job"])  # so the worker's own writes cannot pass for a stranger's
    state = lambda: (sql("SELECT * FROM filings ORDER BY id"), sql("SELECT * FROM income_items ORDER BY id"),  # noqa: E731
                     sql("SELECT * FROM family_members ORDER BY id"), sql("SELECT * FROM foreign_assets ORDER BY id"),
                     sql("SELECT * FROM filing_grants ORDER BY id"), sql("SELECT * FROM bank_accounts ORDER BY id"),
                     sql("SELECT count(*) FROM audit_logs"), sql("SELECT count(*) FROM jobs"))
    return ids, state


@pytest.mark.parametrize(("method", "route"), API_ROUTES)
def test_another_user_gets_404_from_every_filings_api_route(mine, other_api, method, route):
    ids, state = mine
    before = state()
    r = other_api._call(method, route.format(**ids), json=BODY)
    assert r.status_code == 404, (route, r.get_json())
    assert r.get_json()["error"]["code"] == "not_found"
    assert state() == before


@pytest.mark.parametrize("route", PAGE_GETS)
def test_another_user_gets_404_from_every_filings_page(mine, other_api, route):
    ids, _ = mine
    r = other_api.get(route.format(**ids))
    assert r.status_code == 404
    assert b"Asha" not in r.data and b"ABCPV1234F" not in r.data


@pytest.mark.parametrize("route", PAGE_POSTS)
def test_another_user_gets_404_from_every_filings_form(mine, other_api, route):
    ids, state = mine
    before = state()
    r = other_api._call("POST", route.format(**ids), data={k: str(v) for k, v in BODY.items() if k != "input"})
    assert r.status_code == 404
    assert state() == before


def test_a_preparer_gets_404_from_the_owner_only_routes_of_a_shared_return(mine, api_for):
    ids, state = mine
    preparer = api_for("other-ca@example.com", role="preparer")
    preparer.login("ca@example.com")
    before = state()
    for method, route in [("GET", "/api/v1/filings/{filing}/grants"), ("POST", "/api/v1/filings/{filing}/grants"),
                          ("DELETE", "/api/v1/filings/{filing}/grants/{grant}"), ("DELETE", "/api/v1/filings/{filing}"),
                          ("GET", "/filings/{filing}/sharing")]:
        assert preparer._call(method, route.format(**ids), json=BODY).status_code == 404, route
    assert state() == before


def test_another_users_own_year_page_shows_their_own_return_not_mine(mine, other_api):
    r = other_api.get("/filings/2026-27")
    assert r.status_code == 200
    assert b"Start this return" in r.data and b"ABCPV1234F" not in r.data


@pytest.mark.parametrize(("method", "route"), [*API_ROUTES, ("GET", "/api/v1/filings"), ("POST", "/api/v1/filings"),
                                               ("GET", "/api/v1/bank-accounts"), ("POST", "/api/v1/bank-accounts")])
def test_anonymous_callers_get_401_from_the_api(mine, app, method, route):
    ids, _ = mine
    with app.test_client() as anonymous:
        r = anonymous.open(route.format(**ids), method=method, json=BODY)
    assert r.status_code in (401, 400)  # 400: an unsafe method without a CSRF token is refused first
    if method == "GET":
        assert r.status_code == 401


@pytest.mark.parametrize("route", [*PAGE_GETS, "/filings/2026-27", "/filings/2026-27/salary"])
def test_anonymous_visitors_are_sent_to_sign_in(mine, app, route):
    ids, _ = mine
    with app.test_client() as anonymous:
        r = anonymous.get(route.format(**ids))
    assert r.status_code == 302
    assert "/login" in r.headers["Location"]
