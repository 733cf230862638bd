"""``ETag`` and ``If-Match`` on a policy: a stale write answers 412.

A policy's entity tag names its revision, which every transition, new
version and change of details moves on (``workflow.locking``). A client
that sends ``If-Match`` with the tag it last read acts only on the policy
as it saw it; one that sends none is served as the pages are, with the
services' own locking.
"""

from contextlib import contextmanager

from api.problems import PreconditionFailed
from workflow.exceptions import ConcurrentChange


def etag_of(policy):
    return f'"{policy.pk}.{policy.revision}"'


def with_etag(response, policy):
    response["ETag"] = etag_of(policy)
    return response


def _matches(header, policy):
    tags = [tag.strip() for tag in header.split(",") if tag.strip()]
    # Strong comparison (RFC 9110 13.1.1): a weak tag never matches.
    return "*" in tags or etag_of(policy) in tags


@contextmanager
def unchanged_since_read(request, policy):
    """Run a write on ``policy`` only if it matches the request's ``If-Match``.

    A mismatch answers 412 before anything runs. A change that slips in
    between that check and the service's lock answers 412 too: the client
    asked to act on the policy as it read it.
    """
    header = request.headers.get("If-Match")
    if header is None:
        yield
        return
    if not _matches(header, policy):
        raise PreconditionFailed()
    try:
        yield
    except ConcurrentChange:
        raise PreconditionFailed() from None
