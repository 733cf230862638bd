"""The forms of the policy page.

Each form carries the ``revision`` of the policy as the page showed it:
the services refuse to act on a policy that moved since (someone else was
faster), so nobody approves or endorses a text they did not see. The
version and the institution a form names are choices among those of the
policy and those the user speaks for on it. Forms check the shape of the
input only; whether the action is allowed is the services' answer, which
the views put back into the form (``policyflow.refusals.put_on_form``).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.services.evidence import LETTER_ACCEPT
from documents.services.intake import NOTE_MAX_LENGTH
from policyflow.formats import languages
from workflow import permissions, services, transitions
from workflow.evidence import LETTER_FIELDS
from workflow.models import DocumentVersion, Endorsement, Organization, Review, Support

DOCX_ACCEPT = ".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document"

OUT_OF_DATE = _("This form is incomplete or out of date. Reload the policy page and try again.")
# Said (403) when a post names an institution the user does not speak for:
# named by id only, it stays unnamed.
NOT_SPOKEN_FOR = _("You may not record a decision for that organisation on this policy.")


# Ids and revisions are 64-bit integers in the database: a larger number names
# nothing, and SQLite cannot even compare a column with it.
LARGEST_STORED_NUMBER = 2**63 - 1


def stored_number(value, *, smallest=1):
    """``value`` (a posted field or a query parameter) as a number the database
    can hold, at least ``smallest``; None for anything else."""
    text = str(value).strip() if value is not None else ""
    if not (text.isascii() and text.isdigit()):  # no sign, "_", spaces or other digits
        return None
    number = int(text)
    return number if smallest <= number <= LARGEST_STORED_NUMBER else None


class StoredNumberField(forms.Field):
    """A hidden number the page filled in (the policy's revision); anything else
    means the form is out of date."""

    widget = forms.HiddenInput
    default_error_messages = {"required": OUT_OF_DATE, "invalid": OUT_OF_DATE}

    def __init__(self, *, smallest=1, **kwargs):
        super().__init__(**kwargs)
        self.smallest = smallest

    def to_python(self, value):
        if value in self.empty_values:
            return None
        number = stored_number(value, smallest=self.smallest)
        if number is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number


class HiddenChoiceField(forms.ModelChoiceField):
    """A row the page named by its hidden id, one of ``queryset`` (what the user
    may act on). Anything else means the form is out of date: an id of a row
    outside ``queryset`` is ``invalid_choice``, a value that is no id the
    database can hold (a sign, other digits, 64 bits and more) ``invalid``."""

    widget = forms.HiddenInput
    default_error_messages = {
        "required": OUT_OF_DATE,
        "invalid": OUT_OF_DATE,
        "invalid_choice": OUT_OF_DATE,
    }

    def to_python(self, value):
        if value not in self.empty_values and stored_number(value) is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


def versions_of(policy):
    """The versions a form of ``policy``'s page may name; the service decides
    whether the one named is still current."""
    return DocumentVersion.objects.defer("extraction").filter(policy=policy)


def _text(label, *, required=False, help_text="", rows=3, max_length=services.TEXT_MAX_LENGTH):
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows, "dir": "auto"}),
    )


def _choices(label, choices):
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )


class PolicyActionForm(forms.Form):
    """A form of the policy page; ``key`` tells it apart from the others on the page."""

    revision = StoredNumberField(smallest=0)

    def __init__(self, *args, key, **kwargs):
        kwargs.setdefault("auto_id", f"id_{key}_%s")
        super().__init__(*args, **kwargs)
        self.key = key

    def problems(self):
        """Errors not shown beside a visible field: the form's own and its hidden fields'."""
        errors = list(self.non_field_errors())
        for hidden in self.hidden_fields():
            errors.extend(hidden.errors)
        return errors

    def show_revision(self, revision):
        """Re-rendered on a freshly loaded page, the form carries that page's revision."""
        if self.is_bound:
            self.data = self.data.copy()
            self.data["revision"] = revision


def _acknowledgement():
    return forms.BooleanField(
        label=_("I have seen the tracked changes and comments still in this version."),
        required=False,
    )


class WarnedForm(PolicyActionForm):
    """A form that passes a version on: if the version still holds tracked changes
    or comments, the page warns and the person ticks ``acknowledged`` to go on."""

    unresolved = {}

    def warn(self, unresolved):
        """Show the warning for ``unresolved`` (``services.unresolved_in``), if this
        form passes the version on."""
        if "acknowledged" in self.fields:
            self.unresolved = unresolved
        return self

    def was_acknowledged(self):
        """Whether the person ticked the box (read after validation)."""
        return bool(self.cleaned_data.get("acknowledged"))


def _instrument_field():
    return forms.CharField(
        label=_("Instrument"),
        max_length=Endorsement._meta.get_field("instrument").max_length,
        help_text=_("The act that endorses the policy, e.g. a cabinet decision number."),
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )


def _date_field():
    today = timezone.localdate()
    return forms.DateField(
        label=_("Date of endorsement"),
        initial=today,
        widget=forms.DateInput(attrs={"type": "date", "max": today.isoformat()}, format="%Y-%m-%d"),
    )


def _letter_field(label, help_text):
    """An official letter: a PDF (a scan will do) or a .docx, taken in by the view."""
    return forms.FileField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.FileInput(attrs={"accept": LETTER_ACCEPT}),
    )


