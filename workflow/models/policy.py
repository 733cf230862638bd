"""The policy and its state machine.

Each transition is declared here, once (``workflow.transitions``): who may
take it (a predicate of ``workflow.permissions``), what must hold first (a
rule of ``workflow.rules``, whose reasons people read), its button, the
audit entry and the event. The only way to take one is a service in
``workflow.services``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from django_fsm import FSMField, FSMModelMixin

from workflow import clock, permissions, rules
from workflow.events import (
    COORDINATORS,
    DONORS,
    DRAFTERS,
    LEAD_MINISTRY,
    REVIEWERS,
    SUPPORTERS,
    Event,
)
from workflow.guard import ensure_service_write
from workflow.models.organizations import Membership, Organization, Project, Theme
from workflow.obligations import ObligationsQuerySet
from workflow.transitions import declared


class PolicyQuerySet(ObligationsQuerySet):
    def update(self, **kwargs):
        ensure_service_write("Updating policies")
        return super().update(**kwargs)

    def bulk_create(self, objs, *args, **kwargs):
        ensure_service_write("Creating policies")
        return super().bulk_create(objs, *args, **kwargs)

    def visible_to(self, user):
        """Policies the user takes part in, or whose project they follow whole.

        Coordinators follow the projects their organisation implements,
        observers those it funds (``permissions.overseen_projects``); with
        ``READ_WHOLE_PORTFOLIO`` both read every policy.
        """
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser or permissions.sees_every_policy(user):
            return self.all()
        # Subqueries, not joins: joining the three assignment tables needs a
        # DISTINCT over thousands of joined rows on a large portfolio.
        org_ids = Membership.objects.filter(user=user).values("organization_id")
        supported = Policy.required_supporters.through.objects.filter(organization__in=org_ids)
        drafted = Policy.drafters.through.objects.filter(user=user)
        reviewed = Policy.reviewers.through.objects.filter(user=user)
        return self.filter(
            Q(project__in=permissions.overseen_projects(user))
            | Q(lead_ministry__in=org_ids)
            | Q(pk__in=supported.values("policy_id"))
            | Q(pk__in=drafted.values("policy_id"))
            | Q(pk__in=reviewed.values("policy_id"))
        )


class PolicyState(models.TextChoices):
    """Stored values are stable: the audit log, reports and CSV exports keep them."""

    DRAFTING = "drafting", _("Drafting")
    EXPERT_REVIEW = "expert_review", _("Expert review")
    INSTITUTIONAL_SUPPORT = "institutional_support", _("Institutional support")
    AWAITING_ENDORSEMENT = "awaiting_endorsement", _("Awaiting endorsement")
    ENDORSED = "endorsed", _("Endorsed")
    WITHDRAWN = "withdrawn", _("Withdrawn")

    @classmethod
    def label_for(cls, value):
        """The label of a stored value; anything else (an audit row's "-") as it is."""
        return cls(value).label if value in cls.values else value


class Policy(FSMModelMixin, models.Model):
    State = PolicyState

    title = models.CharField(_("title"), max_length=300)
    short_title = models.CharField(_("short title"), max_length=80, unique=True)
    # The short title as it reads (``workflow.titles.comparison_key``), set by
    # the services: unique, so that no two policies read alike. Empty (NULL)
    # only for rows written outside the services (the benchmark's bulk data).
    short_title_key = models.TextField(  # noqa: DJ001 - NULL, unlike "", may repeat
        _("short title as compared"), unique=True, null=True, editable=False
    )
    country = CountryField(_("country"))
    lead_ministry = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="led_policies",
        limit_choices_to={"kind": Organization.Kind.MINISTRY},
        verbose_name=_("lead ministry"),
    )
    summary = models.TextField(_("summary"), blank=True)
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="policies", verbose_name=_("themes")
    )
    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="policies", verbose_name=_("project")
    )
    state = FSMField(
        _("state"), max_length=30, choices=State.choices, default=State.DRAFTING, protected=True
    )
    # Bumped by every service write. A service refuses to act on a policy
    # whose revision moved since the actor loaded it (ConcurrentChange).
    revision = models.PositiveIntegerField(_("revision"), default=0, editable=False)

    required_supporters = models.ManyToManyField(
        Organization,
        blank=True,
        related_name="policies_to_support",
        verbose_name=_("required supporting institutions"),
    )
    drafters = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="drafting_policies",
        verbose_name=_("drafters"),
    )
    reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="reviewing_policies",
        verbose_name=_("reviewers"),
    )
    review_due = models.DateField(_("review due"), null=True, blank=True)
    support_due = models.DateField(_("support due"), null=True, blank=True)

    # Set by the services from ``workflow.clock`` (``save_change``).
    created_at = models.DateTimeField(_("created"), default=clock.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=clock.now, editable=False)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["country", "short_title"]
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=PolicyState.values),
                name="policy_state_valid",
            ),
        ]
        indexes = [
            # A ministry's policies in one state: the endorsements it owes.
            models.Index(fields=["lead_ministry", "state"], name="policy_ministry_state"),
        ]

    def __str__(self):
        return self.short_title or self.title

    def save(self, *args, **kwargs):
        ensure_service_write("Saving a policy")
        super().save(*args, **kwargs)

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        self.__dict__.pop("current_version", None)

    @cached_property
    def current_version(self):
        """The newest version not withdrawn, or None before the first upload.

        Read once per instance: a service's rules, checks and records ask
        for it several times under one lock. A service that changes it
        forgets it (``workflow.locking.save_change``), and so does
        ``refresh_from_db``.
        """
        # The extracted text is large and only the document pages read it:
        # ``documents.selectors.content_of`` loads it when needed.
        return (
            self.versions.defer("extraction")
            .filter(withdrawal__isnull=True)
            .order_by("-number")
            .first()
        )

    # -- transitions --------------------------------------------------------
    # Each is declared once, here (``workflow.transitions``). The services
    # take them (``workflow.services.perform_transition``) and do the writes
    # around them; a body has nothing to do. Called anywhere else, a
    # transition changes nothing stored: ``save()`` refuses outside a
    # service, and the state cannot be assigned (``protected=True``).

    @declared(
        source=State.DRAFTING,
        target=State.EXPERT_REVIEW,
        order=1,
        permission=permissions.may_submit_for_review,
        blockers=rules.submit_for_review,
        label=_("Submit for review"),
        recorded_as=_("Submitted for review"),
        warns=True,
        event=Event(
            "submitted_for_review",
            _("Submitted for review"),
            _("Review requested"),
            _("%(actor)s submitted version %(number)s for expert review."),
            (REVIEWERS, COORDINATORS),
            asks=REVIEWERS,
        ),
    )
    def submit_for_review(self):
        """The drafters hand the current version to the reviewers."""

    @declared(
        source=State.EXPERT_REVIEW,
        target=State.DRAFTING,
        order=5,
        permission=permissions.may_request_revision,
        label=_("Request revision"),
        recorded_as=_("Revision requested"),
        needs_reason=True,
        sends_back=True,
        event=Event(
            "revision_requested",
            _("Revision requested"),
            _("Revision requested"),
            _("%(actor)s asked for a revision of version %(number)s."),
            (DRAFTERS, COORDINATORS),
            asks=DRAFTERS,
        ),
    )
    def request_revision(self):
        """A reviewer sends the version back with the changes it needs."""

    @declared(
        source=State.EXPERT_REVIEW,
        target=State.DRAFTING,
        order=6,
        permission=permissions.may_recall,
        blockers=rules.recall,
        label=_("Recall the submission"),
        recorded_as=_("Submission recalled"),
        needs_reason=True,
        event=Event(
            "submission_recalled",
            _("Submission recalled"),
            _("Submission recalled"),
            _("%(actor)s recalled version %(number)s from expert review; no review is needed now."),
            (REVIEWERS, COORDINATORS),
        ),
    )
    def recall(self):
        """The drafters take back a version submitted too early, before any review of it."""

    @declared(
        source=State.EXPERT_REVIEW,
        target=State.INSTITUTIONAL_SUPPORT,
        order=2,
        permission=permissions.may_clear_review,
        blockers=rules.clear_review,
        label=_("Clear review"),
        recorded_as=_("Review cleared"),
        event=Event(
            "review_cleared",
            _("Review cleared"),
            _("Institutional support requested"),
            _(
                "The expert review of version %(number)s is cleared; "
                "it now needs the support of %(institutions)s."
            ),
            (SUPPORTERS, DRAFTERS, COORDINATORS),
            asks=SUPPORTERS,
        ),
    )
    def clear_review(self):
        """An approving review lets the institutions decide on the version."""

    @declared(
        source=State.INSTITUTIONAL_SUPPORT,
        target=State.AWAITING_ENDORSEMENT,
        blockers=rules.complete_support,
        label=_("Complete support"),
        recorded_as=_("All required support received"),
        event=Event(
            "awaiting_endorsement",
            _("All support in"),
            _("Awaiting endorsement"),
            _(
                "Every required institution supports version %(number)s; "
                "it awaits endorsement by %(ministry)s."
            ),
            (LEAD_MINISTRY, COORDINATORS),
            asks=LEAD_MINISTRY,
        ),
    )
    def complete_support(self):
        """Taken by the services with the last required support on the current version."""

    @declared(
        source=State.INSTITUTIONAL_SUPPORT,
        target=State.DRAFTING,
        order=7,
        permission=permissions.may_return_to_drafting,
        label=_("Return to drafting"),
        recorded_as=_("Returned to drafting"),
        needs_reason=True,
        sends_back=True,
        event=Event(
            "returned_to_drafting",
            _("Returned to drafting"),
            _("Returned to drafting"),
            _("%(actor)s returned version %(number)s to drafting."),
            (DRAFTERS, REVIEWERS),
            asks=DRAFTERS,
        ),
    )
    def return_to_drafting(self):
        """The coordinator sends a declined version back to the drafters."""

    @declared(
        source=State.AWAITING_ENDORSEMENT,
        target=State.DRAFTING,
        order=8,
        permission=permissions.may_return_for_revision,
        label=_("Return for revision"),
        recorded_as=_("Returned for revision"),
        needs_reason=True,
        sends_back=True,
        event=Event(
            "returned_for_revision",
            _("Returned for revision"),
            _("Returned for revision"),
            _("%(ministry)s returned version %(number)s for revision."),
            (DRAFTERS, COORDINATORS),
            asks=DRAFTERS,
        ),
    )
    def return_for_revision(self):
        """The lead ministry asks for changes instead of endorsing."""

    @declared(
        source=State.AWAITING_ENDORSEMENT,
        target=State.ENDORSED,
        order=3,
        permission=permissions.may_endorse,
        blockers=rules.endorse,
        label=_("Endorse"),
        recorded_as=_("Endorsed"),
        warns=True,
        confirmed=True,
        fields=("instrument", "date", "decree"),
        event=Event(
            "endorsed",
            _("Endorsed"),
            _("Policy endorsed"),
            _("%(ministry)s endorsed version %(number)s (%(instrument)s)."),
            (COORDINATORS, DRAFTERS, REVIEWERS, SUPPORTERS, DONORS),
        ),
    )
    def endorse(self):
        """The lead ministry makes the current version the official text."""

    @declared(
        source=[
            State.DRAFTING,
            State.EXPERT_REVIEW,
            State.INSTITUTIONAL_SUPPORT,
            State.AWAITING_ENDORSEMENT,
        ],
        target=State.WITHDRAWN,
        order=9,
        permission=permissions.may_withdraw,
        label=_("Withdraw"),
        recorded_as=_("Withdrawn"),
        needs_reason=True,
        confirmed=True,
        event=Event(
            "withdrawn",
            _("Withdrawn"),
            _("Policy withdrawn"),
            _("%(actor)s withdrew the policy."),
            (DRAFTERS, REVIEWERS, SUPPORTERS, LEAD_MINISTRY, DONORS),
        ),
    )
    def withdraw(self):
        """The coordinator stops the work on the policy, whatever step it was at."""

    @declared(
        source=State.WITHDRAWN,
        target=State.DRAFTING,
        order=4,
        permission=permissions.may_reopen,
        label=_("Reopen"),
        recorded_as=_("Reopened"),
        event=Event(
            "reopened",
            _("Reopened"),
            _("Policy reopened"),
            _("%(actor)s reopened the policy for drafting."),
            (DRAFTERS, COORDINATORS),
            asks=DRAFTERS,
        ),
    )
    def reopen(self):
        """Work on a withdrawn policy starts again."""
