from django.apps import AppConfig


class PolicyflowConfig(AppConfig):
    """The project itself, installed so that its system checks are registered."""

    name = "policyflow"
    verbose_name = "policyflow"

    def ready(self):
        from policyflow import checks  # noqa: F401  (registers them)
