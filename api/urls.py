from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny

from api.views import (
    calendar,
    decisions,
    directory,
    evidence,
    notifications,
    policies,
    records,
    search,
    translations,
    versions,
)

app_name = "api"

urlpatterns = [
    path("me/", directory.Me.as_view(), name="me"),
    path("policies/", policies.PolicyList.as_view(), name="policies"),
    path("policies/<int:pk>/", policies.PolicyDetail.as_view(), name="policy"),
    path(
        "policies/<int:pk>/transitions/<str:name>/",
        policies.TakeTransition.as_view(),
        name="transition",
    ),
    path("policies/<int:pk>/reviews/", decisions.Reviews.as_view(), name="reviews"),
    path("policies/<int:pk>/supports/", decisions.Supports.as_view(), name="supports"),
    path("policies/<int:pk>/versions/", versions.Versions.as_view(), name="versions"),
    path("policies/<int:pk>/versions/<int:number>/", versions.Version.as_view(), name="version"),
    path(
        "policies/<int:pk>/versions/<int:number>/file/",
        versions.VersionFile.as_view(),
        name="version_file",
    ),
    path(
        "policies/<int:pk>/versions/<int:number>/translations/",
        translations.Translations.as_view(),
        name="translations",
    ),
    path(
        "policies/<int:pk>/versions/<int:number>/translations/<str:language>/file/",
        translations.TranslationFile.as_view(),
        name="translation_file",
    ),
    path(
        "policies/<int:pk>/versions/<int:number>/text/",
        versions.VersionText.as_view(),
        name="version_text",
    ),
    path(
        "policies/<int:pk>/versions/<int:older>/compare/<int:newer>/",
        versions.Comparison.as_view(),
        name="comparison",
    ),
    path(
        "policies/<int:pk>/versions/<int:older>/compare/<int:newer>/redline/",
        versions.Redline.as_view(),
        name="redline",
    ),
    path("policies/<int:pk>/evidence/", evidence.EvidenceList.as_view(), name="evidence"),
    path(
        "policies/<int:pk>/evidence/<int:item>/file/",
        evidence.EvidenceFile.as_view(),
        name="evidence_file",
    ),
    path("policies/<int:pk>/history/", records.History.as_view(), name="history"),
    path("policies/<int:pk>/endorsement/", records.EndorsementDetail.as_view(), name="endorsement"),
    path(
        "policies/<int:pk>/endorsement/record/",
        records.EndorsementRecord.as_view(),
        name="endorsement_record",
    ),
    path("notifications/", notifications.Notifications.as_view(), name="notifications"),
    path("notifications/read/", notifications.MarkAllRead.as_view(), name="notifications_read"),
    path(
        "notifications/<int:pk>/read/",
        notifications.MarkRead.as_view(),
        name="notification_read",
    ),
    path("organizations/", directory.OrganizationList.as_view(), name="organizations"),
    path("organizations/<int:pk>/", directory.OrganizationDetail.as_view(), name="organization"),
    path("projects/", directory.ProjectList.as_view(), name="projects"),
    path("projects/<int:pk>/", directory.ProjectDetail.as_view(), name="project"),
    # The secret in the address is the credential: calendar programs send no header.
    path("calendar/<str:secret>.ics", calendar.calendar, name="calendar"),
    path("search/", search.Search.as_view(), name="search"),
    # The schema and its docs are public: they describe the API, never its data.
    path("schema/", SpectacularAPIView.as_view(permission_classes=[AllowAny]), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", permission_classes=[AllowAny], template_name="api/docs.html"
        ),
        name="docs",
    ),
]
