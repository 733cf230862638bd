"""On a server shared by two implementers and two donors, each reads only its own projects.

The cast's policy belongs to ICMPD's project, funded by the EU delegation.
Another implementer's coordinator and the observer of a donor that funds
another project get the same 404 as a stranger, on every page and
download of the policy; with ``READ_WHOLE_PORTFOLIO`` (one implementer on
the server) they read it, and still may not act on it.
"""

import pytest
from django.urls import reverse

from documents.services import make_endorsement_record
from tests.factories import docx_upload

OUTSIDERS = ["other_implementer_coordinator", "other_observer"]


@pytest.fixture
def endorsed(policy_in, walk):
    """The cast's policy endorsed, with two versions and its endorsement record."""
    policy = policy_in("drafting")
    walk.upload(policy)
    walk.upload(policy)
    walk.to(policy, "endorsed")
    return policy, make_endorsement_record(policy.endorsement)


def reading_urls(policy, record):
    first, second = policy.versions.order_by("number")
    return [
        reverse("web:policy", args=[policy.pk]),
        reverse("web:policy_edit", args=[policy.pk]),
        f"{reverse('web:compare', args=[policy.pk])}?older={first.pk}&newer={second.pk}",
        reverse("documents:download", args=[first.pk]),
        reverse("documents:preview", args=[first.pk]),
        reverse("documents:compare", args=[first.pk, second.pk]),
        reverse("documents:redline", args=[first.pk, second.pk]),
        reverse("documents:record", args=[record.pk]),
    ]


def reading_answers(policy, record, may_edit):
    """Each reading address with what a reader gets: the page, or where it sends them."""
    edit = reverse("web:policy_edit", args=[policy.pk])
    compare = reverse("web:compare", args=[policy.pk])
    for url in reading_urls(policy, record):
        if url == edit:
            yield url, 200 if may_edit else 403
        elif url.startswith(compare):
            yield url, 302  # on to the documents' comparison
        else:
            yield url, 200


@pytest.mark.parametrize("who", OUTSIDERS)
def test_another_implementers_or_donors_people_get_404(page_client, cast, endorsed, who):
    policy, record = endorsed
    client = page_client(getattr(cast, who))
    for url in reading_urls(policy, record):
        assert client.get(url).status_code == 404, url
    assert policy.short_title not in client.get(reverse("web:policy_list")).content.decode()
    assert policy.short_title not in client.get(reverse("web:dashboard")).content.decode()
    csv = client.get(reverse("web:policies_csv"))
    assert policy.short_title not in b"".join(csv.streaming_content).decode()


@pytest.mark.parametrize("who", OUTSIDERS)
def test_another_implementers_or_donors_people_may_not_act(page_client, cast, new_policy, who):
    client = page_client(getattr(cast, who))
    revision = new_policy.revision
    urls = [
        reverse("web:action", args=[new_policy.pk, "withdraw"]),
        reverse("web:upload", args=[new_policy.pk]),
    ]
    for url in urls:
        response = client.post(
            url, {"revision": revision, "comment": "No.", "file": docx_upload("Theirs.")}
        )
        assert response.status_code == 404, url
    new_policy.refresh_from_db()
    assert (new_policy.state, new_policy.revision) == ("drafting", revision)
    assert not new_policy.versions.exists()


@pytest.mark.parametrize("who", ["coordinator", "observer"])
def test_the_projects_own_coordinator_and_donor_read_everything(page_client, cast, endorsed, who):
    policy, record = endorsed
    client = page_client(getattr(cast, who))
    for url, expected in reading_answers(policy, record, may_edit=who == "coordinator"):
        assert client.get(url).status_code == expected, url


def test_a_single_implementer_deployment_widens_reading_only(page_client, cast, endorsed, settings):
    settings.READ_WHOLE_PORTFOLIO = True
    policy, record = endorsed
    for who in OUTSIDERS:
        client = page_client(getattr(cast, who))
        for url, expected in reading_answers(policy, record, may_edit=False):
            assert client.get(url).status_code == expected, url
    # Reading, not acting: the other coordinator still may not change it.
    client = page_client(cast.other_implementer_coordinator)
    revision = policy.revision
    response = client.post(
        reverse("web:policy_edit", args=[policy.pk]), {"title": "Taken over", "revision": revision}
    )
    assert response.status_code == 403
    policy.refresh_from_db()
    assert (policy.title, policy.revision) != ("Taken over", revision)
    assert policy.revision == revision
