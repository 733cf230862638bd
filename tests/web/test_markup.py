"""The pages' markup: unique ids that what points at them can reach, error pages
in the reader's language and direction, names isolated inside sentences.

Screen readers follow ``aria-describedby``, ``aria-labelledby`` and
``<label for>`` to the first element with that id: a repeated id hides
everything after it. A name written in another direction than the sentence
around it scrambles the punctuation unless it is isolated (``<bdi>``).
"""

from collections import Counter
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from django import forms
from django.conf import settings
from django.core.exceptions import BadRequest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import path, reverse
from django.utils import timezone, translation

from documents.services import add_version
from notifications.models import Notification
from tests.factories import docx_upload
from web.templatetags.pages import list_of
from workflow import services
from workflow.models import Policy

pytestmark = pytest.mark.django_db
State = Policy.State
# Attributes that name other elements by id.
REFERENCES = ("aria-describedby", "aria-labelledby", "aria-controls", "for")


class Markup(HTMLParser):
    """The ids a page declares, the ids its attributes point at, and what a
    screen reader needs besides: labelled controls, named tables, scoped headers."""

    UNLABELLED_INPUTS = {"hidden", "submit", "button", "reset", "image"}

    def __init__(self, html):
        super().__init__()
        self.ids = Counter()
        self.references = []
        self.live = []  # (tag, attributes) of every element that is announced when it changes
        self.labelled = set()  # ids that a <label for> names
        self.controls = []  # (id, attributes) of every form control a person fills in
        self.tables = []  # open tables: is each named (caption, aria-label)?
        self.unnamed_tables = 0
        self.unscoped_headers = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids[attributes["id"]] += 1
        for name in REFERENCES:
            for target in (attributes.get(name) or "").split():
                self.references.append((tag, name, target))
        if "aria-live" in attributes or attributes.get("role") in ("status", "alert", "log"):
            self.live.append((tag, attributes))
        if tag == "label" and attributes.get("for"):
            self.labelled.add(attributes["for"])
        if tag in ("select", "textarea") or (
            tag == "input" and attributes.get("type", "text") not in self.UNLABELLED_INPUTS
        ):
            self.controls.append(attributes)
        if tag == "table":
            self.tables.append("aria-label" in attributes or "aria-labelledby" in attributes)
        if tag == "caption" and self.tables:
            self.tables[-1] = True
        if tag == "th" and not attributes.get("scope"):
            self.unscoped_headers += 1

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == "table" and self.tables and not self.tables.pop():
            self.unnamed_tables += 1

    def duplicate_ids(self):
        return sorted(name for name, count in self.ids.items() if count > 1)

    def dangling_references(self):
        return [ref for ref in self.references if ref[2] not in self.ids]

    def unlabelled_controls(self):
        return [
            attributes
            for attributes in self.controls
            if attributes.get("id") not in self.labelled
            and not {"aria-label", "aria-labelledby"} & attributes.keys()
        ]


def assert_sound(response, status=200):
    """Every id once, every reference reaching an element, every control
    labelled, every table named and its headers scoped."""
    assert response.status_code == status, response.status_code
    markup = Markup(response.content.decode())
    where = response.request["PATH_INFO"]
    assert markup.duplicate_ids() == [], where
    assert markup.dangling_references() == [], where
    assert markup.unlabelled_controls() == [], where
    assert (markup.unnamed_tables, markup.unscoped_headers) == (0, 0), where
    return markup


def signed_in(user, **options):
    client = Client(**options)
    client.force_login(user)
    return client


def policy_url(policy):
    return reverse("web:policy", args=[policy.pk])


def action_url(policy, name):
    return reverse("web:action", args=[policy.pk, name])


def revision(policy):
    return Policy.objects.get(pk=policy.pk).revision


# -- no repeated ids, no reference into the void ------------------------------------


def test_the_dashboard_list_and_reports(cast, policy_in):
    policy_in(State.EXPERT_REVIEW)
    for user in (cast.coordinator, cast.reviewer, cast.drafter):
        client = signed_in(user)
        for url in ("/", reverse("web:policy_list"), reverse("web:portfolio")):
            assert_sound(client.get(url))


