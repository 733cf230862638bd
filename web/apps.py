from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    """The pages people work in: dashboard, policies, actions, reports."""

    name = "web"
    verbose_name = _("Pages")
