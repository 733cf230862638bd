"""Short titles are compared as they read (``workflow.titles.comparison_key``).

Existing policies get their key. Two that already read alike keep their
rows: the later one's key is left empty (NULL) so the migration does not
fail, and its next edit through the services asks for a distinct title.
"""

from django.db import migrations, models

from workflow.titles import comparison_key


def fill_keys(apps, schema_editor):
    Policy = apps.get_model("workflow", "Policy")
    taken = set()
    for pk, short_title in Policy.objects.order_by("pk").values_list("pk", "short_title"):
        key = comparison_key(short_title)
        if key and key not in taken:
            taken.add(key)
            Policy.objects.filter(pk=pk).update(short_title_key=key)


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0003_audit_support_declined"),
    ]

    operations = [
        migrations.AddField(
            model_name="policy",
            name="short_title_key",
            field=models.TextField(
                editable=False, null=True, verbose_name="short title as compared"
            ),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="policy",
            name="short_title_key",
            field=models.TextField(
                editable=False, null=True, unique=True, verbose_name="short title as compared"
            ),
        ),
    ]
