"""Helpers shared by the admin tests."""

from django.contrib.auth.models import Permission
from django.urls import reverse

from workflow.models import Policy

State = Policy.State
STALE = "This policy was changed by someone else in the meantime. Reload it and try again."


def make_staff(user):
    """Give ``user`` the admin and every workflow and documents model permission."""
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["workflow", "documents"])
    )
    return user


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def transition_url(policy, name):
    return reverse("admin:workflow_policy_transition", args=[policy.pk, name])


def page_text(response):
    return response.content.decode()


def snapshot(policy):
    policy.refresh_from_db()
    return policy.state, policy.revision, policy.audit_entries.count()