def test_the_policy_page_as_its_drafter_after_a_failed_upload(cast, new_policy):
    client = signed_in(cast.drafter)
    assert_sound(client.get(policy_url(new_policy)))
    response = client.post(
        reverse("web:upload", args=[new_policy.pk]),
        {"revision": revision(new_policy), "note": "No file."},
    )
    markup = assert_sound(response, status=400)
    assert markup.ids["id_upload_file_error"] == 1


def test_the_policy_page_as_a_coordinator_after_a_withdrawal_without_reason(cast, new_policy):
    client = signed_in(cast.coordinator)
    response = client.post(action_url(new_policy, "withdraw"), {"revision": revision(new_policy)})
    markup = assert_sound(response, status=400)
    assert markup.ids["id_withdraw_comment_error"] == 1


def test_the_policy_page_in_review_after_a_review_without_decision(cast, policy_in):
    new_policy = policy_in(State.EXPERT_REVIEW)
    client = signed_in(cast.reviewer)
    response = client.post(
        reverse("web:review", args=[new_policy.pk]),
        {
            "revision": revision(new_policy),
            "version": new_policy.current_version.pk,
            "comment": "",
        },
    )
    markup = assert_sound(response, status=400)
    assert markup.ids["id_review_decision_error"] == 1


def test_the_policy_page_in_support_after_a_decision_left_out(cast, policy_in):
    new_policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    client = signed_in(cast.bureau_member)
    response = client.post(
        reverse("web:support", args=[new_policy.pk]),
        {
            "revision": revision(new_policy),
            "organization": cast.bureau.pk,
            "version": new_policy.current_version.pk,
            "statement": "",
        },
    )
    markup = assert_sound(response, status=400)
    assert markup.ids[f"id_support-{cast.bureau.pk}_decision_error"] == 1


def test_the_policy_page_awaiting_endorsement_after_an_endorsement_without_instrument(
    cast, policy_in
):
    new_policy = policy_in(State.AWAITING_ENDORSEMENT)
    client = signed_in(cast.endorser)
    response = client.post(
        action_url(new_policy, "endorse"),
        {"revision": revision(new_policy), "instrument": "", "date": "not a date"},
    )
    markup = assert_sound(response, status=400)
    assert markup.ids["id_endorse_instrument_error"] == 1
    assert markup.ids["id_endorse_date_error"] == 1


def test_the_policy_page_endorsed_and_withdrawn(cast, policy_in):
    new_policy = policy_in(State.ENDORSED)
    for user in (cast.observer, cast.coordinator, cast.endorser):
        assert_sound(signed_in(user).get(policy_url(new_policy)))
    policy = policy_in(State.WITHDRAWN, short_title="Second policy")
    client = signed_in(cast.coordinator)
    assert_sound(client.get(policy_url(policy)))
    # A reopening posted from a page without its revision: the form's problem is shown.
    assert_sound(client.post(action_url(policy, "reopen"), {"revision": ""}), status=400)


def test_the_policy_forms_with_errors(cast, new_policy):
    client = signed_in(cast.coordinator)
    assert_sound(client.get(reverse("web:policy_create")))
    created = client.post(reverse("web:policy_create"), {"title": "", "country": "PK"})
    markup = assert_sound(created, status=400)
    assert markup.ids["id_title_error"] == 1
    edited = client.post(
        reverse("web:policy_edit", args=[new_policy.pk]),
        {"title": "", "revision": revision(new_policy)},
    )
    markup = assert_sound(edited, status=400)
    assert markup.ids["id_title_error"] == 1


def test_the_inbox_and_the_preferences(cast):
    for number in range(3):
        Notification.objects.create(
            key=f"markup:{number}",
            recipient=cast.reviewer,
            event="submitted_for_review",
            title=f"Review requested {number}",
            body="Dear reader.",
            link="http://127.0.0.1:8000/policies/1/",
            read_at=timezone.now() if number == 0 else None,
        )
    client = signed_in(cast.reviewer)
    assert_sound(client.get(reverse("notifications:inbox")))
    assert_sound(client.get(reverse("notifications:preferences")))


def test_the_sign_in_and_password_forms_with_errors(cast):
    client = Client()
    assert_sound(client.get(reverse("login")))
    failed = client.post(reverse("login"), {"username": cast.drafter.username, "password": "no"})
    assert_sound(failed)
    assert "Please enter a correct" in failed.content.decode()
    client = signed_in(cast.drafter)
    response = client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": "short", "new_password2": "other"},
    )
    markup = assert_sound(response)
    assert markup.ids["id_old_password_error"] == 1


