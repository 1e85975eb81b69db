"""Sample work in the inbox (`load_demo` only): tasks upper units sent, one of them done."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from jiceng.org.models import Unit

from .actions import task_report_done, tasks_send
from .models import Task

SAMPLES = [
    # (sender, recipient unit or None, recipient person or None, subject, reply when done)
    ("assessor_kq", "柯岩街道办事处", None, "报送本月宣传思想工作台账（演示）", ""),
    ("leader_pj", None, "publicity_pj", "报送11月乡村振兴宣传活动照片（演示）", "已报送照片12张"),
]


def load_late(ctx) -> None:
    if not ctx.with_samples:
        return
    users = get_user_model().objects
    made = 0
    for sender, unit_name, username, subject, reply in SAMPLES:
        if Task.objects.filter(subject=subject).exists():
            continue
        person = users.get(username=sender).person
        sent = tasks_send(
            sender=person,
            kind="data_request",
            subject=subject,
            body="请按附表格式报送，如无可写“无”。",
            due_at=timezone.now() + dt.timedelta(days=5),
            units=[Unit.objects.get(name=unit_name)] if unit_name else [],
            people=[users.get(username=username).person] if username else [],
            by=person.user,
        )
        made += 1
        if reply:
            recipient = users.get(username=username).person
            task_report_done(task=sent[0], person=recipient, reply=reply, by=recipient.user)
    if made:
        ctx.say("演示交办：柯桥区委宣传部向柯岩街道交办一件数据填报，盘江镇一件已办结")
