"""The inbox and email preferences of the signed-in user."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from notifications import catalogue, services
from notifications.models import EmailPreference, Notification


@login_required
def inbox(request):
    notifications = Notification.objects.filter(recipient=request.user)[:200]
    return render(request, "notifications/inbox.html", {"notifications": notifications})


@require_POST
@login_required
def mark_read(request, pk):
    services.mark_read(request.user, pk)
    return redirect("notifications:inbox")


@require_POST
@login_required
def mark_all_read(request):
    services.mark_all_read(request.user)
    return redirect("notifications:inbox")


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


@login_required
def preferences(request):
    form = PreferencesForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.set_email_preferences(request.user, form.cleaned_data)
        messages.success(request, _("Your email preferences are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
