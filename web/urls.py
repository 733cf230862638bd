from django.urls import path, register_converter

from web.views import actions, dashboard, editing, policies, policy, reports, search, webhooks
from workflow import transitions


class TransitionConverter:
    """Only the names of transitions people take: any other name is 404."""

    regex = "|".join(step.name for step in transitions.user_steps())

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(TransitionConverter, "transition")

app_name = "web"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("policies/", policies.policy_list, name="policy_list"),
    path("policies/new/", editing.create_policy, name="policy_create"),
    path("policies/<int:pk>/", policy.policy_detail, name="policy"),
    path("policies/<int:pk>/edit/", editing.edit_policy, name="policy_edit"),
    path("policies/<int:pk>/compare/", policy.compare, name="compare"),
    path("policies/<int:pk>/versions/", actions.upload_version, name="upload"),
    path("policies/<int:pk>/versions/withdraw/", actions.withdraw_version, name="withdraw_version"),
    path("policies/<int:pk>/translations/", actions.upload_translation, name="translate"),
    path("policies/<int:pk>/review/", actions.record_review, name="review"),
    path("policies/<int:pk>/support/", actions.record_support, name="support"),
    path("policies/<int:pk>/actions/<transition:name>/", actions.take_action, name="action"),
    path("reports/portfolio/", reports.portfolio, name="portfolio"),
    path("reports/policies.csv", reports.policies_csv, name="policies_csv"),
    path("webhooks/", webhooks.webhook_list, name="webhooks"),
    path("webhooks/<int:pk>/rotate/", webhooks.rotate_secret, name="webhook_rotate"),
    path("webhooks/<int:pk>/deactivate/", webhooks.deactivate, name="webhook_deactivate"),
    path("webhooks/<int:pk>/activate/", webhooks.activate, name="webhook_activate"),
    path("search/", search.search, name="search"),
]
