from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    """The pages people work in: dashboard, policies, actions, reports."""

    name = "web"
    verbose_name = _("Pages")

    def ready(self):
        # Posted ids beyond any column's range match nothing instead of
        # overflowing the database driver, in every form and the admin.
        from policyflow import lookups  # noqa: F401
