"""The admin: a window on the workflow that writes only through its services.

Organisations, memberships, projects and themes are plain reference data
and are edited as such. Everything that belongs to a policy's record is
written by a service in ``workflow.services`` (or ``documents.services``):
once a form is valid, the admin's ``save_model`` hands its cleaned fields to
the service, and a refusal shows on the form again (``workflow.admin.base``);
the admin itself never saves those models.
"""

from workflow.admin import organizations, policies, records, webhooks
from workflow.admin.base import PolicyRecordAdmin, ServiceAdmin, ServiceForm

__all__ = [
    "PolicyRecordAdmin",
    "ServiceAdmin",
    "ServiceForm",
    "organizations",
    "policies",
    "records",
    "webhooks",
]
