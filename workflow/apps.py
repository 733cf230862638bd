from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "workflow"
    verbose_name = _("Policy workflow")

    def ready(self):
        from django.db.models.signals import m2m_changed

        from workflow import notify, tasks  # noqa: F401 - tasks registers the reminder task

        notify.register_events()

        from workflow.guard import protect_assignments, refuse_assignment_change_outside_services
        from workflow.models import Policy

        # A guard, not business logic: it only refuses writes that skipped the
        # services. (Django sends no save or delete signals for the rows of
        # these auto-created through models, so writing those rows directly
        # is not covered; the related managers are.)
        for field in ("required_supporters", "drafters", "reviewers", "themes"):
            m2m_changed.connect(
                refuse_assignment_change_outside_services,
                sender=getattr(Policy, field).through,
                dispatch_uid=f"policy-{field}-guard",
            )
        # Nor are those rows' deletes: deleting what they name is refused instead.
        protect_assignments(Policy, ("required_supporters", "drafters", "reviewers", "themes"))
