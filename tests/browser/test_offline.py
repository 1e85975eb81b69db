"""No network at run time: every page loads everything it needs from the server itself (no CDN,
no web font, no favicon from elsewhere), the API docs included."""

import pytest

from tests.browser.conftest import login

pytestmark = pytest.mark.browser

PAGES = [
    "/",
    "/cases/report/",
    "/cases/patrol/",
    "/cases/queue/",
    "/cases/",
    "/cases/dashboard/",
    "/powers/",
    "/inbox/",
    "/api/v1/docs",
]


def test_pages_ask_nothing_of_any_other_host(page, live_url):
    elsewhere = []

    def outside(request) -> None:
        if not request.url.startswith((live_url, "data:", "blob:")):
            elsewhere.append(request.url)

    page.on("request", outside)
    login(page, live_url, "grid_ky")
    for path in PAGES:
        page.goto(f"{live_url}{path}")
        page.wait_for_load_state("networkidle")
    assert elsewhere == []
    page.goto(f"{live_url}/api/v1/docs")
    page.wait_for_selector(".swagger-ui .opblock", state="attached")  # Swagger UI ran, locally
