"""The inbox and email preferences of the signed-in user."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from notifications import services
from notifications.models import Notification
from web.forms.preferences import PreferencesForm
from web.views import login_required_htmx

# A page of the inbox; older notifications are a click away.
PER_PAGE = 50


@require_GET
@login_required
def inbox(request):
    page = Paginator(Notification.objects.filter(recipient=request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "notifications/inbox.html",
        {"nav": "notifications", "page": page, "notifications": page.object_list},
    )


# With htmx the answer is a fragment, without it a redirect: caches must tell them apart.
# (Only posts reach it, so going back in history never asks it for a page.)
@vary_on_headers("HX-Request")
@require_POST
@login_required_htmx
def mark_read(request, pk):
    """Mark one notification read; with htmx, answer with it and the header's new count."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.mark_read(request.user, notification.pk)
    if request.htmx:
        notification.refresh_from_db(fields=["read_at"])
        return render(
            request,
            "notifications/includes/marked_read.html",
            {"nav": "notifications", "notification": notification, "page_number": _page(request)},
        )
    return redirect(_inbox_url(request))


@require_POST
@login_required
def mark_all_read(request):
    services.mark_all_read(request.user)
    return redirect("notifications:inbox")


def _page(request):
    """The inbox page a form was posted from, if it names a sensible one."""
    page = request.GET.get("page", "")
    return page if page.isdigit() else ""


def _inbox_url(request):
    url = reverse("notifications:inbox")
    page = _page(request)
    return f"{url}?page={page}" if page else url


@require_http_methods(["GET", "POST"])
@login_required
def preferences(request):
    posted = request.method == "POST"
    form = PreferencesForm(request.POST if posted else None, user=request.user)
    if posted and form.is_valid():
        services.set_email_preferences(request.user, form.cleaned_data)
        messages.success(request, _("Your email preferences are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"nav": "notifications", "form": form})
