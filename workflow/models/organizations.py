"""Who takes part: organisations, the people in them and their roles."""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from policyflow.formats import languages


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
    # The languages of its policies' documents (``policyflow.formats.languages``
    # codes), which are not the interface's: a version may be translated into
    # Kurdish though no page is shown in it.
    version_language = models.CharField(
        _("language of the versions"),
        max_length=12,
        default="en",
        help_text=_("The language versions are drafted and uploaded in, e.g. en."),
    )
    translation_languages = models.JSONField(
        _("translation languages"),
        default=list,
        blank=True,
        help_text=_('The languages a version may be translated into, e.g. ["fa", "ps"].'),
    )
    required_translations = models.JSONField(
        _("required translations"),
        default=list,
        blank=True,
        help_text=_(
            "The translation languages that must be present before a version is submitted "
            "for review and before it is endorsed."
        ),
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

    def clean(self):
        errors = {}
        if not languages.is_known(self.version_language):
            errors["version_language"] = _("Give a language code CLDR knows, e.g. en.")
        for field in ("translation_languages", "required_translations"):
            codes = getattr(self, field)
            if not isinstance(codes, list) or not all(
                isinstance(c, str) and languages.is_known(c) for c in codes
            ):
                errors[field] = _('Give a list of language codes CLDR knows, e.g. ["fa", "ps"].')
        if not errors:
            if self.version_language in self.translation_languages:
                errors["translation_languages"] = _(
                    "The versions' own language is not a translation."
                )
            elif set(self.required_translations) - set(self.translation_languages):
                errors["required_translations"] = _(
                    "Only translation languages of the project can be required."
                )
        if errors:
            raise ValidationError(errors)


class Theme(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self):
        return self.name
