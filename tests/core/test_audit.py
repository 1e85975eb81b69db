"""The audit chain: every write is a row; any edit or deletion is found by verify_audit."""

import pytest
from django.core.management import CommandError, call_command

from jiceng.core.audit import audit, verify_chain
from jiceng.core.models import AuditEvent
from jiceng.workload.actions import task_open

pytestmark = pytest.mark.django_db


def _some_writes(person):
    for k in range(3):
        task_open(
            kind="other",
            subject=f"审计测试{k}",
            region=person.region,
            by=person.user,
            assignee_person=person,
        )


def test_writes_are_audited_with_before_and_after(person):
    me = person("staff_a")
    before = AuditEvent.objects.count()
    _some_writes(me)
    rows = list(AuditEvent.objects.order_by("-id")[:3])
    assert AuditEvent.objects.count() == before + 3
    assert {r.verb for r in rows} == {"task.open"}
    assert rows[0].actor_id == me.user_id and rows[0].after["subject"] == "审计测试2"
    assert verify_chain() == []
    call_command("verify_audit")


def test_edited_row_is_detected(person):
    _some_writes(person("staff_a"))
    victim = AuditEvent.objects.order_by("-id")[1]
    AuditEvent.objects.filter(pk=victim.pk).update(after={"subject": "篡改"})
    problems = verify_chain()
    assert any(p.event_id == victim.pk and "改动" in p.message for p in problems)
    with pytest.raises(CommandError, match="审计链校验失败"):
        call_command("verify_audit")


def test_deleted_middle_row_is_detected(person):
    _some_writes(person("staff_a"))
    victim = AuditEvent.objects.order_by("-id")[1]
    AuditEvent.objects.filter(pk=victim.pk).delete()
    assert any("删除" in p.message for p in verify_chain())


def test_deleted_last_row_is_detected(person):
    _some_writes(person("staff_a"))
    AuditEvent.objects.order_by("-id").first().delete()
    assert any("链尾" in p.message for p in verify_chain())


def test_chain_links_each_row_to_the_one_before(person):
    me = person("staff_a")
    a = audit(actor=me.user, verb="test.a", object_type="x", object_id=1, after={"v": 1})
    b = audit(actor=me.user, verb="test.b", object_type="x", object_id=1, after={"v": 2})
    assert b.prev_hash == a.hash and a.hash != b.hash
