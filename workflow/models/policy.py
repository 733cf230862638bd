"""The policy and its state machine.

The transitions are declared here; who may take them lives in
``workflow.permissions``, what must hold first in ``workflow.rules``, and
the only way to take one is a service in ``workflow.services``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from django_fsm import FSMField, FSMModelMixin, transition

from workflow import clock, permissions, rules
from workflow.guard import ensure_service_write
from workflow.models.organizations import Membership, Organization, Project, Theme
from workflow.obligations import ObligationsQuerySet


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
    """Stored values are stable: the API, reports and tests use them."""

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

    def __str__(self):
        return self.short_title or self.title

    def save(self, *args, **kwargs):
        ensure_service_write("Saving a policy")
        super().save(*args, **kwargs)

    @property
    def current_version(self):
        """The newest version not withdrawn, or None before the first upload."""
        # The extracted text is large and only the document pages read it:
        # ``.content`` loads it when needed.
        return (
            self.versions.defer("extraction")
            .filter(withdrawal__isnull=True)
            .order_by("-number")
            .first()
        )

    # -- transitions --------------------------------------------------------
    # The services do the writes around these; a body only refuses to run
    # outside a service, where no permission was checked and no audit row
    # would be written.

    @transition(
        field=state,
        source=State.DRAFTING,
        target=State.EXPERT_REVIEW,
        conditions=[rules.passes(rules.submit_for_review)],
        permission=permissions.may_submit_for_review,
        custom={"label": _("Submit for review")},
    )
    def submit_for_review(self):
        ensure_service_write("Taking a transition")

    @transition(
        field=state,
        source=State.EXPERT_REVIEW,
        target=State.DRAFTING,
        permission=permissions.may_request_revision,
        custom={"label": _("Request revision")},
    )
    def request_revision(self):
        ensure_service_write("Taking a transition")

    @transition(
        field=state,
        source=State.EXPERT_REVIEW,
        target=State.DRAFTING,
        conditions=[rules.passes(rules.recall)],
        permission=permissions.may_recall,
        custom={"label": _("Recall the submission")},
    )
    def recall(self):
        """The drafters take back a version submitted too early, before any review of it."""
        ensure_service_write("Taking a transition")

    @transition(
        field=state,
        source=State.EXPERT_REVIEW,
        target=State.INSTITUTIONAL_SUPPORT,
        conditions=[rules.passes(rules.clear_review)],
        permission=permissions.may_clear_review,
        custom={"label": _("Clear review")},
    )
    def clear_review(self):
        ensure_service_write("Taking a transition")

    @transition(
        field=state,
        source=State.INSTITUTIONAL_SUPPORT,
        target=State.AWAITING_ENDORSEMENT,
        conditions=[rules.passes(rules.complete_support)],
        custom={"automatic": True, "label": _("Complete support")},
    )
    def complete_support(self):
        """Taken by ``record_support`` and ``clear_review`` when every support is in."""
        ensure_service_write("Taking a transition")

    @transition(
        field=state,
        source=State.INSTITUTIONAL_SUPPORT,
        target=State.DRAFTING,
        permission=permissions.may_return_to_drafting,
        custom={"label": _("Return to drafting")},
    )
    def return_to_drafting(self):
        ensure_service_write("Taking a transition")

    @transition(
        field=state,
        source=State.AWAITING_ENDORSEMENT,
        target=State.DRAFTING,
        permission=permissions.may_return_for_revision,
        custom={"label": _("Return for revision")},
    )
    def return_for_revision(self):
        ensure_service_write("Taking a transition")

    @transition(
        field=state,
        source=State.AWAITING_ENDORSEMENT,
        target=State.ENDORSED,
        conditions=[rules.passes(rules.endorse)],
        permission=permissions.may_endorse,
        custom={"label": _("Endorse")},
    )
    def endorse(self):
        ensure_service_write("Taking a transition")

    @transition(
        field=state,
        source=[
            State.DRAFTING,
            State.EXPERT_REVIEW,
            State.INSTITUTIONAL_SUPPORT,
            State.AWAITING_ENDORSEMENT,
        ],
        target=State.WITHDRAWN,
        permission=permissions.may_withdraw,
        custom={"label": _("Withdraw")},
    )
    def withdraw(self):
        ensure_service_write("Taking a transition")

    @transition(
        field=state,
        source=State.WITHDRAWN,
        target=State.DRAFTING,
        permission=permissions.may_reopen,
        custom={"label": _("Reopen")},
    )
    def reopen(self):
        ensure_service_write("Taking a transition")
