"""Every POST under /api/v1 honours `Idempotency-Key` (app/services/idempotency.py); sign-in and
registration stay outside it: they have no user to scope the key to."""
from __future__ import annotations

from ..services import idempotency
from . import bp

idempotency.install(bp, exempt_prefixes=(f"{bp.url_prefix}/auth/",))
