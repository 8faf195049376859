"""A small world to attack: one taxpayer (the owner) with a filing, a bank account, a document,
a job, a notification, a ticket and an invoice, plus the people who try to reach them.

Actors: `anonymous` (no session), `owner`, `other` (another taxpayer), `assigned` (the preparer
the owner granted the filing to, who is also the ticket's assignee and the invoice's issuer),
`preparer` (a preparer nobody assigned) and `admin`. Every actor is a signed-in `Api` (anonymous
holds only a CSRF token), so unsafe requests always carry a valid CSRF header: a refusal is about
who is asking, never about a missing token.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import pytest
from PIL import Image
from sqlalchemy import select

from tests.conftest import PASSWORD, Api

ACTORS = ("anonymous", "owner", "other", "assigned", "preparer", "admin")
OWNER_EMAIL = "owner@example.com"
OWNER_NAME = "Ownerly Secretson"
PAN = "ABCPS1234K"
ACCOUNT_NUMBER = "918273645501"
DOCUMENT_NAME = "owner-secret-form16.png"
TICKET_SUBJECT = "Owner secret ticket about HRA"
NOTE_TITLE = "Owner secret notice"
FAMILY_NAME = "Secretina Spousewell"
FOREIGN_BANK = "Hidden Bank of Singapore"


@dataclass
class World:
    actors: dict[str, Api]
    ids: dict[str, object]
    markers: list[str] = field(default_factory=list)

    def api(self, actor: str) -> Api:
        return self.actors[actor]


def png_bytes(colour: str = "white", size: tuple[int, int] = (40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


@pytest.fixture(scope="session")
def password_hash() -> str:
    from app.auth.service import hasher

    return hasher.hash(PASSWORD)


def signed_in(app, user_id: int) -> Api:
    """An Api whose session is signed in as user_id, written through the app's session interface
    (what service.login stores), without paying for a password check per actor and test."""
    api = Api(app.test_client())
    with api.client.session_transaction() as session:
        session["user_id"] = user_id
        session["since"] = datetime.now(UTC).isoformat(timespec="seconds")
        session.permanent = True
    return api


@pytest.fixture
def world(app, clean_state, password_hash, worker, wait_job) -> World:
    from app.extensions import db
    from app.models import (
        BankAccount,
        FamilyMember,
        Filing,
        FilingGrant,
        ForeignAsset,
        Invoice,
        ServiceTicket,
        TaxChallan,
        User,
        UserSession,
    )
    from app.services.notify import notify

    people = {"owner": (OWNER_EMAIL, "taxpayer"), "other": ("other@example.com", "taxpayer"),
              "assigned": ("assigned@example.com", "preparer"), "preparer": ("stranger.preparer@example.com", "preparer"),
              "admin": ("admin@example.com", "admin")}
    users = {actor: User(email=email, name=OWNER_NAME if actor == "owner" else actor.title(), role=role,
                         password_hash=password_hash) for actor, (email, role) in people.items()}
    db.session.add_all(users.values())
    db.session.commit()
    owner_id, assigned_id = users["owner"].id, users["assigned"].id
    actors = {actor: signed_in(app, user.id) for actor, user in users.items()}
    actors["anonymous"] = Api(app.test_client())

    filing = Filing(user_id=owner_id, assessment_year="2026-27",
                    personal={"name": OWNER_NAME, "pan": PAN, "dob": "1985-04-02"})
    db.session.add(filing)
    db.session.flush()
    bank = BankAccount(user_id=owner_id, ifsc="HDFC0001234", account_number=ACCOUNT_NUMBER,
                       bank_name="HDFC Bank", refund=True)
    grant = FilingGrant(filing_id=filing.id, user_id=owner_id, email="assigned@example.com", preparer_id=assigned_id)
    member = FamilyMember(filing_id=filing.id, user_id=owner_id, name=FAMILY_NAME, relation="spouse")
    asset = ForeignAsset(filing_id=filing.id, user_id=owner_id, country_code="SGP", asset_type="depository",
                         institution=FOREIGN_BANK, peak_value=500000, closing_value=400000)
    challan = TaxChallan(filing_id=filing.id, user_id=owner_id, kind="advance_tax", bsr_code="0510308",
                         paid_on=date(2025, 12, 14), serial_no=12345, amount=40000)
    db.session.add_all([bank, grant, member, asset, challan])
    db.session.commit()

    r = actors["owner"].client.post("/api/v1/documents", headers={"X-CSRFToken": actors["owner"].token},
                                     data={"file": (io.BytesIO(png_bytes()), DOCUMENT_NAME)},
                                     content_type="multipart/form-data")
    assert r.status_code == 202, r.get_data(as_text=True)
    document_id, job_id = r.get_json()["document_id"], r.get_json()["job_id"]

    note = notify(db.session, owner_id, "info", NOTE_TITLE, "body", email=False)
    r = actors["owner"].post("/api/v1/tickets", json={"subject": TICKET_SUBJECT, "body": "Please check my HRA.",
                                                     "filing_id": filing.id, "document_id": document_id})
    assert r.status_code == 201, r.get_json()
    ticket_id = r.get_json()["id"]
    db.session.get(ServiceTicket, ticket_id).assignee_id = assigned_id
    r = actors["assigned"].post("/api/v1/invoices", json={
        "user_id": owner_id, "filing_id": filing.id,
        "items": [{"description": "Assisted filing", "quantity": 1, "rate": 2500}]})
    assert r.status_code == 201, r.get_json()
    invoice_id = r.get_json()["id"]
    invoice_number = db.session.get(Invoice, invoice_id).number
    session_key = db.session.scalar(select(UserSession.id).where(UserSession.user_id == owner_id))
    db.session.commit()
    wait_job(job_id)  # so the worker's own writes (notification, mail job) cannot pass for an actor's

    ids = {
        "user": owner_id, "filing": filing.id, "bank_account": bank.id, "document": document_id, "job": job_id,
        "notification": note.id, "ticket": ticket_id, "invoice": invoice_id, "session_key": session_key,
        "assessment_year": "2026-27", "grant": grant.id, "family_member": member.id, "foreign_asset": asset.id,
        "challan": challan.id,
    }
    markers = [OWNER_EMAIL, PAN, ACCOUNT_NUMBER, DOCUMENT_NAME, TICKET_SUBJECT, NOTE_TITLE, invoice_number, OWNER_NAME,
               invoice_number.replace("/", "-")]
    return World(actors, ids, markers)
