"""Browser tests: Debian's Chromium driven by Playwright against the whole cluster (nginx, web,
realtime, workers, relay) started by `scripts/ctl`, exactly as an operator runs it.

The cluster gets its own PostgreSQL database and its own Redis for the e2e package, so the rest
of the suite (which truncates tables and flushes Redis between tests) never shares state with it,
and it is stopped as soon as the last browser test is done. Every test signs up users with unique
emails, so tests need no cleaning between them.
"""
from __future__ import annotations

import itertools
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.support.cluster import ROOT, Cluster
from tests.support.servers import PostgresServer, RedisServer

PASSWORD = "correct horse battery staple"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = "/usr/bin/chromium"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}

# The cluster answers in milliseconds, but OCR and tax jobs run in real workers.
expect.set_options(timeout=20_000)


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict[str, Any]:
    """Debian's Chromium (Playwright cannot download its own browsers here)."""
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} is missing: `scripts/bootstrap --test` (run by `make test`) installs it")
    return {
        "executable_path": CHROMIUM,
        "headless": True,
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"],
    }


@pytest.fixture(scope="package")
def e2e_database_url(pg_server: PostgresServer) -> str:
    pg_server.psql("CREATE DATABASE taxdesk_e2e")
    url = pg_server.url("taxdesk_e2e")
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "migrate")], env={**os.environ, "DATABASE_URL": url},
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return url


@pytest.fixture(scope="package")
def e2e_redis() -> Iterator[RedisServer]:
    server = RedisServer().start()
    yield server
    server.destroy()


