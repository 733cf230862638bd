"""The webhook channel: signing a delivery and sending it, to public addresses only.

A delivery is one POST of the row's JSON body, signed as Standard Webhooks
(https://www.standardwebhooks.com/) says: the headers ``webhook-id`` (the
outbox key), ``webhook-timestamp`` (unix seconds) and ``webhook-signature``
(``v1,`` and the base64 HMAC-SHA256, keyed with the secret's decoded bytes,
of ``"{id}.{timestamp}.{body}"``). Redirects are never followed; anything
but a 2xx is a failed attempt.

An endpoint's URL is chosen by its registrant, so a delivery could be
aimed at the server's own network (a database, a cloud metadata service).
Unless ``WEBHOOK_ALLOW_PRIVATE_TARGETS`` is on, the name is resolved, every
address that is not public is dropped, the connection goes to a checked
address, and the address actually connected to (``getpeername``) is
checked again before a byte is sent. HTTPS verifies the certificate for the
host name, as any client would.
"""

import base64
import contextlib
import hashlib
import hmac
import http.client
import ipaddress
import secrets
import socket
import ssl
import threading
import time
from urllib.parse import urlsplit

from django.conf import settings

SECRET_PREFIX = "whsec_"
# What is read of a receiver's answer: enough for an error message.
ANSWER_LIMIT = 2000
# The whole exchange may take this many timeouts (WEBHOOK_TIMEOUT) at most.
WHOLE_EXCHANGE = 3


class RefusedTarget(Exception):
    """The endpoint's address is not one a webhook may be sent to.

    Retrying does not change where a name points for long enough to matter:
    a row refused for this is dead at once.
    """


class DeliveryFailed(Exception):
    """The receiver did not take the delivery (an answer other than 2xx)."""


def new_secret():
    """A fresh signing secret: ``whsec_`` and the base64 of 32 random bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def signature(secret, message_id, timestamp, body):
    """The ``webhook-signature`` header's value for one delivery."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = f"{message_id}.{timestamp}.{body}".encode()
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def headers(secret, message_id, body, timestamp=None):
    timestamp = int(time.time()) if timestamp is None else timestamp
    return {
        "content-type": "application/json",
        "user-agent": "policyflow-webhooks",
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(secret, message_id, timestamp, body),
    }


def send(url, secret, message_id, body):
    """POST ``body`` to ``url``, signed; return the status. Raises ``RefusedTarget``
    for an address that is not allowed, ``DeliveryFailed`` for a non-2xx answer,
    and ``OSError`` (timeouts included) when the network fails."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RefusedTarget(f"Not an http(s) URL with a host: {url!r}.")
    timeout = settings.WEBHOOK_TIMEOUT
    connection_class = CheckedHTTPSConnection if parts.scheme == "https" else CheckedHTTPConnection
    connection = connection_class(parts.hostname, parts.port, timeout=timeout)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    # The timeout bounds each wait; a receiver answering a byte at a time
    # could still hold the delivery for long, so the whole exchange is cut
    # off after a few of them. An answer cut short is a failure, whatever
    # part of it had arrived.
    cut = threading.Event()
    watchdog = threading.Timer(WHOLE_EXCHANGE * timeout, _cut, args=(connection, cut))
    watchdog.start()
    too_long = f"The receiver took longer than {WHOLE_EXCHANGE * timeout:g} s in all."
    try:
        connection.request(
            "POST", path, body=body.encode(), headers=headers(secret, message_id, body)
        )
        answer = connection.getresponse()
        text = answer.read(ANSWER_LIMIT).decode("utf-8", "replace")
    except Exception as error:
        if cut.is_set():
            raise TimeoutError(too_long) from error
        raise
    finally:
        watchdog.cancel()
        connection.close()
    if cut.is_set():
        raise TimeoutError(too_long)
    if not 200 <= answer.status < 300:
        where = answer.getheader("location")
        moved = f" to {where}, not followed" if where and 300 <= answer.status < 400 else ""
        raise DeliveryFailed(
            f"HTTP {answer.status} {answer.reason}{moved}: {' '.join(text.split())[:300]}"
        )
    return answer.status


def _cut(connection, cut):
    """End a delivery that has taken too long: its blocked read returns."""
    cut.set()
    sock = connection.sock
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


# -- which addresses ----------------------------------------------------------


def is_public(address):
    """Whether ``address`` (a string) is a public unicast address."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


def _allowed(address):
    return settings.WEBHOOK_ALLOW_PRIVATE_TARGETS or is_public(address)


def checked_socket(host, port, timeout):
    """A socket connected to ``host``, at an address a webhook may go to."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise OSError(f"Cannot resolve {host}: {error}") from error
    candidates = [info for info in found if _allowed(info[4][0])]
    if not candidates:
        addresses = ", ".join(sorted({info[4][0] for info in found}))
        raise RefusedTarget(
            f"{host} is at {addresses}: not a public address "
            "(WEBHOOK_ALLOW_PRIVATE_TARGETS is off)."
        )
    error = None
    for _family, _type, _proto, _name, address in candidates:
        try:
            # To the address just checked, not to the name again.
            sock = socket.create_connection(address[:2], timeout=timeout)
        except OSError as failure:
            error = failure
            continue
        peer = sock.getpeername()[0]
        if not _allowed(peer):
            sock.close()
            raise RefusedTarget(
                f"The connection to {host} reached {peer}: not a public address "
                "(WEBHOOK_ALLOW_PRIVATE_TARGETS is off)."
            )
        return sock
    raise error


class CheckedHTTPConnection(http.client.HTTPConnection):
    def connect(self):
        self.sock = checked_socket(self.host, self.port, self.timeout)


class CheckedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, port=None, **kwargs):
        super().__init__(host, port, context=ssl.create_default_context(), **kwargs)

    def connect(self):
        sock = checked_socket(self.host, self.port, self.timeout)
        # The certificate is checked against the name, whatever address it is at.
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)
