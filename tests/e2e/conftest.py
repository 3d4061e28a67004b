"""Real browser tests: Playwright driving Debian's chromium (no browser download is possible here).

Locally they skip, loudly, when chromium is absent; CI sets TREMPLIN_REQUIRE_BROWSER=1, which turns
that skip into a failure.
"""

import os
import shutil

import pytest
from django.db import connections

from tremplin.territory.reference import load_all

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def _chromium_path():
    configured = os.environ.get("TREMPLIN_CHROMIUM")
    if configured:
        return configured if os.path.exists(configured) else None
    return shutil.which("chromium") or (os.path.exists("/usr/bin/chromium") and "/usr/bin/chromium") or None


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture
def browser(monkeypatch):
    executable = _chromium_path()
    if executable is None:
        message = "Chromium absent : installez le paquet Debian « chromium » pour lancer les tests navigateur."
        if os.environ.get("TREMPLIN_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()
        # While Playwright's loop runs, Django keeps the test's connections per context, not per
        # thread: close them here, or PostgreSQL refuses to drop the test database at the end.
        connections.close_all()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def reference_data(transactional_db):
    """Transactional tests start from an empty database: load the shipped reference data."""
    load_all()


def login(page, email, password):
    page.goto("/comptes/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()


def choose(page, selector, typed, label):
    """A searchable field (tremplin.core.widgets.SearchSelect): type, the server narrows the list to one, pick it."""
    from playwright.sync_api import expect

    field = page.locator(selector)
    field.fill(typed)
    options = page.locator(f"{selector}-options option")
    expect(options).to_have_count(1)
    expect(options).to_have_text(label)
    field.fill(options.get_attribute("value"))
