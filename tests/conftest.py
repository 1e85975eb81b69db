"""Shared fixtures: the demo region loaded once per session, and the personas of STYLE.md.

Personas: staff of township A (柯岩街道), a leader of A, staff of township B (盘江镇),
a county department (柯桥区), a resident. Every view test checks that B gets 404 for A's data.
"""

import os
import threading

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from pytest_django.live_server_helper import LiveServer

from jiceng.org.demo import load_all
from jiceng.org.geo import reset_index

PASSWORD = "test-pass-123"


@pytest.fixture(scope="session", autouse=True)
def _huey_immediate():
    """Background jobs run inline in tests (huey's immediate mode, in-memory storage)."""
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True
    yield


class _LiveServer(LiveServer):
    """pytest-django's live server, stopped only once its request threads are done.

    A browser's keep-alive connection keeps a request thread waiting; when the browser closes, that
    thread closes the in-memory SQLite connection it shares with the tests. If the server had
    already taken back the right to share it, the thread fails ("DatabaseWrapper objects created
    in a thread can only be used in that same thread") after the last test.
    """

    def stop(self) -> None:
        self.thread.terminate()
        for t in threading.enumerate():
            if t is not threading.current_thread() and "process_request_thread" in t.name:
                t.join(timeout=10)
        for conn in self.thread.connections_override.values():
            conn.dec_thread_sharing()


@pytest.fixture(scope="session")
def live_server(request):
    """As pytest-django's; the browser fixture asks for it so the browser closes first."""
    addr = request.config.getvalue("liveserver") or os.getenv(
        "DJANGO_LIVE_TEST_SERVER_ADDRESS", "localhost"
    )
    server = _LiveServer(addr)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_all(password=PASSWORD)


@pytest.fixture(autouse=True)
def _fast_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    reset_index()
    yield
    reset_index()


def user(username: str):
    return get_user_model().objects.get(username=username)


def client_for(username: str) -> Client:
    c = Client()
    c.force_login(user(username))
    return c


PERSONAS = {
    "staff_a": "dispatcher_ky",  # 柯岩街道 dispatcher (township A)
    "grid_a": "grid_ky",  # 柯岩街道 grid worker
    "leader_a": "leader_ky",  # 柯岩街道 leader
    "handler_a": "handler_ky",  # 柯岩街道 enforcement team
    "staff_b": "dispatcher_pj",  # 盘江镇 dispatcher (township B)
    "county": "county_kq",  # 柯桥区 county admin
    "county_b": "county_zy",  # 沾益区 county admin
    "resident": "resident",
    "social_worker": "social_dp",  # 东坡路社区 social worker
    "admin": "admin",
}


@pytest.fixture
def persona(db):
    """persona('staff_a') → a logged-in test Client for that persona."""
    return lambda name: client_for(PERSONAS[name])


@pytest.fixture
def person(db):
    """person('staff_a') → that persona's org.Person."""
    return lambda name: user(PERSONAS[name]).person
