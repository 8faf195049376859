"""Bank accounts of a taxpayer (IFSC-validated); exactly one is the refund account whenever any exist."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..errors import ApiError
from ..models import BankAccount, Filing, User
from ..services import audit
from . import validation


def listing(session: Session, user_id: int) -> list[BankAccount]:
    return list(session.scalars(select(BankAccount).where(BankAccount.user_id == user_id).order_by(BankAccount.id)))


def as_json(account: BankAccount) -> dict[str, Any]:
    return {"id": account.id, "ifsc": account.ifsc, "account_number": account.account_number,
            "bank_name": account.bank_name, "refund": account.refund}


def _snapshot(account: BankAccount) -> dict[str, Any]:
    return {k: v for k, v in as_json(account).items() if k != "id"}


def _lock_owner(session: Session, owner_id: int) -> None:
    # Serialises changes to one taxpayer's accounts, so two requests cannot both leave none (or two) for refunds.
    session.execute(select(User.id).where(User.id == owner_id).with_for_update())


def add(session: Session, owner_id: int, actor: User, data: Any, filing: Filing | None = None) -> BankAccount:
    clean, errors = validation.clean_bank_account(data)
    if errors:
        raise ApiError(422, "invalid_fields", "Check the bank account details.", errors)
    try:
        _lock_owner(session, owner_id)
        existing = listing(session, owner_id)
        if any(a.ifsc == clean["ifsc"] and a.account_number == clean["account_number"] for a in existing):
            raise ApiError(409, "account_exists", "This account is already on your list.",
                           {"account_number": "This account is already on your list."})
        refund = clean["refund"] or not any(a.refund for a in existing)
        if refund:
            session.execute(update(BankAccount).where(BankAccount.user_id == owner_id, BankAccount.refund)
                            .values(refund=False))
        account = BankAccount(user_id=owner_id, ifsc=clean["ifsc"], account_number=clean["account_number"],
                              bank_name=clean["bank_name"], refund=refund)
        session.add(account)
        session.flush()
        audit.record(session, owner_id, actor.id, filing.id if filing else None, "bank_account.add", None,
                     _snapshot(account))
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return account


def _owned(session: Session, owner_id: int, account_id: int) -> BankAccount:
    account = session.scalar(select(BankAccount).where(BankAccount.id == account_id, BankAccount.user_id == owner_id))
    if account is None:
        raise ApiError(404, "not_found", "No such bank account.")
    return account


def use_for_refund(session: Session, owner_id: int, actor: User, account_id: int,
                   filing: Filing | None = None) -> BankAccount:
    try:
        _lock_owner(session, owner_id)
        account = _owned(session, owner_id, account_id)
        if not account.refund:
            previous = session.scalar(select(BankAccount).where(BankAccount.user_id == owner_id, BankAccount.refund))
            session.execute(update(BankAccount).where(BankAccount.user_id == owner_id, BankAccount.refund)
                            .values(refund=False))
            session.flush()
            account.refund = True
            audit.record(session, owner_id, actor.id, filing.id if filing else None, "bank_account.refund",
                         {"refund_account": previous.account_number if previous else None},
                         {"refund_account": account.account_number})
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return account


def remove(session: Session, owner_id: int, actor: User, account_id: int, filing: Filing | None = None) -> None:
    """Delete an account; if it took the refunds, the oldest remaining account takes them."""
    try:
        _lock_owner(session, owner_id)
        account = _owned(session, owner_id, account_id)
        was_refund = account.refund
        audit.record(session, owner_id, actor.id, filing.id if filing else None, "bank_account.remove",
                     _snapshot(account), None)
        session.delete(account)
        session.flush()
        if was_refund:
            heir = session.scalar(select(BankAccount).where(BankAccount.user_id == owner_id)
                                  .order_by(BankAccount.id).limit(1))
            if heir is not None:
                heir.refund = True
        session.commit()
    except BaseException:
        session.rollback()
        raise