def test_the_document_pages(cast, new_policy, walk):
    walk.upload(new_policy)
    walk.upload(new_policy)
    older, newer = new_policy.versions.order_by("number")
    client = signed_in(cast.drafter)
    assert_sound(client.get(reverse("documents:preview", args=[newer.pk])))
    assert_sound(client.get(reverse("documents:compare", args=[older.pk, newer.pk])))


# -- every error of a field in one element -------------------------------------------


class Several(forms.Form):
    title = forms.CharField(help_text="The full title.")
    decision = forms.ChoiceField(choices=[("yes", "Yes"), ("no", "No")], widget=forms.RadioSelect)
    themes = forms.MultipleChoiceField(
        choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple
    )


def several_errors():
    form = Several(data={})
    form.is_valid()
    for name in ("title", "decision", "themes"):
        form.add_error(name, "A second problem.")
    return form


@pytest.mark.parametrize(
    ("template", "name", "described"),
    [
        ("web/includes/field.html", "title", "input"),
        ("web/policy/choice_field.html", "decision", "fieldset"),
        ("web/editing/choices.html", "themes", "fieldset"),
    ],
)
def test_several_errors_share_one_element_the_field_points_at(template, name, described):
    form = several_errors()
    field = form[name]
    html = render_to_string(template, {"field": field})
    markup = Markup(html)
    assert markup.ids[f"id_{name}_error"] == 1
    assert html.count("A second problem.") == 1
    assert html.count("This field is required.") == 1
    start = html.index(f'id="id_{name}_error"')
    assert html.index("This field is required.") > start
    assert html.index("A second problem.") > start
    pointers = [t for tag, attr, t in markup.references if attr == "aria-describedby"]
    assert f"id_{name}_error" in pointers
    assert any(
        tag == described and attr == "aria-describedby" for tag, attr, _t in markup.references
    )
    assert markup.dangling_references() == []


# -- the error pages speak the reader's language, in its direction -----------------------


# The tests below that mark this module as their URLconf reach Django's own
# 500 and 400 handlers through these two views.
def fail(request):
    raise RuntimeError("a bug")


def refuse(request):
    raise BadRequest("garbled")


urlpatterns = [path("fail/", fail), path("refuse/", refuse)]


def arabic_client(**options):
    client = Client(**options)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    return client


def assert_arabic_page(response, status):
    assert response.status_code == status
    page = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    return page


@pytest.mark.urls(__name__)
def test_the_500_page_is_right_to_left_in_arabic():
    response = arabic_client(raise_request_exception=False).get("/fail/")
    page = assert_arabic_page(response, 500)
    with translation.override("ar"):
        assert translation.gettext("Something went wrong on our side") in page


@pytest.mark.urls(__name__)
def test_a_bad_request_gets_the_translated_400_page():
    page = assert_arabic_page(arabic_client().get("/refuse/"), 400)
    assert "Bad Request (400)" not in page
    assert "<h1>" in page


def test_a_request_for_an_unknown_host_gets_the_400_page():
    response = arabic_client().get("/", headers={"host": "policyflow.invalid"})
    assert_arabic_page(response, 400)


def test_an_expired_form_is_right_to_left_in_arabic(cast):
    client = arabic_client(enforce_csrf_checks=True)
    client.force_login(cast.coordinator)
    page = assert_arabic_page(client.post(reverse("logout")), 403)
    with translation.override("ar"):
        assert translation.gettext("This form has expired") in page


def test_the_english_error_pages_are_left_to_right():
    with translation.override("en"):
        for template in ("400.html", "403_csrf.html", "500.html"):
            assert '<html lang="en" dir="ltr">' in render_to_string(template)


# -- names inside sentences are isolated ---------------------------------------------


ARABIC_NAME = ("سارة", "الكاظمي")


def test_who_withdrew_is_isolated_in_the_sentence(cast, new_policy):
    cast.coordinator.first_name, cast.coordinator.last_name = ARABIC_NAME
    cast.coordinator.save()
    services.perform_transition(
        new_policy, "withdraw", actor=cast.coordinator, comment="Mandate ended."
    )
    page = signed_in(cast.observer).get(policy_url(new_policy)).content.decode()
    assert "by <bdi>سارة الكاظمي</bdi>." in page


