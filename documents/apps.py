from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Policy documents")

    def ready(self):
        # Register the tasks that other apps start by name.
        from documents import tasks  # noqa: F401
        from documents.services import validate_evidence
        from workflow import evidence

        # The admin (in the workflow) takes official letters in through this intake.
        evidence.register_intake(validate_evidence)
