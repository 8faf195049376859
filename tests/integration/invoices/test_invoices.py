"""Invoices: a preparer bills a client (GST at 18%, total in words), the client sees, pays and downloads it."""
from __future__ import annotations

import pypdfium2 as pdfium
from sqlalchemy import func, select

FEE = [{"description": "Assisted ITR-1 filing", "quantity": 1, "rate": 100_000},
       {"description": "Capital gains statement review", "quantity": 2, "rate": 2_312}]


def _count() -> int:
    from app.extensions import db
    from app.models import Invoice

    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(Invoice))


def _pdf_text(data: bytes) -> str:
    pdf = pdfium.PdfDocument(data)
    try:
        return " ".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()


def test_a_preparer_invoices_a_client_who_sees_pays_and_downloads_it(api, api_for, grant, uid, notes):
    preparer = api_for("priya@example.com", role="preparer")
    filing_id = grant("asha@example.com", "priya@example.com")
    r = preparer.post("/api/v1/invoices", json={"user_id": uid("asha@example.com"), "filing_id": filing_id, "items": FEE})
    assert r.status_code == 201, r.get_json()
    invoice = r.get_json()
    assert (invoice["subtotal"], invoice["gst"], invoice["total"]) == (104_624, 18_832, 123_456)
    assert invoice["total_in_words"] == "Rupees One Lakh Twenty-Three Thousand Four Hundred Fifty-Six only"
    assert [i["amount"] for i in invoice["items"]] == [100_000, 4_624]
    assert invoice["number"].startswith("TD/") and len(invoice["number"]) <= 16
    assert invoice["status"] == "issued" and invoice["customer"]["email"] == "asha@example.com"
    assert [n.link for n in notes("asha@example.com", "invoice_issued")] == [f"/invoices/{invoice['id']}"]

    assert [i["id"] for i in api.get("/api/v1/invoices").get_json()["items"]] == [invoice["id"]]
    assert api.get(f"/api/v1/invoices/{invoice['id']}").get_json()["total"] == 123_456
    page = api.client.get(f"/invoices/{invoice['id']}")
    assert page.status_code == 200 and "₹1,23,456".encode() in page.data and b"One Lakh Twenty-Three" in page.data

    pdf = api.client.get(f"/invoices/{invoice['id']}/pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    assert "attachment" in pdf.headers["Content-Disposition"]
    text = _pdf_text(pdf.data)
    assert invoice["number"] in text and "1,23,456" in text and "One Lakh Twenty-Three Thousand" in text

    paid = api.post(f"/api/v1/invoices/{invoice['id']}/paid").get_json()
    assert paid["status"] == "paid" and paid["paid_at"]
    assert len(notes("priya@example.com", "invoice_paid")) == 1
    again = api.post(f"/api/v1/invoices/{invoice['id']}/paid").get_json()
    assert again["paid_at"] == paid["paid_at"] and len(notes("priya@example.com", "invoice_paid")) == 1
    assert "Paid on" in _pdf_text(api.client.get(f"/invoices/{invoice['id']}/pdf").data)


def test_gst_on_an_odd_subtotal_rounds_half_up(api_for, api, grant, uid):
    preparer = api_for("priya@example.com", role="preparer")
    grant("asha@example.com", "priya@example.com")
    r = preparer.post("/api/v1/invoices", json={"user_id": uid("asha@example.com"),
                                                 "items": [{"description": "Advice", "quantity": 1, "rate": 25}]})
    assert (r.get_json()["gst"], r.get_json()["total"]) == (5, 30)


def test_a_free_line_at_rate_0_is_accepted_beside_a_paid_one(api_for, api, grant, uid):
    preparer = api_for("priya@example.com", role="preparer")
    grant("asha@example.com", "priya@example.com")
    r = preparer.post("/api/v1/invoices", json={"user_id": uid("asha@example.com"), "items": [
        {"description": "Advice", "quantity": "2", "rate": 500}, {"description": "First review", "quantity": 1, "rate": 0}]})
    assert r.status_code == 201, r.get_json()
    assert (r.get_json()["subtotal"], r.get_json()["total"]) == (1000, 1180)


def test_a_preparer_cannot_invoice_someone_who_has_not_shared_a_return(api, api_for, grant, uid):
    preparer = api_for("priya@example.com", role="preparer")
    api_for("pavan@example.com", role="preparer")
    grant("asha@example.com", "pavan@example.com")
    r = preparer.post("/api/v1/invoices", json={"user_id": uid("asha@example.com"), "items": FEE})
    assert r.status_code == 422 and "customer" in r.get_json()["error"]["fields"]
    grant("asha@example.com", "priya@example.com", assessment_year="2025-26", revoked=True)
    r = preparer.post("/api/v1/invoices", json={"customer_email": "asha@example.com", "items": FEE})
    assert r.status_code == 422 and "customer" in r.get_json()["error"]["fields"]
    assert _count() == 0


def test_a_preparer_cannot_attach_a_return_not_shared_with_them(api, api_for, grant, uid):
    preparer = api_for("priya@example.com", role="preparer")
    api_for("pavan@example.com", role="preparer")
    grant("asha@example.com", "priya@example.com")
    other_filing = grant("asha@example.com", "pavan@example.com", assessment_year="2025-26")
    r = preparer.post("/api/v1/invoices", json={"user_id": uid("asha@example.com"), "filing_id": other_filing,
                                                 "items": FEE})
    assert r.status_code == 422 and set(r.get_json()["error"]["fields"]) == {"filing_id"}


def test_an_admin_can_invoice_anyone_by_email(api, api_for):
    admin = api_for("admin@example.com", role="admin")
    r = admin.post("/api/v1/invoices", json={"customer_email": "ASHA@example.com", "items": FEE})
    assert r.status_code == 201 and r.get_json()["customer"]["email"] == "asha@example.com"
    r = admin.post("/api/v1/invoices", json={"customer_email": "admin@example.com", "items": FEE})
    assert r.status_code == 422  # not to themselves


def test_bad_lines_are_reported_per_field_and_nothing_is_saved(api, api_for, grant, uid):
    preparer = api_for("priya@example.com", role="preparer")
    grant("asha@example.com", "priya@example.com")
    items = [{"description": "", "quantity": 0, "rate": -5}, {"description": "Fine", "quantity": "2", "rate": "1.5"}]
    r = preparer.post("/api/v1/invoices", json={"user_id": uid("asha@example.com"), "items": items})
    assert r.status_code == 422
    assert set(r.get_json()["error"]["fields"]) == {"items.0.description", "items.0.quantity", "items.0.rate",
                                                    "items.1.rate"}
    r = preparer.post("/api/v1/invoices", json={"user_id": uid("asha@example.com"), "items": []})
    assert set(r.get_json()["error"]["fields"]) == {"items"}
    r = preparer.post("/api/v1/invoices", json={"user_id": uid("asha@example.com"), "items": FEE, "discount": 5})
    assert r.status_code == 422 and r.get_json()["error"]["code"] == "unknown_field"
    assert _count() == 0


def test_taxpayers_cannot_issue_invoices(api, other_api, uid):
    r = api.post("/api/v1/invoices", json={"user_id": uid("ravi@example.com"), "items": FEE})
    assert r.status_code == 404
    assert api.client.get("/invoices/new").status_code == 404


def test_another_user_or_preparer_gets_404_for_my_invoice(api, other_api, api_for, grant, uid):
    preparer = api_for("priya@example.com", role="preparer")
    stranger = api_for("pavan@example.com", role="preparer")
    grant("asha@example.com", "priya@example.com")
    iid = preparer.post("/api/v1/invoices", json={"user_id": uid("asha@example.com"), "items": FEE}).get_json()["id"]
    for someone in (other_api, stranger):
        assert someone.get(f"/api/v1/invoices/{iid}").status_code == 404
        assert someone.post(f"/api/v1/invoices/{iid}/paid").status_code == 404
        assert someone.get("/api/v1/invoices").get_json()["items"] == []
        for path in (f"/invoices/{iid}", f"/invoices/{iid}/pdf"):
            assert someone.client.get(path).status_code == 404, path
        assert someone.post(f"/invoices/{iid}/paid").status_code == 404
    assert api.get(f"/api/v1/invoices/{iid}").get_json()["status"] == "issued"
    assert preparer.get(f"/api/v1/invoices/{iid}").status_code == 200
    admin = api_for("admin@example.com", role="admin")
    assert admin.client.get(f"/invoices/{iid}/pdf").status_code == 200


def test_the_invoice_form_issues_an_invoice_and_shows_errors_next_to_fields(api, api_for, grant, uid):
    preparer = api_for("priya@example.com", role="preparer")
    filing_id = grant("asha@example.com", "priya@example.com")
    form = preparer.client.get("/invoices/new")
    assert form.status_code == 200 and b"asha@example.com" in form.data and b"AY 2026-27" in form.data
    assert b"field-error" not in form.data
    r = preparer.post("/invoices/new", data={"user_id": str(uid("asha@example.com")), "items-0-description": "Filing",
                                             "items-0-quantity": "1", "items-0-rate": "", "items-2-description": "x",
                                             "items-2-quantity": "1", "items-2-rate": "10"})
    assert r.status_code == 422
    assert b'id="items-0-rate-error"' in r.data and b'id="items-2-rate-error"' not in r.data
    r = preparer.post("/invoices/new", data={"user_id": str(uid("asha@example.com")), "filing_id": str(filing_id),
                                             "items-0-description": "Filing", "items-0-quantity": "1",
                                             "items-0-rate": "1000"})
    assert r.status_code == 302
    listing = api.client.get("/invoices")
    assert listing.status_code == 200 and "₹1,180".encode() in listing.data
    iid = api.get("/api/v1/invoices").get_json()["items"][0]["id"]
    assert api.post(f"/invoices/{iid}/paid").status_code == 302
    assert api.get(f"/api/v1/invoices/{iid}").get_json()["status"] == "paid"


def test_invoice_lists_are_paged_newest_first(api_for, api, grant, uid):
    preparer = api_for("priya@example.com", role="preparer")
    grant("asha@example.com", "priya@example.com")
    ids = [preparer.post("/api/v1/invoices", json={"user_id": uid("asha@example.com"), "items": FEE}).get_json()["id"]
           for _ in range(3)]
    first = api.get("/api/v1/invoices?limit=2").get_json()
    assert [i["id"] for i in first["items"]] == ids[::-1][:2]
    rest = api.get(f"/api/v1/invoices?before={first['next_before']}").get_json()
    assert [i["id"] for i in rest["items"]] == ids[:1] and rest["next_before"] is None
