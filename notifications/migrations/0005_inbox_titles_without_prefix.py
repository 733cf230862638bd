"""The inbox shows titles without the "[policyflow] " that email subjects start with."""

from django.db import migrations
from django.db.models.functions import Substr

PREFIX = "[policyflow] "


def drop_prefix(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    Notification.objects.filter(title__startswith=PREFIX).update(
        title=Substr("title", len(PREFIX) + 1)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0004_notification_steps"),
    ]

    operations = [
        migrations.RunPython(drop_prefix, migrations.RunPython.noop),
    ]
