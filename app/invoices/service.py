"""Invoices: who may see and issue them, issuing (validated in one transaction), marking paid.

Visible to the customer, the issuing preparer and admins; anyone else gets 404. A preparer invoices
only people who granted them a filing (an unrevoked FilingGrant); admins invoice anyone.
"""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, func, or_, select, text, true
from sqlalchemy.orm import Session

from ..errors import ApiError
from ..ids import page_cursor, parse_id
from ..models import Filing, FilingGrant, Invoice, User
from ..services import audit
from ..services.notify import notify
from . import amounts
from .pdf import InvoicePaper, Line

PAGE_SIZE, MAX_PAGE_SIZE = 20, 100
MAX_LINES = 20
MAX_QUANTITY = 1_000
MAX_RATE = 10_00_00_000  # ten crore: larger is a typing mistake, not a filing fee
IST = ZoneInfo("Asia/Kolkata")


def _visible_to(user: User) -> ColumnElement[bool]:
    if user.is_admin:
        return true()
    return or_(Invoice.user_id == user.id, Invoice.preparer_id == user.id)


def get_visible(session: Session, user: User, invoice_id: int, for_update: bool = False) -> Invoice:
    stmt = select(Invoice).where(Invoice.id == invoice_id, _visible_to(user))
    invoice = session.scalar(stmt.with_for_update() if for_update else stmt)
    if invoice is None:
        raise ApiError(404, "not_found", "No such invoice.")
    return invoice


def page(session: Session, user: User, before: Any = None, limit: Any = None) -> tuple[list[Invoice], int | None]:
    """Newest first; the cursor is the last id seen."""
    cursor, size = page_cursor(before, limit, PAGE_SIZE, MAX_PAGE_SIZE)
    stmt = select(Invoice).where(_visible_to(user)).order_by(Invoice.id.desc()).limit(size + 1)
    if cursor is not None:
        stmt = stmt.where(Invoice.id < cursor)
    rows = list(session.scalars(stmt))
    more = len(rows) > size
    rows = rows[:size]
    return rows, (rows[-1].id if more else None)


def people(session: Session, invoices: list[Invoice]) -> dict[int, User]:
    ids = {i.user_id for i in invoices} | {i.preparer_id for i in invoices}
    return {u.id: u for u in session.scalars(select(User).where(User.id.in_(ids)))} if ids else {}


def clients(session: Session, preparer: User) -> list[User]:
    """People who granted this preparer at least one filing that is still shared."""
    granted = select(FilingGrant.user_id).where(FilingGrant.preparer_id == preparer.id, FilingGrant.revoked_at.is_(None))
    return list(session.scalars(select(User).where(User.id.in_(granted), User.is_active).order_by(User.name, User.id)))


def granted_filings(session: Session, preparer: User) -> list[tuple[int, int, str]]:
    """(filing id, customer id, assessment year) of every filing shared with this preparer."""
    rows = session.execute(
        select(Filing.id, Filing.user_id, Filing.assessment_year).join(FilingGrant, FilingGrant.filing_id == Filing.id)
        .where(FilingGrant.preparer_id == preparer.id, FilingGrant.revoked_at.is_(None))
        .order_by(Filing.user_id, Filing.assessment_year.desc())
    )
    return [(r.id, r.user_id, r.assessment_year) for r in rows]


def _granted(session: Session, preparer_id: int, customer_id: int, filing_id: int | None = None) -> bool:
    stmt = select(FilingGrant.id).where(FilingGrant.preparer_id == preparer_id, FilingGrant.user_id == customer_id,
                                        FilingGrant.revoked_at.is_(None))
    if filing_id is not None:
        stmt = stmt.where(FilingGrant.filing_id == filing_id)
    return session.scalar(stmt.limit(1)) is not None


