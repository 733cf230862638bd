from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Policy documents")

    def ready(self):
        # Register the tasks that other apps start by name.
        from documents import tasks  # noqa: F401
