"""The search page and the header's search box."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from documents.services import add_version
from tests.factories import register
from tests.search.conftest import upload
from workflow import services
from workflow.models import Policy, Review

State = Policy.State


@pytest.fixture
def policy(cast):
    policy = register(cast, "PK emigration policy")
    add_version(
        policy,
        actor=cast.drafter,
        uploaded_file=upload("Preamble.", "تُشَجِّعُ الحُكُومَةُ تَحْوِيلَاتِ المُغْتَرِبِينَ وَعَوْدَتَهُمْ."),
    )
    return policy


def test_every_page_has_a_labelled_search_box(page_client, cast):
    html = page_client(cast.coordinator).get("/").content.decode()
    assert '<form class="site-search' in html
    assert 'role="search"' in html
    assert '<label class="visually-hidden" for="site-search-q">' in html
    assert 'id="site-search-q" name="q"' in html


def test_results_group_hits_by_policy_with_marked_words_and_a_link_to_the_paragraph(
    page_client, cast, policy
):
    response = page_client(cast.coordinator).get("/search/", {"q": "تحويلات"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 policy found." in html
    assert f'href="/policies/{policy.pk}/"' in html
    assert "<mark>تَحْوِيلَاتِ</mark>" in html
    version = policy.current_version
    assert f'href="/documents/versions/{version.pk}/preview/#p-2"' in html
    assert "version 1 (current)" in html
    assert 'class="badge state-badge state-drafting">Drafting<' in html


def test_the_preview_has_the_anchor_the_result_links_to(page_client, cast, policy):
    version = policy.current_version
    html = page_client(cast.coordinator).get(f"/documents/versions/{version.pk}/preview/")
    assert '<p id="p-2" dir="auto"' in html.content.decode()


def test_text_from_the_record_is_escaped(page_client, cast, policy, walk):
    walk.to(policy, State.EXPERT_REVIEW)
    services.record_review(
        policy,
        actor=cast.reviewer,
        decision=Review.Decision.CHANGES_REQUESTED,
        comment="<script>alert('x')</script> Define remittance corridors.",
    )
    html = page_client(cast.coordinator).get("/search/", {"q": "corridors"}).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "<mark>corridors</mark>" in html


def test_an_older_version_is_said_so_and_current_only_leaves_it_out(page_client, cast, policy):
    add_version(policy, actor=cast.drafter, uploaded_file=upload("A second draft."))
    client = page_client(cast.coordinator)
    html = client.get("/search/", {"q": "preamble"}).content.decode()
    assert "version 1 (an older version)" in html
    html = client.get("/search/", {"q": "preamble", "current": "1"}).content.decode()
    assert "Nothing found." in html


def test_people_outside_the_policy_find_nothing(page_client, cast, policy):
    html = page_client(cast.foreign_member).get("/search/", {"q": "preamble"}).content.decode()
    assert "Nothing found." in html
    assert "PK emigration policy" not in html


def test_signing_in_comes_first(client):
    response = client.get("/search/?q=migration")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Type a word to search for."),
        ("x" * 10_000, "This search has 10000 characters"),
        ("!!! ---", "this search has none"),
        ('"', "A quotation mark is not closed"),
        ('"right to return', "A quotation mark is not closed"),
        ("*", "this search has none"),
        (":", "this search has none"),
        ("-", "this search has none"),
        ("AND", "this search has none"),
        ("NEAR(", "this search has none"),
        ("m*", "Put at least 2 letters before a *."),
        ("\x00abc", "Type a word to search for."),
    ],
)
def test_a_query_that_cannot_be_searched_says_why(page_client, cast, query, message):
    response = page_client(cast.coordinator).get("/search/", {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html
    assert message in html


@pytest.mark.parametrize("query", ["NEAR(preamble)", "preamble:*", "-preamble", "preamble AND"])
def test_engine_syntax_is_read_as_words(page_client, cast, policy, query):
    response = page_client(cast.coordinator).get("/search/", {"q": query})
    assert response.status_code == 200
    assert "1 policy found." in response.content.decode()


@pytest.mark.parametrize("params", [{"country": "%00"}, {"state": "nope"}, {"page": "x"}])
def test_bad_filters_count_as_any(page_client, cast, policy, params):
    response = page_client(cast.coordinator).get("/search/", {"q": "preamble", **params})
    assert response.status_code == 200
    assert "1 policy found." in response.content.decode()


def test_a_policy_with_many_matches_shows_the_first_and_says_there_are_more(
    page_client, cast, policy
):
    add_version(
        policy,
        actor=cast.drafter,
        uploaded_file=upload(*(f"Remittance clause {n}." for n in range(1, 9))),
    )
    response = page_client(cast.coordinator).get("/search/", {"q": "clause"})
    [result] = response.context["found"].results.policies
    assert [hit.anchor for hit in result.hits] == ["p-1", "p-2", "p-3", "p-4", "p-5"]
    assert result.more
    assert "More places in this policy match" in response.content.decode()


def search_queries(client):
    client.get("/search/?q=draft")  # the first request sets the connection up
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/search/?q=draft")
    assert response.status_code == 200
    return len(queries.captured_queries), response.context["found"].results.total


def test_queries_do_not_grow_with_the_results(page_client, cast, policy_in):
    client = page_client(cast.coordinator)
    for n in range(2):
        policy_in(State.AWAITING_ENDORSEMENT, short_title=f"Small {n}", versions=2)
    call_command("rebuild_search_index", stdout=open("/dev/null", "w"))  # noqa: SIM115
    small, found_small = search_queries(client)
    for n in range(6):
        policy_in(State.AWAITING_ENDORSEMENT, short_title=f"Large {n}", versions=2)
    call_command("rebuild_search_index", stdout=open("/dev/null", "w"))  # noqa: SIM115
    large, found_large = search_queries(client)
    assert (found_small, found_large) == (2, 8)
    assert large == small
