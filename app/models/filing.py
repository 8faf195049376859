from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Timestamps

ASSESSMENT_YEARS = {"2025-26": "2024-25", "2026-27": "2025-26"}
STATUSES = ("draft", "computed", "ready", "filed")


class Filing(Timestamps, Base):
    """One return draft per user and assessment year."""

    __tablename__ = "filings"
    __table_args__ = (UniqueConstraint("user_id", "assessment_year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    assessment_year: Mapped[str] = mapped_column(String(7))
    status: Mapped[str] = mapped_column(String(10), default="draft", server_default="draft")
    residential_status: Mapped[str] = mapped_column(String(12), default="resident", server_default="resident")
    regime: Mapped[str | None] = mapped_column(String(3))
    personal: Mapped[dict[str, Any]] = mapped_column(default=dict, server_default=text("'{}'::jsonb"))
    taxes_paid: Mapped[dict[str, Any]] = mapped_column(default=dict, server_default=text("'{}'::jsonb"))
    computation: Mapped[dict[str, Any] | None]
    computation_stale: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    computed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    income_items: Mapped[list[IncomeItem]] = relationship(
        back_populates="filing", cascade="all, delete-orphan", order_by="IncomeItem.position"
    )
    deduction_items: Mapped[list[DeductionItem]] = relationship(
        back_populates="filing", cascade="all, delete-orphan", order_by="DeductionItem.section"
    )

    @property
    def financial_year(self) -> str:
        return ASSESSMENT_YEARS[self.assessment_year]


class IncomeItem(Base):
    """One entry of an income head: `salary`, `family_pension`, `house_property` (one row per
    property), `other_sources` or `capital_gains`; `data` holds the tax-engine fields."""

    __tablename__ = "income_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    filing_id: Mapped[int] = mapped_column(ForeignKey("filings.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    head: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer, default=0)
    data: Mapped[dict[str, Any]]

    filing: Mapped[Filing] = relationship(back_populates="income_items")


class DeductionItem(Base):
    __tablename__ = "deduction_items"
    __table_args__ = (UniqueConstraint("filing_id", "section"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    filing_id: Mapped[int] = mapped_column(ForeignKey("filings.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    section: Mapped[str] = mapped_column(String(12))
    amount: Mapped[int]

    filing: Mapped[Filing] = relationship(back_populates="deduction_items")


class FamilyMember(Base):
    __tablename__ = "family_members"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    filing_id: Mapped[int] = mapped_column(ForeignKey("filings.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    relation: Mapped[str] = mapped_column(String(20))
    dob: Mapped[date | None] = mapped_column(Date)
    senior_citizen: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")


class BankAccount(Timestamps, Base):
    __tablename__ = "bank_accounts"
    # At most one account per user takes the refund (migration 0002).
    __table_args__ = (Index("uq_bank_accounts_one_refund", "user_id", unique=True, postgresql_where=text("refund")),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    ifsc: Mapped[str] = mapped_column(String(11))
    account_number: Mapped[str] = mapped_column(String(20))
    bank_name: Mapped[str] = mapped_column(String(120))
    refund: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")


class ForeignAsset(Base):
    """Schedule FA: a foreign asset held at any time in the calendar year."""

    __tablename__ = "foreign_assets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    filing_id: Mapped[int] = mapped_column(ForeignKey("filings.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    country_code: Mapped[str] = mapped_column(String(3))
    asset_type: Mapped[str] = mapped_column(String(40))
    institution: Mapped[str] = mapped_column(String(120))
    acquired_on: Mapped[date | None] = mapped_column(Date)
    peak_value: Mapped[int]
    closing_value: Mapped[int]
    income: Mapped[int] = mapped_column(default=0)


class TaxChallan(Base):
    """A challan of advance tax or self-assessment tax, which the ITR lists in Schedule IT."""

    __tablename__ = "tax_challans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    filing_id: Mapped[int] = mapped_column(ForeignKey("filings.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    bsr_code: Mapped[str] = mapped_column(String(7))
    paid_on: Mapped[date] = mapped_column(Date)
    serial_no: Mapped[int] = mapped_column(Integer)
    amount: Mapped[int]


class FilingGrant(Base):
    """A taxpayer's grant of one filing to a preparer, by email invitation."""

    __tablename__ = "filing_grants"
    __table_args__ = (UniqueConstraint("filing_id", "email"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    filing_id: Mapped[int] = mapped_column(ForeignKey("filings.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    preparer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=text("now()"))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class FilingExport(Base):
    """The ITR-1 JSON a user said they uploaded on the portal, kept as filed (with its sha256)."""

    __tablename__ = "filing_exports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    filing_id: Mapped[int] = mapped_column(ForeignKey("filings.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    document: Mapped[dict[str, Any]]
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=text("now()"))
