from workflow.models.audit import AuditEntry
from workflow.models.decisions import Endorsement, Review, Support
from workflow.models.organizations import Membership, Organization, Project, Theme
from workflow.models.policy import Policy, PolicyState

__all__ = [
    "AuditEntry",
    "Endorsement",
    "Membership",
    "Organization",
    "Policy",
    "PolicyState",
    "Project",
    "Review",
    "Support",
    "Theme",
]
