"""Browser tests: Debian's Chromium, headless, against pytest-django's live server.

The live server answers the browser on another thread, so the data a test
builds must be committed: every test here has transactional database access
(pytest-django runs such tests after the others). Playwright is started for
this directory only and stopped after its last test (see ``playwright``).

``POLICYFLOW_CHROMIUM`` names another Chromium binary (default
/usr/bin/chromium); ``POLICYFLOW_ARTIFACTS`` moves the artifacts directory
(default var/artifacts; screenshots go to its ``screenshots/``).
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.browser.pages import PASSWORD, fill_login, screenshot_name

HERE = Path(__file__).resolve().parent
CHROMIUM = Path(os.environ.get("POLICYFLOW_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(os.environ.get("POLICYFLOW_ARTIFACTS", HERE.parents[1] / "var" / "artifacts"))
SCREENSHOTS = ARTIFACTS / "screenshots"
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"

# A broken page should fail in seconds, not after Playwright's 30 s default.
TIMEOUT_MS = 10_000

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    """Everything under tests/browser carries the ``browser`` marker."""
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session", autouse=True)
def chromium_executable():
    """Skip without Chromium, except in CI, where the browser tests must run."""
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK):
        return CHROMIUM
    reason = f"Chromium is not installed at {CHROMIUM} (run `make browser`)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI=true, so the browser tests may not be skipped", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="package")
def playwright():
    """Playwright, from this directory's first test to its last.

    While it runs, its sync API keeps an asyncio loop running in the test
    thread, and Django then refuses database calls from that thread: the
    guard is lifted (DJANGO_ALLOW_ASYNC_UNSAFE) for exactly that time. Neither
    the running loop nor the variable outlives the browser tests, so the
    tests after them keep Django's protection (and a ``check --deploy`` they
    start does not report async.E001).
    """
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    driver = sync_playwright().start()
    try:
        yield driver
    finally:
        driver.stop()
        if previous is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = previous


@pytest.fixture(scope="package")
def browser_type(playwright, browser_name):
    return getattr(playwright, browser_name)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, chromium_executable):
    return {
        "headless": True,
        **browser_type_launch_args,
        "executable_path": str(chromium_executable),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="package")
def launch_browser(browser_type, browser_type_launch_args):
    def launch(**options):
        return browser_type.launch(**{**browser_type_launch_args, **options})

    return launch


@pytest.fixture(scope="package")
def browser(launch_browser):
    browser = launch_browser()
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def base_url(live_server):
    """Pages are opened by path (``page.goto("/")``) on the live server."""
    return live_server.url


@pytest.fixture(scope="package")
def browser_context_args(base_url):
    """English pages at a laptop's size."""
    return {
        "base_url": base_url,
        "locale": "en-GB",
        "timezone_id": "UTC",
        "viewport": {"width": 1280, "height": 800},
    }


@pytest.fixture
def context(new_context, transactional_db):
    """A fresh browser profile per test; the data it sees is committed."""
    context = new_context()
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    return context


@pytest.fixture
def sign_in(page, live_server):
    """``sign_in(user)`` signs in through the real login form and lands on the dashboard."""

    def sign_in_as(user, password=PASSWORD):
        page.goto("/accounts/login/")
        fill_login(page, user.get_username(), password)
        page.wait_for_url(f"{live_server.url}/")
        return page

    return sign_in_as


@pytest.fixture(scope="session")
def screenshot_directory():
    """Emptied once per run, so that it holds this run's screenshots only."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob("*.png"):
        old.unlink()
    return SCREENSHOTS


@pytest.fixture
def screenshot(request, page, screenshot_directory):
    """``screenshot(step)`` saves the whole page as ``<test-name>-<step>.png``."""

    def capture(step, target=None):
        path = screenshot_directory / screenshot_name(request.node, step)
        (target or page).screenshot(path=path, full_page=True)
        return path

    return capture
