"""The demo loader: a portfolio in every state, built through the services, loadable twice."""

import datetime
import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction
from django.test import TestCase, override_settings
from django.utils import timezone

from demo.portfolio import OBSERVER, PASSWORD, TOUR
from notifications.models import Notification
from tests.demo_mode import demo_settings, enter_demo_mode
from web.selectors import dashboard
from workflow import rules, services
from workflow.models import (
    AuditEntry,
    DocumentVersion,
    Endorsement,
    Evidence,
    MarkedUpCopy,
    Membership,
    Organization,
    Policy,
    Review,
    SearchEntry,
    Support,
    Translation,
)
from workflow.search.query import search

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def demo_mode(settings):
    enter_demo_mode(settings)


SEED_POLICIES = (
    "National Comprehensive Migration Policy",
    "National Emigration and Welfare Policy for Overseas Pakistanis",
    "Policy on Engagement with Iraqis Abroad",
)
COUNTED = (
    Organization,
    get_user_model(),
    Membership,
    Policy,
    DocumentVersion,
    Review,
    Support,
    Endorsement,
    Evidence,
    AuditEntry,
    SearchEntry,
    Translation,
    MarkedUpCopy,
)


def load(*args):
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


# Audit actions of decisions, which leave the policy row as it is.
DECISIONS = ["review", "support", "support_declined"]


def counts():
    return {model.__name__: model.objects.count() for model in COUNTED}


def signs_in(client, username, password):
    """Sign in through the login page, as a person would (django-axes watches it)."""
    client.logout()
    response = client.post("/accounts/login/", {"username": username, "password": password})
    return response.status_code == 302 and response.url == "/"


def test_output_names_the_password_and_the_users(client):
    output = load()
    assert PASSWORD in output
    for username in ("coordinator", "drafter1", "reviewer1", "observer", "mophrd", "admin"):
        assert username in output
    assert signs_in(client, "beoe", PASSWORD)


def test_password_option_sets_every_demo_password(client):
    output = load("--password", "another-secret")
    assert "another-secret" in output
    assert signs_in(client, "momd", "another-secret")
    assert not signs_in(client, "momd", PASSWORD)


def stored_files():
    return {path for path in Path(default_storage.location).rglob("*") if path.is_file()}


def test_a_failed_load_leaves_nothing_behind(monkeypatch):
    def refuse(*args, **kwargs):
        raise RuntimeError("The institution's decision could not be recorded.")

    # Fails after the first policy's two versions reached storage.
    monkeypatch.setattr(services, "record_support", refuse)
    before = stored_files()
    with pytest.raises(RuntimeError):
        load()
    assert set(counts().values()) == {0}
    assert stored_files() == before


# -- a history that happened over months ------------------------------------------


