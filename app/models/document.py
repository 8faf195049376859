from __future__ import annotations

from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Timestamps

STATUSES = ("queued", "processing", "extracted", "failed", "applied")


class Document(Timestamps, Base):
    """An uploaded file (stored under its sha256 outside the web root) and what was read from it."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    filing_id: Mapped[int | None] = mapped_column(ForeignKey("filings.id", ondelete="SET NULL"), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    original_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int]
    status: Mapped[str] = mapped_column(String(12), default="queued", server_default="queued")
    document_type: Mapped[str | None] = mapped_column(String(24))
    method: Mapped[str | None] = mapped_column(String(12))
    pages: Mapped[int | None] = mapped_column(Integer)
    fields: Mapped[dict[str, Any]] = mapped_column(default=dict, server_default=text("'{}'::jsonb"))
    confidence: Mapped[dict[str, Any]] = mapped_column(default=dict, server_default=text("'{}'::jsonb"))
    sources: Mapped[dict[str, Any]] = mapped_column(default=dict, server_default=text("'{}'::jsonb"))
    warnings: Mapped[list[Any]] = mapped_column(default=list, server_default=text("'[]'::jsonb"))
    error: Mapped[str | None] = mapped_column(Text)
    # What applying this document added to its filing ("section.key" → rupees), taken back when
    # it is applied again so a document never counts twice.
    applied: Mapped[dict[str, Any] | None]
