"""Browser tests: Playwright driving Debian's Chromium against the live test server.

The live server uses a transactional database that is flushed after each test, so every
browser test reloads the (idempotent) demo first through the `live_url` fixture.
"""

import os
import shutil

import pytest
from playwright.sync_api import sync_playwright

from jiceng.org.demo import load_all
from tests.conftest import PASSWORD

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
PHONE = {"width": 390, "height": 844}
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(path):
        pytest.fail(
            "缺少 Chromium：运行 `make browser-deps`（以 root 身份会自动安装）", pytrace=False
        )
    return path


@pytest.fixture(scope="session")
def browser(live_server):
    """One Chromium for the session; it needs the live server, so it closes before the server."""
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def live_url(live_server, transactional_db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_all(password=PASSWORD)
    return live_server.url


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    p = context.new_page()
    p.set_default_timeout(15000)
    yield p
    context.close()


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    p = context.new_page()
    p.set_default_timeout(15000)
    yield p
    context.close()


def login(page, live_url: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{live_url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
