"""A real HTTP receiver for webhooks, on a loopback address, in a thread of the test."""

import socket
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# How long a "hang" answer holds the request at most (the test releases it sooner).
HANG_SECONDS = 10
# The pause between the bytes of a "drip" answer.
DRIP_SECONDS = 0.1


class Receiver:
    """Records every request it gets and answers from ``answers``, in turn
    (a status, ``"hang"``, or ``302``, which points elsewhere); once they run
    out, 204."""

    def __init__(self, answers=(), host="127.0.0.1", tls=None):
        self.requests = []
        self.answers = list(answers)
        self.released = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                answer = receiver.answers.pop(0) if receiver.answers else 204
                receiver.requests.append(
                    {
                        "path": self.path,
                        "headers": {k.lower(): v for k, v in self.headers.items()},
                        "body": body.decode(),
                        "answer": answer,
                    }
                )
                if answer == "hang":
                    receiver.released.wait(HANG_SECONDS)
                    answer = 204
                if answer == "drip":  # a byte at a time, each well within the timeout
                    for byte in b"HTTP/1.1 204 No Content\r\n":
                        if receiver.released.wait(DRIP_SECONDS):
                            return
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                    return
                self.send_response(answer)
                if answer == 302:
                    self.send_header("location", "/elsewhere")
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        server_class = type("Server", (ThreadingHTTPServer,), {"address_family": family})
        self.server = server_class((host, 0), Handler)
        self.scheme = "http"
        if tls is not None:  # (certificate file, key file)
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
            self.scheme = "https"
        self.server.daemon_threads = True
        self.host = host
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    @property
    def url(self):
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{host}:{self.port}"

    @property
    def successes(self):
        """The requests answered 2xx."""
        return [r for r in self.requests if isinstance(r["answer"], int) and r["answer"] < 300]

    def stop(self):
        self.released.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


def ipv6_loopback_available():
    if not socket.has_ipv6:
        return False
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as probe:
            probe.bind(("::1", 0))
    except OSError:
        return False
    return True
