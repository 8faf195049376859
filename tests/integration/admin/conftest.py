"""Fixtures for the admin tests."""
from __future__ import annotations

import pytest


@pytest.fixture
def admin(api_for):
    return api_for("admin@example.com", role="admin")
