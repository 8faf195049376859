"""The OpenAPI document describes every API route the app serves, and nothing else."""
from __future__ import annotations

import re


def _app_operations(app) -> set[tuple[str, str]]:
    ops = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.rule == "/api/v1/openapi.json":
            continue
        path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            ops.add((method.lower(), path))
    return ops


def test_every_api_route_is_documented_and_every_documented_route_exists(client, app):
    spec = client.get("/api/v1/openapi.json").get_json()
    documented = {(method, path) for path, item in spec["paths"].items() for method in item}
    assert documented == _app_operations(app)


def test_every_operation_documents_its_errors_with_the_shared_schema(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    for item in spec["paths"].values():
        for op in item.values():
            assert op["responses"]["default"]["content"]["application/json"]["schema"] == spec["components"]["schemas"]["Error"]
