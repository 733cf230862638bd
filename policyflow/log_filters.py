"""Refusals are logged in one line; tracebacks are kept for real errors.

Django logs every 403 (``PermissionDenied``), every ``BadRequest`` and every
suspicious request with the exception's traceback attached. A refusal is
the app working as meant: its traceback says nothing but fills the log,
hiding the 500s that need one. A record of a 4xx answer keeps its line,
with the refusal's own message; a 5xx keeps everything.
"""

import logging


class RefusalsInOneLine(logging.Filter):
    def filter(self, record):
        status = getattr(record, "status_code", None)
        if status is not None and status < 500 and record.exc_info:
            refusal = record.exc_info[1]
            line = record.getMessage()
            if str(refusal or "") and str(refusal) not in line:
                record.msg = line.replace("%", "%%") + " (%s: %s)"
                record.args = (type(refusal).__name__, refusal)
            record.exc_info = record.exc_text = None
        return True
