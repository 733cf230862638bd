"""The policy list: visible policies only, filters, pages, and an htmx partial."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import iraqi, register
from web.selectors.policy_list import PAGE_SIZE
from workflow.models import Policy

State = Policy.State


def listed(client, user, query=""):
    client.force_login(user)
    response = client.get(f"/policies/{query}")
    assert response.status_code == 200
    return [p.short_title for p in response.context["page"].object_list]


def test_each_user_lists_only_the_policies_they_take_part_in(client, cast):
    register(cast, "PK policy", required_supporters=[cast.bureau])
    iraqi(cast, "IQ policy")
    assert listed(client, cast.coordinator) == ["IQ policy", "PK policy"]
    assert listed(client, cast.observer) == ["IQ policy", "PK policy"]
    assert listed(client, cast.bureau_member) == ["PK policy"]
    assert listed(client, cast.agency_member) == []
    assert listed(client, cast.foreign_endorser) == ["IQ policy"]


def test_filters_narrow_the_list(client, cast, policy_in):
    policy_in(State.EXPERT_REVIEW, short_title="Migration strategy")
    register(cast, "Labour policy")
    iraqi(cast, "Diaspora policy")
    user = cast.coordinator
    assert listed(client, user, "?state=expert_review") == ["Migration strategy"]
    assert listed(client, user, "?country=iq") == ["Diaspora policy"]
    assert listed(client, user, "?q=POLICY&country=PK") == ["Labour policy"]
    assert listed(client, user, "?q=full+title&state=drafting") == [
        "Diaspora policy",
        "Labour policy",
    ]
    # Unknown values are ignored rather than refused.
    assert len(listed(client, user, "?state=nonsense")) == 3


def test_the_page_shows_state_version_and_links(client, cast, policy_in):
    policy = policy_in(State.EXPERT_REVIEW, short_title="Shown")
    client.force_login(cast.reviewer)
    page = client.get("/policies/").content.decode()
    assert f'href="/policies/{policy.pk}/"' in page
    assert "Expert review" in page
    assert '<span class="badge state-badge state-expert_review">' in page


def test_an_htmx_request_gets_only_the_table(client, cast):
    register(cast, "Partial")
    client.force_login(cast.coordinator)
    response = client.get("/policies/?q=Partial", headers={"HX-Request": "true"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in content
    assert "Partial: the full title" in content
    full = client.get("/policies/?q=Partial").content.decode()
    assert "<html" in full
    assert 'id="policy-table"' in full


def test_long_lists_are_paged(client, cast):
    for n in range(PAGE_SIZE + 3):
        register(cast, f"Policy {n:03d}")
    client.force_login(cast.coordinator)
    first = client.get("/policies/").context["page"]
    second = client.get("/policies/?page=2").context["page"]
    assert len(first.object_list) == PAGE_SIZE
    assert [p.short_title for p in second.object_list] == [
        f"Policy {n:03d}" for n in range(PAGE_SIZE, PAGE_SIZE + 3)
    ]
    # A page past the end shows the last one, never an error.
    assert client.get("/policies/?page=99").context["page"].number == 2


def list_queries(client, user):
    client.force_login(user)
    # A client's first request loads the middleware, which sets the database
    # connection's request timeouts once: count a page as it is served after that.
    client.get("/policies/?page=1")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/policies/?page=1").status_code == 200
    return len(queries.captured_queries)


def test_list_queries_do_not_grow_with_the_portfolio(client, cast, policy_in):
    for n in range(2):
        policy_in(State.EXPERT_REVIEW, short_title=f"Small {n}")
    small = {who: list_queries(client, getattr(cast, who)) for who in ("coordinator", "drafter")}
    for n in range(6):
        policy_in(State.EXPERT_REVIEW, short_title=f"Large {n}")
    large = {who: list_queries(client, getattr(cast, who)) for who in ("coordinator", "drafter")}
    assert large == small


@pytest.mark.parametrize(
    "query",
    [
        "?q=%00abc",  # PostgreSQL refuses a NUL character in a query
        "?country=%00",
        "?state=%00",
        "?country=XX",  # no such country
        "?country=PAK",
        "?state=nonsense",
        "?q=" + "a" * 101,
    ],
)
def test_invalid_filters_count_as_any_never_as_an_error(client, cast, query):
    register(cast, "Labour policy")
    iraqi(cast, "Diaspora policy")
    assert listed(client, cast.coordinator, query) == ["Diaspora policy", "Labour policy"]
    page = client.get(f"/policies/{query}").content.decode()
    assert "\x00" not in page  # nor shown back in the filter form


def test_the_list_says_it_varies_with_htmx(client, cast):
    client.force_login(cast.coordinator)
    for headers in ({}, {"HX-Request": "true"}):
        response = client.get("/policies/", headers=headers)
        assert "HX-Request" in response.headers["Vary"]


def test_going_back_in_history_gets_the_whole_page(client, cast):
    register(cast, "Restored")
    client.force_login(cast.coordinator)
    response = client.get(
        "/policies/?q=Restored",
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "<html" in content
    assert 'id="policy-table"' in content
    assert "Restored: the full title" in content


def test_an_htmx_request_after_the_session_ran_out_loads_the_sign_in_page(client, cast):
    response = client.get(
        "/policies/?q=abc",
        headers={
            "HX-Request": "true",
            "HX-Current-URL": "http://testserver/policies/?state=drafting",
        },
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == "/accounts/login/?next=/policies/%3Fstate%3Ddrafting"
    assert response.content == b""
    # Without a page address, it comes back to the list it asked for.
    response = client.get("/policies/?q=abc", headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == "/accounts/login/?next=/policies/%3Fq%3Dabc"
    # Another site's address is not a place to come back to.
    response = client.get(
        "/policies/",
        headers={"HX-Request": "true", "HX-Current-URL": "https://elsewhere.example/x/"},
    )
    assert response["HX-Redirect"] == "/accounts/login/?next=/policies/"
    # Without htmx, the usual redirect.
    response = client.get("/policies/?q=abc")
    assert (response.status_code, response.url) == (
        302,
        "/accounts/login/?next=/policies/%3Fq%3Dabc",
    )
    assert "HX-Redirect" not in response
