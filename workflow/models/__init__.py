from workflow.models.audit import AuditEntry
from workflow.models.decisions import Endorsement, Review, Support
from workflow.models.evidence import Evidence
from workflow.models.organizations import Membership, Organization, Project, Theme
from workflow.models.policy import Policy, PolicyState
from workflow.models.search import SearchDocument, SearchEntry
from workflow.models.translations import MarkedUpCopy, Translation
from workflow.models.versions import DocumentVersion, VersionWithdrawal, newest_version

__all__ = [
    "AuditEntry",
    "DocumentVersion",
    "Endorsement",
    "Evidence",
    "MarkedUpCopy",
    "Membership",
    "Organization",
    "Policy",
    "PolicyState",
    "Project",
    "Review",
    "SearchDocument",
    "SearchEntry",
    "Support",
    "Theme",
    "Translation",
    "VersionWithdrawal",
    "newest_version",
]
