"""A phone, 390 px wide: every main page fits the screen, in English and in Arabic.

The demo portfolio gives each page real content (long titles, tables with
many columns, two versions to compare). A page fits when the document is no
wider than the window, so nobody has to scroll sideways; a wide table may
scroll within itself. The menu folds behind one button.
"""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import expect

from demo.portfolio import PASSWORD, load_demo
from tests.browser.conftest import TIMEOUT_MS
from tests.browser.pages import sign_in_on
from workflow.models import Policy

User = get_user_model()
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser, browser_context_args, transactional_db):
    """``phone(user, language)``: a page signed in as ``user`` on a phone, in ``language``."""
    opened = []

    def signed_in(user, language):
        context = browser.new_context(
            **{**browser_context_args, "viewport": PHONE, "is_mobile": True, "has_touch": True}
        )
        opened.append(context)
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        page = sign_in_on(context, user, PASSWORD)
        cookie = {"name": settings.LANGUAGE_COOKIE_NAME, "value": language}
        context.add_cookies([{**cookie, "url": browser_context_args["base_url"]}])
        page.reload()
        return page

    yield signed_in
    for context in opened:
        context.close()


def main_pages():
    policy = Policy.objects.get(short_title="Afghanistan NCMP")
    first, second = policy.versions.order_by("number")
    return {
        "dashboard": reverse("web:dashboard"),
        "list": reverse("web:policy_list"),
        "policy": reverse("web:policy", args=[policy.pk]),
        "preview": reverse("documents:preview", args=[second.pk]),
        "compare": reverse("documents:compare", args=[first.pk, second.pk]),
        "reports": reverse("web:portfolio"),
        "inbox": reverse("notifications:inbox"),
    }


def overflow(page):
    return page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")


@pytest.mark.parametrize("language", ["en", "ar"])
def test_every_main_page_fits_a_phone_without_scrolling_sideways(phone, screenshot, language):
    load_demo(password=PASSWORD)
    page = phone(User.objects.get(username="coordinator"), language)

    for name, path in main_pages().items():
        page.goto(path)
        expect(page.locator("html")).to_have_attribute("lang", language)
        width, window = overflow(page)
        screenshot(name, page)
        assert width <= window, f"{path} is {width} px wide on a {window} px screen"


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_menu_folds_behind_one_button_on_a_phone(phone, screenshot, language):
    load_demo(password=PASSWORD)
    page = phone(User.objects.get(username="drafter1"), language)
    menu = page.locator("header details.site-menu")
    link = menu.locator(".nav-link").first

    expect(link).to_be_hidden()
    screenshot("menu-folded", page)
    menu.locator("> summary").click()
    expect(link).to_be_visible()
    expect(page.locator("#language-select")).to_be_visible()
    assert overflow(page)[0] <= overflow(page)[1]
    screenshot("menu-open", page)
    link.click()
    expect(page.locator("h1")).to_be_visible()


def test_the_menu_stays_open_on_a_wide_screen(page, sign_in, transactional_db):
    load_demo(password=PASSWORD)
    sign_in(User.objects.get(username="drafter1"), PASSWORD)
    expect(page.locator("header details.site-menu > summary")).to_be_hidden()
    expect(page.locator("header .site-menu .nav-link").first).to_be_visible()


def test_arabic_pages_load_the_served_naskh_font(phone):
    load_demo(password=PASSWORD)
    page = phone(User.objects.get(username="drafter1"), "ar")
    loaded = page.evaluate(
        """async () => {
            await document.fonts.ready;
            return [...document.fonts]
                .filter((face) => face.status === "loaded")
                .map((face) => face.family.replaceAll('"', ""));
        }"""
    )
    assert "Noto Naskh Arabic" in loaded
