"""Admin pages in the browser: find a user and change their role or disable them, watch the queues
and retry a failed job, open the RQ dashboard, and broadcast an announcement users see live."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import api, assert_accessible, flash, nav, screenshot, wait_live
from tests.unit.documents.generate import make_form16_pdf, make_truncated


def test_an_admin_finds_a_user_makes_them_a_preparer_then_disables_them(signed_up) -> None:
    target, page = signed_up("Gopal Verma")
    _, desk = signed_up("Indira Admin", role="admin")

    nav(desk, "Admin").click()
    expect(desk.get_by_role("heading", level=1)).to_have_text("Users")
    assert_accessible(desk)
    desk.get_by_label("Search by email or name").fill(target.email)
    desk.get_by_role("button", name="Search").click()
    rows = desk.locator("tr[data-user-row]")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("Gopal Verma")
    screenshot(desk, "admin-users")

    desk.get_by_label(f"Role of {target.email}").select_option("preparer")
    desk.get_by_role("button", name=f"Save {target.email}").click()
    expect(flash(desk)).to_have_text(f"Saved {target.email}: preparer, active.")
    page.goto("/tickets")
    expect(page.get_by_role("link", name="Ticket queue")).to_be_visible()

    desk.get_by_label(f"Status of {target.email}").select_option("false")
    desk.get_by_role("button", name=f"Save {target.email}").click()
    expect(flash(desk)).to_have_text(f"Saved {target.email}: preparer, disabled.")
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login"))


def test_an_admin_sees_queue_depths_and_retries_a_failed_job(signed_up, tmp_path) -> None:
    user, page = signed_up("Harish Bose")
    _, desk = signed_up("Kavya Admin", role="admin")
    make_form16_pdf(tmp_path / "whole.pdf", {})
    broken = make_truncated(tmp_path / "broken.pdf", tmp_path / "whole.pdf", keep=0.5).read_bytes()
    api(page, "POST", "/api/v1/documents", multipart={
        "file": {"name": "broken.pdf", "mimeType": "application/pdf", "buffer": broken}})
    page.goto("/documents")
    row = page.locator("[data-documents] tbody tr").filter(has_text="broken.pdf")
    expect(row.locator("[data-status-label]")).to_have_text("failed", timeout=60_000)

    desk.goto("/admin/queues")
    assert_accessible(desk)
    for queue in ("tax", "ocr", "documents"):
        expect(desk.locator(f"tr[data-queue='{queue}']")).to_be_visible()
    failed = desk.locator("tr[data-job]").filter(has_text=user.email)
    expect(failed).to_have_count(1)
    screenshot(desk, "admin-queues")
    failed.get_by_role("button", name=re.compile("^Retry")).click()
    expect(flash(desk)).to_have_text("The job is queued again.")

    desk.get_by_role("link", name="Open the RQ dashboard").click()
    expect(desk).to_have_url(re.compile(r"/admin/rq/"))
    expect(desk.locator("body")).to_contain_text(re.compile("queues", re.I))
    assert page.goto("/admin/queues").status == 404
    assert page.context.request.get("/admin/rq/").status == 404


def test_an_announcement_reaches_a_signed_in_user_live(signed_up) -> None:
    _, page = signed_up("Sanjay Pal")
    _, desk = signed_up("Ritu Admin", role="admin")
    wait_live(page)
    expect(page.locator("#unread-badge")).to_be_hidden()
    expect(page.locator("[data-activity-notes-empty]")).to_be_visible()

    desk.goto("/admin/announcements")
    assert_accessible(desk)
    desk.get_by_role("button", name="Send to everyone").click()
    expect(desk.locator("#title-error")).to_be_visible()
    desk.get_by_label("Title").fill("Filing season opens on 1 June")
    desk.get_by_label("Text (optional)").fill("Upload your Form 16 as soon as your employer issues it.")
    desk.get_by_role("button", name="Send to everyone").click()
    expect(desk.locator("#announcement-status")).to_have_text("Sent to everyone.")

    expect(page.locator("#unread-count")).to_have_text("1")
    expect(page.locator("[data-activity-notes]")).to_contain_text("Filing season opens on 1 June")
    expect(page.get_by_role("navigation", name="Quick actions").get_by_role("link")).to_have_count(4)
    page.get_by_role("link", name=re.compile("^Notifications")).click()
    note = page.locator("#notes-list li").first
    expect(note).to_contain_text("Filing season opens on 1 June")
    expect(note).to_contain_text("Announcement")
    assert_accessible(page)
    screenshot(page, "notifications")
    note.get_by_role("button", name=re.compile("^Mark as read")).click()
    expect(page.locator("#unread-badge")).to_be_hidden()
