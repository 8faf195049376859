"""Service tickets: a user asks, staff answer, both sides are notified; only the people involved see it."""
from __future__ import annotations

from sqlalchemy import func, select

from tests.integration.conftest import user_id


def _open(api, **extra):
    r = api.post("/api/v1/tickets", json={"subject": "Form 16 TDS does not match", "body": "My TDS looks wrong.", **extra})
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def _mail_jobs(email_kind: str) -> list:
    from app.extensions import db
    from app.models import Outbox

    db.session.rollback()
    return [row.args for row in db.session.scalars(select(Outbox).where(Outbox.func == "jobs.mail.deliver"))
            if row.args[0] == email_kind]


def test_a_ticket_goes_back_and_forth_between_user_and_admin_with_notifications(api, api_for, notes):
    admin = api_for("admin@example.com", role="admin")
    ticket = _open(api)
    assert ticket["status"] == "open" and ticket["messages"][0]["body"] == "My TDS looks wrong."
    opened = notes("admin@example.com", "ticket_opened")
    assert [n.link for n in opened] == [f"/tickets/{ticket['id']}"]

    queue = admin.get("/api/v1/tickets?scope=queue").get_json()["items"]
    assert [t["id"] for t in queue] == [ticket["id"]]

    r = admin.post(f"/api/v1/tickets/{ticket['id']}/messages", json={"body": "Please attach your Form 26AS."})
    assert r.status_code == 201
    replies = notes("asha@example.com", "ticket_reply")
    assert len(replies) == 1 and replies[0].link == f"/tickets/{ticket['id']}"
    assert len(_mail_jobs("ticket_reply")) == 1

    api.post(f"/api/v1/tickets/{ticket['id']}/messages", json={"body": "Attached it, thanks."})
    assert len(notes("admin@example.com", "ticket_reply")) == 1

    thread = api.get(f"/api/v1/tickets/{ticket['id']}").get_json()["messages"]
    assert [(m["body"], m["staff"]) for m in thread] == [
        ("My TDS looks wrong.", False), ("Please attach your Form 26AS.", True), ("Attached it, thanks.", False)]

    closed = admin.post(f"/api/v1/tickets/{ticket['id']}/close").get_json()
    assert closed["status"] == "closed"
    assert [n.title for n in notes("asha@example.com", "ticket_closed")] == [f"Ticket #{ticket['id']} was closed"]
    r = api.post(f"/api/v1/tickets/{ticket['id']}/messages", json={"body": "One more thing"})
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "ticket_closed"
    assert admin.get("/api/v1/tickets?scope=queue").get_json()["items"] == []


def test_closing_notifies_the_other_side(api, api_for, notes):
    admin = api_for("admin@example.com", role="admin")
    ticket = _open(api)
    admin.post(f"/api/v1/tickets/{ticket['id']}/assign", json={"assignee_id": user_id("admin@example.com")})
    api.post(f"/api/v1/tickets/{ticket['id']}/close")
    assert [n.title for n in notes("admin@example.com", "ticket_closed")] == [f"Ticket #{ticket['id']} was closed"]


def test_a_reply_email_is_delivered_by_the_mail_worker(api, api_for, worker, wait_job, app):
    from app.extensions import db
    from app.models import Job

    admin = api_for("admin@example.com", role="admin")
    ticket = _open(api)
    admin.post(f"/api/v1/tickets/{ticket['id']}/messages", json={"body": "We are on it."})
    db.session.rollback()
    job_id = db.session.scalar(select(Job.id).where(Job.kind == "email"))
    job = wait_job(job_id)
    assert job.status == "finished" and job.result["sent"] is True
    mail = (app.config["TAXDESK"].mail_dir / job.result["file"]).read_text()
    assert "asha@example.com" in mail and "ticket_reply" in mail


def test_no_reply_email_is_queued_for_someone_who_turned_email_off(api, api_for, notes):
    from app.extensions import db
    from app.models import User

    db.session.execute(User.__table__.update().where(User.email == "asha@example.com").values(email_notifications=False))
    db.session.commit()
    admin = api_for("admin@example.com", role="admin")
    ticket = _open(api)
    admin.post(f"/api/v1/tickets/{ticket['id']}/messages", json={"body": "Answer"})
    assert len(notes("asha@example.com", "ticket_reply")) == 1
    assert _mail_jobs("ticket_reply") == []


