"""Every route × every actor against one user's filing, document, job, notification, ticket and
invoice: nobody reaches what is not theirs, and a refusal never says the thing exists.

The routes come from `app.url_map` (every rule, every method); access_rules.RULES says who may
use each. A route missing from RULES fails test_every_route_has_an_access_rule.
"""
from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from sqlalchemy import text

from tests.security.access_rules import ALL, PARAMS, RULES, STATIC_FILES, Access
from tests.security.conftest import ACTORS, World

IGNORED_METHODS = {"HEAD", "OPTIONS"}
PARAM = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")
# The owner's rows a refused request might have changed (processing columns a worker updates are left out).
SNAPSHOT = {
    "users": "SELECT id, email, name, role, is_active, password_hash FROM users WHERE id = :u",
    "user_sessions": "SELECT id FROM user_sessions WHERE user_id = :u ORDER BY id",
    "filings": "SELECT * FROM filings WHERE user_id = :u ORDER BY id",
    "filing_grants": "SELECT * FROM filing_grants WHERE user_id = :u ORDER BY id",
    "bank_accounts": "SELECT * FROM bank_accounts WHERE user_id = :u ORDER BY id",
    "family_members": "SELECT * FROM family_members WHERE user_id = :u ORDER BY id",
    "foreign_assets": "SELECT * FROM foreign_assets WHERE user_id = :u ORDER BY id",
    "tax_challans": "SELECT * FROM tax_challans WHERE user_id = :u ORDER BY id",
    "income_items": "SELECT * FROM income_items WHERE user_id = :u ORDER BY id",
    "deduction_items": "SELECT * FROM deduction_items WHERE user_id = :u ORDER BY id",
    "documents": "SELECT id, filing_id, original_name, sha256, applied FROM documents WHERE user_id = :u ORDER BY id",
    "jobs": "SELECT id FROM jobs WHERE user_id = :u ORDER BY id",
    "notifications": "SELECT id, read_at FROM notifications WHERE user_id = :u ORDER BY id",
    "notification_reads": "SELECT * FROM notification_reads WHERE user_id = :u ORDER BY notification_id",
    "service_tickets": "SELECT * FROM service_tickets WHERE user_id = :u ORDER BY id",
    "ticket_messages": "SELECT m.* FROM ticket_messages m JOIN service_tickets t ON t.id = m.ticket_id "
                       "WHERE t.user_id = :u ORDER BY m.id",
    "invoices": "SELECT * FROM invoices WHERE user_id = :u ORDER BY id",
}


def route_keys(app) -> dict[str, str]:
    """'METHOD /rule' -> the rule string, for every rule and method of the app."""
    keys = {}
    for rule in app.url_map.iter_rules():
        for method in rule.methods - IGNORED_METHODS:
            keys[f"{method} {rule.rule}"] = rule.rule
    return keys


def build_url(rule: str, world: World, access: Access) -> str:
    if rule in STATIC_FILES:
        return PARAM.sub(STATIC_FILES[rule], rule)

    def fill(match: re.Match) -> str:
        value = {**PARAMS, **access.params}[match.group(1)]
        value = world.ids.get(value, value) if isinstance(value, str) else value
        return quote(str(value), safe="")

    return PARAM.sub(fill, rule)


def send(world: World, actor: str, method: str, url: str, access: Access):
    api = world.api(actor)
    if method == "GET":
        return api.get(url)
    if url.startswith("/api/"):
        return api._call(method, url, json=access.body)
    return api._call(method, url, data=access.body)


def owner_snapshot(world: World) -> dict[str, list]:
    from app.extensions import db

    db.session.rollback()
    return {name: [tuple(row) for row in db.session.execute(text(sql), {"u": world.ids["user"]})]
            for name, sql in SNAPSHOT.items()}


def problems_with(actor: str, response, access: Access, world: World) -> list[str]:
    status, location = response.status_code, response.headers.get("Location", "")
    found = []
    if status >= 500 or status == 403:
        found.append(f"answered {status}")
    elif actor in access.status:
        if status != access.status[actor]:
            found.append(f"answered {status}, expected {access.status[actor]}")
    elif access.allowed == ALL:
        pass  # public: any answer but a 403 or a 5xx
    elif actor in access.allowed:
        if status in (401, 404) or "/login" in location:
            found.append(f"was refused ({status} {location}) but may use this route")
    elif actor == "anonymous":
        if not (status in (401, 404) or (status in (302, 303) and "/login" in location)):
            found.append(f"answered {status} {location}: expected 401, 404 or a redirect to /login")
    elif status != 404:
        found.append(f"answered {status} {location}: expected 404")
    if actor not in access.sees:
        payload = response.get_data() + location.encode()
        leaked = [m for m in world.markers if m.encode() in payload]
        if leaked:
            found.append(f"saw the owner's data {leaked} (status {status})")
    return found


def test_every_route_has_an_access_rule(app):
    routes = route_keys(app)
    missing = sorted(set(routes) - set(RULES))
    stale = sorted(set(RULES) - set(routes))
    assert not missing, "routes without an entry in tests/security/access_rules.py RULES:\n" + "\n".join(missing)
    assert not stale, "RULES entries for routes that no longer exist:\n" + "\n".join(stale)
    unfilled = sorted({f"{name} in {rule}" for rule in routes.values() if rule not in STATIC_FILES
                       for name in PARAM.findall(rule) if name not in PARAMS})
    assert not unfilled, "URL parameters without a value in access_rules.PARAMS:\n" + "\n".join(unfilled)


@pytest.mark.parametrize("key", sorted(RULES))
def test_nobody_reaches_what_is_not_theirs(key: str, world: World):
    access = RULES[key]
    method, rule = key.split(" ", 1)
    url = build_url(rule, world, access)
    refused = [a for a in ACTORS if a not in access.allowed]
    # Refused actors go first and must change nothing; the owner goes last (it may delete things).
    order = refused + [a for a in ("other", "preparer", "assigned", "admin", "anonymous") if a in access.allowed]
    order += ["owner"] if "owner" in access.allowed else []
    problems = []
    before = owner_snapshot(world)
    deleted = False
    for i, actor in enumerate(order):
        response = send(world, actor, method, url, access)
        if deleted and response.status_code == 404:
            continue
        found = problems_with(actor, response, access, world)
        problems += [f"{actor}: {p}" for p in found]
        deleted = access.deletes and actor in access.allowed and not found
        if i == len(refused) - 1 and owner_snapshot(world) != before:
            after = owner_snapshot(world)
            changed = [name for name in before if before[name] != after[name]]
            problems.append(f"refused actors changed the owner's {changed}")
    assert not problems, f"{key} ({url}):\n" + "\n".join(problems)
