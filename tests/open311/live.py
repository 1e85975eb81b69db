"""Live-server helpers: the demo reloaded, and a flaky Open311 endpoint in front of it."""

import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from jiceng.org.demo import load_all
from tests.conftest import PASSWORD

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def live(live_server, transactional_db, settings):
    """The live server's URL with the demo loaded (its database is flushed after each test)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_all(password=PASSWORD)
    return live_server.url


class Flaky:
    """An HTTP server that answers 500 to the first `fail` POSTs, then passes requests on to
    `target` (an Open311 base URL). With `hold`, the first POST waits until it is released;
    with `queue_only`, the answer keeps the token and drops the service_request_id."""

    def __init__(self, target: str, fail: int = 0, hold: bool = False, queue_only=False):
        self.target, self.fail, self.queue_only = target.rstrip("/") + "/", fail, queue_only
        self.posts: list[float] = []
        self.arrived, self.release = threading.Event(), threading.Event()
        if not hold:
            self.release.set()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_port}/open311/v2/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def _handler(self):
        flaky = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _send(self, status: int, body: bytes, ctype="application/json"):
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                r = requests.get(flaky.target + self.path.split("/open311/v2/", 1)[1], timeout=30)
                self._send(r.status_code, r.content, r.headers["Content-Type"])

            def do_POST(self):
                import time

                flaky.posts.append(time.monotonic())
                data = self.rfile.read(int(self.headers["Content-Length"]))
                flaky.arrived.set()
                flaky.release.wait(30)
                if len(flaky.posts) <= flaky.fail:
                    return self._send(500, b'[{"code": 500, "description": "down"}]')
                r = requests.post(
                    flaky.target + self.path.split("/open311/v2/", 1)[1],
                    data=data,
                    headers={"Content-Type": self.headers["Content-Type"]},
                    timeout=30,
                )
                body = r.content
                if flaky.queue_only and r.status_code < 300:
                    rows = json.loads(body)
                    body = json.dumps(
                        [{k: v for k, v in rows[0].items() if k != "service_request_id"}]
                    ).encode()
                self._send(r.status_code, body)

        return Handler