def test_another_user_gets_404_for_everything_about_my_ticket(api, other_api, stored_document):
    document_id = stored_document("asha@example.com")
    ticket = _open(api, document_id=document_id)
    tid = ticket["id"]
    assert other_api.get(f"/api/v1/tickets/{tid}").status_code == 404
    assert other_api.post(f"/api/v1/tickets/{tid}/messages", json={"body": "hi"}).status_code == 404
    assert other_api.post(f"/api/v1/tickets/{tid}/close").status_code == 404
    assert other_api.post(f"/api/v1/tickets/{tid}/assign", json={"assignee_id": None}).status_code == 404
    assert other_api.get("/api/v1/tickets").get_json()["items"] == []
    assert other_api.get("/api/v1/tickets?scope=queue").status_code == 404
    for path in (f"/tickets/{tid}", f"/tickets/{tid}/attachment", "/tickets/queue"):
        assert other_api.client.get(path).status_code == 404, path
    for path in (f"/tickets/{tid}/messages", f"/tickets/{tid}/close", f"/tickets/{tid}/assign"):
        assert other_api.post(path, data={"body": "x"}).status_code == 404, path
    assert api.get(f"/api/v1/tickets/{tid}").get_json()["messages"][0]["body"] == "My TDS looks wrong."


def test_a_preparer_takes_a_clients_ticket_from_the_queue_and_then_sees_it(api, api_for, grant, notes):
    preparer = api_for("priya@example.com", role="preparer")
    stranger = api_for("pavan@example.com", role="preparer")
    grant("asha@example.com", "priya@example.com")
    ticket = _open(api)
    tid = ticket["id"]
    assert [t["id"] for t in preparer.get("/api/v1/tickets?scope=queue").get_json()["items"]] == [tid]
    assert stranger.get("/api/v1/tickets?scope=queue").get_json()["items"] == []
    assert preparer.get(f"/api/v1/tickets/{tid}").status_code == 404  # not theirs until they take it

    priya_id = user_id("priya@example.com")
    assert stranger.post(f"/api/v1/tickets/{tid}/assign", json={"assignee_id": user_id("pavan@example.com")}).status_code == 404
    r = preparer.post(f"/api/v1/tickets/{tid}/assign", json={"assignee_id": priya_id})
    assert r.status_code == 200 and r.get_json()["assignee"]["name"] == "Priya"
    assert notes("asha@example.com", "ticket_assigned")[0].title == f"Priya is handling ticket #{tid}"

    preparer.post(f"/api/v1/tickets/{tid}/messages", json={"body": "I will check your 26AS."})
    assert len(notes("asha@example.com", "ticket_reply")) == 1
    api.post(f"/api/v1/tickets/{tid}/messages", json={"body": "Thanks"})
    assert len(notes("priya@example.com", "ticket_reply")) == 1  # the assignee, not every admin
    assert stranger.get(f"/api/v1/tickets/{tid}").status_code == 404
    assert stranger.client.get(f"/tickets/{tid}").status_code == 404

    r = preparer.post(f"/api/v1/tickets/{tid}/assign", json={"assignee_id": None})
    assert r.status_code == 200 and r.get_json()["assignee"] is None
    assert preparer.get(f"/api/v1/tickets/{tid}").status_code == 404




def test_a_preparer_cannot_hand_a_ticket_to_someone_else(api, api_for, grant):
    preparer = api_for("priya@example.com", role="preparer")
    api_for("pavan@example.com", role="preparer")
    grant("asha@example.com", "priya@example.com")
    tid = _open(api)["id"]
    r = preparer.post(f"/api/v1/tickets/{tid}/assign", json={"assignee_id": user_id("pavan@example.com")})
    assert r.status_code == 422 and "assignee_id" in r.get_json()["error"]["fields"]


