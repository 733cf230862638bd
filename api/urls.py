from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny

from api.views import decisions, directory, policies, search

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
    path("organizations/", directory.OrganizationList.as_view(), name="organizations"),
    path("organizations/<int:pk>/", directory.OrganizationDetail.as_view(), name="organization"),
    path("projects/", directory.ProjectList.as_view(), name="projects"),
    path("projects/<int:pk>/", directory.ProjectDetail.as_view(), name="project"),
    path("search/", search.Search.as_view(), name="search"),
    # The schema and its docs are public: they describe the API, never its data.
    path("schema/", SpectacularAPIView.as_view(permission_classes=[AllowAny]), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema",
            permission_classes=[AllowAny],
            template_name="api/swagger_ui.html",
        ),
        name="docs",
    ),
]
