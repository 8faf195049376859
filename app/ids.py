"""Row ids as URLs, JSON bodies and query strings give them.

PostgreSQL answers a number beyond a column's range with an error, which reached users as a 500.
No row can have such an id, so it is treated like any id that does not exist: routes do not match
it (404), a body field naming it is a field error, a page cursor beyond it excludes nothing.
"""
from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter, Map

from .errors import ApiError

INT_MAX = 2**31 - 1  # `integer`, the type of the id columns
BIGINT_MAX = 2**63 - 1  # `bigint` (notifications, audit log)


class RowId(IntegerConverter):
    """`<int:...>` in every route: at most INT_MAX."""

    def __init__(self, url_map: Map, fixed_digits: int = 0, min: int | None = None,  # noqa: A002
                 max: int = INT_MAX, signed: bool = False) -> None:  # noqa: A002
        super().__init__(url_map, fixed_digits, min, max, signed)


class BigRowId(RowId):
    """`<bigint:...>`: ids of `bigint` columns."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        super().__init__(url_map, *args, **{"max": BIGINT_MAX, **kwargs})


def parse_id(value: Any, maximum: int = INT_MAX) -> int | None:
    """The id `value` gives (an int or digits), or None when it gives none a row can have."""
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if 0 < value <= maximum else None


def page_cursor(before: Any, limit: Any, default_size: int, max_size: int,
                maximum: int = INT_MAX) -> tuple[int | None, int]:
    """(`before` id, page size) of a newest-first page; 400 when either is not a whole number."""
    try:
        size = max(1, min(max_size, int(limit))) if limit not in (None, "") else default_size
        cursor = int(before) if before not in (None, "") else None
    except (TypeError, ValueError):
        raise ApiError(400, "invalid_cursor", "The page cursor and size must be whole numbers.") from None
    return (None if cursor is not None and cursor > maximum else cursor), size
