"""Every page answers only the methods it serves: PUT, PATCH, DELETE and TRACE are 405.

The addresses are taken from the URL configuration (all but Django's own
admin), so a page added later is covered too.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

REFUSED = ["put", "patch", "delete", "trace"]
ARGUMENTS = {"transition": "withdraw"}  # any other converter takes a number


def addresses(patterns=None, prefix=""):
    """``(name, path)`` for every URL pattern, its arguments filled in."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if not route.startswith("admin/"):
                yield from addresses(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            filled = re.sub(r"<(?:(\w+):)?\w+>", lambda m: ARGUMENTS.get(m.group(1), "1"), route)
            yield pattern.name, "/" + filled.lstrip("^").rstrip("$")


ADDRESSES = sorted(set(addresses()))


def test_the_pages_are_all_there():
    names = {name for name, _ in ADDRESSES}
    assert {"dashboard", "policy", "policy_create", "inbox", "login", "portfolio"} <= names


@pytest.mark.parametrize(("name", "path"), ADDRESSES, ids=[name for name, _ in ADDRESSES])
def test_only_the_methods_a_page_serves_are_answered(page_client, cast, new_policy, name, path):
    client = page_client(cast.coordinator)
    for method in REFUSED:
        response = getattr(client, method)(path)
        assert response.status_code == 405, (method, path, response.status_code)
