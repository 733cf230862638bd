"""Run every periodic task once, in this process.

With a broker, Celery beat does this on schedule. Without one (the
embedded default) nothing does: run this command from cron, e.g. every
few minutes, so that the outbox sweeper, reminders, missing endorsement
records and the storage sweep still happen. Tasks are found by name from
CELERY_BEAT_SCHEDULE, so this command knows none of them.
"""

from celery import current_app
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run every task of CELERY_BEAT_SCHEDULE once, in-process."

    def add_arguments(self, parser):
        parser.add_argument("names", nargs="*", help="only these tasks (by task name)")

    def handle(self, *names, **options):
        wanted = set(options["names"])
        for entry in settings.CELERY_BEAT_SCHEDULE.values():
            name = entry["task"]
            if wanted and name not in wanted:
                continue
            result = current_app.tasks[name].apply()
            status = "failed" if result.failed() else "done"
            self.stdout.write(f"{name}: {status} ({result.result!r})")