@pytest.fixture(scope="package")
def cluster(e2e_database_url: str, e2e_redis: RedisServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    c = Cluster(tmp_path_factory.mktemp("e2e-cluster") / "var", e2e_database_url, e2e_redis.url).start()
    try:
        yield c
    finally:
        leftovers = c.stop()
    assert leftovers == [], f"processes left after scripts/ctl stop: {leftovers}"


@pytest.fixture(scope="package")
def browser_context_args(cluster: Cluster) -> dict[str, Any]:
    return {"base_url": cluster.url, "locale": "en-IN", "timezone_id": "Asia/Kolkata",
            "accept_downloads": True}


@pytest.fixture(scope="package")
def sql(pg_server: PostgresServer, e2e_database_url: str):
    """sql(statement) -> psql's unaligned output, run on the cluster's database."""
    return lambda statement: pg_server.psql(statement, database="taxdesk_e2e")


_serial = itertools.count(1)


@dataclass
class Person:
    email: str
    name: str
    role: str = "taxpayer"
    password: str = PASSWORD


@pytest.fixture
def person(request: pytest.FixtureRequest):
    """person(name, role=...) -> a Person with an email unique to this run (nothing is created)."""
    def make(name: str, role: str = "taxpayer") -> Person:
        slug = name.split()[0].lower()
        return Person(email=f"{slug}.{os.getpid()}.{next(_serial)}@example.com", name=name, role=role)

    return make


@pytest.fixture
def browser_page(new_context):
    """browser_page(**context_args) -> a Page in a fresh context (its own cookies). The test fails if any
    page it opened threw an uncaught error or broke the Content Security Policy."""
    problems: list[str] = []

    def on_console(message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            problems.append(f"CSP: {message.text}")

    def make(**context_args: Any) -> Page:
        context: BrowserContext = new_context(**{"viewport": DESKTOP, **context_args})
        context.on("console", on_console)
        context.on("weberror", lambda error: problems.append(f"uncaught: {error.error}"))
        return context.new_page()

    yield make
    assert problems == [], "\n".join(problems)


@pytest.fixture
def signed_up(browser_page, person, sql):
    """signed_up(name, role=...) -> (Person, Page): an account made through the JSON API, the role set by
    an operator in the database, and a fresh browser context signed in through the sign-in page."""
    def make(name: str, role: str = "taxpayer", **context_args: Any) -> tuple[Person, Page]:
        who = person(name, role)
        page = browser_page(**context_args)
        context = page.context
        token = context.request.get("/api/v1/auth/csrf").json()["csrf_token"]
        r = context.request.post("/api/v1/auth/register", headers={"X-CSRFToken": token},
                                 data={"email": who.email, "password": who.password, "name": who.name})
        assert r.status == 201, r.text()
        if role != "taxpayer":
            sql(f"UPDATE users SET role = '{role}' WHERE email = '{who.email}'")
        sign_in(page, who)
        return who, page

    return make


def sign_in(page: Page, who: Person) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(who.email)
    page.get_by_label("Password").fill(who.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("body[data-user]")).to_be_attached()


def screenshot(page: Page, name: str, full_page: bool = True) -> Path:
    """Save a screenshot under tests/e2e/artifacts/ (git-ignored; the README's picture comes from here)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def api(page: Page, method: str, url: str, **kwargs: Any) -> Any:
    """A JSON API call with the page's cookies and CSRF token, for setting the scene quickly."""
    token = page.context.request.get("/api/v1/auth/csrf").json()["csrf_token"]
    response = page.context.request.fetch(url, method=method, headers={"X-CSRFToken": token}, **kwargs)
    assert response.ok, f"{method} {url}: {response.status} {response.text()}"
    return response.json()


def wait_live(page: Page) -> None:
    """Wait until the page's Socket.IO connection is up, so a live event cannot be missed."""
    expect(page.locator("html")).to_have_attribute("data-live", "socket")


A11Y_PROBLEMS = """() => {
  const problems = [];
  const name = (el) => {
    if (el.getAttribute("aria-label") || el.getAttribute("aria-labelledby")) return true;
    if (el.labels && Array.from(el.labels).some((l) => l.textContent.trim())) return true;
    return Boolean(el.getAttribute("title"));
  };
  document.querySelectorAll("input, select, textarea").forEach((el) => {
    if (el.type === "hidden") return;
    if (!name(el)) problems.push("unlabelled " + el.tagName.toLowerCase() + " " + (el.name || el.id));
  });
  document.querySelectorAll("button, a[href]").forEach((el) => {
    if (!el.textContent.trim() && !el.getAttribute("aria-label")) problems.push("nameless " + el.outerHTML.slice(0, 80));
  });
  document.querySelectorAll("img").forEach((el) => { if (!el.hasAttribute("alt")) problems.push("img without alt " + el.src); });
  const ids = {};
  document.querySelectorAll("[id]").forEach((el) => { ids[el.id] = (ids[el.id] || 0) + 1; });
  Object.keys(ids).forEach((id) => { if (ids[id] > 1) problems.push("duplicate id " + id); });
  document.querySelectorAll("[aria-describedby], [aria-labelledby], [aria-controls]").forEach((el) => {
    ["aria-describedby", "aria-labelledby", "aria-controls"].forEach((attr) => {
      (el.getAttribute(attr) || "").split(/\\s+/).filter(Boolean).forEach((ref) => {
        if (!document.getElementById(ref)) problems.push(attr + " points at missing #" + ref);
      });
    });
  });
  if (document.querySelectorAll("h1").length !== 1) problems.push(document.querySelectorAll("h1").length + " h1 elements");
  if (!document.documentElement.lang) problems.push("no lang on <html>");
  if (document.querySelector("[style], script:not([src])")) problems.push("inline style or script");
  if (document.scrollingElement.scrollWidth > window.innerWidth + 1) {
    const clipped = (el) => el.parentElement && el.parentElement.closest(".card") !== null
      && getComputedStyle(el.parentElement.closest(".card")).overflowX !== "visible";
    const wide = Array.from(document.querySelectorAll("body *"))
      .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1 && !clipped(el));
    const culprit = wide.find((el) => !wide.includes(el.parentElement)) || document.body;
    problems.push("page scrolls sideways: " + document.scrollingElement.scrollWidth + "px > " + window.innerWidth + "px, from "
                  + culprit.outerHTML.slice(0, 120));
  }
  return problems;
}"""


def assert_accessible(page: Page) -> None:
    """Labels on every field, names on every control, alt on images, one h1, no dangling ARIA
    references, no inline script or style, and nothing wider than the viewport."""
    problems = page.evaluate(A11Y_PROBLEMS)
    assert problems == [], f"{page.url}: {problems}"


def flash(page: Page):
    """The message the server left for the next page (saved, signed out, applied...)."""
    return page.locator("main > p.flash")


def nav(page: Page, name: str):
    """A link of the main navigation (the dashboard has quick-action links with similar names)."""
    return page.get_by_role("navigation", name="Main").get_by_role("link", name=name, exact=True)
