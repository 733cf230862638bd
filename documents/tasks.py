"""Celery tasks of the documents app. They only call services."""

from celery import shared_task

from documents import services
from workflow.models import Endorsement
from workflow.services import ENDORSEMENT_RECORD_TASK


@shared_task(
    name=ENDORSEMENT_RECORD_TASK,
    autoretry_for=(Exception,),
    retry_backoff=True,
    max_retries=8,
)
def make_endorsement_record(endorsement_id):
    endorsement = Endorsement.objects.filter(pk=endorsement_id).first()
    if endorsement is not None:
        services.make_endorsement_record(endorsement)


@shared_task(name="documents.make_missing_endorsement_records")
def make_missing_endorsement_records():
    """The sweep: records for endorsements whose first attempt failed."""
    return len(services.make_missing_endorsement_records())


@shared_task(name="documents.remove_orphaned_files")
def remove_orphaned_files():
    return len(services.remove_orphaned_files())
