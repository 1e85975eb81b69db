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
