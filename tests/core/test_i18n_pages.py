"""After the English switch, the main page of every app has English headings and menu.

Persona staff_a (dispatcher of 柯岩街道) sees the inbox, the region page, the units, the public
power and responsibility list, the dispatch queue and the case dashboard. Names of places and
units are data and stay Chinese; the labels the templates and menus put around them must not.
"""

import re

import pytest
from django.utils.html import strip_tags

pytestmark = pytest.mark.django_db

TOWNSHIP = "330603002"  # 柯岩街道

# Menu entries staff_a sees (base.html and the apps' `nav`), as they would render in Chinese.
NAV_ZH = ["我的待办", "区域网格", "单位", "派遣队列", "案件", "热线受理", "案件看板", "权责清单"]
NAV_ZH += ["有责无权", "管理后台", "主动服务"]
NAV_EN = ["My inbox", "Regions and grids", "Units", "Dispatch queue", "Case dashboard"]
NAV_EN += ["Power and responsibility list", "Responsibility without power", "Log out"]

PAGES = [
    # url, English headings (h1/h2), Chinese labels of that page that must be gone
    ("/inbox/", ["My inbox"], ["筛选", "交办单位", "办理时限", "没有待办事项"]),
    (f"/org/regions/{TOWNSHIP}/", ["Subregions", "Units at this level"], ["下级区域", "本级单位"]),
    ("/org/units/", ["Units"], ["上级单位", "服务区域", "职能"]),
    ("/powers/", ["Public power and responsibility list"], ["权责清单公开", "如 530303102"]),
    (
        f"/powers/?region={TOWNSHIP}",
        ["Public power and responsibility list"],
        ["事项编码", "事项名称", "行使主体", "下载 Excel"],
    ),
    ("/cases/queue/", ["Dispatch queue"], ["建议承办", "待分拣原因", "队列为空"]),
    ("/cases/dashboard/", ["Case dashboard"], ["导出 Excel", "按类别", "按状态", "超期案件"]),
]


def _headings(html: str) -> list[str]:
    return [
        " ".join(strip_tags(h).split())
        for h in re.findall(r"<h[12][^>]*>(.*?)</h[12]>", html, re.S)
    ]


@pytest.fixture
def english(persona):
    client = persona("staff_a")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


@pytest.mark.parametrize(("url", "headings", "gone"), PAGES, ids=[p[0] for p in PAGES])
def test_main_pages_are_english_after_the_switch(english, url, headings, gone):
    response = english.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    found = _headings(html)
    for heading in headings:
        assert any(h.startswith(heading) for h in found), (heading, found)
    for label in gone:
        assert label not in html, label
    for label in NAV_ZH:
        assert f">{label}<" not in html, label
    for label in NAV_EN:
        assert f">{label}<" in html or f">{label} · " in html, label


def test_counted_heading_uses_the_english_plural(english):
    html = english.get(f"/powers/?region={TOWNSHIP}").content.decode()
    assert re.search(r"· \d+ items?</h2>", html)
    assert not re.search(r"\d+ 项</h2>", html)


def test_chinese_stays_the_default(persona):
    html = persona("staff_a").get("/cases/queue/").content.decode()
    assert ">派遣队列<" in html and ">权责清单<" in html and "Dispatch queue" not in html


LEADER_PAGES = [
    (
        "/inbox/send/",
        ["Send a task"],
        ["接收单位或人员", "办理时限（可不填）", "仍需基层填报的理由"],
    ),
    ("/inbox/sent/", ["Tasks I sent"], ["您还没有交办过事项"]),
    ("/inbox/data/", ["Platform data · one form for all"], ["单位人员与车辆", "案件办理情况"]),
    ("/inbox/data/staff/", ["Units: staff and cars"], ["编制人数", "在岗人员", "其中下沉干部"]),
    ("/inbox/burden/", ["Burden monitor", "By month", "By sending unit", "By person"], ["较上月"]),
]


@pytest.mark.parametrize(
    ("url", "headings", "gone"), LEADER_PAGES, ids=[p[0] for p in LEADER_PAGES]
)
def test_the_upper_units_pages_are_english_after_the_switch(url, headings, gone):
    from tests.conftest import client_for

    client = client_for("leader_pj")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get(url).content.decode()
    found = _headings(html)
    for heading in headings:
        assert any(h.startswith(heading) for h in found), (heading, found)
    for label in gone:
        assert label not in html, label
    for label in ("交办事项", "平台数据", "减负监测"):  # their menu entries too
        assert f">{label}<" not in html, label
