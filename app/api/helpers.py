"""Small helpers shared by the API modules."""
from __future__ import annotations

from typing import Any

from flask import request

from ..errors import ApiError


def json_body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ApiError(400, "invalid_json", "Send a JSON object with Content-Type: application/json.")
    return data


def only_keys(data: dict[str, Any], allowed: set[str]) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ApiError(422, "unknown_field", f"Unknown field: {unknown[0]}", {k: "Unknown field." for k in unknown})
