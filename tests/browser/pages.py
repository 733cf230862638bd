"""Steps every browser test shares: the login form, screenshot file names."""

import re

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
