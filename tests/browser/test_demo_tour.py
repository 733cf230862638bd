"""The README's tour of the demo, in a browser: each suggested account signs in
from the sign-in page's list and finds something waiting on its dashboard; the
observer finds no such list; the inbox marks done what was asked and is done.
"""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from demo.portfolio import OBSERVER, PASSWORD, TOUR, load_demo
from tests.browser.conftest import TIMEOUT_MS
from tests.browser.pages import fill_login
from tests.demo_mode import enter_demo_mode

User = get_user_model()


@pytest.fixture
def demo(settings, transactional_db):
    """The demo portfolio, committed (its notifications delivered), with its sign-in list."""
    enter_demo_mode(settings)
    load_demo(password=PASSWORD)


@pytest.fixture
def signed_in(browser, browser_context_args, live_server):
    """``signed_in(username)``: a page of a fresh profile, signed in from the sign-in page."""
    opened = []

    def sign_in(username):
        context = browser.new_context(**browser_context_args)
        opened.append(context)
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        page = context.new_page()
        page.goto("/accounts/login/")
        # The account is one the sign-in page lists, as the README says.
        expect(page.locator("#demo-heading")).to_be_visible()
        expect(page.locator("td code", has_text=username).first).to_be_visible()
        fill_login(page, username, PASSWORD)
        page.wait_for_url(f"{live_server.url}/")
        return page

    yield sign_in
    for context in opened:
        context.close()


def test_every_suggested_account_finds_something_waiting(demo, signed_in, screenshot):
    for username in TOUR:
        page = signed_in(username)
        expect(page.locator("#waiting-heading")).to_contain_text("Waiting on you")
        rows = page.locator("#waiting-on-me tbody tr")
        expect(rows.first).to_be_visible()
        assert rows.count() >= 1, username
        expect(page.get_by_text("Nothing waits on you now.")).to_have_count(0)
        screenshot(f"dashboard-{username}", page)


def test_the_observer_sees_no_waiting_list(demo, signed_in, screenshot):
    page = signed_in(OBSERVER)
    expect(page.locator("#pipeline-heading")).to_be_visible()
    expect(page.locator("#waiting-heading")).to_have_count(0)
    expect(page.get_by_text("Waiting on you")).to_have_count(0)
    expect(page.get_by_text("Nothing waits on you now.")).to_have_count(0)
    screenshot("dashboard-observer", page)


def test_the_inbox_marks_done_what_the_reviewer_already_did(demo, signed_in, screenshot):
    page = signed_in("reviewer1")
    page.goto("/notifications/")
    done = page.locator("li.notification-done")
    expect(done.first).to_be_visible()
    expect(done.first.locator(".badge", has_text="Done")).to_be_visible()
    expect(done.first.get_by_role("button", name="Mark as read")).to_have_count(0)
    # The request to review version 2 of the Iraqi labour policy is still to do.
    pending = page.locator(
        "li:not(.notification-done)", has_text="Review requested: National Labour"
    )
    expect(pending.first.locator(".badge", has_text="New")).to_be_visible()
    expect(page.get_by_text("[policyflow]")).to_have_count(0)
    screenshot("inbox-reviewer1", page)
