"""Whose documents: on the approval route (区级审批: the district department held the power on the
act's date) the decision is the holder's — the 决定书, the 不予处罚决定书 and their 送达回证 name it
as the authority and carry its 文号 series; what the township itself does stays in its name."""

import re

import pytest

from jiceng.enforcement.models import PenaltyCase
from tests.conftest import client_for

from .helpers import BEFORE, WARNING, add_evidence, open_case, post

pytestmark = pytest.mark.django_db
API = "/api/v1/enforcement/"
FINE = {"kinds": ["fine"], "fine_amount": "2000"}


def _approved(intended=FINE):
    pc = open_case(act_date=BEFORE)
    captain = client_for("captain_pj")
    assert post(captain, f"{API}{pc.code}/investigate").status_code == 200
    add_evidence(pc)
    assert post(captain, f"{API}{pc.code}/notify", intended).status_code == 200
    assert post(captain, f"{API}{pc.code}/submit").status_code == 200
    r = post(client_for("county_zy"), f"{API}{pc.code}/approve", {"note": "同意"})
    assert r.status_code == 200, r.content
    return PenaltyCase.objects.get(pk=pc.pk), captain


def _page(client, pc, kind) -> str:
    r = client.get(f"/enforcement/{pc.code}/documents/{kind}/")
    assert r.status_code == 200, kind
    return r.content.decode()


def _authority(page: str) -> str:
    return page.split('class="authority flat">', 1)[1].split("<", 1)[0]


def _docno(page: str) -> str:
    return page.split('id="docno">', 1)[1].split("<", 1)[0]


def test_the_decision_of_an_approval_case_is_the_holders():
    pc, captain = _approved()
    holder = pc.approval_unit.name
    assert holder != pc.township.name and "沾益区" in holder
    body = {"note": "罚款", **FINE, "waived": True}
    assert post(client_for("leader_pj"), f"{API}{pc.code}/decide", body).status_code == 200
    assert post(captain, f"{API}{pc.code}/serve", {"note": "直接送达"}).status_code == 200

    decision = _page(captain, pc, "decision")
    assert _authority(decision) == holder
    assert re.fullmatch(rf"{holder}综执罚决字〔\d{{4}}〕第\d+号", _docno(decision))
    assert f"{holder}（印章）" in decision
    served = _page(captain, pc, "service")
    assert _authority(served) == holder and _docno(decision) in served
    # what the township does stays the township's
    for kind in ("filing", "notice", "service-notice"):
        page = _page(captain, pc, kind)
        assert _authority(page) == "盘江镇人民政府", kind
    assert _docno(_page(captain, pc, "notice")).startswith("盘江镇综执罚告字")


def test_the_holders_series_counts_the_cases_it_approves():
    first, _captain = _approved()
    open_case()  # a township case between them: in the township's series, not the holder's
    second, captain = _approved()
    for pc in (first, second):
        body = {"note": "罚款", **FINE, "waived": True}
        assert post(client_for("leader_pj"), f"{API}{pc.code}/decide", body).status_code == 200
    numbers = [_docno(_page(captain, pc, "decision")) for pc in (first, second)]
    n = [int(re.search(r"第(\d+)号", no).group(1)) for no in numbers]
    assert n[1] == n[0] + 1  # the holder's own series, not the township's


def test_a_no_penalty_decision_of_an_approval_case_is_the_holders():
    pc, captain = _approved(WARNING)
    body = {"ground": "first_minor", "note": "初次违法，已改正", "kinds": []}
    r = post(client_for("leader_pj"), f"{API}{pc.code}/no-penalty", body)
    assert r.status_code == 200, r.content
    page = _page(captain, pc, "no-penalty")
    assert _authority(page) == pc.approval_unit.name
    assert _docno(page).startswith(f"{pc.approval_unit.name}综执不罚字")
    assert _authority(_page(captain, pc, "service")) == pc.approval_unit.name


def test_a_township_decision_stays_the_townships():
    pc = open_case()
    captain = client_for("captain_pj")
    assert post(captain, f"{API}{pc.code}/investigate").status_code == 200
    add_evidence(pc)
    assert post(captain, f"{API}{pc.code}/notify", FINE).status_code == 200
    body = {"note": "罚款", **FINE, "waived": True}
    assert post(client_for("leader_pj"), f"{API}{pc.code}/decide", body).status_code == 200
    for kind in ("decision", "service", "filing"):
        assert _authority(_page(captain, pc, kind)) == "盘江镇人民政府", kind
    assert _docno(_page(captain, pc, "decision")).startswith("盘江镇综执罚决字")
