from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data for trying policyflow out; it sits above every other app.

    Installed only in demo mode (``POLICYFLOW_DEMO=1``, see policyflow/settings.py).
    """

    name = "demo"
    verbose_name = _("Demo data")
