"""An id beyond its column's range matches no route, like any id that does not exist: never a 500
from PostgreSQL (`integer out of range`), on every route that takes one. (werkzeug answers 405
rather than 404 when the same path has a route for another method: it compares methods before it
converts the id.)"""
from __future__ import annotations

import re

import pytest

BEYOND = {"int": str(2**31), "bigint": str(2**63)}
METHODS = ("GET", "POST", "PATCH", "DELETE")


def routes_with_ids(app) -> list[tuple[str, str]]:
    found = []
    for rule in app.url_map.iter_rules():
        for converter in BEYOND:
            if f"<{converter}:" in rule.rule:
                found += [(method, rule.rule) for method in sorted(rule.methods & set(METHODS))]
    return found


def test_every_kind_of_id_route_is_checked(app):
    rules = {rule for _method, rule in routes_with_ids(app)}
    assert len(rules) > 40 and any("<bigint:" in r for r in rules)


@pytest.mark.parametrize("who", ["owner", "admin"])
def test_ids_beyond_the_column_range_match_no_route(api_for, app, who):
    client = api_for(f"{who}@example.com", role="admin" if who == "admin" else "taxpayer")
    failures = []
    for method, rule in routes_with_ids(app):
        url = re.sub(r"<(int|bigint):[^>]+>", lambda m: BEYOND[m.group(1)], rule)
        url = re.sub(r"<[^>]+>", "2026-27", url)
        response = client._call(method, url, json={})
        if response.status_code not in (404, 405):
            failures.append((method, url, response.status_code))
    assert failures == [], failures


def test_ids_and_cursors_beyond_the_range_in_bodies_and_query_strings_are_clear_answers(api_for):
    preparer = api_for("preparer@example.com", role="preparer")
    taxpayer = api_for("taxpayer@example.com")
    big = 2**40
    r = taxpayer.post("/api/v1/tickets", json={"subject": "HRA", "body": "Please check.", "filing_id": big,
                                               "document_id": big})
    assert r.status_code == 422 and set(r.get_json()["error"]["fields"]) == {"filing_id", "document_id"}
    r = preparer.post("/api/v1/invoices", json={"user_id": big, "filing_id": big,
                                                "items": [{"description": "Filing", "quantity": 1, "rate": 100}]})
    assert r.status_code == 422 and "customer" in r.get_json()["error"]["fields"]
    for who, url in ((taxpayer, f"/api/v1/tickets?before={big}"), (preparer, f"/api/v1/invoices?before={big}"),
                     (taxpayer, f"/api/v1/notifications?before={2**70}"), (taxpayer, f"/tickets?before={big}"),
                     (preparer, f"/invoices?before={big}"), (taxpayer, f"/notifications?before={2**70}")):
        assert who.get(url).status_code == 200, url  # a cursor beyond every id excludes nothing


def test_a_return_reference_beyond_the_range_and_an_assignee_beyond_it_are_clear_answers(api_for):
    admin = api_for("admin@example.com", role="admin")
    taxpayer = api_for("taxpayer@example.com")
    assert taxpayer.client.get(f"/filings/{2**40}").status_code == 404
    assert taxpayer.client.get(f"/filings/{2**40}/computation").status_code == 404
    ticket = taxpayer.post("/api/v1/tickets", json={"subject": "HRA", "body": "Please check."}).get_json()
    r = admin.post(f"/api/v1/tickets/{ticket['id']}/assign", json={"assignee_id": 2**40})
    assert r.status_code == 422 and "assignee_id" in r.get_json()["error"]["fields"]
    r = admin.get(f"/api/v1/admin/users?after={2**40}")
    assert r.status_code == 200 and r.get_json()["items"] == []
    assert taxpayer.get(f"/api/v1/documents?cursor={2**40}").status_code == 200
