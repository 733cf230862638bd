"""Signing in and out, the lock-out after repeated failures, the language
switch to a right-to-left page, and what a user of another country is shown.

Each test drives the real pages in Chromium, as a ministry clerk would.
"""

import re

from axes.models import AccessAttempt
from django.conf import settings
from django.utils import translation
from playwright.sync_api import expect

from tests.browser.pages import PASSWORD, fill_login

# The coordinator's menu (webhooks are theirs only).
NAVIGATION = ["Dashboard", "Policies", "Reports", "Webhooks", "Notifications"]


def submit_login(page, username, password):
    """Posts the login form, waits for the page it answers with, and returns that answer."""
    with page.expect_navigation() as answer:
        fill_login(page, username, password)
    return answer.value


def test_sign_in_lands_on_the_dashboard_and_sign_out_returns_to_login(
    page, live_server, cast, screenshot
):
    user = cast.drafter
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    screenshot("login")

    fill_login(page, user.username, PASSWORD)

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page).to_have_title(re.compile("Dashboard"))
    menu = page.locator("header details.user-menu")
    expect(menu.locator("summary")).to_have_text(user.get_full_name())
    assert user.get_full_name().strip()
    screenshot("dashboard")

    menu.locator("summary").click()
    menu.get_by_role("button", name="Sign out").click()

    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("button", name="Sign in", exact=True)).to_be_visible()
    expect(page.locator("header details.user-menu")).to_have_count(0)
    screenshot("signed-out")
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))


def test_repeated_wrong_passwords_lock_the_account_even_against_the_right_one(
    page, live_server, cast, screenshot
):
    user = cast.reviewer
    limit = settings.AXES_FAILURE_LIMIT
    assert limit == 5
    page.goto("/accounts/login/")

    for attempt in range(1, limit):
        answer = submit_login(page, user.username, "not-the-password")
        assert answer.status == 200, attempt
        expect(page.get_by_role("alert")).to_contain_text("correct username and password")
        expect(page.locator("input[name=password]")).to_be_visible()
        if attempt == 1:
            screenshot("wrong-password")
    assert AccessAttempt.objects.get(username=user.username).failures_since_start == limit - 1

    answer = submit_login(page, user.username, "not-the-password")
    assert answer.status == 429
    expect(page.get_by_role("heading", level=1)).to_have_text("Too many failed sign-ins")
    attempt = AccessAttempt.objects.get(username=user.username)
    assert attempt.failures_since_start == limit
    assert attempt.ip_address == "127.0.0.1"
    screenshot("locked-out")

    page.goto("/accounts/login/")
    answer = submit_login(page, user.username, PASSWORD)
    assert answer.status == 429
    expect(page.get_by_role("heading", level=1)).to_have_text("Too many failed sign-ins")
    expect(page.locator("header details.user-menu")).to_have_count(0)
    assert AccessAttempt.objects.filter(username=user.username).count() == 1
    assert settings.SESSION_COOKIE_NAME not in {c["name"] for c in page.context.cookies()}
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))


def test_arabic_turns_the_page_right_to_left_with_translated_navigation(
    page, sign_in, cast, screenshot
):
    sign_in(cast.coordinator)
    expect(page.locator("html")).to_have_attribute("dir", "ltr")

    page.locator("#language-select").select_option(label="العربية")
    with page.expect_navigation():
        page.get_by_role("button", name="Change language").click()

    html = page.locator("html")
    expect(html).to_have_attribute("dir", "rtl")
    expect(html).to_have_attribute("lang", "ar")
    screenshot("dashboard-arabic")
    assert loaded_bootstrap(page) == ["bootstrap.rtl.min.css"]

    links = page.locator("header nav .navbar-nav .nav-link")
    shown = [own_text(links.nth(index)) for index in range(links.count())]
    with translation.override("ar"):
        expected = [translation.gettext(text) for text in NAVIGATION]
    assert shown == expected
    pairs = zip(NAVIGATION, expected, strict=True)
    untranslated = [english for english, arabic in pairs if english == arabic]
    assert not untranslated, f"no Arabic translation for {untranslated}"


def test_a_policy_of_another_country_is_not_found_and_reveals_nothing(
    page, sign_in, cast, new_policy, screenshot
):
    sign_in(cast.foreign_member)

    answer = page.goto(f"/policies/{new_policy.pk}/")

    assert answer.status == 404
    screenshot("policy-of-another-country")
    shown = page.content().casefold()
    for part in title_parts(new_policy):
        assert part.casefold() not in shown, part


def test_a_drafter_of_the_policy_opens_its_page(page, sign_in, cast, new_policy, screenshot):
    sign_in(cast.drafter)

    answer = page.goto(f"/policies/{new_policy.pk}/")

    assert answer.status == 200
    expect(page.get_by_role("heading", level=1)).to_contain_text(new_policy.title)
    screenshot("policy")


def loaded_bootstrap(page):
    """File names of the Bootstrap stylesheets the page actually loaded (rules readable)."""
    return page.evaluate(
        """() => [...document.styleSheets]
            .filter(sheet => sheet.href && sheet.href.includes('/bootstrap')
                             && sheet.cssRules.length > 0)
            .map(sheet => new URL(sheet.href).pathname.split('/').pop())"""
    )


def own_text(link):
    """A link's own words, without the unread badge inside it."""
    return link.evaluate(
        """element => [...element.childNodes]
            .filter(node => node.nodeType === Node.TEXT_NODE)
            .map(node => node.textContent).join('').trim()"""
    )


def title_parts(policy):
    """The title, the short title and each word of either that is not a common one."""
    common = {"and", "for", "of", "the", "policy", "pk"}
    words = set(re.findall(r"\w+", f"{policy.title} {policy.short_title}"))
    return [policy.title, policy.short_title, *(w for w in words if w.casefold() not in common)]
