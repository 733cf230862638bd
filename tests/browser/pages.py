"""Steps the browser tests share: the login form, a signed-in profile per person,
the policy page's state, screenshot file names."""

import re
import time
from urllib.parse import urlsplit

# The password tests.factories.UserFactory gives every user.
PASSWORD = "pw"


def fill_login(page, username, password=PASSWORD):
    """Types into the login form and presses "Sign in"."""
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()


def screenshot_name(node, step):
    """``<test-name>-<step>.png``; the browser's name is left out, other parameters kept."""
    name = re.sub(r"\[.*\]$", "", node.name)
    callspec = getattr(node, "callspec", None)
    if callspec:
        browser = callspec.params.get("browser_name")
        ids = [part for part in callspec.id.split("-") if part != browser]
        name = "-".join([name, *ids])
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", f"{name}-{step}") + ".png"


def sign_in_on(context, user, password=PASSWORD):
    """A new page in browser profile ``context``, signed in as ``user``, on the dashboard.

    One profile per person keeps each person's session cookie apart, as on
    their own computers: nobody has to sign out for the next to sign in.
    """
    page = context.new_page()
    page.goto("/accounts/login/")
    fill_login(page, user.get_username(), password)
    page.wait_for_url(lambda url: urlsplit(url).path == "/")
    return page


def policy_state(page):
    """The state badge under the policy page's title."""
    return page.locator("main header .state-badge")


def current_step(page):
    """The step of the workflow path the policy page marks as the current one."""
    return page.locator("ol.workflow-steps li[aria-current=step]")


def reload_until_visible(page, locator, *, seconds=10.0, every_ms=250):
    """Reloads ``page`` until ``locator`` shows, for at most ``seconds``.

    For what is made after the request that the page answered (a task run
    after commit); the caller asserts visibility afterwards.
    """
    deadline = time.monotonic() + seconds
    while not locator.is_visible() and time.monotonic() < deadline:
        page.wait_for_timeout(every_ms)
        page.reload()
    return locator