def test_an_admin_assigns_a_ticket_to_a_preparer_who_is_notified(api, api_for, notes):
    admin = api_for("admin@example.com", role="admin")
    api_for("pavan@example.com", role="preparer")
    tid = _open(api)["id"]
    r = admin.post(f"/api/v1/tickets/{tid}/assign", json={"assignee_id": user_id("pavan@example.com")})
    assert r.status_code == 200
    assert [n.link for n in notes("pavan@example.com", "ticket_assigned")] == [f"/tickets/{tid}"]
    r = admin.post(f"/api/v1/tickets/{tid}/assign", json={"assignee_id": user_id("asha@example.com")})
    assert r.status_code == 422  # a taxpayer cannot take tickets


def test_a_ticket_attaches_only_my_own_returns_and_documents(api, other_api, stored_document, grant):
    theirs = stored_document("ravi@example.com", b"%PDF-1.4 ravi")
    r = api.post("/api/v1/tickets", json={"subject": "Hi", "body": "Look", "document_id": theirs, "filing_id": 999})
    assert r.status_code == 422
    assert set(r.get_json()["error"]["fields"]) == {"document_id", "filing_id"}
    r = api.post("/api/v1/tickets", json={"subject": " ", "body": ""})
    assert set(r.get_json()["error"]["fields"]) == {"subject", "body"}
    from app.extensions import db
    from app.models import ServiceTicket

    assert db.session.scalar(select(func.count()).select_from(ServiceTicket)) == 0


def test_the_assigned_preparer_downloads_the_attachment_and_nobody_else(api, api_for, other_api, stored_document):
    admin = api_for("admin@example.com", role="admin")
    preparer = api_for("priya@example.com", role="preparer")
    document_id = stored_document("asha@example.com", b"%PDF-1.4 my form 16")
    tid = _open(api, document_id=document_id)["id"]
    assert preparer.client.get(f"/tickets/{tid}/attachment").status_code == 404
    admin.post(f"/api/v1/tickets/{tid}/assign", json={"assignee_id": user_id("priya@example.com")})
    r = preparer.client.get(f"/tickets/{tid}/attachment")
    assert r.status_code == 200 and r.data == b"%PDF-1.4 my form 16"
    assert api.client.get(f"/tickets/{tid}/attachment").data == b"%PDF-1.4 my form 16"
    assert other_api.client.get(f"/tickets/{tid}/attachment").status_code == 404


def test_my_tickets_come_newest_first_one_page_at_a_time(api):
    ids = [_open(api)["id"] for _ in range(5)]
    first = api.get("/api/v1/tickets?limit=2").get_json()
    assert [t["id"] for t in first["items"]] == ids[::-1][:2]
    rest = api.get(f"/api/v1/tickets?limit=10&before={first['next_before']}").get_json()
    assert [t["id"] for t in rest["items"]] == ids[::-1][2:] and rest["next_before"] is None


def test_ticket_pages_work_with_plain_forms(api, api_for):
    admin = api_for("admin@example.com", role="admin")
    c = api.client
    assert c.get("/tickets").status_code == 200
    blank = c.get("/tickets/new").data
    assert b"Your question" in blank and b"field-error" not in blank and b"aria-invalid" not in blank
    r = api.post("/tickets/new", data={"subject": "", "body": "x"})
    assert r.status_code == 422 and b"Say in a few words" in r.data and b'aria-invalid="true"' in r.data
    r = api.post("/tickets/new", data={"subject": "Refund status", "body": "Where is my refund?"})
    assert r.status_code == 302
    tid = int(r.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    page = c.get(f"/tickets/{tid}")
    assert page.status_code == 200 and b"Where is my refund?" in page.data
    assert api.post(f"/tickets/{tid}/messages", data={"body": ""}).status_code == 422
    assert api.post(f"/tickets/{tid}/messages", data={"body": "Any news?"}).status_code == 302
    assert c.get("/tickets/queue").status_code == 404

    assert b"Refund status" in admin.client.get("/tickets/queue").data
    assert b"Any news?" in admin.client.get(f"/tickets/{tid}").data
    assert admin.post(f"/tickets/{tid}/close").status_code == 302
    assert b"This ticket is closed" in c.get(f"/tickets/{tid}").data


def test_signed_out_visitors_are_sent_to_sign_in(client):
    r = client.get("/tickets")
    assert r.status_code == 302 and "/login" in r.headers["Location"]
    assert client.get("/api/v1/tickets").status_code == 401
