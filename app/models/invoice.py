from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Timestamps


class Invoice(Timestamps, Base):
    """A preparer's invoice for assisted filing; amounts in rupees, GST at 18%."""

    __tablename__ = "invoices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    preparer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    filing_id: Mapped[int | None] = mapped_column(ForeignKey("filings.id", ondelete="SET NULL"))
    items: Mapped[list[Any]]
    subtotal: Mapped[int]
    gst: Mapped[int]
    total: Mapped[int]
    status: Mapped[str] = mapped_column(String(10), default="issued", server_default="issued")
    paid_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
