"""The party's address (当事人住所或地址) on the case: 立案 page and API, detail, ledger, documents;
and the 复议机关 and court printed on a decision, derived from the region tree."""

import io

import openpyxl
import pytest

from jiceng.enforcement import documents
from jiceng.enforcement.errors import Invalid
from jiceng.enforcement.models import PenaltyCase
from jiceng.org.models import Region
from tests.conftest import client_for

from .helpers import BEFORE, KEYAN, add_evidence, open_case, post

pytestmark = pytest.mark.django_db
API = "/api/v1/enforcement/"
ADDRESS = "曲靖市沾益区盘江镇某村12号"
OPENING = {"power": "JC-CF-001", "party_name": "住址当事人", "act_date": "2022-01-01"}


def _field(page: str, marker: str) -> str:
    return page.split(f'id="{marker}">', 1)[1].split("</span>", 1)[0]


def _decided(pc, approved=False):
    captain, leader = client_for("captain_pj"), client_for("leader_pj")
    post(captain, f"{API}{pc.code}/investigate")
    add_evidence(pc)
    assert post(captain, f"{API}{pc.code}/notify", {"kinds": ["warning"]}).status_code == 200
    if approved:
        post(captain, f"{API}{pc.code}/submit")
        assert post(client_for("county_zy"), f"{API}{pc.code}/approve").status_code == 200
    body = {"note": "警告", "kinds": ["warning"], "waived": True}
    assert post(leader, f"{API}{pc.code}/decide", body).status_code == 200
    return captain


def test_the_address_is_taken_at_filing_shown_and_printed():
    captain = client_for("captain_pj")
    long = post(captain, API, {**OPENING, "party_address": "村" * 201})
    assert long.status_code == 400 and "200" in long.json()["detail"]
    assert not PenaltyCase.objects.filter(party_name="住址当事人").exists()
    r = post(captain, API, {**OPENING, "party_address": f"  {ADDRESS} "})
    assert r.status_code == 201 and r.json()["party_address"] == ADDRESS
    pc = PenaltyCase.objects.get(code=r.json()["code"])
    page = captain.get(f"/enforcement/{pc.code}/").content.decode()
    assert ADDRESS in page.split('id="party-address"', 1)[1].split("</p>", 1)[0]
    _decided(pc)
    for kind in ("decision", "service"):
        doc = captain.get(f"/enforcement/{pc.code}/documents/{kind}/").content.decode()
        assert ADDRESS in doc, kind
    sheet = captain.get("/enforcement/export.xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(sheet.content)).active.values)
    column = rows[0].index("当事人住所或地址")
    assert next(row for row in rows if row[0] == pc.code)[column] == ADDRESS


def test_the_filing_page_takes_the_address():
    captain = client_for("captain_pj")
    form = captain.get("/enforcement/open/").content.decode()
    assert 'name="party_address"' in form
    body = {**OPENING, "party_name": "页面住址当事人", "party_address": ADDRESS}
    assert captain.post("/enforcement/open/", body).status_code == 302
    assert PenaltyCase.objects.get(party_name="页面住址当事人").party_address == ADDRESS


def test_a_case_without_an_address_prints_a_blank_line():
    pc = open_case()
    captain = _decided(pc)
    doc = captain.get(f"/enforcement/{pc.code}/documents/decision/").content.decode()
    assert 'class="blank' in _field(doc, "doc-address")


@pytest.mark.parametrize("approved", [False, True])
def test_the_decision_names_the_county_government_and_court(approved):
    """A township's decision and one on a power the district still held on the act's date (区级
    审批): 《行政复议法》2023 第二十四条 gives both to 沾益区's government, the court is 沾益区's."""
    pc = open_case(act_date=BEFORE) if approved else open_case()
    assert pc.approval_required is approved
    captain = _decided(pc, approved=approved)
    doc = captain.get(f"/enforcement/{pc.code}/documents/decision/").content.decode()
    assert _field(doc, "doc-review-body") == "曲靖市沾益区人民政府"
    assert _field(doc, "doc-court") == "曲靖市沾益区人民法院"
    detail = captain.get(f"{API}{pc.code}").json()
    assert detail["review_body"] == "曲靖市沾益区人民政府"
    assert detail["court"] == "曲靖市沾益区人民法院"


def test_a_street_of_another_county_is_reviewed_by_its_own_district():
    keyan = PenaltyCase(township=Region.objects.get(code=KEYAN))
    assert documents.remedy_bodies(keyan) == {
        "review_body": "绍兴市柯桥区人民政府",
        "court": "绍兴市柯桥区人民法院",
    }


def test_an_on_the_spot_decision_prints_the_address_taken_on_the_spot():
    from .test_on_spot import on_spot

    pc = on_spot(party_address=ADDRESS)
    assert pc.party_address == ADDRESS
    doc = client_for("captain_pj").get(f"/enforcement/{pc.code}/documents/on-spot/").content
    assert _field(doc.decode(), "doc-address") == ADDRESS
    officers = list(pc.officers.values_list("pk", flat=True))
    with pytest.raises(Invalid, match="200"):
        on_spot(party_address="址" * 201, officers=officers)
