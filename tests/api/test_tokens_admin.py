"""An administrator revokes someone's API token; the token no longer works."""

import pytest

from api.models import ApiToken
from tests.admin.helpers import admin_url

pytestmark = pytest.mark.django_db


def test_a_superuser_revokes_a_token_in_the_admin(client, api_client, cast):
    program = api_client(cast.drafter)
    assert program.get("/api/v1/me/").status_code == 200
    row = ApiToken.objects.get(user=cast.drafter)
    admin = cast.coordinator
    admin.is_staff = admin.is_superuser = True
    admin.save(update_fields=["is_staff", "is_superuser"])
    client.force_login(admin)
    page = client.get(admin_url(ApiToken, "change", row.pk)).content.decode()
    assert row.digest not in page  # the digest is never shown
    response = client.post(
        admin_url(ApiToken, "changelist"),
        {"action": "revoke", "_selected_action": [row.pk]},
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.revoked_at is not None
    refused = program.get("/api/v1/me/")
    assert refused.status_code == 401
    assert refused.json()["code"] == "authentication_failed"