def test_loading_prints_what_a_person_needs_and_no_task_lines(
    caplog, capsys, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        output = load()
    printed = capsys.readouterr()
    assert Notification.objects.exists()  # the tasks did run, in-process
    assert not [r for r in caplog.records if r.name.startswith("celery")]
    assert "succeeded" not in printed.out + printed.err + output
    assert len(output.splitlines()) < 40


# -- the tour: every suggested account has something to do ---------------------------


def readme():
    return (Path(__file__).resolve().parents[1] / "README.md").read_text()


def test_the_readme_tour_names_the_suggested_accounts():
    text = readme()
    for username in (*TOUR, OBSERVER):
        assert f"`{username}`" in text, username


class TestTheLoadedPortfolio:
    """What the loaded portfolio holds: one load for these tests, which read it.

    The load commits to nothing: it stays in a transaction around the
    class, and each test runs in a savepoint of it, so what a test writes
    (a sign-in, a second load) is rolled back before the next. What the
    load leaves for after its commit (delivering its notifications, making
    the endorsement record) is done at once, as the commit would.
    """

    @pytest.fixture(scope="class")
    @classmethod
    def demo_storage(cls, tmp_path_factory):
        return tmp_path_factory.mktemp("documents")

    @pytest.fixture(scope="class", autouse=True)
    @classmethod
    def loaded(cls, django_db_setup, django_db_blocker, demo_storage):
        storages = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": demo_storage, "base_url": None},
            },
        }
        with (
            override_settings(STORAGES=storages, **demo_settings()),
            django_db_blocker.unblock(),
            transaction.atomic(),
        ):
            with TestCase.captureOnCommitCallbacks(execute=True):
                load()
            yield
            transaction.set_rollback(True)

    @pytest.fixture
    def private_storage(self, demo_storage):
        """The load's files, for every test of the class."""
        return demo_storage

    def test_seed_policies_await_endorsement_with_every_required_support(self):
        for title in SEED_POLICIES:
            policy = Policy.objects.get(title=title)
            assert policy.state == Policy.State.AWAITING_ENDORSEMENT
            version = policy.current_version
            assert version.number >= 2
            supported = set(
                version.supports.filter(decision=Support.Decision.SUPPORTED).values_list(
                    "organization", flat=True
                )
            )
            required = set(policy.required_supporters.values_list("pk", flat=True))
            assert required
            assert supported == required

    def test_every_decision_carries_its_letter_and_the_endorsement_its_decree(self):
        for support in Support.objects.all():
            (letter,) = support.letters.all()
            assert letter.kind == "pdf"
            assert letter.pages == 1
            assert support.organization.name in letter.text
            with default_storage.open(letter.file.name, "rb") as stored:
                assert hashlib.sha256(stored.read()).hexdigest() == letter.sha256
        for title in SEED_POLICIES:
            assert Evidence.objects.filter(policy__title=title, support__isnull=False).exists()
        endorsed = Policy.objects.get(state=Policy.State.ENDORSED)
        assert endorsed.project.endorsement_letter_required
        (decree,) = endorsed.endorsement.letters.all()
        assert endorsed.endorsement.instrument in decree.text

    def test_seed_history_has_a_revision_round_and_four_eyes_reviews(self):
        policy = Policy.objects.get(title=SEED_POLICIES[1])
        actions = list(policy.audit_entries.values_list("action", flat=True))
        # Each version is translated into Urdu while it is drafted.
        assert actions[:9] == [
            "registered",
            "version_added",
            "translation_added",
            "submit_for_review",
            "review",
            "request_revision",
            "version_added",
            "translation_added",
            "submit_for_review",
        ]
        assert actions[-1] == "complete_support"
        revision = policy.audit_entries.get(action="request_revision")
        assert revision.comment
        for review in Review.objects.filter(policy=policy):
            assert review.reviewer_id != review.version.uploaded_by_id

    def test_seed_policies_carry_their_translations_and_one_marked_up_review(self):
        languages = {
            SEED_POLICIES[0]: ["fa", "ps"],
            SEED_POLICIES[1]: ["ur"],
            SEED_POLICIES[2]: ["ar", "ku"],
        }
        for title, codes in languages.items():
            policy = Policy.objects.get(title=title)
            for version in policy.versions.all():
                stored = sorted(version.translations.values_list("language", flat=True))
                assert stored == sorted(codes), (title, version.number)
        copy = MarkedUpCopy.objects.get()
        assert copy.version.policy.title == SEED_POLICIES[0]
        assert copy.review.decision == Review.Decision.CHANGES_REQUESTED
        assert [c["section"] for c in copy.comments] == ["1", "2", "4"]
        assert copy.tracked_insertions == 1

    def test_every_state_appears(self):
        assert set(Policy.objects.values_list("state", flat=True)) == set(Policy.State.values)
        endorsed = Policy.objects.get(state=Policy.State.ENDORSED)
        assert endorsed.endorsement.version == endorsed.current_version
        assert endorsed.endorsement.endorsed_by.memberships.filter(
            organization=endorsed.lead_ministry, role=Membership.Role.MINISTRY_ENDORSER
        ).exists()

    def test_loading_twice_changes_nothing(self):
        first = counts()
        output = load()
        assert counts() == first
        assert "Already present" in output

    def test_membership_roles_match_organisation_kinds(self):
        for membership in Membership.objects.select_related("organization"):
            assert membership.organization.kind in Membership.ROLE_KINDS[membership.role]

    def test_only_the_coordinator_and_the_administrator_get_the_admin(self, client):
        users = get_user_model().objects
        assert set(users.filter(is_staff=True).values_list("username", flat=True)) == {
            "coordinator",
            "admin",
        }
        coordinator = users.get(username="coordinator")
        assert not coordinator.is_superuser
        assert coordinator.has_perm("workflow.view_policy")
        assert coordinator.has_perm("workflow.view_documentversion")
        assert not coordinator.has_perm("workflow.change_organization")
        assert not coordinator.has_perm("auth.view_user")
        admin = users.get(username="admin")
        assert admin.is_superuser
        assert admin.check_password(PASSWORD)

        # An institution member signs in to the pages, not to the admin.
        assert signs_in(client, "beoe", PASSWORD)
        for url in ("/admin/", "/admin/auth/user/", "/admin/workflow/membership/"):
            response = client.get(url)
            assert (response.status_code, response.url) == (302, f"/admin/login/?next={url}")
        assert signs_in(client, "coordinator", PASSWORD)
        assert client.get("/admin/workflow/policy/").status_code == 200
        assert client.get("/admin/auth/user/").status_code == 403

    def test_loading_again_closes_the_admin_to_participants_made_staff_before(self):
        """A database loaded when every demo account was staff is put right."""
        users = get_user_model().objects
        participants = Group.objects.create(name="Participants")
        beoe = users.get(username="beoe")
        beoe.is_staff = True
        beoe.save()
        beoe.groups.add(participants)
        load()
        beoe.refresh_from_db()
        assert not beoe.is_staff
        assert not Group.objects.filter(name="Participants").exists()
        assert users.get(username="coordinator").is_staff

    def test_versions_are_distinct_docx_with_right_to_left_summaries(self):
        policy = Policy.objects.get(title=SEED_POLICIES[2])
        first, second = policy.versions.order_by("number")
        assert first.sha256 != second.sha256
        with second.file.open("rb") as stored, zipfile.ZipFile(stored) as archive:
            body = archive.read("word/document.xml").decode()
            core = archive.read("docProps/core.xml").decode()
        assert "<w:bidi/>" in body
        assert "<w:rtl/>" in body
        assert "ملخص" in body
        assert "Monitoring, evaluation and review" in body
        assert SEED_POLICIES[2] in core

    @pytest.mark.parametrize(
        ("query", "policy"),
        [
            # Arabic, typed without the vowel marks the text has.
            ("تحويلات المغتربين", "Policy on Engagement with Iraqis Abroad"),
            ('"العودة الطوعية"', "Policy on Engagement with Iraqis Abroad"),
            # Urdu, typed with Arabic kaf and yeh; Dari, without its ezafe marks.
            (
                "پاكستانيوں ترسيلات",
                "National Emigration and Welfare Policy for Overseas Pakistanis",
            ),
            ('"بازگشت داوطلبانه"', "National Comprehensive Migration Policy"),
            # English: a phrase as written, a word by its stem.
            ('"skills recognition"', "National Comprehensive Migration Policy"),
            ("recognition skill", "National Comprehensive Migration Policy"),
        ],
    )
    def test_the_texts_are_searched_in_their_own_script(self, query, policy):
        coordinator = get_user_model().objects.get(username="coordinator")
        found = search(coordinator, query, per_page=50)
        assert policy in [result.title for result in found.policies]
        hit = next(r for r in found.policies if r.title == policy).hits[0]
        assert hit.kind == "text"
        assert hit.anchor.startswith("p-")

    def test_each_history_keeps_to_its_due_dates(self):
        for policy in Policy.objects.exclude(review_due=None):
            dates = {
                action: [timezone.localdate(at) for at in entries]
                for action in ("submit_for_review", "clear_review", "support", "registered")
                for entries in [
                    policy.audit_entries.filter(action=action).values_list("at", flat=True)
                ]
            }
            assert dates["registered"][0] < policy.review_due, policy.short_title
            assert all(day < policy.review_due for day in dates["submit_for_review"])
            assert all(day < policy.review_due for day in dates["clear_review"])
            assert all(day < policy.support_due for day in dates["support"])
            assert all(day > max(dates["clear_review"]) for day in dates["support"])

    def test_the_endorsement_follows_the_submission_of_its_version(self):
        endorsement = Endorsement.objects.get()
        policy = endorsement.policy
        submitted = rules.submitted_on(policy, endorsement.version)
        completed = policy.audit_entries.get(action="complete_support").at
        assert submitted <= timezone.localdate(completed) < endorsement.endorsed_on
        assert endorsement.endorsed_on < timezone.localdate()
        assert timezone.localdate(policy.audit_entries.get(action="endorse").at) == (
            endorsement.endorsed_on
        )

    def test_every_suggested_account_finds_something_waiting_on_its_dashboard(self, client):
        users = get_user_model().objects
        for username in TOUR:
            user = users.get(username=username)
            assert dashboard.waiting_on(user), username
            assert signs_in(client, username, PASSWORD)
            page = client.get("/").content.decode()
            assert 'id="waiting-on-me"' in page, username
            assert "Nothing waits on you now." not in page, username

    def test_what_each_suggested_account_finds(self, client):
        users = get_user_model().objects

        def tasks(username):
            return {
                (item.policy.short_title, item.task)
                for item in dashboard.waiting_on(users.get(username=username))
            }

        assert (
            "Iraq Engagement with Iraqis Abroad",
            "Endorse version 2, or return it for revision.",
        ) in tasks("momd")
        assert (
            "Pakistan Returning Workers Policy",
            "Record the decision of Bureau of Emigration and Overseas Employment on version 1.",
        ) in tasks("beoe")
        assert ("Iraq Labour Migration Policy", "Review version 2.") in tasks("reviewer1")
        assert (
            "Afghanistan Migrants Abroad Policy",
            "Submit the draft for review, or upload a revised version.",
        ) in tasks("drafter1")
        assert (
            "Pakistan Returning Workers Policy",
            "An institution declined: return the policy to drafting or follow it up.",
        ) in tasks("coordinator")

    def test_the_observer_has_no_waiting_block(self, client):
        assert not dashboard.may_owe_work(get_user_model().objects.get(username=OBSERVER))
        assert signs_in(client, OBSERVER, PASSWORD)
        response = client.get("/")
        page = response.content.decode()
        assert response.context["work"] is None
        assert "Waiting on you" not in page
        assert "Nothing waits on you now." not in page
        assert 'id="waiting-heading"' not in page
        # The rest of the dashboard is there.
        assert 'id="pipeline-heading"' in page

    def test_the_demo_keeps_the_rules_its_steps_go_through(self):
        # A reviewer never reviews their own upload.
        for review in Review.objects.select_related("version"):
            assert review.reviewer_id != review.version.uploaded_by_id
        for policy in Policy.objects.all():
            # Due dates follow each other.
            if policy.review_due and policy.support_due:
                assert policy.review_due < policy.support_due, policy.short_title
            # Each suggested reviewer's current version was uploaded by someone else.
            if policy.state == Policy.State.EXPERT_REVIEW:
                assert policy.current_version.uploaded_by not in policy.reviewers.all()
        for endorsement in Endorsement.objects.all():
            submitted = rules.submitted_on(endorsement.policy, endorsement.version)
            assert submitted <= endorsement.endorsed_on
        # The three seed policies still await endorsement, and every state is there.
        assert set(
            Policy.objects.filter(title__in=SEED_POLICIES).values_list("state", flat=True)
        ) == {Policy.State.AWAITING_ENDORSEMENT}
        assert set(Policy.objects.values_list("state", flat=True)) == set(Policy.State.values)

    def test_each_history_is_spread_over_months_in_the_order_it_happened(self):
        now = timezone.now()
        for policy in Policy.objects.all():
            stamps = list(policy.audit_entries.order_by("pk").values_list("at", flat=True))
            assert stamps == sorted(stamps), policy.short_title
            assert stamps[-1] < now
            span = stamps[-1] - stamps[0]
            past_review = policy.audit_entries.filter(action="clear_review").exists()
            months = datetime.timedelta(days=60 if past_review else 21)
            assert span >= months, policy.short_title
            assert policy.created_at == stamps[0]
            assert (
                policy.updated_at
                == policy.audit_entries.exclude(action__in=DECISIONS).latest("at", "pk").at
            )
        days = {stamp.date() for stamp in AuditEntry.objects.values_list("at", flat=True)}
        assert len(days) > 40
        # What people were told carries the moment it happened.
        told = Notification.objects.values_list("created_at", flat=True)
        assert max(told) - min(told) > datetime.timedelta(days=150)

    def test_notifications_of_steps_done_in_the_history_are_done(self, client):
        users = get_user_model().objects
        reviewer1 = users.get(username="reviewer1")
        # Version 1 of the Iraqi labour policy was reviewed and revised; the
        # review of version 2 is still to do.
        asked = Notification.objects.filter(
            recipient=reviewer1,
            event="submitted_for_review",
            title__endswith="National Labour Migration Policy of Iraq",
        ).order_by("created_at")
        first, second = asked
        assert first.done_at is not None
        assert second.done_at is None
        # Every request for review that reviewer1 answered, in every history, is done.
        policies_reviewed = Review.objects.filter(reviewer=reviewer1).values("policy")
        for policy in Policy.objects.filter(pk__in=policies_reviewed).exclude(
            state=Policy.State.EXPERT_REVIEW
        ):
            assert not Notification.objects.filter(
                recipient=reviewer1, about=f"policy/{policy.pk}", done_at=None
            ).exclude(step=""), policy.short_title
        # The ministry was asked to endorse the smuggling policy, and endorsed it.
        interior = users.get(username="interior.pk")
        asked = Notification.objects.get(recipient=interior, event="awaiting_endorsement")
        assert asked.done_at is not None
        # What is still to do is not done: momd's endorsement request.
        momd = users.get(username="momd")
        pending = Notification.objects.filter(recipient=momd, event="awaiting_endorsement")
        assert pending.filter(done_at=None).exists()

        # The inbox shows the done ones as done, and no app name in the titles.
        assert signs_in(client, "reviewer1", PASSWORD)
        response = client.get("/notifications/")
        page = response.content.decode()
        assert "[policyflow]" not in page
        assert page.count("notification-done") == (
            Notification.objects.filter(recipient=reviewer1).exclude(done_at=None).count()
        )
        assert page.count("notification-done") > 0
        assert response.context["unread_notifications"] == (
            Notification.objects.filter(recipient=reviewer1, read_at=None, done_at=None).count()
        )
