from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class StaleRedisKey(Base):
    """A Redis key that had to be deleted while Redis was unreachable (app.services.stale_keys)."""

    __tablename__ = "stale_redis_keys"

    key: Mapped[str] = mapped_column(Text, primary_key=True)
    noted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
