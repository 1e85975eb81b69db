"""The region pages link only to regions the caller may open."""

import pytest

pytestmark = pytest.mark.django_db

TOWNSHIP, COUNTY = "330603002", "330603"


def test_the_parent_region_is_a_link_only_within_the_callers_area(persona):
    township = persona("staff_a").get(f"/org/regions/{TOWNSHIP}/").content.decode()
    parent = township[township.index('class="muted"') :].split("</p>")[0]
    assert "柯桥区" in parent and f'href="/org/regions/{COUNTY}/"' not in parent
    assert persona("staff_a").get(f"/org/regions/{COUNTY}/").status_code == 404

    county = persona("county").get(f"/org/regions/{TOWNSHIP}/").content.decode()
    assert f'href="/org/regions/{COUNTY}/"' in county
    assert persona("county").get(f"/org/regions/{COUNTY}/").status_code == 200
