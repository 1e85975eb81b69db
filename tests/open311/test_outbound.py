"""Outbound: a case dispatched to a unit served by an Open311 endpoint is POSTed there once,
retried with back-off while the endpoint fails, and its remote status comes back."""

import threading
import time

import pytest
from django.db import connections
from django.utils import timezone

from jiceng.cases.actions import Report, case_dispatch, case_register, case_reject, case_report
from jiceng.cases.guards import SYSTEM
from jiceng.cases.models import Case, CaseEvent, Status
from jiceng.open311.actions import client_issue, outbound_enqueue, outbound_send
from jiceng.open311.models import InboundRequest, Open311Endpoint, OutboundRequest, OutState
from jiceng.open311.tasks import outbound_poll, outbound_sweep, send_for_case
from jiceng.org.models import Region, Sector, Unit, UnitKind

from .helpers import point_in
from .live import Flaky, live  # noqa: F401  (fixture)


def _water_unit() -> Unit:
    county = Region.objects.get(code="330603")
    return Unit.objects.create(
        name="绍兴柯桥水务集团", kind=UnitKind.STATION, sector=Sector.UTILITY, region=county
    )


def _endpoint(url: str, **extra) -> Open311Endpoint:
    _, key = client_issue(name="柯桥区平台（对端）", by=None, rate_per_minute=1000)
    return Open311Endpoint.objects.create(
        unit=_water_unit(),
        base_url=url,
        api_key=key,
        jurisdiction_id="330603",
        service_map={"C01001": {"service_code": "C01002", "attributes": {"STATE": "broken"}}},
        **extra,
    )


def _dispatched(endpoint: Open311Endpoint, k: int = 0) -> Case:
    lon, lat = point_in("330603002", k)
    report = Report(description="供水井盖破损漏水", lon=lon, lat=lat, category_code="C01001")
    case, _ = case_report(report=report, by=SYSTEM)
    case_register(case=case, by=SYSTEM)
    return case_dispatch(case=case, by=SYSTEM, unit=endpoint.unit)


def _remote_cases():
    return Case.objects.filter(source="open311", category__code="C01002")


@pytest.fixture
def sweep_only(settings):
    """Dispatch without the immediate send, so the sweep's own work can be watched."""
    settings.JICENG_OPEN311_SEND_ON_DISPATCH = False


def test_dispatch_posts_to_the_remote_and_pulls_its_status(live, sweep_only):  # noqa: F811
    endpoint = _endpoint(live + "/open311/v2/")
    case = _dispatched(endpoint)
    assert outbound_sweep()["sent"] == ["sent"]
    out = OutboundRequest.objects.get(case=case)
    remote = _remote_cases().get()
    assert out.state == OutState.SENT and out.remote_id == remote.code
    assert InboundRequest.objects.get(case=remote).client.name == "柯桥区平台（对端）"
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED  # the remote signed for it
    sent = CaseEvent.objects.get(case=case, verb="open311_sent")
    assert remote.code in sent.note and sent.actor_label == "绍兴柯桥水务集团（Open311）"

    # The job runs again, by the sweep and directly: still one remote request.
    outbound_sweep()
    assert send_for_case(case) == ["skipped"]
    assert outbound_send(outbound_id=out.pk) == "skipped"
    assert _remote_cases().count() == 1

    assert outbound_poll() == 1  # first look: open
    case_reject(case=remote, by=SYSTEM, reason="属自来水管网，已由水务公司当场更换")
    assert outbound_poll() == 1
    assert outbound_poll() == 0  # nothing new
    notes = list(
        CaseEvent.objects.filter(case=case, verb="open311_remote").values_list("note", flat=True)
    )
    assert len(notes) == 2 and "当场更换" in notes[-1]
    case.refresh_from_db()
    assert case.status == Status.HANDLED  # closed remotely → handled here, verify as usual


def test_failing_endpoint_is_retried_with_back_off(live, settings, sweep_only):  # noqa: F811
    settings.JICENG_OPEN311_BACKOFF_SECONDS = (
        1.0  # long enough that a loaded machine does not reach the retry early
    )
    flaky = Flaky(live + "/open311/v2/", fail=2)
    try:
        endpoint = _endpoint(flaky.url)
        case = _dispatched(endpoint)
        assert outbound_sweep()["sent"] == ["retry"]
        out = OutboundRequest.objects.get(case=case)
        first_wait = out.next_attempt_at - out.claimed_at
        assert out.state == OutState.PENDING and out.attempts == 1 and "500" in out.last_error
        assert outbound_sweep()["sent"] == []  # not due yet: nothing sent during the back-off
        assert len(flaky.posts) == 1

        _wait_until(out.next_attempt_at)
        assert outbound_sweep()["sent"] == ["retry"]
        out.refresh_from_db()
        second_wait = out.next_attempt_at - out.claimed_at
        assert abs(second_wait.total_seconds() - 2 * first_wait.total_seconds()) < 0.05

        _wait_until(out.next_attempt_at)
        assert outbound_sweep()["sent"] == ["sent"]
        out.refresh_from_db()
        assert out.state == OutState.SENT and out.attempts == 3 and out.remote_id
        gaps = [b - a for a, b in zip(flaky.posts, flaky.posts[1:], strict=False)]
        assert gaps[0] >= 1.0 and gaps[1] >= 2.0  # the back-off doubled
        assert len(flaky.posts) == 3 and _remote_cases().count() == 1
    finally:
        flaky.close()


def test_second_job_while_the_first_is_sending_sends_nothing(live, sweep_only):  # noqa: F811
    flaky = Flaky(live + "/open311/v2/", hold=True)
    try:
        case = _dispatched(_endpoint(flaky.url))
        (out,) = outbound_enqueue(case=case)
        results = []

        def job():
            try:
                results.append(outbound_send(outbound_id=out.pk))
            finally:
                connections.close_all()  # this thread's own connection

        first = threading.Thread(target=job)
        first.start()
        assert flaky.arrived.wait(10)  # the first job is inside its remote call
        send_first = outbound_send(outbound_id=out.pk)
        flaky.release.set()
        first.join(30)
        assert send_first == "skipped" and results == ["sent"]
        assert len(flaky.posts) == 1 and _remote_cases().count() == 1
    finally:
        flaky.release.set()
        flaky.close()


def test_queued_remote_answers_with_a_token(live, sweep_only):  # noqa: F811
    flaky = Flaky(live + "/open311/v2/", queue_only=True)
    try:
        case = _dispatched(_endpoint(flaky.url))
        assert outbound_sweep()["sent"] == ["queued"]
        out = OutboundRequest.objects.get(case=case)
        assert out.token and not out.remote_id
        outbound_poll()  # tokens/{token} gives the id, then the request is read
        out.refresh_from_db()
        assert out.state == OutState.SENT and out.remote_id == _remote_cases().get().code
        assert out.remote_status == "open"
    finally:
        flaky.close()


def _wait_until(when):
    time.sleep(max((when - timezone.now()).total_seconds(), 0) + 0.02)


def test_dispatch_hook_sends_after_the_commit(live):  # noqa: F811
    from django.db import transaction

    from jiceng.open311.tasks import on_case_dispatched

    endpoint = _endpoint(live + "/open311/v2/")
    with transaction.atomic():
        case = _dispatched(endpoint)  # case_dispatch calls the hook itself
        on_case_dispatched(case)  # a second call queues nothing more
        assert not OutboundRequest.objects.filter(case=case).exists()  # not before the commit
    out = OutboundRequest.objects.get(case=case)
    assert out.state == OutState.SENT and _remote_cases().count() == 1
