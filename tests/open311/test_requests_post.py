"""POST requests: a case through the case loop's intake; every refusal with its status."""

from jiceng.cases.models import Case, CaseEvent, Source
from jiceng.core.models import AuditEvent
from jiceng.open311.actions import client_issue, client_revoke
from jiceng.open311.models import ApiClient, InboundRequest

from .helpers import BASE, KEYAN, PANJIANG, body, error, post_fields, xml

URL = BASE + "requests.json"


def test_post_creates_a_case_through_intake(c, api_key, posted):
    answer = posted(email="a@example.com", first_name="小明", last_name="王", phone="13812345678")
    case = Case.objects.get(code=answer["service_request_id"])
    assert case.source == Source.OPEN311
    assert case.category.code == "C01001"
    assert case.township.code == KEYAN
    assert case.contact_name == "王小明" and case.contact_phone == "13812345678"
    assert answer["service_notice"].startswith("井盖缺失")
    inbound = InboundRequest.objects.get(case=case)
    assert inbound.email == "a@example.com" and inbound.attributes == {"STATE": "missing"}
    assert answer["token"] == inbound.token
    verbs = list(CaseEvent.objects.filter(case=case).values_list("verb", "actor_label"))
    assert verbs[0] == ("report", "Open311 · 市民随手拍")
    assert ("open311_intake", "Open311 · 市民随手拍") in verbs
    assert AuditEvent.objects.filter(verb="open311.request_create", object_id=str(case.pk)).exists()


def test_post_xml_answer(c, api_key):
    r = c.post(BASE + "requests.xml", post_fields(api_key))
    root = xml(r, "service_requests", 201)
    assert root.find("request/service_request_id").text
    assert root.find("request/token").text
    assert root.find("request/account_id") is not None


def test_token_gives_the_request_id(c, posted):
    answer = posted()
    data = body(c.get(BASE + f"tokens/{answer['token']}.json"), "tokens")
    assert data == [{"service_request_id": answer["service_request_id"], "token": answer["token"]}]
    root = xml(c.get(BASE + f"tokens/{answer['token']}.xml"), "service_requests")
    assert root.find("request/service_request_id").text == answer["service_request_id"]
    error(c.get(BASE + "tokens/nope.json"), 404)


def test_address_string_or_address_id_locate_the_township(c, api_key, posted):
    by_name = posted(lat=None, long=None, address_string="柯岩街道 鉴湖路 18 号")
    assert Case.objects.get(code=by_name["service_request_id"]).township.code == KEYAN
    by_id = posted(lat=None, long=None, address_id=PANJIANG)
    assert Case.objects.get(code=by_id["service_request_id"]).township.code == PANJIANG


def test_missing_or_bad_api_key_is_403(c, api_key):
    fields = post_fields(api_key)
    del fields["api_key"]
    assert "api_key" in error(c.post(URL, fields), 403)
    assert "api_key" in error(c.post(URL, {**fields, "api_key": ""}), 403)
    assert "invalid" in error(c.post(URL, {**fields, "api_key": "o311_wrong"}), 403)
    root = xml(c.post(BASE + "requests.xml", fields), "errors", 403)
    assert root.find("error/code").text == "403"


def test_revoked_key_is_403(c, db):
    client, raw = client_issue(name="旧应用", by=None)
    client_revoke(client=client, by=None)
    error(c.post(URL, post_fields(raw)), 403)


def test_unknown_or_missing_service(c, api_key):
    assert "unknown service" in error(c.post(URL, post_fields(api_key, service_code="X9")), 404)
    assert "service_code" in error(c.post(URL, post_fields(api_key, service_code="")), 400)


def test_bad_coordinates(c, api_key):
    error(c.post(URL, post_fields(api_key, lat="north")), 400)
    error(c.post(URL, post_fields(api_key, lat="95")), 400)
    error(c.post(URL, post_fields(api_key, long="nan")), 400)
    assert "together" in error(c.post(URL, post_fields(api_key, long=None)), 400)
    error(c.post(URL, post_fields(api_key, lat="10.0", long="10.0")), 400)  # outside every grid


def test_missing_location(c, api_key):
    fields = post_fields(api_key, lat=None, long=None)
    assert "location" in error(c.post(URL, fields), 400)
    assert "location" in error(c.post(URL, {**fields, "address_string": ""}), 400)
    error(c.post(URL, {**fields, "address_string": "火星基地"}), 400)
    error(c.post(URL, {**fields, "address_id": "123"}), 400)


def test_attributes_are_checked(c, api_key):
    assert "required" in error(c.post(URL, post_fields(api_key, **{"attribute[STATE]": ""})), 400)
    error(c.post(URL, post_fields(api_key, **{"attribute[STATE]": "stolen"})), 400)
    fields = post_fields(api_key, service_code="M06010", **{"attribute[STATE]": None})
    error(c.post(URL, {**fields, "attribute[AMOUNT]": "many"}), 400)
    error(c.post(URL, {**fields, "attribute[SEEN_AT]": "yesterday"}), 400)
    r = c.post(URL, {**fields, "attribute[AMOUNT]": "3", "attribute[SEEN_AT]": "2026-05-01T08:00"})
    body(r, "post_request", 201)


def test_other_bad_fields(c, api_key):
    error(c.post(URL, post_fields(api_key, email="not-an-email")), 400)
    error(c.post(URL, post_fields(api_key, media_url="ftp://x/y.jpg")), 400)
    error(c.post(URL, post_fields(api_key, description="长" * 5000)), 400)


def test_jurisdiction_must_hold_the_point(c, api_key):
    assert Case.objects.filter(source="open311").count() == 0
    error(c.post(URL, post_fields(api_key, jurisdiction_id="530303")), 400)
    error(c.post(URL, post_fields(api_key, jurisdiction_id="000000")), 404)
    assert Case.objects.filter(source="open311").count() == 0  # nothing half-written
    body(c.post(URL, post_fields(api_key, jurisdiction_id="330603")), "post_request", 201)


def test_idempotency_key_returns_the_first_request(c, api_key):
    fields = post_fields(api_key)
    first = body(c.post(URL, fields, HTTP_IDEMPOTENCY_KEY="k-1"), "post_request", 201)
    again = body(c.post(URL, fields, HTTP_IDEMPOTENCY_KEY="k-1"), "post_request", 200)
    assert first == again
    assert InboundRequest.objects.count() == 1


def test_rate_limit_per_client_is_429(c, db):
    client, raw = client_issue(name="小应用", by=None, rate_per_minute=2)
    codes = [c.get(BASE + "services.json", {"api_key": raw}).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    r = c.post(URL, post_fields(raw))
    assert "rate limit" in error(r, 429)
    assert ApiClient.objects.get(pk=client.pk).last_used_at is not None


def test_get_is_refused_for_post_only_errors(c, db):
    error(c.put(URL), 405)
