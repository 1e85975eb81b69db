"""Shared helpers of the enforcement tests: open a penalty case, a small PNG, API calls."""

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from jiceng.enforcement import actions
from jiceng.org.models import Region
from jiceng.powers.models import PowerItem
from tests.conftest import user

PANJIANG, KEYAN = "530303102", "330603002"
AFTER = dt.date(2021, 6, 1)  # after 沾益区 devolved the power to 盘江镇 (2019-05-01)
BEFORE = dt.date(2019, 3, 10)


def png(colour=(10, 120, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(out, format="PNG")
    return out.getvalue()


def upload(data: bytes | None = None, name: str = "现场.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png() if data is None else data, content_type="image/png")


def open_case(
    act_date=AFTER, township=PANJIANG, power="JC-CF-001", by="captain_pj", party="测试当事人"
):
    return actions.penaltycase_open(
        power=PowerItem.objects.get(code=power),
        township=Region.objects.get(code=township),
        act_date=act_date,
        party_name=party,
        by=user(by),
    )


def add_evidence(pc, by="captain_pj", captured_by="land_pj"):
    import django.utils.timezone as tz

    return actions.evidence_add(
        penalty_case=pc,
        upload=upload(),
        captured_by=user(captured_by).person,
        captured_at=tz.now(),
        device="执法记录仪 T-01",
        by=user(by),
    )


# The intended penalty of a notice (告知) when a test does not care: no right to a hearing.
WARNING = {"kinds": ["warning"]}


def post(client, url: str, body: dict | None = None):
    return client.post(url, body or {}, content_type="application/json")


def notified_by_actions(party="测试当事人", **penalty):
    """A case of 盘江镇 investigated, with evidence, and notified of `penalty` (actions)."""
    pc = open_case(party=party)
    captain = user("captain_pj")
    actions.penaltycase_investigate(penalty_case=pc, by=captain)
    add_evidence(pc)
    actions.penaltycase_notify(penalty_case=pc, by=captain, **penalty)
    return pc


def notified_by_api(intended, **open_args):
    """The same through the API: (the case, the captain's client)."""
    from tests.conftest import client_for

    pc = open_case(**open_args)
    captain = client_for("captain_pj")
    assert post(captain, f"/api/v1/enforcement/{pc.code}/investigate").status_code == 200
    add_evidence(pc)
    r = post(captain, f"/api/v1/enforcement/{pc.code}/notify", intended)
    assert r.status_code == 200, r.content
    return pc, captain


def hearing_record(**change) -> dict:
    """A complete 听证笔录 for hearing-hold (API or page): 记录员 a township staff member who did not
    investigate, the captain presenting the case, the party signed."""
    return {
        "clerk": user("dispatcher_pj").person.pk,
        "presenters": [user("captain_pj").person.pk],
        "party_present": "当事人本人到场，无委托代理人",
        "case_presented": "调查人员陈述违法事实，出示现场照片和询问笔录，建议罚款",
        "defence": "当事人对照片无异议，称房屋为自住",
        "final_statement": "请求从轻处罚",
        "signature": "signed",
        "signature_note": "",
        **change,
    }
