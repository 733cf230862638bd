"""An email backend that holds every message while a file exists.

A worker configured with it (``EMAIL_BACKEND`` and ``HOLD_MAIL`` in its
environment) stops inside a delivery, with its rows claimed, for as long
as the test wants: the moment to kill it, or to cut its database
connection. Messages are then written as the file backend writes them.
"""

import os
import time
from pathlib import Path

from django.core.mail.backends.filebased import EmailBackend as FileBackend

HOLD_AT_MOST = 120  # seconds; a test that forgot the file must still end


class EmailBackend(FileBackend):
    def send_messages(self, email_messages):
        hold = Path(os.environ["HOLD_MAIL"])
        deadline = time.monotonic() + HOLD_AT_MOST
        while hold.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        return super().send_messages(email_messages)
