"""Making, finding and revoking personal API tokens."""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from api.models import ApiToken

# Tokens say what they are, so that a secret scanner can spot one in a log.
TOKEN_PREFIX = "pft_"
NAME_MAX_LENGTH = ApiToken._meta.get_field("name").max_length
# Within this long of its last recorded use, a token's use is not written again.
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


def digest_of(token):
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(user, *, name, lifetime_days=None):
    """Make a token for ``user``; returns ``(ApiToken, the token itself)``.

    The token itself is never stored: this is the only time it is known.
    """
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, to tell it apart later.")})
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(
            {"name": _("A name is at most %(limit)d characters.") % {"limit": NAME_MAX_LENGTH}}
        )
    if not user.is_active:
        raise PermissionDenied(_("An inactive account cannot have API tokens."))
    days = settings.API_TOKEN_LIFETIME_DAYS if lifetime_days is None else lifetime_days
    if days < 1:
        raise ValidationError({"lifetime_days": _("A token lasts at least one day.")})
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    row = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=token[: len(TOKEN_PREFIX) + 4],
        digest=digest_of(token),
        created_at=now,
        expires_at=now + datetime.timedelta(days=days),
    )
    return row, token


def tokens_of(user):
    """The person's tokens, newest first, revoked and expired ones included."""
    return ApiToken.objects.filter(user=user)


def revoke_token(user, pk):
    """Revoke one of the person's own tokens; another's answers as if it did not exist."""
    with transaction.atomic():
        row = ApiToken.objects.select_for_update().filter(user=user, pk=pk).first()
        if row is None:
            raise ApiToken.DoesNotExist
        if row.revoked_at is None:
            row.revoked_at = timezone.now()
            row.save(update_fields=["revoked_at"])
    return row


def authenticate(token):
    """The usable token row whose token this is, with its user; ``None`` otherwise."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    now = timezone.now()
    row = (
        ApiToken.objects.usable(now)
        .select_related("user")
        .filter(digest=digest_of(token), user__is_active=True)
        .first()
    )
    if row is None:
        return None
    if row.last_used_at is None or now - row.last_used_at > LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        row.last_used_at = now
    return row
