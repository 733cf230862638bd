"""Append-only records: written once, never updated or deleted by the app.

Audit entries, reviews, supports, endorsements and document versions are
the official record. The guard here covers the ORM (instance save/delete
and queryset update/delete); on PostgreSQL a trigger covers raw SQL for
the audit log.
"""

from django.db import models

from workflow.exceptions import ImmutableRecord


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableRecord(f"{self.model.__name__} records cannot be updated.")

    def delete(self):
        raise ImmutableRecord(f"{self.model.__name__} records cannot be deleted.")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableRecord(f"{type(self).__name__} records cannot be changed once written.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecord(f"{type(self).__name__} records cannot be deleted.")