def _decree_field():
    return _letter_field(
        _("Decree or cabinet decision (PDF or Word)"),
        _("The signed instrument, scanned or as issued; the record lists it with its SHA-256."),
    )


def _pending_field():
    """The token of a letter attached on the first post, carried by the confirm step."""
    return forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)


# The field for each input a transition may declare (``Step.fields``).
STEP_FIELDS = {"instrument": _instrument_field, "date": _date_field, "decree": _decree_field}


class TransitionForm(WarnedForm):
    """One transition: a comment (required where the next person needs a reason),
    the fields its declaration names, and the acknowledgement where it warns."""

    def __init__(self, name, *args, **kwargs):
        kwargs.setdefault("key", name)
        super().__init__(*args, **kwargs)
        self.name = name
        self.step = transitions.step(name)
        self.label = self.step.label
        self.comment_required = self.step.needs_reason
        if self.comment_required:
            self.fields["comment"] = _text(
                _("Reason"),
                required=True,
                help_text=_("Say why, so that the next person knows what to do."),
            )
        else:
            self.fields["comment"] = _text(_("Comment (optional)"), rows=2)
        if self.step.warns:
            self.fields["acknowledged"] = _acknowledgement()
        for field in self.step.fields:
            self.fields[field] = STEP_FIELDS[field]()
            if field in LETTER_FIELDS:
                self.fields[f"{field}_pending"] = _pending_field()

    def letter_field(self):
        """The name of the letter this transition may carry, if any."""
        return next((f for f in self.step.fields if f in LETTER_FIELDS), None)

    def step_fields(self):
        """The fields the transition takes besides the comment, as the page shows them."""
        return [self[name] for name in self.step.fields]

    def transition_fields(self):
        """What the service takes besides the comment."""
        return {field: self.cleaned_data[field] for field in self.step.fields}


class ReviewForm(WarnedForm):
    """A reviewer's decision, sent by one of two buttons ("Approve and clear",
    "Request changes"), which ``services.decide_review`` carries through."""

    version = HiddenChoiceField(queryset=DocumentVersion.objects.none())
    # Posted by the button pressed; a choice, never typed.
    decision = forms.ChoiceField(
        choices=Review.Decision.choices,
        error_messages={"required": _("Choose a review decision.")},
    )
    comment = _text(
        _("Comment"),
        rows=4,
        help_text=_("Required when you request changes: say which changes are needed."),
    )
    acknowledged = _acknowledgement()
    marked_up_copy = forms.FileField(
        label=_("Your marked-up copy (optional)"),
        required=False,
        help_text=_(
            "The version as you marked it up in Word, with tracked changes and comments: "
            "the drafters see your comments by paragraph."
        ),
        widget=forms.FileInput(attrs={"accept": DOCX_ACCEPT}),
    )

    def __init__(self, *args, policy, **kwargs):
        kwargs.setdefault("key", "review")
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = versions_of(policy)


