"""The form that makes a personal API token."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from api.tokens import NAME_MAX_LENGTH

# A token lasts at most this many days: a forgotten one should not outlive a year.
LONGEST_LIFETIME_DAYS = 365


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=NAME_MAX_LENGTH,
        help_text=_("What the token is for, to tell it apart later (e.g. “weekly report script”)."),
    )
    lifetime_days = forms.IntegerField(
        label=_("Lifetime in days"),
        required=False,
        min_value=1,
        max_value=LONGEST_LIFETIME_DAYS,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["lifetime_days"]
        default = settings.API_TOKEN_LIFETIME_DAYS
        field.help_text = _("From 1 to %(longest)d days; left empty, %(default)d days.") % {
            "longest": LONGEST_LIFETIME_DAYS,
            "default": default,
        }
        field.widget.attrs["placeholder"] = str(default)
