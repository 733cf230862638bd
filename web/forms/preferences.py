"""The email preferences form: one checkbox per kind of notification."""

from django import forms

from notifications import catalogue
from notifications.models import EmailPreference


class PreferencesForm(forms.Form):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        off = set(
            EmailPreference.objects.filter(user=user, email=False).values_list("event", flat=True)
        )
        for code, label in catalogue.kinds():
            self.fields[code] = forms.BooleanField(
                label=label, required=False, initial=code not in off
            )
