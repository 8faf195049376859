"""The API's rate limit: per signed-in user (not per address, which an office or a proxy shares),
per address for anonymous calls; pages are not limited by it."""
from __future__ import annotations


def test_each_signed_in_user_has_their_own_api_budget_even_from_one_address(api, other_api, app):
    limit = int(app.config["TAXDESK"].api_rate_limit.split()[0])
    first = api.get("/api/v1/notifications")
    assert first.status_code == 200 and int(first.headers["X-RateLimit-Limit"]) == limit
    remaining = int(first.headers["X-RateLimit-Remaining"])
    for _ in range(remaining):
        assert api.get("/api/v1/notifications").status_code == 200
    refused = api.get("/api/v1/notifications")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0

    theirs = other_api.get("/api/v1/notifications")  # same 127.0.0.1, own budget
    assert theirs.status_code == 200 and int(theirs.headers["X-RateLimit-Remaining"]) == limit - 1
    assert api.client.get("/").status_code == 200  # pages are not counted against the API budget
