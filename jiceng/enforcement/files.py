"""Evidence files: size-limited, type checked by content, hashed while read, stored unchanged.

A file is written to storage before the row that names it is committed; `removed_on_failure`
deletes it again when that transaction fails. The file types are the case app's (cases.files.ALLOWED) plus audio; unlike a case photo, evidence
is never re-encoded (no EXIF stripping), so its SHA-256 is that of the file as captured.
"""

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.utils.translation import gettext as _

from jiceng.cases.files import ALLOWED as CASE_TYPES

from .errors import Invalid

ALLOWED = {**CASE_TYPES, "audio/mpeg": "audio", "audio/x-wav": "audio", "audio/mp4": "audio"}


def max_bytes() -> int:
    return getattr(settings, "JICENG_EVIDENCE_MAX_BYTES", 500 * 1024 * 1024)


@dataclass
class Checked:
    name: str
    content_type: str
    size: int
    sha256: str


def _too_big(name: str, limit: int) -> Invalid:
    return Invalid(
        _("文件「%(name)s」超过 %(mb)s MB 上限") % {"name": name, "mb": limit // (1024 * 1024)}
    )


def check(upload) -> Checked:
    """Read the upload once in chunks: size, type from the first bytes, SHA-256 of it all."""
    name = (getattr(upload, "name", "") or "evidence")[:200]
    limit = max_bytes()
    if upload.size is not None and upload.size > limit:
        raise _too_big(name, limit)
    digest, size, head = hashlib.sha256(), 0, b""
    for chunk in upload.chunks():
        if len(head) < 8192:
            head += chunk[: 8192 - len(head)]
        digest.update(chunk)
        size += len(chunk)
    upload.seek(0)
    if size == 0:
        raise Invalid(_("文件「%(name)s」是空的") % {"name": name})
    if size > limit:
        raise _too_big(name, limit)
    kind = filetype.guess(head)
    mime = kind.mime if kind else ""
    if mime not in ALLOWED:
        raise Invalid(
            _("文件「%(name)s」不是允许的图片、视频、音频或 PDF（识别为 %(kind)s）")
            % {"name": name, "kind": mime or _("未知类型")}
        )
    return Checked(name, mime, size, digest.hexdigest())


@contextmanager
def removed_on_failure() -> Iterator[Callable]:
    """Around a transaction that writes files: `keep(field_file)` after each write; if the block
    fails — a refusal, an error after the write, a failed commit — the files are deleted, so a
    rolled-back upload leaves no stray file. Only this block's own transaction is watched: if a
    caller's enclosing transaction rolls back later, the file stays (nothing in Django reports a
    rollback), which is why the pages and the API call evidence_add outside any transaction; the
    nightly sweep (core.media) deletes such a file later."""
    written: list[tuple] = []
    try:
        yield lambda field_file: written.append((field_file.storage, field_file.name))
    except BaseException:
        for storage, name in written:
            storage.delete(name)
        raise
