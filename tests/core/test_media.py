"""Stray uploads: a file no row names is found and removed after the grace period, never one a
row names or one still young; the removal is audited."""

import datetime as dt
import os
import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import transaction

from jiceng.core import media
from jiceng.core.models import AuditEvent
from jiceng.enforcement.models import Evidence
from tests.enforcement.helpers import add_evidence, open_case

pytestmark = pytest.mark.django_db
DAY = 24 * 3600


def _age(name: str, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(default_storage.path(name), (then, then))


def _stray(name: str, age: float = 2 * DAY) -> str:
    saved = default_storage.save(name, ContentFile(b"left behind"))
    _age(saved, age)
    return saved


def test_every_upload_folder_is_watched():
    folders = {(u.model._meta.label, u.folder) for u in media.uploads()}
    assert ("enforcement.Evidence", "enforcement") in folders
    assert ("cases.Attachment", "cases") in folders
    assert ("outreach.ImportJob", "outreach/imports") in folders


class Boom(Exception):
    pass


def test_a_file_left_by_an_outer_rollback_is_removed_after_the_grace_period():
    pc = open_case()
    kept = add_evidence(pc)
    _age(kept.file.name, 3 * DAY)
    before = set()
    with pytest.raises(Boom), transaction.atomic():
        ev = add_evidence(pc)
        before.add(ev.file.name)
        raise Boom
    (left,) = before
    assert not Evidence.objects.filter(file=left).exists()
    assert default_storage.exists(left)

    assert media.strays() == []  # still young: it may belong to a transaction still running
    _age(left, 2 * DAY)
    assert media.strays() == [left]

    assert media.strays_remove() == [left]
    assert not default_storage.exists(left)
    assert default_storage.exists(kept.file.name)  # named by a row: never touched
    event = AuditEvent.objects.filter(verb="core.media_strays_removed").latest("id")
    assert event.after == [left]
    assert media.strays() == []


def test_files_outside_the_upload_folders_are_not_touched():
    elsewhere = _stray("reports/old.txt")
    in_cases = _stray("cases/2026/11/orphan.jpg")
    assert media.strays() == [in_cases]
    media.strays_remove()
    assert default_storage.exists(elsewhere)


def test_nothing_to_remove_writes_no_audit_row():
    n = AuditEvent.objects.count()
    assert media.strays_remove() == []
    assert AuditEvent.objects.count() == n


def test_command_lists_by_default_and_removes_only_when_asked(capsys):
    name = _stray("enforcement/2025/01/x.png", age=3 * 3600)
    call_command("media_strays")
    assert "发现 0 个" in capsys.readouterr().out  # 3 h < the 24 h grace
    call_command("media_strays", "--older-than-hours", "1")
    out = capsys.readouterr().out
    assert name in out and "发现 1 个" in out
    assert default_storage.exists(name)
    call_command("media_strays", "--remove", "--older-than-hours", "1")
    assert "已删除 1 个" in capsys.readouterr().out
    assert not default_storage.exists(name)
    with pytest.raises(CommandError, match="不能为负数"):
        call_command("media_strays", "--older-than-hours", "-1")


def test_the_grace_period_is_a_setting(settings):
    name = _stray("cases/2026/10/y.jpg", age=5 * 3600)
    settings.JICENG_MEDIA_STRAY_AFTER_HOURS = 4
    assert media.grace() == dt.timedelta(hours=4)
    assert media.strays() == [name]