def _whole(value: Any) -> int | None:
    """A whole number typed or sent as JSON (a quantity, a rate in rupees); None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _customer(session: Session, actor: User, data: dict[str, Any], errors: dict[str, str]) -> User | None:
    not_client = "Choose someone who shared a return with you."
    user_id, email = data.get("user_id"), data.get("customer_email")
    if user_id not in (None, ""):
        uid = parse_id(user_id)
        customer = session.get(User, uid) if uid is not None else None
    elif isinstance(email, str) and email.strip():
        customer = session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    else:
        errors["customer"] = "Choose who the invoice is for."
        return None
    allowed = customer is not None and customer.is_active and customer.id != actor.id and (
        actor.is_admin or _granted(session, actor.id, customer.id))
    if not allowed:
        errors["customer"] = "No other active account matches." if actor.is_admin else not_client
        return None
    return customer


def _filing(session: Session, actor: User, customer: User | None, raw: Any, errors: dict[str, str]) -> int | None:
    if raw in (None, ""):
        return None
    filing_id = parse_id(raw)
    filing = session.get(Filing, filing_id) if filing_id is not None else None
    ok = filing is not None and customer is not None and filing.user_id == customer.id and (
        actor.is_admin or _granted(session, actor.id, customer.id, filing.id))
    if not ok:
        errors["filing_id"] = "Choose one of this person's returns shared with you, or none."
        return None
    return filing_id


def _lines(raw: Any, errors: dict[str, str]) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or not raw:
        errors["items"] = "Add at least one line."
        return []
    if len(raw) > MAX_LINES:
        errors["items"] = f"An invoice has at most {MAX_LINES} lines."
        return []
    lines = []
    for i, item in enumerate(raw):
        item = item if isinstance(item, dict) else {}
        description = item.get("description")
        quantity, rate = _whole(item.get("quantity", 1)), _whole(item.get("rate"))
        if not isinstance(description, str) or not description.strip():
            errors[f"items.{i}.description"] = "Describe the service."
        elif len(description.strip()) > 200:
            errors[f"items.{i}.description"] = "Keep it to 200 characters."
        if quantity is None or not 1 <= quantity <= MAX_QUANTITY:
            errors[f"items.{i}.quantity"] = f"A whole number from 1 to {MAX_QUANTITY:,}."
        if rate is None or not 0 <= rate <= MAX_RATE:
            errors[f"items.{i}.rate"] = "Whole rupees, up to ₹10,00,00,000."
        if not any(k.startswith(f"items.{i}.") for k in errors):
            lines.append({"description": description.strip(), "quantity": quantity, "rate": rate,
                          "amount": quantity * rate})
    return lines


def _number(invoice_id: int, when: datetime) -> str:
    # GST rules cap an invoice number at 16 characters, unique within a financial year.
    start = when.year if when.month >= 4 else when.year - 1
    return f"TD/{start % 100:02d}-{(start + 1) % 100:02d}/{invoice_id:06d}"


def issue(session: Session, actor: User, data: dict[str, Any]) -> Invoice:
    """Validate everything, then store the invoice and tell the customer. Raises ApiError(422) with
    per-field messages; nothing is stored unless all of it is valid."""
    errors: dict[str, str] = {}
    customer = _customer(session, actor, data, errors)
    filing_id = _filing(session, actor, customer, data.get("filing_id"), errors)
    lines = _lines(data.get("items"), errors)
    if errors or customer is None:
        raise ApiError(422, "invalid", "Check the highlighted fields.", errors)
    sums = amounts.totals(line["amount"] for line in lines)
    invoice_id = session.scalar(text("SELECT nextval(pg_get_serial_sequence('invoices', 'id'))"))
    invoice = Invoice(id=invoice_id, number=_number(invoice_id, datetime.now(IST)), user_id=customer.id,
                      preparer_id=actor.id, filing_id=filing_id, items=lines, subtotal=sums.subtotal, gst=sums.gst,
                      total=sums.total, status="issued")
    session.add(invoice)
    session.flush()
    audit.record(session, customer.id, actor.id, filing_id, "invoice.issued", None,
                 {"invoice_id": invoice.id, "number": invoice.number, "total": invoice.total})
    notify(session, customer.id, "invoice_issued", f"Invoice {invoice.number} issued",
           f"Total ₹{amounts.grouped(invoice.total)} including GST.", link=f"/invoices/{invoice.id}", email=False)
    return invoice


def mark_paid(session: Session, actor: User, invoice_id: int) -> Invoice:
    """Idempotent: marking a paid invoice paid again changes nothing."""
    invoice = get_visible(session, actor, invoice_id, for_update=True)
    if invoice.status == "paid":
        session.commit()
        return invoice
    invoice.status, invoice.paid_at = "paid", datetime.now(UTC)
    audit.record(session, invoice.user_id, actor.id, invoice.filing_id, "invoice.paid", {"status": "issued"},
                 {"status": "paid", "invoice_id": invoice.id})
    other = invoice.preparer_id if actor.id == invoice.user_id else invoice.user_id
    notify(session, other, "invoice_paid", f"Invoice {invoice.number} marked paid", "",
           link=f"/invoices/{invoice.id}", email=False)
    return invoice


def as_json(invoice: Invoice, who: dict[int, User]) -> dict[str, Any]:
    customer, preparer = who.get(invoice.user_id), who.get(invoice.preparer_id)
    return {
        "id": invoice.id, "number": invoice.number, "status": invoice.status,
        "customer": {"id": invoice.user_id, "name": customer.name if customer else None,
                     "email": customer.email if customer else None},
        "preparer": {"id": invoice.preparer_id, "name": preparer.name if preparer else None,
                     "email": preparer.email if preparer else None},
        "filing_id": invoice.filing_id, "items": invoice.items, "subtotal": invoice.subtotal,
        "gst_percent": amounts.GST_PERCENT, "gst": invoice.gst, "total": invoice.total,
        "total_in_words": amounts.in_words(invoice.total),
        "created_at": invoice.created_at.isoformat() if invoice.created_at else None,
        "paid_at": invoice.paid_at.isoformat() if invoice.paid_at else None,
    }


def paper(session: Session, invoice: Invoice) -> InvoicePaper:
    who = people(session, [invoice])
    customer, preparer = who[invoice.user_id], who[invoice.preparer_id]
    year = None
    if invoice.filing_id is not None:
        year = session.scalar(select(Filing.assessment_year).where(Filing.id == invoice.filing_id))
    return InvoicePaper(
        number=invoice.number, issued_on=invoice.created_at.astimezone(IST).date(),
        paid_on=invoice.paid_at.astimezone(IST).date() if invoice.paid_at else None,
        seller_name=preparer.name, seller_email=preparer.email, buyer_name=customer.name, buyer_email=customer.email,
        assessment_year=year,
        lines=[Line(i["description"], i["quantity"], i["rate"], i["amount"]) for i in invoice.items],
        subtotal=invoice.subtotal, gst=invoice.gst, total=invoice.total,
    )


def pdf_name(invoice: Invoice) -> str:
    return f"invoice-{invoice.number.replace('/', '-')}.pdf"
