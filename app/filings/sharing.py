"""Sharing a filing with a tax preparer: invitation by email, revocation, and the preparer's clients."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..auth.service import EMAIL, normalise_email
from ..errors import ApiError
from ..models import BankAccount, Filing, FilingGrant, User
from ..services import audit
from ..services.notify import notify
from . import service


def grants(session: Session, filing: Filing) -> list[FilingGrant]:
    return list(session.scalars(select(FilingGrant).where(FilingGrant.filing_id == filing.id,
                                                          FilingGrant.user_id == filing.user_id)
                                .order_by(FilingGrant.id)))


def grant_json(grant: FilingGrant) -> dict[str, Any]:
    status = "revoked" if grant.revoked_at else ("active" if grant.preparer_id else "pending")
    return {"id": grant.id, "email": grant.email, "status": status, "preparer_id": grant.preparer_id,
            "created_at": grant.created_at.isoformat() if grant.created_at else None,
            "revoked_at": grant.revoked_at.isoformat() if grant.revoked_at else None}


def _preparer_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == email, User.role == "preparer", User.is_active))


def invite(session: Session, filing: Filing, owner: User, data: Any) -> FilingGrant:
    """Share the filing with whoever holds this email; linked at once if they are a preparer here."""
    email = normalise_email(data.get("email") if isinstance(data, dict) else None)
    if not EMAIL.match(email) or len(email) > 254:
        raise ApiError(422, "invalid_fields", "Enter the preparer's email address.",
                       {"email": "Enter an email address like name@example.com."})
    if email == owner.email:
        raise ApiError(422, "invalid_fields", "You cannot share a return with yourself.",
                       {"email": "Enter your preparer's email, not yours."})
    try:
        grant = session.scalar(select(FilingGrant).where(FilingGrant.filing_id == filing.id,
                                                         FilingGrant.email == email).with_for_update())
        if grant is not None and grant.revoked_at is None:
            raise ApiError(409, "already_shared", "This return is already shared with that email.",
                           {"email": "Already shared with this email."})
        preparer = _preparer_by_email(session, email)
        if grant is None:
            grant = FilingGrant(filing_id=filing.id, user_id=filing.user_id, email=email)
            session.add(grant)
        grant.revoked_at, grant.preparer_id = None, preparer.id if preparer else None
        session.flush()
        audit.record(session, filing.user_id, owner.id, filing.id, "grant.add", None,
                     {"email": email, "grant_id": grant.id})
        if preparer is None:
            session.commit()
        else:
            notify(session, preparer.id, "filing.shared", f"{owner.name} shared a return with you",
                   f"Assessment year {filing.assessment_year}. It is on your dashboard under Clients.",
                   link=f"/filings/{filing.id}")
    except BaseException:
        session.rollback()
        raise
    return grant


def revoke(session: Session, filing: Filing, owner: User, grant_id: int) -> None:
    try:
        grant = session.scalar(select(FilingGrant).where(FilingGrant.id == grant_id, FilingGrant.filing_id == filing.id)
                               .with_for_update())
        if grant is None:
            raise ApiError(404, "not_found", "No such sharing.")
        if grant.revoked_at is not None:
            session.rollback()
            return
        grant.revoked_at = datetime.now(UTC)
        audit.record(session, filing.user_id, owner.id, filing.id, "grant.revoke",
                     {"email": grant.email, "grant_id": grant.id}, None)
        if grant.preparer_id is None:
            session.commit()
        else:
            notify(session, grant.preparer_id, "filing.unshared", f"{owner.name} stopped sharing a return with you",
                   f"Assessment year {filing.assessment_year}.", email=False)
    except BaseException:
        session.rollback()
        raise


def claim_invitations(session: Session, preparer: User) -> None:
    """Link invitations sent to this preparer's email before they had an account here."""
    if preparer.role != "preparer":
        return
    pending = list(session.scalars(select(FilingGrant).where(FilingGrant.email == preparer.email,
                                                             FilingGrant.preparer_id.is_(None),
                                                             FilingGrant.revoked_at.is_(None))))
    for grant in pending:
        grant.preparer_id = preparer.id
    if pending:
        session.commit()


def clients(session: Session, preparer: User) -> list[dict[str, Any]]:
    """The filings shared with this preparer, with their owner, status and what is missing."""
    rows = session.execute(
        select(Filing, User).join(FilingGrant, FilingGrant.filing_id == Filing.id).join(User, User.id == Filing.user_id)
        .where(FilingGrant.preparer_id == preparer.id, FilingGrant.revoked_at.is_(None))
        .order_by(User.name, Filing.assessment_year.desc())
    ).all()
    owners = {owner.id for _, owner in rows}
    with_refund = set(session.scalars(select(BankAccount.user_id).where(
        BankAccount.user_id.in_(owners), BankAccount.refund))) if owners else set()
    return [{"filing": filing, "owner": owner, "missing": service.missing(filing, owner.id in with_refund)}
            for filing, owner in rows]
