"""Write the search index again from the database.

The services keep the index in step with every change; run this after
loading rows by other means (a restore, bulk data), or after a change to
the folding rules.
"""

import time

from django.core.management.base import BaseCommand

from documents.services import rebuild_search_index


class Command(BaseCommand):
    help = "Rebuild the search index from the policies, decisions and versions."

    def handle(self, *args, **options):
        started = time.monotonic()
        written = rebuild_search_index()
        self.stdout.write(f"{written} index rows written in {time.monotonic() - started:.1f} s.")