class SupportForm(PolicyActionForm):
    """The decision of one institution the user speaks for; an institution they
    do not speak for is refused with ``invalid_choice`` (see ``names_another_organization``)."""

    organization = HiddenChoiceField(
        queryset=Organization.objects.none(), error_messages={"invalid_choice": NOT_SPOKEN_FOR}
    )
    version = HiddenChoiceField(queryset=DocumentVersion.objects.none())
    decision = _choices(_("The institution's decision"), Support.Decision.choices)
    statement = _text(
        _("Statement"),
        rows=3,
        help_text=_("Required when the institution declines: say why."),
    )
    letter = _letter_field(
        _("The institution's letter (PDF or Word)"),
        _("The signed letter on letterhead, scanned or as sent; the record lists it."),
    )
    letter_pending = _pending_field()

    def __init__(self, *args, policy, user, organization_pk, **kwargs):
        kwargs.setdefault("key", support_key(organization_pk))
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = permissions.organizations_user_speaks_for(
            policy, user
        )
        self.fields["version"].queryset = versions_of(policy)
        if policy.project.support_letter_required:
            self.fields["letter"].help_text = _(
                "Required for this project: the signed letter on letterhead, scanned or as "
                "sent; the record lists it."
            )

    def names_another_organization(self):
        """Whether the post names, by a well-formed id, an institution the user
        does not speak for on this policy: not a form to correct, but a 403."""
        return self.has_error("organization", "invalid_choice")


class VersionWithdrawalForm(PolicyActionForm):
    """Withdrawing the current version, uploaded by mistake."""

    version = HiddenChoiceField(queryset=DocumentVersion.objects.none())
    reason = _text(
        _("Reason"),
        required=True,
        rows=2,
        help_text=_("Say why, e.g. the wrong file was uploaded."),
    )

    def __init__(self, *args, policy, **kwargs):
        kwargs.setdefault("key", "withdraw-version")
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = versions_of(policy)


class UploadForm(PolicyActionForm):
    file = forms.FileField(
        label=_("Word document (.docx)"),
        widget=forms.FileInput(attrs={"accept": DOCX_ACCEPT}),
    )
    note = _text(
        _("Note (optional)"),
        rows=2,
        max_length=NOTE_MAX_LENGTH,
        help_text=_("What changed in this version."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("key", "upload")
        super().__init__(*args, **kwargs)


class TranslationForm(PolicyActionForm):
    """The current version in one of the project's translation languages."""

    version = HiddenChoiceField(queryset=DocumentVersion.objects.none())
    language = forms.ChoiceField(label=_("Language"), choices=())
    file = forms.FileField(
        label=_("Word document (.docx)"),
        widget=forms.FileInput(attrs={"accept": DOCX_ACCEPT}),
    )
    reason = _text(
        _("Reason"),
        rows=2,
        help_text=_("Required after drafting: say why the translation is added now."),
    )

    def __init__(self, *args, policy, missing=None, **kwargs):
        """``missing``: the languages the page offers (those the version lacks);
        a post accepts any of the project's, and the service refuses a repeat."""
        kwargs.setdefault("key", "translation")
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = versions_of(policy)
        codes = policy.project.translation_languages or []
        self.fields["language"].choices = languages.choices(
            [c for c in codes if missing is None or c in missing]
        )


def support_key(organization_pk):
    """The page key of the support form of one institution (a number, or "" if garbage)."""
    value = str(organization_pk or "")
    return f"support-{value if value.isdigit() else ''}"