def test_the_institution_is_isolated_in_its_form(cast, policy_in):
    new_policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    page = signed_in(cast.bureau_member).get(policy_url(new_policy)).content.decode()
    assert f"Decision of <bdi>{cast.bureau.name}</bdi> on version 1" in page
    assert "Record the decision of <bdi>" in page


def test_the_signed_in_name_is_isolated_in_the_menu(cast):
    cast.drafter.first_name, cast.drafter.last_name = ARABIC_NAME
    cast.drafter.save()
    page = signed_in(cast.drafter).get("/").content.decode()
    assert (
        '<summary class="btn btn-sm btn-outline-secondary"><bdi>سارة الكاظمي</bdi></summary>'
        in page
    )


def test_the_file_name_is_isolated_in_the_preview(cast, new_policy):
    upload = docx_upload("Text.", name="مسودة <1>.docx")
    version = add_version(new_policy, actor=cast.drafter, uploaded_file=upload)
    page = signed_in(cast.drafter).get(reverse("documents:preview", args=[version.pk]))
    assert "Version 1 (<bdi>مسودة &lt;1&gt;.docx</bdi>), uploaded" in page.content.decode()


def test_a_void_support_names_its_recorder_in_isolation(cast, new_policy, walk):
    cast.bureau_member.first_name, cast.bureau_member.last_name = ARABIC_NAME
    cast.bureau_member.save()
    walk.to(new_policy, State.INSTITUTIONAL_SUPPORT)
    services.record_support(
        new_policy,
        actor=cast.bureau_member,
        organization=cast.bureau,
        decision="supported",
        statement="Fine by the Bureau.",
    )
    services.perform_transition(
        new_policy, "return_to_drafting", actor=cast.coordinator, comment="Changes needed."
    )
    walk.upload(new_policy)  # the decision was given on version 1: void for version 2
    page = signed_in(cast.observer).get(policy_url(new_policy)).content.decode()
    assert "recorded by <bdi>سارة الكاظمي</bdi>: <bdi>Fine by the Bureau.</bdi>" in page


def test_a_list_of_names_is_escaped_isolated_and_joined_in_the_readers_language():
    names = ["Amina Khan", "علي <admin>"]
    assert list_of(names) == "<bdi>Amina Khan</bdi>, <bdi>علي &lt;admin&gt;</bdi>"
    assert list_of([]) == ""


# -- the comments' authors only where the full version is read -----------------------


class LightVersion(SimpleNamespace):
    """A version as the versions list reads it: without the large extraction column."""

    @property
    def comment_authors(self):
        raise AssertionError("the versions list must not read the comments' authors")


def unresolved(version, **context):
    return render_to_string("documents/includes/unresolved.html", {"version": version, **context})


def test_the_versions_list_leaves_the_comments_authors_out():
    version = LightVersion(tracked_insertions=1, tracked_deletions=0, comment_count=2)
    html = unresolved(version, small=True)
    assert "2 comments" in html
    assert "by" not in html


def test_the_preview_names_the_comments_authors_each_isolated():
    version = SimpleNamespace(
        tracked_insertions=0,
        tracked_deletions=0,
        comment_count=2,
        comment_authors=["Amina Khan", "سارة"],
    )
    html = unresolved(version)
    assert "2 comments, by <bdi>Amina Khan</bdi>, <bdi>سارة</bdi>" in html


# -- the policy list announces its count, not the whole table ------------------------


def test_only_the_count_of_the_policy_list_is_live(cast, new_policy):
    client = signed_in(cast.coordinator)
    markup = Markup(client.get(reverse("web:policy_list")).content.decode())
    live = [
        attributes for _tag, attributes in markup.live if attributes.get("id") == "policy-count"
    ]
    assert live == [
        {"class": "text-body-secondary small mb-2", "id": "policy-count", "role": "status"}
    ]
    assert not any("aria-live" in attributes for _tag, attributes in markup.live)
    # An htmx answer refills the count in place (out of band), beside the new table.
    partial = client.get(reverse("web:policy_list"), headers={"HX-Request": "true"})
    html = partial.content.decode()
    assert '<p id="policy-count" hx-swap-oob="innerHTML">1 policy' in html
    assert "<table" in html
