"""Service tickets: a user asks about a filing, staff answer; both sides are notified live.

A ticket is visible to its owner, to admins and to the preparer it is assigned to; anyone else gets
404. The preparers' queue also lists unassigned open tickets of their own clients (people who
granted them a filing), which they may take.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, false, func, or_, select, true
from sqlalchemy.orm import Session

from ..errors import ApiError
from ..ids import page_cursor, parse_id
from ..models import Document, Filing, FilingGrant, ServiceTicket, TicketMessage, User
from ..services.notify import notify

PAGE_SIZE, MAX_PAGE_SIZE = 20, 100
MAX_SUBJECT, MAX_BODY = 200, 10_000


def link(ticket_id: int) -> str:
    return f"/tickets/{ticket_id}"


def _visible_to(user: User) -> ColumnElement[bool]:
    if user.is_admin:
        return true()
    return or_(ServiceTicket.user_id == user.id, ServiceTicket.assignee_id == user.id)


def _in_queue_of(user: User) -> ColumnElement[bool]:
    if user.is_admin:
        return true()
    if not user.is_preparer:
        return false()
    clients = select(FilingGrant.user_id).where(FilingGrant.preparer_id == user.id, FilingGrant.revoked_at.is_(None))
    return or_(ServiceTicket.assignee_id == user.id,
               and_(ServiceTicket.assignee_id.is_(None), ServiceTicket.user_id.in_(clients)))


def get_visible(session: Session, user: User, ticket_id: int, for_update: bool = False) -> ServiceTicket:
    stmt = select(ServiceTicket).where(ServiceTicket.id == ticket_id, _visible_to(user))
    ticket = session.scalar(stmt.with_for_update() if for_update else stmt)
    if ticket is None:
        raise ApiError(404, "not_found", "No such ticket.")
    return ticket


def _page(session: Session, where: ColumnElement[bool], before: Any, limit: Any) -> tuple[list[ServiceTicket], int | None]:
    cursor, size = page_cursor(before, limit, PAGE_SIZE, MAX_PAGE_SIZE)
    stmt = select(ServiceTicket).where(where).order_by(ServiceTicket.id.desc()).limit(size + 1)
    if cursor is not None:
        stmt = stmt.where(ServiceTicket.id < cursor)
    rows = list(session.scalars(stmt))
    more = len(rows) > size
    rows = rows[:size]
    return rows, (rows[-1].id if more else None)


def my_page(session: Session, user: User, before: Any = None, limit: Any = None):
    """The tickets a user opened, newest first."""
    return _page(session, ServiceTicket.user_id == user.id, before, limit)


def queue_page(session: Session, user: User, before: Any = None, limit: Any = None):
    """Open tickets a preparer or admin should look at, newest first."""
    return _page(session, and_(ServiceTicket.status == "open", _in_queue_of(user)), before, limit)


def people(session: Session, ids: set[int | None]) -> dict[int, User]:
    wanted = {i for i in ids if i is not None}
    return {u.id: u for u in session.scalars(select(User).where(User.id.in_(wanted)))} if wanted else {}


def messages(session: Session, ticket: ServiceTicket) -> list[TicketMessage]:
    return list(session.scalars(select(TicketMessage).where(TicketMessage.ticket_id == ticket.id)
                                .order_by(TicketMessage.id)))


def _text(value: Any, name: str, limit: int, missing: str, errors: dict[str, str]) -> str:
    if not isinstance(value, str) or not value.strip():
        errors[name] = missing
        return ""
    if len(value.strip()) > limit:
        errors[name] = f"Keep it to {limit:,} characters."
    return value.strip()


def _own_id(session: Session, model, user: User, raw: Any, name: str, message: str, errors: dict[str, str]) -> int | None:
    if raw in (None, ""):
        return None
    wanted = parse_id(raw)
    found = session.scalar(select(model.id).where(model.id == wanted, model.user_id == user.id)) if wanted else None
    if found is None:
        errors[name] = message
    return found


def _staff(session: Session) -> list[int]:
    return list(session.scalars(select(User.id).where(User.role == "admin", User.is_active)))


def open_ticket(session: Session, user: User, data: dict[str, Any]) -> ServiceTicket:
    """Validate, store the ticket with its first message, tell the admins."""
    errors: dict[str, str] = {}
    subject = _text(data.get("subject"), "subject", MAX_SUBJECT, "Say in a few words what it is about.", errors)
    body = _text(data.get("body"), "body", MAX_BODY, "Describe your question.", errors)
    filing_id = _own_id(session, Filing, user, data.get("filing_id"), "filing_id", "Choose one of your returns.", errors)
    document_id = _own_id(session, Document, user, data.get("document_id"), "document_id",
                          "Choose one of your documents.", errors)
    if errors:
        raise ApiError(422, "invalid", "Check the highlighted fields.", errors)
    ticket = ServiceTicket(user_id=user.id, filing_id=filing_id, document_id=document_id, subject=subject, status="open")
    session.add(ticket)
    session.flush()
    session.add(TicketMessage(ticket_id=ticket.id, author_id=user.id, body=body))
    session.commit()
    for admin_id in _staff(session):
        if admin_id != user.id:
            notify(session, admin_id, "ticket_opened", f"New ticket #{ticket.id}", "A user is waiting for an answer.",
                   link=link(ticket.id), email=False)
    return ticket


def reply(session: Session, user: User, ticket_id: int, data: dict[str, Any]) -> TicketMessage:
    ticket = get_visible(session, user, ticket_id, for_update=True)
    errors: dict[str, str] = {}
    body = _text(data.get("body"), "body", MAX_BODY, "Write a reply.", errors)
    if errors:
        raise ApiError(422, "invalid", "Check the highlighted fields.", errors)
    if ticket.status == "closed":
        raise ApiError(409, "ticket_closed", "This ticket is closed. Open a new one to ask again.")
    message = TicketMessage(ticket_id=ticket.id, author_id=user.id, body=body)
    session.add(message)
    ticket.updated_at = func.now()
    session.commit()
    if user.id == ticket.user_id:
        readers = [ticket.assignee_id] if ticket.assignee_id else _staff(session)
    else:
        readers = [ticket.user_id]
    for reader in readers:
        if reader is not None and reader != user.id:
            # email=True queues a `ticket_reply` mail job, which honours the reader's email preference.
            notify(session, reader, "ticket_reply", f"New reply on ticket #{ticket.id}", "",
                   link=link(ticket.id), email=True)
    return message


def assign(session: Session, actor: User, ticket_id: int, data: dict[str, Any]) -> ServiceTicket:
    """`data["assignee_id"]`: a user id, or None for nobody. Admins assign any open ticket to any
    preparer or admin; a preparer takes an unassigned ticket from their queue, or hands back one
    assigned to them."""
    if not actor.is_preparer:
        raise ApiError(404, "not_found", "No such ticket.")
    stmt = select(ServiceTicket).where(ServiceTicket.id == ticket_id,
                                       or_(_visible_to(actor), _in_queue_of(actor)))
    ticket = session.scalar(stmt.with_for_update())
    if ticket is None:
        raise ApiError(404, "not_found", "No such ticket.")
    if "assignee_id" not in data:
        raise ApiError(422, "invalid", "Say who takes the ticket.", {"assignee_id": "Required (null for nobody)."})
    if ticket.status == "closed":
        raise ApiError(409, "ticket_closed", "This ticket is closed.")
    target = _assignee(session, actor, ticket, data["assignee_id"])
    ticket.assignee_id = target.id if target else None
    session.commit()
    if target is not None and target.id != actor.id:
        notify(session, target.id, "ticket_assigned", f"Ticket #{ticket.id} is assigned to you", "",
               link=link(ticket.id), email=False)
    if target is not None:
        notify(session, ticket.user_id, "ticket_assigned", f"{target.name} is handling ticket #{ticket.id}", "",
               link=link(ticket.id), email=False)
    return ticket


def _assignee(session: Session, actor: User, ticket: ServiceTicket, raw: Any) -> User | None:
    if raw is None:
        if actor.is_admin or ticket.assignee_id == actor.id:
            return None
        raise ApiError(422, "invalid", "You can only hand back a ticket assigned to you.",
                       {"assignee_id": "Not assigned to you."})
    assignee_id = parse_id(raw)
    if assignee_id is None:
        raise ApiError(422, "invalid", "Choose a preparer.", {"assignee_id": "Choose a preparer."})
    target = session.get(User, assignee_id)
    if target is None or not target.is_active or not target.is_preparer:
        raise ApiError(422, "invalid", "Choose an active preparer or admin.", {"assignee_id": "Choose a preparer."})
    if not actor.is_admin and (target.id != actor.id or ticket.assignee_id not in (None, actor.id)):
        raise ApiError(422, "invalid", "You can only take a ticket for yourself.", {"assignee_id": "Only yourself."})
    return target


def close(session: Session, actor: User, ticket_id: int) -> ServiceTicket:
    ticket = get_visible(session, actor, ticket_id, for_update=True)
    if ticket.status == "closed":
        session.commit()
        return ticket
    ticket.status = "closed"
    session.commit()
    other = ticket.assignee_id if actor.id == ticket.user_id else ticket.user_id
    if other is not None and other != actor.id:
        notify(session, other, "ticket_closed", f"Ticket #{ticket.id} was closed", "", link=link(ticket.id),
               email=False)
    return ticket


def staff_choices(session: Session) -> list[User]:
    return list(session.scalars(select(User).where(User.role.in_(("preparer", "admin")), User.is_active)
                                .order_by(User.name, User.id)))


def attachment(session: Session, user: User, ticket_id: int) -> Document:
    ticket = get_visible(session, user, ticket_id)
    document = session.scalar(select(Document).where(Document.id == ticket.document_id,
                                                      Document.user_id == ticket.user_id))
    if document is None:
        raise ApiError(404, "not_found", "This ticket has no attachment.")
    return document


def as_json(ticket: ServiceTicket, who: dict[int, User], thread: list[TicketMessage] | None = None) -> dict[str, Any]:
    def person(uid: int | None) -> dict[str, Any] | None:
        user = who.get(uid) if uid is not None else None
        return {"id": uid, "name": user.name if user else None} if uid is not None else None

    out = {
        "id": ticket.id, "subject": ticket.subject, "status": ticket.status, "owner": person(ticket.user_id),
        "assignee": person(ticket.assignee_id), "filing_id": ticket.filing_id, "document_id": ticket.document_id,
        "created_at": ticket.created_at.isoformat() if ticket.created_at else None,
        "updated_at": ticket.updated_at.isoformat() if ticket.updated_at else None,
    }
    if thread is not None:
        out["messages"] = [{"id": m.id, "author": person(m.author_id), "body": m.body,
                            "staff": m.author_id != ticket.user_id, "created_at": m.created_at.isoformat()}
                           for m in thread]
    return out


def detail(session: Session, user: User, ticket_id: int) -> dict[str, Any]:
    ticket = get_visible(session, user, ticket_id)
    thread = messages(session, ticket)
    who = people(session, {ticket.user_id, ticket.assignee_id, *(m.author_id for m in thread)})
    return as_json(ticket, who, thread)


def listing(session: Session, rows: list[ServiceTicket]) -> list[dict[str, Any]]:
    who = people(session, {t.user_id for t in rows} | {t.assignee_id for t in rows})
    return [as_json(t, who) for t in rows]


def attachable(session: Session, user: User) -> tuple[list[Filing], list[Document]]:
    """The user's returns and most recent documents, to pick from when opening a ticket."""
    filings = list(session.scalars(select(Filing).where(Filing.user_id == user.id)
                                   .order_by(Filing.assessment_year.desc())))
    documents = list(session.scalars(select(Document).where(Document.user_id == user.id)
                                     .order_by(Document.id.desc()).limit(MAX_PAGE_SIZE)))
    return filings, documents
