"""Schemathesis against /api/v1/openapi.json as a signed-in user (with the CSRF header): generated
requests for every operation never get a 5xx, and every answer matches the documented schema."""
from __future__ import annotations

import time

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES_PER_OPERATION = 10
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def test_generated_api_requests_never_crash_and_always_match_the_schema(app, api, make_user):
    from app.extensions import db

    make_user("preparer@example.com", role="preparer")
    # A filing and a bank account of the signed-in user, so ids in generated paths sometimes exist.
    assert api.post("/api/v1/filings", json={"assessment_year": "2026-27"}).status_code == 201
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    cookie = api.client.get_cookie("taxdesk_session").value
    headers, cookies = {"X-CSRFToken": api.token}, {"taxdesk_session": cookie}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20, [op.label for op in operations]
    failures: dict[str, str] = {}
    tried = 0
    started = time.monotonic()

    for operation in operations:
        if operation.path == "/auth/logout":
            continue  # would end the session every other operation runs in (covered in test_sessions_and_auth)

        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None, derandomize=True,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def run(case) -> None:
            nonlocal tried
            tried += 1
            case.call_and_validate(headers=headers, cookies=cookies, checks=CHECKS)
            db.session.rollback()

        try:
            run()
        except Exception as exc:  # noqa: BLE001 - collect every operation's failure, then report them all
            failures[operation.label] = str(exc)[:1500]
    print(f"\nschemathesis: {len(operations)} operations, {tried} requests in {time.monotonic() - started:.0f}s")
    assert not failures, "\n\n".join(f"{label}:\n{text}" for label, text in failures.items())
