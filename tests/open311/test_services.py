"""discovery, services and service definitions in JSON and XML."""

from .helpers import BASE, body, error, xml


def test_discovery_json_and_xml(c, db):
    data = body(c.get(BASE + "discovery.json"), "discovery")
    assert data["endpoints"][0]["url"].endswith("/open311/v2/")
    root = xml(c.get(BASE + "discovery.xml"), "discovery")
    assert root.find("endpoints/endpoint/specification").text.startswith("http://wiki.open311.org")
    assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == [
        "text/xml",
        "application/json",
    ]


def test_services_one_per_public_category(c, db):
    data = body(c.get(BASE + "services.json"), "services")
    codes = {s["service_code"]: s for s in data}
    assert codes["C01001"]["metadata"] is True  # it asks questions
    assert codes["M06010"]["metadata"] is True
    assert codes["C01003"]["metadata"] is False
    assert "E01" in codes  # emergencies are reportable
    assert "D01" not in codes  # disputes are private by default
    assert not any(s["service_code"].isalpha() for s in data)  # no groups
    assert codes["C01001"]["group"] == "市政公用设施"


def test_services_xml_has_spec_elements(c, db):
    root = xml(c.get(BASE + "services.xml"), "services")
    first = root.find("service")
    tags = [child.tag for child in first]
    assert tags == [
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    ]
    assert root.find("service[service_code='C01001']/metadata").text == "true"


def test_service_definition(c, db):
    data = body(c.get(BASE + "services/C01001.json"), "service_definition")
    state = data["attributes"][0]
    assert state["code"] == "STATE" and state["required"] is True
    assert state["datatype"] == "singlevaluelist"
    assert {"key": "missing", "name": "丢失"} in state["values"]
    assert [a["order"] for a in data["attributes"]] == [1, 2]
    root = xml(c.get(BASE + "services/C01001.xml"), "service_definition")
    attr = root.find("attributes/attribute")
    for tag in ("variable", "code", "datatype", "required", "datatype_description", "order"):
        assert attr.find(tag) is not None, tag
    assert attr.find("values/value/key").text == "missing"
    assert attr.find("values/value/name").text == "丢失"


def test_service_without_questions_has_empty_attributes(c, db):
    assert body(c.get(BASE + "services/C01003.json"), "service_definition")["attributes"] == []


def test_unknown_service_is_404_in_both_formats(c, db):
    assert "unknown service" in error(c.get(BASE + "services/NOPE.json"), 404)
    root = xml(c.get(BASE + "services/NOPE.xml"), "errors", 404)
    assert root.find("error/code").text == "404"
    assert root.find("error/description").text
    error(c.get(BASE + "services/D01.json"), 404)  # not offered


def test_jurisdiction_is_a_county_code(c, db):
    body(c.get(BASE + "services.json", {"jurisdiction_id": "330603"}), "services")
    body(c.get(BASE + "services.json", {"jurisdiction_id": "330603000000"}), "services")
    body(c.get(BASE + "services.json", {"jurisdiction_id": ""}), "services")  # empty = missing
    assert "jurisdiction" in error(
        c.get(BASE + "services.json", {"jurisdiction_id": "999999"}), 404
    )
