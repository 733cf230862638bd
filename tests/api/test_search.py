"""GET /api/v1/search/: the page's search, scope and refusals, as JSON."""

import pytest

from documents.services import add_version
from tests.factories import iraqi, register
from tests.search.conftest import upload


@pytest.fixture
def policies(cast):
    pakistani = register(cast, "PK emigration policy")
    add_version(
        pakistani,
        actor=cast.drafter,
        uploaded_file=upload("Preamble.", "Remittances through licensed operators."),
    )
    add_version(pakistani, actor=cast.drafter, uploaded_file=upload("Remittances and return."))
    iraq = iraqi(cast, "IQ diaspora policy")
    add_version(
        iraq,
        actor=cast.drafter,
        uploaded_file=upload("تُشَجِّعُ الحُكُومَةُ تَحْوِيلَاتِ المُغْتَرِبِينَ."),
    )
    return pakistani, iraq


def test_results_with_hits_fragments_and_preview_links(api_client, cast, policies):
    pakistani, _ = policies
    response = api_client(cast.coordinator).get("/api/v1/search/", {"q": "remittance*"})
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["page"], body["pages"]) == (1, 1, 1)
    [result] = body["results"]
    assert result["id"] == pakistani.pk
    assert result["state"] == "drafting"
    assert result["url"].endswith(f"/api/v1/policies/{pakistani.pk}/")
    assert result["more_hits"] is False
    newest, older = result["hits"]
    assert (newest["place"], newest["version_number"], newest["current"]) == ("text", 2, True)
    assert (older["version_number"], older["current"]) == (1, False)
    assert older["preview_url"].endswith(
        f"/documents/versions/{pakistani.versions.get(number=1).pk}/preview/#p-2"
    )
    assert {"text": "Remittances", "match": True} in older["fragments"]
    assert older["snippet"] == "Remittances through licensed operators."


def test_arabic_is_folded_and_the_scope_holds(api_client, cast, policies):
    _, iraq = policies
    found = api_client(cast.foreign_endorser).get("/api/v1/search/", {"q": "تحويلات"}).json()
    assert [r["id"] for r in found["results"]] == [iraq.pk]
    nothing = api_client(cast.bureau_member).get("/api/v1/search/", {"q": "تحويلات"}).json()
    assert nothing["count"] == 0
    assert nothing["results"] == []


def test_filters(api_client, cast, policies):
    client = api_client(cast.coordinator)
    assert client.get("/api/v1/search/", {"q": "preamble", "current": "true"}).json()["count"] == 0
    assert client.get("/api/v1/search/", {"q": "preamble"}).json()["count"] == 1
    assert client.get("/api/v1/search/", {"q": "preamble", "country": "iq"}).json()["count"] == 0


@pytest.mark.parametrize(
    "query",
    ["", "x" * 10_000, "!!!", '"unclosed', "*", ":", "-", "AND", "NEAR(", "m*", "a\x00b"],
)
def test_a_query_that_cannot_be_searched_is_a_problem_on_q(api_client, cast, query):
    response = api_client(cast.coordinator).get("/api/v1/search/", {"q": query})
    assert response.status_code == 400
    problem = response.json()
    assert problem["field_errors"]["q"]
    assert response["Content-Type"].startswith("application/problem+json")


def test_q_is_required_and_filters_are_checked(api_client, cast):
    client = api_client(cast.coordinator)
    assert client.get("/api/v1/search/").json()["field_errors"]["q"]
    assert client.get("/api/v1/search/", {"q": "a", "state": "nope"}).status_code == 400
    assert client.get("/api/v1/search/", {"q": "a", "country": "XX"}).status_code == 400


def test_anonymous_callers_are_refused(client):
    assert client.get("/api/v1/search/?q=migration").status_code in (401, 403)
