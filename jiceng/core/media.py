"""Stray uploads: files in media storage that no row names.

An upload is written to storage before the row that names it is committed. When that row's
own transaction fails the file is deleted at once (enforcement.files.removed_on_failure), but
when a caller's enclosing transaction rolls back later nothing in Django reports it, and the
file stays with no row. `strays` finds such files: under the folders the models' FileFields
upload to, named by no row of any of them, and older than a grace period (a file younger than
that may belong to a transaction still running). `strays_remove` deletes them and writes one
audit row naming each file; the worker runs it every night.

Written here rather than taken from django-unused-media: that package is unmaintained (tested up
to Django 3.0), loads every stored name into memory at once, and writes no audit record.
"""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils import timezone

from .audit import audit


@dataclass(frozen=True)
class Upload:
    """One FileField and the fixed folder its upload_to starts with."""

    model: type[models.Model]
    field: str
    folder: str


def uploads() -> list[Upload]:
    """Every FileField of every installed model whose upload_to begins with a fixed folder."""
    found = []
    for model in apps.get_models():
        for f in model._meta.get_fields():
            if not isinstance(f, models.FileField) or callable(f.upload_to):
                continue
            fixed = f.upload_to.split("%", 1)[0]
            folder = fixed.rsplit("/", 1)[0] if "/" in fixed else ""
            if folder:
                found.append(Upload(model, f.name, folder))
    return found


def grace() -> dt.timedelta:
    return dt.timedelta(hours=getattr(settings, "JICENG_MEDIA_STRAY_AFTER_HOURS", 24))


def _walk(folder: str) -> Iterator[tuple[str, list[str]]]:
    """(folder, file names in it) for the folder and every folder below it."""
    if not default_storage.exists(folder):
        return
    dirs, names = default_storage.listdir(folder)
    yield folder, [f"{folder}/{n}" for n in names]
    for d in sorted(dirs):
        yield from _walk(f"{folder}/{d}")


def _named(folder: str, fields: list[Upload]) -> set[str]:
    """The names rows give to files in this one folder (one query per field)."""
    named: set[str] = set()
    for u in fields:
        qs = u.model._base_manager.filter(**{f"{u.field}__startswith": f"{folder}/"})
        named.update(qs.values_list(u.field, flat=True))
    return named


def strays(*, older_than: dt.timedelta | None = None, now=None) -> list[str]:
    """Names of the stored files no row names, last written before now − older_than."""
    cutoff = (now or timezone.now()) - (grace() if older_than is None else older_than)
    by_folder: dict[str, list[Upload]] = {}
    for u in uploads():
        by_folder.setdefault(u.folder, []).append(u)
    found = []
    for top, fields in sorted(by_folder.items()):
        for folder, names in _walk(top):
            if not names:
                continue
            named = _named(folder, fields)
            found += [
                n
                for n in sorted(names)
                if n not in named and default_storage.get_modified_time(n) < cutoff
            ]
    return found


def strays_remove(*, older_than: dt.timedelta | None = None, by=None) -> list[str]:
    """Delete the stray files and record their names in the audit log (one row per sweep)."""
    names = strays(older_than=older_than)
    if not names:
        return []
    with transaction.atomic():
        audit(actor=by, verb="core.media_strays_removed", object_type="media", after=names)
    for name in names:
        default_storage.delete(name)
    return names
