from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from web.views import tokens
from web.views.accounts import LoginView, choose_language

admin.site.site_header = admin.site.site_title = "policyflow"

# A form page answers GET and POST; PUT, DELETE and the rest are 405.
FORM_METHODS = ["get", "head", "post"]

accounts = [
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(http_method_names=FORM_METHODS),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(http_method_names=["get", "head"]),
        name="password_change_done",
    ),
    path("tokens/", tokens.token_page, name="api_tokens"),
    path("tokens/<int:pk>/revoke/", tokens.revoke_token, name="revoke_api_token"),
    path("tokens/calendar/", tokens.make_calendar_feed, name="make_calendar_feed"),
    path("tokens/calendar/stop/", tokens.stop_calendar_feed, name="stop_calendar_feed"),
]

# An address under /api/ that names nothing answers as the API's refusals do.
handler404 = "api.problems.not_found"

urlpatterns = [
    path("", include("web.urls")),
    path("api/v1/", include("api.urls")),
    path("accounts/", include(accounts)),
    path("i18n/setlang/", choose_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("documents/", include("documents.urls")),
    path("notifications/", include("web.inbox_urls")),
]
