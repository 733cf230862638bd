"""Append-only records: written once, never updated or deleted by the app.

Audit entries, reviews, supports, endorsements and document versions are
the official record. The guard here covers the ORM (instance save/delete
and queryset update/delete); on PostgreSQL a trigger covers raw SQL for
the audit log. Rows are only added by the services (``workflow.guard``).
"""

from django.db import models

from workflow.exceptions import ImmutableRecord
from workflow.guard import ensure_service_write


class AppendOnlyQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        ensure_service_write(f"Adding {self.model.__name__} records")
        return super().bulk_create(objs, *args, **kwargs)

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
        ensure_service_write(f"Adding a {type(self).__name__}")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecord(f"{type(self).__name__} records cannot be deleted.")


class ImmutableFieldFile(models.fields.files.FieldFile):
    """A stored record's file: it cannot be replaced or deleted through the field."""

    def save(self, name, content, save=True):
        if not self.instance._state.adding:
            raise ImmutableRecord("A stored record's file cannot be replaced.")
        super().save(name, content, save)

    def delete(self, save=True):
        raise ImmutableRecord("A stored record's file cannot be deleted.")


class ImmutableFileField(models.FileField):
    attr_class = ImmutableFieldFile
