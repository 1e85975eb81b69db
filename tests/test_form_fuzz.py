"""No form a person can send gets a 500: as people of eight roles, crawl the pages each can
reach (from the home page and from the pages of real records), and send every form on them
(POST and GET filters alike) once as the page filled it, once with an unreadable value in
each field, and once with the same garbage in every field.

The values are the kinds that have caused 500s before: a date that does not exist, "²" (a
digit to isdigit, not to int), a number past 64 bits, "null", an id of -1, markup, a very long
text. Which forms are tried depends only on the pages, so a run is repeatable.

On the way, no link a page offers may lead to a 404 or a 403: a page shows a person only what
they may open.
"""

from collections import deque
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import client_for
from tests.test_api_fuzz import _records

pytestmark = pytest.mark.django_db
PERSONAS = (
    "dispatcher_ky",
    "leader_ky",
    "grid_ky",
    "county_kq",
    "assessor_kq",
    "captain_pj",
    "legal_pj",
    "admin",
)
GARBAGE = (
    "",
    "²",
    "2026-02-30",
    "99999999999999999999",
    "-1",
    "null",
    "<b>x</b>'\"",
    "中" * 3000,
)
MAX_PAGES = 250
SKIP = ("/static/", "/media/", "/admin/", "/api/", "/logout/", "/login/", "/i18n/")


class _Page(HTMLParser):
    """The same-site links and the forms (action, method, fields) of one HTML page."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.forms: list[dict] = []
        self._select: dict | None = None
        self._textarea: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        form = self.forms[-1] if self.forms else None
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            method = (a.get("method") or "get").lower()
            self.forms.append({"action": a.get("action", ""), "method": method, "fields": []})
        elif form is None or not a.get("name"):
            return
        elif tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "reset", "image"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                value = None if kind == "radio" else ""
            else:
                value = a.get("value", "on" if kind == "checkbox" else "")
            form["fields"].append({"name": a["name"], "kind": kind, "value": value})
        elif tag == "select":
            self._select = {"name": a["name"], "kind": "select", "value": None}
            form["fields"].append(self._select)
        elif tag == "textarea":
            self._textarea = {"name": a["name"], "kind": "textarea", "value": ""}
            form["fields"].append(self._textarea)
        if tag == "option" and self._select is not None:
            chosen = self._select["value"]
            if chosen is None or ("selected" in a) or (chosen == "" and a.get("value")):
                self._select["value"] = a.get("value", "")

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["value"] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def _as_filled(fields: list[dict]) -> dict:
    """The form as the page filled it (a radio group only if one of it is checked)."""
    data: dict = {}
    for f in fields:
        if f["kind"] == "file":
            continue
        if f["kind"] == "radio":
            if f["value"] is not None:
                data.setdefault(f["name"], f["value"])
            continue
        data[f["name"]] = f["value"] or ""
    return data


def _variants(fields: list[dict]) -> list[dict]:
    """As filled; each field unreadable in turn (the others as filled); all fields garbage."""
    filled = _as_filled(fields)
    names = [f["name"] for f in fields if f["name"] != "csrfmiddlewaretoken"]
    files = [f["name"] for f in fields if f["kind"] == "file"]
    out = [filled]
    for i, name in enumerate(dict.fromkeys(names)):
        out.append({**filled, name: GARBAGE[1 + i % (len(GARBAGE) - 1)]})
    for g in GARBAGE:
        out.append(dict.fromkeys(names, g))
    for v in out:
        for name in files:
            v[name] = SimpleUploadedFile("x.png", b"not really a picture", "image/png")
    return out


def _local(base: str, href: str) -> str | None:
    url = urljoin(base, href)
    parts = urlsplit(url)
    if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
        return None
    if not parts.path.startswith("/") or parts.path.startswith(SKIP):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _seeds() -> list[str]:
    """The home page and the pages of real records in several states."""
    from jiceng.assessment.models import AssessmentItem, Inspection
    from jiceng.cases.models import Case
    from jiceng.enforcement.models import PenaltyCase

    seeds = ["/"]
    seeds += [f"/cases/{c.code}/" for c in Case.objects.order_by("-pk")[:6]]
    seeds += [f"/enforcement/{p.code}/" for p in PenaltyCase.objects.order_by("-pk")[:4]]
    seeds += [f"/assessment/{i.pk}/" for i in AssessmentItem.objects.order_by("-pk")[:2]]
    seeds += [f"/assessment/inspections/{i.pk}/" for i in Inspection.objects.order_by("-pk")[:2]]
    return seeds


@pytest.mark.parametrize("who", PERSONAS)
def test_no_form_gets_a_server_error(who):
    _records()
    client = client_for(who)
    queue = deque((url, None) for url in _seeds())  # (page, the page that links to it)
    seen: set[str] = set()
    pages = sent = 0
    failures: list[str] = []
    while queue and pages < MAX_PAGES:
        url, source = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        r = client.get(url)
        if r.status_code >= 500 or (source and r.status_code in (403, 404)):
            failures.append(f"{r.status_code} GET {url} (linked from {source})")
            continue
        if r.status_code in (301, 302) and (u := _local(url, r["Location"])):
            queue.appendleft((u, source))
            continue
        if r.status_code != 200 or "text/html" not in r.get("Content-Type", ""):
            continue
        pages += 1
        page = _parse(r.content.decode())
        queue.extend((u, url) for h in page.links if (u := _local(url, h)) and u not in seen)
        for form in page.forms:
            target = _local(url, form["action"] or url)
            if target is None:
                continue
            for data in _variants(form["fields"]):
                sent += 1
                if form["method"] == "post":
                    r = client.post(target, data)
                else:
                    path = urlsplit(target).path
                    query = dict(parse_qsl(urlsplit(target).query))
                    r = client.get(path, {**query, **data})
                if r.status_code >= 500:
                    failures.append(f"{r.status_code} {form['method'].upper()} {target} {data}")
    assert pages > 10 and sent > 50, (pages, sent)
    assert not failures, "\n".join(f[:500] for f in failures)
