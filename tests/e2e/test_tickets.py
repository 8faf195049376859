"""Service tickets in the browser: a user asks about a return with a document attached, an admin
takes it from the queue, they talk, the admin closes it; each side sees the other's moves live,
and a third user sees none of it."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import api, assert_accessible, flash, nav, screenshot, wait_live
from tests.unit.documents.generate import make_form16_pdf


def test_a_ticket_goes_back_and_forth_between_a_user_and_an_admin_live(signed_up, tmp_path) -> None:
    user, page = signed_up("Anita Desai")
    admin, desk = signed_up("Sunil Menon", role="admin")
    api(page, "POST", "/api/v1/filings", data={"assessment_year": "2025-26"})
    make_form16_pdf(tmp_path / "form16.pdf", {})
    api(page, "POST", "/api/v1/documents", multipart={
        "file": {"name": "form16.pdf", "mimeType": "application/pdf", "buffer": (tmp_path / "form16.pdf").read_bytes()}})

    nav(page, "Tickets").click()
    page.get_by_role("link", name="Ask a question").click()
    assert_accessible(page)
    page.get_by_role("button", name="Open ticket").click()
    expect(page.locator("#subject-error")).to_be_visible()
    page.get_by_label("Subject").fill("Is my Form 16 salary right?")
    page.get_by_label("About which return").select_option(label="Assessment year 2025-26")
    page.get_by_label("Attach one of your documents").select_option(label="form16.pdf")
    page.get_by_label("Your question").fill("The gross salary looks higher than my payslips.")
    page.get_by_role("button", name="Open ticket").click()
    expect(flash(page)).to_contain_text("Your ticket is open")
    ticket_url = page.url
    ticket_id = re.search(r"/tickets/(\d+)", ticket_url).group(1)
    wait_live(page)

    nav(desk, "Tickets").click()
    desk.get_by_role("link", name="Ticket queue").click()
    assert_accessible(desk)
    row = desk.locator(f"tr[data-ticket='{ticket_id}']")
    expect(row).to_contain_text("Is my Form 16 salary right?")
    expect(row).to_contain_text("Anita Desai")
    screenshot(desk, "ticket-queue")
    row.get_by_role("button", name=f"Take ticket #{ticket_id}").click()
    expect(flash(desk)).to_have_text(f"Ticket #{ticket_id} is assigned.")
    expect(page.locator("#ticket-assignee")).to_have_text("Sunil Menon")

    attachment = desk.get_by_role("link", name="Download the attachment")
    response = desk.context.request.get(attachment.get_attribute("href"))
    assert response.status == 200 and response.body().startswith(b"%PDF")

    wait_live(desk)
    desk.get_by_label("Reply").fill("It includes your annual bonus; the figure is right.")
    desk.get_by_role("button", name="Send reply").click()
    expect(page.locator("#ticket-thread")).to_contain_text("It includes your annual bonus")
    expect(page.locator("#unread-badge")).to_be_visible()

    page.get_by_label("Reply").fill("Thank you, that explains it.")
    page.get_by_role("button", name="Send reply").click()
    expect(desk.locator("#ticket-thread")).to_contain_text("Thank you, that explains it.")
    assert_accessible(desk)
    screenshot(page, "ticket")

    desk.get_by_role("button", name="Close ticket").click()
    expect(desk.locator("#ticket-status")).to_have_text("closed")
    expect(page.locator("#ticket-status")).to_have_text("closed")
    expect(page.locator("main")).to_contain_text("This ticket is closed.")


def test_another_user_sees_none_of_my_tickets(signed_up) -> None:
    _, page = signed_up("Rohan Gupta")
    page.goto("/tickets/new")
    page.get_by_label("Subject").fill("Private question")
    page.get_by_label("Your question").fill("About my own money.")
    page.get_by_role("button", name="Open ticket").click()
    expect(flash(page)).to_contain_text("Your ticket is open")
    ticket_path = re.search(r"/tickets/\d+", page.url).group(0)

    _, stranger = signed_up("Neha Joshi")
    for path in (ticket_path, ticket_path + "/attachment"):
        response = stranger.goto(path)
        assert response.status == 404, path
    expect(stranger.get_by_role("heading", level=1)).to_have_text("Not found")
    stranger.goto("/tickets")
    expect(stranger.locator("main")).to_contain_text("You have not opened any tickets.")
    assert stranger.goto("/tickets/queue").status == 404
