"""Who takes part: organisations, the people in them and their roles."""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class Organization(models.Model):
    class Kind(models.TextChoices):
        IMPLEMENTER = "implementer", _("Implementing organisation")
        INSTITUTION = "institution", _("National institution")
        MINISTRY = "ministry", _("Ministry")
        DONOR = "donor", _("Donor or partner")

    name = models.CharField(_("name"), max_length=255, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    country = CountryField(
        _("country"), blank=True, help_text=_("Leave empty for international organisations.")
    )

    # The kinds a policy may require the support of: its country's national
    # institutions and ministries (other than the lead ministry).
    SUPPORTING_KINDS = (Kind.INSTITUTION, Kind.MINISTRY)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A user's role in one organisation. A user may hold several."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Coordinator")
        DRAFTER = "drafter", _("Drafter")
        REVIEWER = "reviewer", _("Reviewer")
        INSTITUTION_MEMBER = "institution_member", _("Institution member")
        MINISTRY_ENDORSER = "ministry_endorser", _("Ministry endorser")
        OBSERVER = "observer", _("Observer")

    # Which kinds of organisation each role makes sense in.
    ROLE_KINDS = {
        Role.COORDINATOR: {Organization.Kind.IMPLEMENTER},
        Role.DRAFTER: {Organization.Kind.IMPLEMENTER},
        Role.REVIEWER: {Organization.Kind.IMPLEMENTER},
        Role.INSTITUTION_MEMBER: {Organization.Kind.INSTITUTION, Organization.Kind.MINISTRY},
        Role.MINISTRY_ENDORSER: {Organization.Kind.MINISTRY},
        Role.OBSERVER: {Organization.Kind.DONOR, Organization.Kind.IMPLEMENTER},
    }

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)

    class Meta:
        ordering = ["organization__name", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "role"], name="membership_unique_role"
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.organization}"

    def clean(self):
        # Read the object, not its id: a membership added together with its
        # organisation (an inline) has no organisation id yet.
        try:
            organization = self.organization
        except ObjectDoesNotExist:
            organization = None
        if organization is not None and self.role:
            allowed = self.ROLE_KINDS[self.role]
            if organization.kind not in allowed:
                raise ValidationError(
                    {
                        "role": _("A %(role)s cannot belong to a %(kind)s.")
                        % {
                            "role": self.get_role_display(),
                            "kind": organization.get_kind_display(),
                        }
                    }
                )


class Project(models.Model):
    """The programme a policy is drafted under, run by an implementer."""

    name = models.CharField(_("name"), max_length=255, unique=True)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    implementer = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="implemented_projects",
        limit_choices_to={"kind": Organization.Kind.IMPLEMENTER},
        verbose_name=_("implementer"),
    )
    donors = models.ManyToManyField(
        Organization,
        blank=True,
        related_name="funded_projects",
        limit_choices_to={"kind": Organization.Kind.DONOR},
        verbose_name=_("donors"),
    )
    # Whether a decision needs its official letter attached: an institution's
    # (support or decline), and the lead ministry's endorsement (its decree).
    support_letter_required = models.BooleanField(
        _("a letter is required for an institution's decision"), default=False
    )
    endorsement_letter_required = models.BooleanField(
        _("the decree is required for an endorsement"), default=False
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def __str__(self):
        return self.short_name or self.name


class Theme(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self):
        return self.name
